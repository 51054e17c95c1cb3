import Testing

@testable import Server

@Suite struct ConfigParserTests {
  private func config(_ arguments: [String], _ environment: [String: String] = [:]) throws
    -> GatewayConfig
  {
    guard
      case .run(let config) = try ConfigParser.parse(arguments: arguments, environment: environment)
    else {
      throw ConfigParser.Failure(description: "not a run command")
    }
    return config
  }

  @Test func defaultsMatchTheDocumentedValues() throws {
    let defaults = try config([])
    #expect(defaults.port == 3000)
    #expect(defaults.pingIntervalMilliseconds == 25_000)
    #expect(defaults.pingTimeoutMilliseconds == 20_000)
    #expect(defaults.maxPayloadBytes == 1_000_000)
    #expect(defaults.maxHeaderBytes == 16_384)
    #expect(defaults.jwtUserClaims == ["sub", "userId", "_id", "id"])
    #expect(defaults.apiRole == "admin")
    #expect(defaults.corsOrigins == ["*"])
  }

  @Test func flagsWinOverTheEnvironment() throws {
    let parsed = try config(
      ["--port", "4000", "--ping-interval-ms=300", "--dev"],
      ["PORT": "5000", "GATEWAY_API_KEYS": "a, b", "GATEWAY_CORS_ORIGINS": "https://x.test"])
    #expect(parsed.port == 4000)
    #expect(parsed.pingIntervalMilliseconds == 300)
    #expect(parsed.dev)
    #expect(parsed.apiKeys == ["a", "b"])
    #expect(parsed.corsOrigins == ["https://x.test"])
  }

  static let bad: [([String], [String: String], String)] = [
    ([], ["PORT": "abc"], "PORT: must be a whole number"),
    ([], ["PORT": "70000"], "PORT: must be a whole number from 0 to 65535"),
    (["--port"], [:], "--port needs a value"),
    (["--nope", "1"], [:], "unknown option --nope"),
    (["stray"], [:], "unexpected argument"),
    ([], ["GATEWAY_AUTH_FAILURE": "loud"], "must be error or connect_error"),
    ([], ["GATEWAY_LOG_LEVEL": "chatty"], "GATEWAY_LOG_LEVEL"),
    (["--ping-timeout-ms", "1"], [:], "--ping-timeout-ms: must be a whole number from 50"),
  ]

  @Test(arguments: bad)
  func badValuesAreOneClearSentence(
    arguments: [String], environment: [String: String], fragment: String
  ) {
    do {
      _ = try ConfigParser.parse(arguments: arguments, environment: environment)
      Issue.record("accepted \(arguments) \(environment)")
    } catch {
      #expect(error.description.contains(fragment), "\(error.description)")
      #expect(!error.description.contains("\n"))
    }
  }

  @Test func helpNamesEveryOptionAndItsVariable() {
    let help = ConfigParser.helpText()
    for option in ConfigOption.all {
      #expect(help.contains("--\(option.flag)"))
      #expect(help.contains(option.environment))
    }
  }

  @Test func keyLoaderRefusesToStartWithoutAKey() {
    #expect(throws: KeyLoader.Failure.self) { try KeyLoader.verifier(for: GatewayConfig()) }
    var dev = GatewayConfig()
    dev.dev = true
    DevMode.prepare(&dev)
    #expect(dev.jwtSecret?.count == 64)
    #expect(
      DevMode.banner(config: dev, port: 3000, tls: false).contains(
        "curl -sS -X POST http://127.0.0.1:3000/api/gateway/send"))
  }

  @Test func theOpsSettingsParseAndTheDevBannerFollowsTLS() throws {
    let environment = [
      "GATEWAY_METRICS_TOKEN": "scrape", "GATEWAY_TLS_CERT_FILE": "c.pem",
      "GATEWAY_TLS_KEY_FILE": "k.pem",
    ]
    guard case .run(var config) = try ConfigParser.parse(arguments: [], environment: environment)
    else {
      Issue.record("not a run")
      return
    }
    #expect(config.metricsToken == "scrape")
    #expect(config.tlsCertificateFile == "c.pem" && config.tlsKeyFile == "k.pem")
    config.dev = true
    DevMode.prepare(&config)
    let banner = DevMode.banner(config: config, port: 3443, tls: config.tlsCertificateFile != nil)
    #expect(banner.contains("curl -sS -X POST https://127.0.0.1:3443/api/gateway/send"))
    #expect(banner.contains("Dashboard: https://127.0.0.1:3443/dashboard"))
  }

  @Test func devTLSNeedsDevAndNoFilesAndSetsTheHandshakeTimeout() throws {
    guard
      case .run(let config) = try ConfigParser.parse(
        arguments: ["--dev", "--tls", "--tls-handshake-timeout-ms", "500"], environment: [:])
    else {
      Issue.record("not a run")
      return
    }
    #expect(config.devTLS && config.tlsHandshakeTimeoutMilliseconds == 500)
    #expect(GatewayConfig().tlsHandshakeTimeoutMilliseconds == 10_000)
    #expect(throws: ConfigParser.Failure.self) {
      try ConfigParser.parse(arguments: ["--tls"], environment: [:])
    }
    #expect(throws: ConfigParser.Failure.self) {
      try ConfigParser.parse(
        arguments: ["--dev", "--tls"], environment: ["GATEWAY_TLS_CERT_FILE": "c.pem"])
    }
  }
}
