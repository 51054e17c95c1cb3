import Auth
import Protocol
import Synchronization

/// The services every connection shares, built once at start.
final class GatewayContext: Sendable {
  let config: GatewayConfig
  let logger: Logger
  let sweeper: DeadlineSweeper
  let registry: RegistryActor
  let sessions: SessionTable
  let verifier: JWTVerifier
  let apiAuthorizer: APIAuthorizer
  let metrics: Metrics
  let connections: ConnectionTracker
  let delivery: Delivery
  let rooms: Rooms
  let presence: Presence
  let apiRateLimiter: APIRateLimiter
  /// Nil without `GATEWAY_WEBHOOK_URL`.
  let webhooks: Webhooks?
  /// HTTPS: each accepted connection gets a session from it; nil serves plain HTTP.
  let tls: TLSContext?
  /// Cluster mode: this node's part in the cluster; nil on a single node.
  let cluster: ClusterNode?
  /// Cluster mode: where the other nodes are, for forwarding requests for their sessions
  /// (`SessionForwarder`); nil forwards nothing.
  let nodeDirectory: (any NodeDirectory)?
  /// Parser limits; the body limit is the larger of the REST and Engine.IO limits, and each
  /// route checks its own.
  let httpLimits: HTTPLimits
  let jsonLimits: JSONLimits
  /// Time to receive a whole request, in nanoseconds.
  let headerTimeout: Int64
  /// Idle keep-alive lifetime, in nanoseconds.
  let idleTimeout: Int64
  /// Time a TLS client has to finish its handshake, in nanoseconds.
  let tlsHandshakeTimeout: Int64
  private let draining = Atomic<Bool>(false)

  /// Builds the services around an opened `store` (the caller opens it, so a store that
  /// cannot be opened is reported before anything listens).
  init(
    config: GatewayConfig, logger: Logger, verifier: JWTVerifier, store: any MessageStore,
    tls: TLSContext? = nil, cluster: ClusterNode? = nil,
    nodeDirectory: (any NodeDirectory)? = nil
  ) {
    self.config = config
    self.tls = tls
    self.cluster = cluster
    self.nodeDirectory = nodeDirectory
    self.logger = logger
    self.verifier = verifier
    sweeper = DeadlineSweeper()
    let transitions = UserTransitions()
    registry = RegistryActor(
      transitions: transitions, maxSocketsPerUser: config.maxSocketsPerUser,
      routes: cluster?.routes)
    sessions = SessionTable()
    metrics = Metrics(store: store.metrics)
    connections = ConnectionTracker()
    delivery = Delivery(
      registry: registry, metrics: metrics, store: store, fanOut: FanOut(),
      recoveryAuthenticator: MessageAuthenticator(secret: store.recoverySecret),
      recoveryLimit: config.recoveryMax, remote: cluster)
    rooms = Rooms(
      directory: RoomDirectory(), store: store, maxMembers: config.roomMaxMembers,
      maxRoomsPerUser: config.userMaxRooms, changes: cluster)
    if let url = config.webhookURL, let secret = config.webhookSecret,
      let signer = WebhookSigner(secret: secret)
    {
      webhooks = Webhooks(
        store: store,
        sender: WebhookSender(
          url: url, concurrency: config.webhookConcurrency,
          timeoutMilliseconds: config.webhookTimeoutMilliseconds,
          tls: url.secure ? TLSClientContext() : nil),
        signer: signer, metrics: metrics, logger: logger, retrySeconds: config.webhookRetrySeconds,
        clientEvents: config.webhookClientEvents, clientEventsSync: config.webhookClientEventsSync)
    } else {
      webhooks = nil
    }
    presence = Presence(
      graceMilliseconds: config.presenceGraceMilliseconds, registry: registry,
      directory: rooms.directory, sweeper: sweeper, metrics: metrics, webhooks: webhooks)
    transitions.connect(presence)
    apiRateLimiter = APIRateLimiter(rate: config.apiRatePerSecond)
    apiAuthorizer = APIAuthorizer(verifier: verifier, apiKeys: config.apiKeys, role: config.apiRole)
    httpLimits = HTTPLimits(
      maxHeaderBytes: config.maxHeaderBytes, maxHeaderCount: config.maxHeaderCount,
      maxTargetLength: config.maxURLBytes,
      maxBodyBytes: max(config.maxBodyBytes, config.maxPayloadBytes))
    var jsonLimits = JSONLimits()
    jsonLimits.maxBytes = max(config.maxBodyBytes, config.maxPayloadBytes)
    jsonLimits.maxStringBytes = jsonLimits.maxBytes
    jsonLimits.maxDepth = config.maxJSONDepth
    self.jsonLimits = jsonLimits
    headerTimeout = Int64(config.headerTimeoutMilliseconds) * 1_000_000
    idleTimeout = Int64(config.idleTimeoutMilliseconds) * 1_000_000
    tlsHandshakeTimeout = Int64(config.tlsHandshakeTimeoutMilliseconds) * 1_000_000
  }

  /// True once shutdown began: `/healthz` answers 503 and keep-alive ends.
  var isDraining: Bool { draining.load(ordering: .relaxed) }

  /// Starts the drain.
  func beginDraining() {
    draining.store(true, ordering: .relaxed)
  }
}
