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
  static let all: [ConfigOption] = [
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

  private static func text(
    _ environment: String, _ flag: String, _ help: String,
    _ set: @escaping @Sendable (inout GatewayConfig, String) -> Void
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help) { config, value in
      set(&config, value)
      return nil
    }
  }

  private static func text(
    _ environment: String, _ flag: String, _ help: String,
    _ apply: @escaping @Sendable (inout GatewayConfig, String) -> String?
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help, apply: apply)
  }

  private static func optionalText(
    _ environment: String, _ flag: String, _ help: String,
    _ set: @escaping @Sendable (inout GatewayConfig, String?) -> Void
  ) -> ConfigOption {
    ConfigOption(environment: environment, flag: flag, help: help) { config, value in
      set(&config, value.isEmpty ? nil : value)
      return nil
    }
  }

  private static func integer(
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

  private static func list(
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
