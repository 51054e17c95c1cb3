/// Turns command-line arguments and the environment into a `GatewayConfig`.
///
/// Flags win over environment variables. Any bad value is one clear sentence naming the
/// setting; `main` prints it and exits with status 2.
enum ConfigParser {
  /// What the command line asked for.
  enum Command: Sendable {
    case run(GatewayConfig)
    case help
    case version
  }

  /// A rejected setting.
  struct Failure: Error, CustomStringConvertible, Sendable {
    var description: String
  }

  /// Parses `arguments` (without the program name) over `environment`.
  static func parse(arguments: [String], environment: [String: String]) throws(Failure) -> Command {
    var config = GatewayConfig()
    var given = Set<String>()
    for option in ConfigOption.all {
      if let value = environment[option.environment] {
        given.insert(option.flag)
        if let problem = option.apply(&config, value) {
          throw Failure(description: "\(option.environment): \(problem)")
        }
      }
    }
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      switch argument {
      case "--help", "-h": return .help
      case "--version": return .version
      case "--dev": config.dev = true
      case "--tls": config.devTLS = true
      case "--conformance": config.conformance = true
      default:
        guard argument.hasPrefix("--") else {
          throw Failure(description: "unexpected argument \"\(argument)\" (see --help)")
        }
        var name = String(argument.dropFirst(2))
        var value: String?
        if let equals = name.firstIndex(of: "=") {
          value = String(name[name.index(after: equals)...])
          name = String(name[..<equals])
        }
        guard let option = ConfigOption.all.first(where: { $0.flag == name }) else {
          throw Failure(description: "unknown option --\(name) (see --help)")
        }
        if value == nil {
          guard index < arguments.count else {
            throw Failure(description: "--\(name) needs a value")
          }
          value = arguments[index]
          index += 1
        }
        if let problem = option.apply(&config, value ?? "") {
          throw Failure(description: "--\(name): \(problem)")
        }
        given.insert(option.flag)
      }
    }
    if let problem = config.pendingCluster.resolve(
      into: &config, storeGiven: given.contains("store"))
    {
      throw Failure(description: problem)
    }
    if config.webhookURL != nil, config.webhookSecret == nil {
      throw Failure(description: "GATEWAY_WEBHOOK_URL needs GATEWAY_WEBHOOK_SECRET to sign events")
    }
    if let secret = config.webhookSecret, WebhookSigner(secret: secret) == nil {
      throw Failure(description: "GATEWAY_WEBHOOK_SECRET: a whsec_ secret must be non-empty base64")
    }
    if config.devTLS, !config.dev {
      throw Failure(
        description: "--tls needs --dev (in production set GATEWAY_TLS_CERT_FILE and _KEY_FILE)")
    }
    if config.devTLS, config.tlsCertificateFile != nil || config.tlsKeyFile != nil {
      throw Failure(
        description: "--tls makes its own certificate: unset GATEWAY_TLS_CERT_FILE/_KEY_FILE")
    }
    if config.conformance {
      // The protocol test suites hard-code these (CONFORMANCE.md); explicit settings win.
      if !given.contains("ping-interval-ms") { config.pingIntervalMilliseconds = 300 }
      if !given.contains("ping-timeout-ms") { config.pingTimeoutMilliseconds = 200 }
      if !given.contains("connect-timeout-ms") { config.connectTimeoutMilliseconds = 1000 }
    }
    return .run(config)
  }

  /// The `--help` text: usage, modes, and every option with its variable and default.
  static func helpText() -> String {
    var lines = [
      "gateway: a Socket.IO v4 real-time gateway with a REST push API.",
      "",
      "Usage: gateway [--dev [--tls]] [--conformance] [--OPTION VALUE ...]",
      "",
      "  --dev           Development mode: a generated HS256 secret (unless one is set), and",
      "                  ready-to-use user and admin tokens plus a curl line printed at start.",
      "  --tls           With --dev: HTTPS/WSS with a throwaway self-signed certificate whose",
      "                  SHA-256 fingerprint is printed.",
      "  --conformance   Test-only: mounts the handlers socket.io's protocol test suites expect.",
      "  --help          This text.   --version   The version.",
      "",
      "Every option is a flag or an environment variable (the flag wins):",
      "",
    ]
    for option in ConfigOption.all {
      lines.append("  --\(option.flag) / \(option.environment)")
      lines.append("      \(option.help)")
    }
    lines.append("")
    lines.append(
      "At least one of GATEWAY_JWT_SECRET, GATEWAY_JWT_PUBLIC_KEY_FILE or GATEWAY_JWKS_FILE")
    lines.append("is required (or --dev). Bad values print one line and exit with status 2.")
    return lines.joined(separator: "\n")
  }
}
