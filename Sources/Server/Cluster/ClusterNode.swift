import Protocol
import Synchronization

/// This process as one node of a cluster (cluster.md): it registers itself in Redis with a
/// heartbeat, keeps Redis's routes to its users (`UserRoutes`), receives what other nodes
/// publish for its sockets (`ClusterSubscriber`), sends live-only events across nodes, and
/// answers the cluster-wide questions of the REST API (`ClusterView`).
///
/// Two Redis connections: `client` (pipelined commands, shared with the store) and the
/// subscriber's own. Both reconnect by themselves; while Redis is away this node still
/// serves its own sockets, and its REST answers cover only them.
final class ClusterNode: Sendable {
  let settings: ClusterSettings
  let keys: ClusterKeys
  let client: RedisClient
  let routes = UserRoutes()
  /// `SPUBLISH` on Redis 7 and later (sharded pub/sub), else `PUBLISH`.
  let publishCommand: String
  /// The address other nodes forward requests to.
  let address: String
  let logger: Logger
  private let subscriber: ClusterSubscriber
  private let stopped = Atomic<Bool>(false)
  /// Other nodes' addresses with the time they stop being trusted (`address(ofNode:)`).
  let addresses = Mutex<[String: (address: String, until: Int64)]>([:])
  private let stopSignal: AsyncStream<Void>
  private let stopInput: AsyncStream<Void>.Continuation

  /// Builds the node over a connected `client`; `address` is `GATEWAY_NODE_ADDR` or the
  /// listen address.
  init(
    settings: ClusterSettings, client: RedisClient, publishCommand: String, address: String,
    loop: EventLoop, logger: Logger
  ) {
    self.settings = settings
    keys = ClusterKeys(prefix: settings.prefix)
    self.client = client
    self.publishCommand = publishCommand
    self.address = address
    self.logger = logger
    (stopSignal, stopInput) = AsyncStream.makeStream(of: Void.self)
    subscriber = ClusterSubscriber(
      url: settings.redis, loop: loop, keys: keys, nodeID: settings.nodeID,
      sharded: publishCommand == "SPUBLISH", logger: logger)
  }

  /// Asks Redis its version at start: sharded pub/sub needs 7.0.
  static func publishCommand(using client: RedisClient) async throws(RedisError) -> String {
    let reply = try await client.send([["INFO", "server"]])
    let text = reply.first?.string ?? ""
    guard
      let line = text.split(whereSeparator: \.isNewline).first(where: {
        $0.hasPrefix("redis_version:")
      }), let major = Int(line.dropFirst("redis_version:".count).prefix { $0 != "." })
    else { return "PUBLISH" }
    return major >= 7 ? "SPUBLISH" : "PUBLISH"
  }

  /// Runs the heartbeat, the route writer, the subscriber and the command connection's
  /// reconnects until `stop()`.
  func run(context: GatewayContext) async {
    client.onReconnect { [weak self] in
      guard let self else { return }
      self.logger.info(
        "Redis is back: rewriting this node's routes", ["node": self.settings.nodeID])
      await self.beat()
      self.routes.resync()
    }
    await withDiscardingTaskGroup { group in
      group.addTask { await self.client.run() }
      group.addTask {
        await self.routes.run(
          client: self.client, keys: self.keys, nodeID: self.settings.nodeID,
          registry: context.registry)
      }
      group.addTask { await self.subscriber.run(context: context) }
      group.addTask { await self.heartbeat() }
      for await _ in stopSignal {}
      group.cancelAll()
    }
  }

  /// Leaves the cluster: deletes this node's registration (its users show offline at once
  /// instead of after the TTL), then ends every task of `run`.
  func stop() async {
    guard !stopped.exchange(true, ordering: .relaxed) else { return }
    _ = try? await client.send([
      ["DEL", keys.node(settings.nodeID), keys.nodeUsers(settings.nodeID)],
      ["SREM", keys.nodes, settings.nodeID],
    ])
    stopInput.finish()
    routes.finish()
    subscriber.stop()
    client.close()
  }

  /// Whether the command connection is up (`/healthz` says `degraded` while it is not).
  var isRedisReachable: Bool { client.isConnected }

  /// Registers the node now, then every third of the TTL, until cancelled.
  private func heartbeat() async {
    let interval = max(settings.nodeTTLMilliseconds / 3, 100)
    while !Task.isCancelled {
      await beat()
      try? await Task.sleep(for: .milliseconds(interval))
    }
  }

  /// One heartbeat: the node's address and its user list live one more TTL.
  func beat() async {
    let ttl = "\(settings.nodeTTLMilliseconds)"
    _ = try? await client.send([
      ["SET", keys.node(settings.nodeID), address, "PX", ttl],
      ["SADD", keys.nodes, settings.nodeID],
      ["PEXPIRE", keys.nodeUsers(settings.nodeID), ttl],
    ])
  }
}
