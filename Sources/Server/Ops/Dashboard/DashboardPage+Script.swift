extension DashboardPage {
  /// The page's script: sign-in, the one-second poll of the snapshot, the chart (kept in the
  /// page: 15 minutes of one point per second), the user list and the test-send form.
  /// `window.dashboard` exposes the points and the last snapshot to the browser test.
  static let script = #"""
    "use strict";
    const WINDOW_MS = 15 * 60 * 1000;
    const state = { token: sessionStorage.getItem("gatewayToken"), timer: null, points: [], last: null };
    window.dashboard = state;
    const $ = (id) => document.getElementById(id);

    function setStatus(text, bad) {
      $("status").textContent = text;
      $("status").classList.toggle("bad", !!bad);
    }

    function signedIn(on) {
      $("login").classList.toggle("hidden", on);
      $("app").classList.toggle("hidden", !on);
      $("logout").classList.toggle("hidden", !on);
    }

    function authorized(options) {
      const headers = Object.assign({}, (options && options.headers) || {}, { Authorization: "Bearer " + state.token });
      return Object.assign({}, options || {}, { headers });
    }

    function signOut(message) {
      clearTimeout(state.timer);
      state.timer = null;
      state.token = null;
      sessionStorage.removeItem("gatewayToken");
      signedIn(false);
      $("loginError").textContent = message || "";
      setStatus("signed out");
    }

    async function poll() {
      state.timer = null;
      if (!state.token) return;
      const query = new URLSearchParams({ limit: "500" });
      const search = $("search").value.trim();
      if (search) query.set("q", search);
      try {
        const response = await fetch("/api/gateway/dashboard/snapshot?" + query, authorized());
        if (response.status === 401 || response.status === 403) {
          const body = await response.json().catch(() => ({}));
          signOut(body.message || "The credential was refused.");
          return;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        render(await response.json());
        setStatus("live · updated " + new Date().toLocaleTimeString());
      } catch (error) {
        setStatus("cannot reach the gateway: " + error.message, true);
      }
      if (state.token) state.timer = setTimeout(poll, 1000);
    }

    function latency(value) {
      if (value.p50Ms === null) return "–";
      const format = (ms) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
      return format(value.p50Ms) + " / " + format(value.p99Ms);
    }

    function render(snapshot) {
      state.last = snapshot;
      $("users").textContent = snapshot.users;
      $("sockets").textContent = snapshot.sockets;
      $("tcpConnections").textContent = snapshot.tcpConnections;
      $("eventsIn").textContent = snapshot.counters.eventsReceived;
      $("eventsOut").textContent = snapshot.counters.eventsDelivered;
      $("slowConsumers").textContent = snapshot.counters.slowConsumers;
      $("authFailures").textContent = snapshot.counters.authFailures;
      $("storeBacklog").textContent = snapshot.store.queued + " / " + snapshot.store.expired;
      $("webhookBacklog").textContent =
        snapshot.store.webhookBacklog + " / " + snapshot.counters.webhookFailures;
      $("restLatency").textContent = latency(snapshot.restLatency);
      $("pushLatency").textContent = latency(snapshot.pushLatency);
      const now = Date.now();
      state.points.push({ t: now, users: snapshot.users, sockets: snapshot.sockets });
      while (state.points.length && state.points[0].t < now - WINDOW_MS) state.points.shift();
      drawChart(now);
      renderUsers(snapshot);
    }

    function since(iso) {
      const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
      if (seconds < 60) return seconds + " s ago";
      if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
      return Math.floor(seconds / 3600) + " h " + Math.floor((seconds % 3600) / 60) + " min ago";
    }

    function cell(row, text, className, title) {
      const td = document.createElement("td");
      td.textContent = text;
      if (className) td.className = className;
      if (title) td.title = title;
      row.appendChild(td);
    }

    function renderUsers(snapshot) {
      const rows = document.createDocumentFragment();
      for (const user of snapshot.userList) {
        user.sockets.forEach((socket, index) => {
          const row = document.createElement("tr");
          row.dataset.user = user.userId;
          cell(row, index === 0 ? user.userId : "", "mono");
          cell(row, socket.socketId, "mono");
          cell(row, socket.transport);
          cell(row, socket.peer, "mono");
          cell(row, since(socket.connectedAt), "", socket.connectedAt);
          rows.appendChild(row);
        });
      }
      $("userTable").replaceChildren(rows);
      const shown = snapshot.usersListed + (snapshot.truncated ? "+" : "");
      $("listNote").textContent = "(" + shown + " of " + snapshot.users + ")";
    }

    function drawChart(now) {
      const canvas = $("chart");
      const ratio = window.devicePixelRatio || 1;
      const width = canvas.clientWidth || 1200, height = canvas.clientHeight || 220;
      if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
      if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
      const context = canvas.getContext("2d");
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, width, height);
      const left = 44, right = 8, top = 8, bottom = 22;
      const maximum = Math.max(1, ...state.points.map((p) => Math.max(p.users, p.sockets)));
      const ceiling = Math.max(4, Math.ceil((maximum * 1.15) / 4) * 4);
      const x = (t) => left + ((t - (now - WINDOW_MS)) / WINDOW_MS) * (width - left - right);
      const y = (v) => top + (1 - v / ceiling) * (height - top - bottom);
      const styles = getComputedStyle(document.documentElement);
      context.strokeStyle = styles.getPropertyValue("--line");
      context.fillStyle = styles.getPropertyValue("--dim");
      context.font = "11px system-ui, sans-serif";
      context.lineWidth = 1;
      for (let step = 0; step <= 4; step++) {
        const value = Math.round((ceiling * step) / 4);
        context.beginPath();
        context.moveTo(left, y(value));
        context.lineTo(width - right, y(value));
        context.stroke();
        context.fillText(String(value), 4, y(value) + 4);
      }
      for (let minutes = 15; minutes >= 0; minutes -= 5) {
        context.fillText(minutes ? "-" + minutes + " min" : "now", x(now - minutes * 60000) - (minutes ? 16 : 20), height - 6);
      }
      for (const [key, color] of [["sockets", "--sockets"], ["users", "--users"]]) {
        context.strokeStyle = styles.getPropertyValue(color);
        context.lineWidth = 2;
        context.beginPath();
        state.points.forEach((point, index) => {
          const method = index === 0 ? "moveTo" : "lineTo";
          context[method](x(point.t), y(point[key]));
        });
        context.stroke();
      }
    }

    async function send(event) {
      event.preventDefault();
      let message;
      try {
        message = JSON.parse($("sendMessage").value || "null");
      } catch (error) {
        $("sendResult").textContent = "Message is not valid JSON: " + error.message;
        return;
      }
      const body = JSON.stringify({ userId: $("sendUser").value.trim(), event: $("sendEvent").value.trim(), message });
      try {
        const response = await fetch("/api/gateway/send", authorized({ method: "POST", headers: { "Content-Type": "application/json" }, body }));
        $("sendResult").textContent = response.status + " " + (await response.text());
      } catch (error) {
        $("sendResult").textContent = "Request failed: " + error.message;
      }
    }

    function start() {
      signedIn(true);
      setStatus("connecting…");
      poll();
    }

    $("loginForm").addEventListener("submit", (event) => {
      event.preventDefault();
      const token = $("token").value.trim().replace(/^Bearer\s+/i, "");
      if (!token) return;
      state.token = token;
      sessionStorage.setItem("gatewayToken", token);
      $("token").value = "";
      start();
    });
    $("logout").addEventListener("click", () => signOut(""));
    $("sendForm").addEventListener("submit", send);
    $("search").addEventListener("input", () => { if (state.last) { clearTimeout(state.timer); poll(); } });
    if (state.token) start();
    """#
}
