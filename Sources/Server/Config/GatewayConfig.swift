/// Everything the gateway can be told at start, with the defaults a production operator
/// expects. Built by `ConfigParser` from flags and the environment, validated there.
struct GatewayConfig: Sendable {
  /// How a failed connection token is reported to the client.
  enum AuthFailureMode: String, Sendable {
    /// The seed's behaviour: accept the namespace, emit `error`, then disconnect.
    case error
    /// A Socket.IO CONNECT_ERROR with the same message (`connect_error` on the client).
    case connectError = "connect_error"
  }

  var host = "0.0.0.0"
  var port = 3000
  var dev = false
  /// `--dev --tls`: serve HTTPS/WSS with a throwaway self-signed certificate.
  var devTLS = false
  var conformance = false

  var jwtSecret: String?
  var jwtPublicKeyFile: String?
  var jwksFile: String?
  var jwtIssuer: String?
  var jwtAudience: String?
  var jwtUserClaims = ["sub", "userId", "_id", "id"]
  var jwtLeewaySeconds = 30.0
  var apiRole = "admin"
  var apiKeys: [String] = []
  /// A Bearer token that may read `/metrics` only (besides the REST API's credentials).
  var metricsToken: String?
  /// PEM certificate chain and private key: with both, the gateway speaks HTTPS/WSS only.
  var tlsCertificateFile: String?
  var tlsKeyFile: String?
  /// Time a TLS client has to finish its handshake once connected.
  var tlsHandshakeTimeoutMilliseconds = 10_000
  var corsOrigins = ["*"]
  var authFailure = AuthFailureMode.error

  var pingIntervalMilliseconds = 25_000
  var pingTimeoutMilliseconds = 20_000
  var upgradeTimeoutMilliseconds = 10_000
  var connectTimeoutMilliseconds = 45_000
  var maxPayloadBytes = 1_000_000

  var maxHeaderBytes = 16 * 1024
  var maxHeaderCount = 100
  var maxURLBytes = 8 * 1024
  var maxBodyBytes = 1_000_000
  var maxJSONDepth = 512
  var headerTimeoutMilliseconds = 10_000
  var idleTimeoutMilliseconds = 30_000
  var maxConnections = 0
  var outboundLimitBytes = 4 * 1024 * 1024
  var drainTimeoutMilliseconds = 10_000

  /// Where messages are kept (`GATEWAY_STORE`).
  var store = StoreLocation.sqlite(path: "data/gateway.db")
  var storeFsyncAlways = false
  var storeMaxMegabytes = 0
  var historyTTLSeconds = 86_400
  var historyMaxPerUser = 1000
  var recoveryMax = 1000

  var tokenRefreshWindowSeconds = 60
  var clientEventsPerSecond = 50
  var clientEventsBurst = 100
  var apiRatePerSecond = 0
  var maxSocketsPerUser = 20
  var maxConnectionsPerIP = 0

  var webhookURL: WebhookURL?
  var webhookSecret: String?
  var webhookClientEvents: [String] = []
  var webhookClientEventsSync = false
  var webhookRetrySeconds = 86_400
  var webhookConcurrency = 8
  var webhookTimeoutMilliseconds = 10_000

  var presenceGraceMilliseconds = 5000
  var typingPerSecond = 5
  var roomMaxMembers = 10_000
  var userMaxRooms = 500

  /// Cluster mode (`GATEWAY_REDIS_URL`); nil runs a single node.
  var cluster: ClusterSettings?
  /// The cluster settings while parsing (`PendingClusterSettings.resolve`).
  var pendingCluster = PendingClusterSettings()
  /// `GATEWAY_REUSE_PORT`: several processes share the listening port (SO_REUSEPORT).
  var reusePort = false

  var logLevel = Logger.Level.info
  var logFormat = Logger.Format.text
}
