/// `GET /dashboard`: one self-contained page (inline CSS and script, nothing fetched but the
/// gateway's own JSON endpoints), compiled into the binary.
///
/// The page itself is served without a credential: it holds no data. It asks for the REST
/// credential (API key or admin JWT), keeps it in `sessionStorage` (gone when the tab
/// closes), and calls `GET /api/gateway/dashboard/snapshot` with it every second, and
/// `POST /api/gateway/send` from its test form. User ids are written with `textContent`,
/// never as HTML.
enum DashboardPage {
  /// The page, UTF-8.
  static let html: [UInt8] = Array(
    (head + body + "<script>" + script + "</script></body></html>").utf8)

  /// Headers that keep the page to itself: scripts and styles only from the page, requests
  /// only to this origin, no framing, no caching, no referrer.
  static let headers: [(String, String)] = [
    ("Content-Type", "text/html; charset=utf-8"),
    (
      "Content-Security-Policy",
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
  ]

  private static let head = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Gateway dashboard</title>
    <style>
    :root { --bg:#0f1419; --panel:#182028; --line:#2a3541; --text:#e6edf3; --dim:#8b98a5;
            --users:#4cc38a; --sockets:#4c9bf0; --bad:#f07178; }
    * { box-sizing: border-box; }
    body { margin:0; font:14px/1.4 system-ui, sans-serif; background:var(--bg); color:var(--text); }
    header { display:flex; align-items:center; gap:16px; padding:12px 20px; border-bottom:1px solid var(--line); }
    header h1 { font-size:17px; margin:0; font-weight:600; }
    header .grow { flex:1; }
    #status { color:var(--dim); font-size:12px; }
    #status.bad { color:var(--bad); }
    main { padding:16px 20px; display:grid; gap:16px; }
    .cards { display:grid; grid-template-columns:repeat(auto-fill, minmax(150px, 1fr)); gap:12px; }
    .card, section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
    .card .label { color:var(--dim); font-size:12px; }
    .card .value { font-size:22px; font-weight:600; font-variant-numeric:tabular-nums; margin-top:2px; }
    section h2 { font-size:14px; margin:0 0 10px; font-weight:600; }
    canvas { width:100%; height:220px; display:block; }
    .legend span { margin-right:14px; font-size:12px; color:var(--dim); }
    .legend i { display:inline-block; width:10px; height:3px; margin-right:5px; vertical-align:middle; }
    .columns { display:grid; grid-template-columns:2fr 1fr; gap:16px; }
    @media (max-width: 900px) { .columns { grid-template-columns:1fr; } }
    table { width:100%; border-collapse:collapse; font-size:13px; }
    th, td { text-align:left; padding:5px 6px; border-bottom:1px solid var(--line); vertical-align:top; }
    th { color:var(--dim); font-weight:500; }
    td.mono, .mono { font-family:ui-monospace, monospace; font-size:12px; }
    input, textarea, button { font:inherit; color:var(--text); background:var(--bg);
            border:1px solid var(--line); border-radius:6px; padding:6px 8px; }
    textarea { width:100%; min-height:70px; font-family:ui-monospace, monospace; font-size:12px; }
    button { cursor:pointer; background:#24415f; border-color:#2f5a85; }
    form label { display:block; color:var(--dim); font-size:12px; margin:8px 0 3px; }
    form input { width:100%; }
    #login { max-width:420px; margin:80px auto; }
    #login input { width:100%; margin:8px 0; }
    .hidden { display:none !important; }
    #sendResult { margin-top:8px; font-size:12px; word-break:break-all; }
    .note { color:var(--dim); font-size:12px; }
    </style>
    </head>
    """#

  private static let body = #"""
    <body>
    <header><h1>Gateway</h1><span class="grow"></span><span id="status">signed out</span>
    <button id="logout" class="hidden" type="button">Sign out</button></header>
    <section id="login">
      <h2>Sign in</h2>
      <p class="note">Paste an API key or an admin JWT. It is kept in this tab only (sessionStorage).</p>
      <form id="loginForm"><input id="token" type="password" autocomplete="off" placeholder="API key or admin JWT">
      <button id="loginButton" type="submit">Open dashboard</button></form>
      <div id="loginError" class="note"></div>
    </section>
    <main id="app" class="hidden">
      <div class="cards">
        <div class="card"><div class="label">Users connected</div><div class="value" id="users">–</div></div>
        <div class="card"><div class="label">Sockets</div><div class="value" id="sockets">–</div></div>
        <div class="card"><div class="label">TCP connections</div><div class="value" id="tcpConnections">–</div></div>
        <div class="card"><div class="label">Events in</div><div class="value" id="eventsIn">–</div></div>
        <div class="card"><div class="label">Events out</div><div class="value" id="eventsOut">–</div></div>
        <div class="card"><div class="label">REST p50 / p99 (ms)</div><div class="value" id="restLatency">–</div></div>
        <div class="card"><div class="label">Push p50 / p99 (ms)</div><div class="value" id="pushLatency">–</div></div>
        <div class="card"><div class="label">Slow consumers cut</div><div class="value" id="slowConsumers">–</div></div>
        <div class="card"><div class="label">Auth failures</div><div class="value" id="authFailures">–</div></div>
        <div class="card"><div class="label">Messages queued / expired</div><div class="value" id="storeBacklog">–</div></div>
        <div class="card"><div class="label">Webhook backlog / failures</div><div class="value" id="webhookBacklog">–</div></div>
      </div>
      <section>
        <h2>Connections, last 15 minutes</h2>
        <div class="legend"><span><i style="background:var(--sockets)"></i>sockets</span><span><i style="background:var(--users)"></i>users</span></div>
        <canvas id="chart" width="1200" height="220"></canvas>
      </section>
      <div class="columns">
        <section>
          <h2>Connected users <span class="note" id="listNote"></span></h2>
          <input id="search" type="search" placeholder="Search user id" autocomplete="off">
          <table><thead><tr><th>User</th><th>Socket</th><th>Transport</th><th>Peer</th><th>Connected since</th></tr></thead>
          <tbody id="userTable"></tbody></table>
        </section>
        <section>
          <h2>Send a test event</h2>
          <form id="sendForm">
            <label for="sendUser">User id</label><input id="sendUser" required autocomplete="off">
            <label for="sendEvent">Event</label><input id="sendEvent" value="notification" required>
            <label for="sendMessage">Message (JSON)</label><textarea id="sendMessage">{"title":"Test","body":"Sent from the dashboard"}</textarea>
            <button id="sendButton" type="submit">Send</button>
          </form>
          <div id="sendResult" class="mono"></div>
        </section>
      </div>
    </main>
    """#
}
