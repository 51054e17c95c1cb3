/// One configurable setting: its environment variable, its flag, help text, and how a
/// string value is applied (or why it is rejected).
struct ConfigOption: Sendable {
  /// Environment variable, e.g. `GATEWAY_PING_INTERVAL_MS`.
  var environment: String
  /// Flag without dashes, e.g. `ping-interval-ms`.
  var flag: String
  /// Shown by `--help`, including the default.
  var help: String
  /// Applies a value; returns an error sentence for a bad one.
  var apply: @Sendable (inout GatewayConfig, String) -> String?

  /// Every option the gateway understands, in `--help` order.
  static let all: [ConfigOption] = general + cluster

  /// The single-node settings.
  static let general: [ConfigOption] = [
    text("HOST", "host", "Address to listen on (default 0.0.0.0; use 127.0.0.1 for local only).") {
      $0.host = $1
    },
    integer("PORT", "port", "TCP port (default 3000; 0 picks a free one).", 0...65535) {
      $0.port = $1
    },
    optionalText("GATEWAY_JWT_SECRET", "jwt-secret", "HMAC secret for HS256/384/512 tokens.") {
      $0.jwtSecret = $1
    },
    optionalText(
      "GATEWAY_JWT_PUBLIC_KEY_FILE", "jwt-public-key-file",
      "PEM public key (RSA, EC P-256/P-384, Ed25519) for RS*/PS256/ES*/EdDSA tokens."
    ) { $0.jwtPublicKeyFile = $1 },
    optionalText("GATEWAY_JWKS_FILE", "jwks-file", "JWK Set file; keys chosen by `kid`.") {
      $0.jwksFile = $1
    },
    optionalText("GATEWAY_JWT_ISSUER", "jwt-issuer", "Required `iss` claim (default: not checked).")
    {
      $0.jwtIssuer = $1
    },
    optionalText(
      "GATEWAY_JWT_AUDIENCE", "jwt-audience", "Required `aud` claim (default: not checked)."
    ) { $0.jwtAudience = $1 },
    list(
      "GATEWAY_JWT_USER_CLAIM", "jwt-user-claim",
      "Claim(s) holding the user id, first present wins (default sub,userId,_id,id)."
    ) { config, claims in
      guard !claims.isEmpty else { return "needs at least one claim name" }
      config.jwtUserClaims = claims
      return nil
    },
    integer(
      "GATEWAY_JWT_LEEWAY_S", "jwt-leeway-s",
      "Clock skew allowed on exp/nbf in seconds (default 30).",
      0...3600
    ) { $0.jwtLeewaySeconds = Double($1) },
    text(
      "GATEWAY_API_ROLE", "api-role",
      "Role a JWT needs in `roles`/`role` to call the REST API (default admin; empty: any valid token)."
    ) { $0.apiRole = $1 },
    list("GATEWAY_API_KEYS", "api-keys", "Comma-separated static REST API keys (Bearer).") {
      $0.apiKeys = $1
      return nil
    },
    optionalText(
      "GATEWAY_METRICS_TOKEN", "metrics-token",
      "Bearer token that may read /metrics only (the REST API's credentials work too)."
    ) { $0.metricsToken = $1 },
    optionalText(
      "GATEWAY_TLS_CERT_FILE", "tls-cert-file",
      "PEM certificate chain (leaf first): with GATEWAY_TLS_KEY_FILE, serve HTTPS/WSS only."
    ) { $0.tlsCertificateFile = $1 },
    optionalText(
      "GATEWAY_TLS_KEY_FILE", "tls-key-file", "PEM private key of GATEWAY_TLS_CERT_FILE."
    ) { $0.tlsKeyFile = $1 },
    integer(
      "GATEWAY_TLS_HANDSHAKE_TIMEOUT_MS", "tls-handshake-timeout-ms",
      "Time a client has to finish the TLS handshake once connected; then closed (default 10000).",
      100...600_000
    ) { $0.tlsHandshakeTimeoutMilliseconds = $1 },
    list(
      "GATEWAY_CORS_ORIGINS", "cors-origins",
      "Allowed browser origins, comma-separated, or * (default *). Also checked on WebSocket upgrades."
    ) { config, origins in
      guard !origins.isEmpty else { return "needs * or at least one origin" }
      config.corsOrigins = origins
      return nil
    },
    text(
      "GATEWAY_AUTH_FAILURE", "auth-failure",
      "How a bad token is reported: error (the `error` event, default) or connect_error."
    ) { config, value in
      guard let mode = GatewayConfig.AuthFailureMode(rawValue: value) else {
        return "must be error or connect_error"
      }
      config.authFailure = mode
      return nil
    },
    integer(
      "GATEWAY_PING_INTERVAL_MS", "ping-interval-ms", "Engine.IO ping interval (default 25000).",
      50...3_600_000
    ) { $0.pingIntervalMilliseconds = $1 },
    integer(
      "GATEWAY_PING_TIMEOUT_MS", "ping-timeout-ms",
      "Time a client has to answer a ping (default 20000).",
      50...3_600_000
    ) { $0.pingTimeoutMilliseconds = $1 },
    integer(
      "GATEWAY_UPGRADE_TIMEOUT_MS", "upgrade-timeout-ms",
      "Time to finish a polling-to-WebSocket upgrade (default 10000).", 100...600_000
    ) { $0.upgradeTimeoutMilliseconds = $1 },
    integer(
      "GATEWAY_CONNECT_TIMEOUT_MS", "connect-timeout-ms",
      "Time for a new session to join a namespace (default 45000).", 100...600_000
    ) { $0.connectTimeoutMilliseconds = $1 },
    integer(
      "GATEWAY_MAX_PAYLOAD_BYTES", "max-payload-bytes",
      "Largest Engine.IO POST body or WebSocket message (default 1000000).", 1024...100_000_000
    ) { $0.maxPayloadBytes = $1 },
    integer(
      "GATEWAY_MAX_HEADER_BYTES", "max-header-bytes",
      "Largest HTTP request head; over it: 431 (default 16384).", 1024...1_048_576
    ) { $0.maxHeaderBytes = $1 },
    integer(
      "GATEWAY_MAX_HEADERS", "max-headers", "Most HTTP header fields; over it: 431 (default 100).",
      8...10_000
    ) { $0.maxHeaderCount = $1 },
    integer(
      "GATEWAY_MAX_URL_BYTES", "max-url-bytes",
      "Longest request target; over it: 414 (default 8192).",
      256...1_048_576
    ) { $0.maxURLBytes = $1 },
    integer(
      "GATEWAY_MAX_BODY_BYTES", "max-body-bytes",
      "Largest REST request body; over it: 413 (default 1000000).",
      1024...100_000_000
    ) { $0.maxBodyBytes = $1 },
    integer(
      "GATEWAY_MAX_JSON_DEPTH", "max-json-depth",
      "Deepest nesting accepted in REST bodies and Socket.IO payloads (default 512).", 8...10_000
    ) { $0.maxJSONDepth = $1 },
    integer(
      "GATEWAY_HEADER_TIMEOUT_MS", "header-timeout-ms",
      "Time to receive a whole request once it starts; then 408 (default 10000).", 100...600_000
    ) { $0.headerTimeoutMilliseconds = $1 },
    integer(
      "GATEWAY_IDLE_TIMEOUT_MS", "idle-timeout-ms",
      "Idle keep-alive connection lifetime (default 30000).",
      100...3_600_000
    ) { $0.idleTimeoutMilliseconds = $1 },
    integer(
      "GATEWAY_MAX_CONNECTIONS", "max-connections",
      "Most open TCP connections; over it: 503 (default: open-file limit minus 64).", 1...10_000_000
    ) { $0.maxConnections = $1 },
    integer(
      "GATEWAY_OUTBOUND_LIMIT_BYTES", "outbound-limit-bytes",
      "Bytes queued for one slow client before it is disconnected (default 4194304).",
      65536...1_073_741_824
    ) { $0.outboundLimitBytes = $1 },
    integer(
      "GATEWAY_DRAIN_TIMEOUT_MS", "drain-timeout-ms",
      "On SIGTERM/SIGINT, time to finish requests and close sessions (default 10000).", 0...600_000
    ) { $0.drainTimeoutMilliseconds = $1 },
    text(
      "GATEWAY_STORE", "store",
      "Message store: sqlite:PATH (default sqlite:data/gateway.db, relative to the working directory), memory, or in cluster mode redis://... (default: GATEWAY_REDIS_URL)."
    ) { config, value in
      guard let location = StoreLocation(parsing: value) else {
        return "must be sqlite:PATH, memory or a redis:// URL, got \"\(value)\""
      }
      config.store = location
      return nil
    },
    text(
      "GATEWAY_STORE_FSYNC", "store-fsync",
      "normal (default: fsync at checkpoints, a power cut may lose the last commits) or always."
    ) { config, value in
      guard value == "normal" || value == "always" else { return "must be normal or always" }
      config.storeFsyncAlways = value == "always"
      return nil
    },
    integer(
      "GATEWAY_STORE_MAX_MB", "store-max-mb",
      "Largest the message database may grow, in MB; past it pushes answer 503 (default 0: no limit).",
      0...10_000_000
    ) { $0.storeMaxMegabytes = $1 },
    integer(
      "GATEWAY_HISTORY_TTL_S", "history-ttl-s",
      "How long messages are kept and replayed, in seconds (default 86400).", 1...31_536_000
    ) { $0.historyTTLSeconds = $1 },
    integer(
      "GATEWAY_HISTORY_MAX_PER_USER", "history-max-per-user",
      "Messages kept per user, oldest dropped first (default 1000).", 1...1_000_000
    ) { $0.historyMaxPerUser = $1 },
    integer(
      "GATEWAY_RECOVERY_MAX", "recovery-max",
      "Most missed messages a reconnecting socket recovers; more: a fresh socket (default 1000).",
      1...1_000_000
    ) { $0.recoveryMax = $1 },
    integer(
      "GATEWAY_TOKEN_REFRESH_WINDOW_S", "token-refresh-window-s",
      "tokenExpiring is sent this long before a socket's token expires (default 60).", 0...86_400
    ) { $0.tokenRefreshWindowSeconds = $1 },
    integer(
      "GATEWAY_CLIENT_EVENTS_PER_S", "client-events-per-s",
      "Events a socket may send per second (token bucket; default 50; 0: no limit).", 0...1_000_000
    ) { $0.clientEventsPerSecond = $1 },
    integer(
      "GATEWAY_CLIENT_EVENTS_BURST", "client-events-burst",
      "Burst of the per-socket event bucket (default 100).", 1...1_000_000
    ) { $0.clientEventsBurst = $1 },
    integer(
      "GATEWAY_API_RATE_PER_S", "api-rate-per-s",
      "REST calls per credential and second; over it: 429 (default 0: no limit).", 0...1_000_000
    ) { $0.apiRatePerSecond = $1 },
    integer(
      "GATEWAY_MAX_SOCKETS_PER_USER", "max-sockets-per-user",
      "Sockets one user may have at once; one more gets 'Too many connections' (default 20).",
      1...100_000
    ) { $0.maxSocketsPerUser = $1 },
    integer(
      "GATEWAY_MAX_CONNECTIONS_PER_IP", "max-connections-per-ip",
      "Open TCP connections per source address; more are accepted and closed (default 0: no limit).",
      0...10_000_000
    ) { $0.maxConnectionsPerIP = $1 },
    text(
      "GATEWAY_WEBHOOK_URL", "webhook-url",
      "http:// or https:// URL that receives signed webhook events (default: none)."
    ) { config, value in
      guard !value.isEmpty else {
        config.webhookURL = nil
        return nil
      }
      guard let url = WebhookURL(value) else { return "must be an http:// or https:// URL" }
      config.webhookURL = url
      return nil
    },
    optionalText(
      "GATEWAY_WEBHOOK_SECRET", "webhook-secret",
      "Signing secret (Standard Webhooks): whsec_<base64> or any text; required with a webhook URL."
    ) { $0.webhookSecret = $1 },
    list(
      "GATEWAY_WEBHOOK_CLIENT_EVENTS", "webhook-client-events",
      "Client events forwarded as client.event: a list, or * for every event the gateway does not handle."
    ) {
      $0.webhookClientEvents = $1
      return nil
    },
    text(
      "GATEWAY_WEBHOOK_CLIENT_EVENTS_SYNC", "webhook-client-events-sync",
      "true: a forwarded event's ack carries the backend's JSON answer (default false)."
    ) { config, value in
      guard value == "true" || value == "false" || value == "1" || value == "0" else {
        return "must be true or false"
      }
      config.webhookClientEventsSync = value == "true" || value == "1"
      return nil
    },
    integer(
      "GATEWAY_WEBHOOK_RETRY_S", "webhook-retry-s",
      "How long a failing webhook event is retried (default 86400).", 1...31_536_000
    ) { $0.webhookRetrySeconds = $1 },
    integer(
      "GATEWAY_WEBHOOK_CONCURRENCY", "webhook-concurrency",
      "Webhook requests in flight at once (default 8).", 1...256
    ) { $0.webhookConcurrency = $1 },
    integer(
      "GATEWAY_WEBHOOK_TIMEOUT_MS", "webhook-timeout-ms",
      "Time for the receiver to answer; then the event is retried (default 10000).", 100...600_000
    ) { $0.webhookTimeoutMilliseconds = $1 },
    integer(
      "GATEWAY_PRESENCE_GRACE_MS", "presence-grace-ms",
      "A user's online/offline change is published once it has held this long (default 5000).",
      0...3_600_000
    ) { $0.presenceGraceMilliseconds = $1 },
    integer(
      "GATEWAY_TYPING_PER_S", "typing-per-s",
      "Most typing events relayed per socket and second; the rest are dropped (default 5).",
      1...1000
    ) { $0.typingPerSecond = $1 },
    integer(
      "GATEWAY_ROOM_MAX_MEMBERS", "room-max-members", "Most members in one room (default 10000).",
      1...10_000_000
    ) { $0.roomMaxMembers = $1 },
    integer(
      "GATEWAY_USER_MAX_ROOMS", "user-max-rooms", "Most rooms one user is in (default 500).",
      1...1_000_000
    ) { $0.userMaxRooms = $1 },
    text("GATEWAY_LOG_LEVEL", "log-level", "debug, info (default), warn or error.") {
      config, value in
      guard
        let level = Logger.Level.allCases.first(where: {
          $0.name == value || value == "warning" && $0 == .warning
        })
      else { return "must be debug, info, warn or error" }
      config.logLevel = level
      return nil
    },
    text("GATEWAY_LOG_FORMAT", "log-format", "text (default) or json.") { config, value in
      guard let format = Logger.Format(rawValue: value) else { return "must be text or json" }
      config.logFormat = format
      return nil
    },
  ]

  static func text(
    _ environment: String, _ flag: String, _ help: String,
    _ set: @escaping @Sendable (inout GatewayConfig, String) -> Void
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help) { config, value in
      set(&config, value)
      return nil
    }
  }

  static func text(
    _ environment: String, _ flag: String, _ help: String,
    _ apply: @escaping @Sendable (inout GatewayConfig, String) -> String?
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help, apply: apply)
  }

  static func optionalText(
    _ environment: String, _ flag: String, _ help: String,
    _ set: @escaping @Sendable (inout GatewayConfig, String?) -> Void
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help) { config, value in
      set(&config, value.isEmpty ? nil : value)
      return nil
    }
  }

  static func integer(
    _ environment: String, _ flag: String, _ help: String, _ range: ClosedRange<Int>,
    _ set: @escaping @Sendable (inout GatewayConfig, Int) -> Void
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help) { config, value in
      guard let number = Int(value), range.contains(number) else {
        return
          "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(value)\""
      }
      set(&config, number)
      return nil
    }
  }

  static func list(
    _ environment: String, _ flag: String, _ help: String,
    _ apply: @escaping @Sendable (inout GatewayConfig, [String]) -> String?
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help) { config, value in
      let items = value.split(separator: ",").map { String($0.trimmingCharacters()) }.filter {
        !$0.isEmpty
      }
      return apply(&config, items)
    }
  }
}

extension Substring {
  /// Without leading and trailing spaces.
  func trimmingCharacters() -> Substring {
    var result = self
    while result.first == " " { result.removeFirst() }
    while result.last == " " { result.removeLast() }
    return result
  }
}
