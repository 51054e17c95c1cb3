import Auth
import Protocol

/// Cluster mode's start (cluster.md "Settings"): connects to Redis, checks its version, and
/// builds the Redis store and this node. Every failure is one line naming Redis and the
/// reason, never the password; `main` prints it and exits with status 1.
enum ClusterStart {
  /// What cluster mode runs on.
  struct Started: Sendable {
    let node: ClusterNode
    let store: RedisMessageStore
    /// The store's own connection when `GATEWAY_STORE` names another Redis; nil when it
    /// shares the node's.
    let storeClient: RedisClient?
  }

  /// Connects and builds; `listenAddress` is the address the listener got (the node's
  /// internal address unless `GATEWAY_NODE_ADDR` says otherwise).
  static func start(
    _ settings: ClusterSettings, config: GatewayConfig, loop: EventLoop, logger: Logger,
    listenAddress: String
  ) async throws(RedisError) -> Started {
    let client = RedisClient(url: settings.redis, loop: loop, logger: logger, role: "commands")
    try await client.connect()
    let publishCommand: String
    do {
      publishCommand = try await ClusterNode.publishCommand(using: client)
    } catch {
      client.close()
      throw error
    }
    var storeClient: RedisClient?
    if case .redis(let url) = config.store, url != settings.redis {
      let separate = RedisClient(url: url, loop: loop, logger: logger, role: "store")
      do {
        try await separate.connect()
      } catch {
        client.close()
        throw error
      }
      storeClient = separate
    }
    var storeSettings = RedisMessageStore.Settings(
      nodeID: settings.nodeID, recoverySecret: recoverySecret(settings.secret))
    storeSettings.prefix = settings.prefix
    storeSettings.publishCommand = publishCommand
    storeSettings.historyTTLSeconds = config.historyTTLSeconds
    storeSettings.maxPerUser = config.historyMaxPerUser
    storeSettings.webhooks = config.webhookURL != nil
    storeSettings.webhookLeaseMilliseconds = max(
      120_000, 2 * Int64(config.webhookTimeoutMilliseconds) + 10_000)
    let store = RedisMessageStore(client: storeClient ?? client, settings: storeSettings)
    let node = ClusterNode(
      settings: settings, client: client, publishCommand: publishCommand,
      address: settings.nodeAddress ?? listenAddress, loop: loop, logger: logger)
    return Started(node: node, store: store, storeClient: storeClient)
  }

  /// The key that signs `pid`s on every node: derived from the cluster secret, so a `pid`
  /// issued by one node is accepted by all.
  static func recoverySecret(_ secret: String) -> [UInt8] {
    MessageAuthenticator(secret: Array(secret.utf8)).code(for: Array("gateway recovery ids".utf8))
  }
}
