/// The cluster-mode settings (cluster.md), kept aside while parsing and checked together
/// at the end (`PendingClusterSettings.resolve`).
extension ConfigOption {
  static let cluster: [ConfigOption] = [
    text(
      "GATEWAY_REDIS_URL", "redis-url",
      "redis://[user:password@]host:port[/db]: cluster mode, several nodes sharing this Redis (default: off)."
    ) { config, value in
      guard !value.isEmpty else {
        config.pendingCluster.redis = nil
        return nil
      }
      do {
        config.pendingCluster.redis = try RedisURL(parsing: value)
        return nil
      } catch {
        return "\(error)"
      }
    },
    text(
      "GATEWAY_CLUSTER_SECRET", "cluster-secret",
      "Cluster mode: shared secret that signs pids and requests between nodes (required, 32+ bytes)."
    ) { config, value in
      config.pendingCluster.secret = value
      return nil
    },
    text(
      "GATEWAY_NODE_ID", "node-id",
      "Cluster mode: this node's id, 1-32 of A-Z a-z 0-9 _ - (default: random at start)."
    ) { config, value in
      guard ClusterSettings.isValidNodeID(value) else {
        return "must be 1-32 characters of A-Z a-z 0-9 _ -, got \"\(value)\""
      }
      config.pendingCluster.nodeID = value
      return nil
    },
    text(
      "GATEWAY_NODE_ADDR", "node-addr",
      "Cluster mode: host:port other nodes forward requests to (default: the listen address)."
    ) { config, value in
      guard let colon = value.lastIndex(of: ":"),
        let port = Int(value[value.index(after: colon)...]),
        (1...65535).contains(port), colon > value.startIndex
      else { return "must be host:port, got \"\(value)\"" }
      config.pendingCluster.nodeAddress = value
      return nil
    },
    integer(
      "GATEWAY_NODE_TTL_MS", "node-ttl-ms",
      "Cluster mode: a node silent this long is dead and its users offline (default 10000).",
      1000...600_000
    ) { $0.pendingCluster.nodeTTLMilliseconds = $1 },
    text(
      "GATEWAY_REDIS_PREFIX", "redis-prefix",
      "Cluster mode: prefix of every Redis key and channel (default gw:)."
    ) { config, value in
      guard !value.isEmpty, value.utf8.count <= 64, !value.contains("{"), !value.contains("}")
      else { return "must be 1-64 characters without { or }" }
      config.pendingCluster.prefix = value
      return nil
    },
    text(
      "GATEWAY_REUSE_PORT", "reuse-port",
      "1: several gateway processes share PORT (SO_REUSEPORT); the kernel spreads connections (default 0)."
    ) { config, value in
      guard value == "0" || value == "1" else { return "must be 0 or 1" }
      config.reusePort = value == "1"
      return nil
    },
  ]
}

/// The cluster settings as given, checked together once the parse ends (`resolve`).
struct PendingClusterSettings: Sendable, Equatable {
  var redis: RedisURL?
  var secret: String?
  var nodeID: String?
  var nodeAddress: String?
  var nodeTTLMilliseconds: Int?
  var prefix: String?
}

extension PendingClusterSettings {
  /// Whether any cluster setting was given.
  var isEmpty: Bool { self == PendingClusterSettings() }

  /// Applies the cluster settings to `config`; `storeGiven` says whether `GATEWAY_STORE` was
  /// set. Returns the one-line reason when they do not fit together.
  func resolve(into config: inout GatewayConfig, storeGiven: Bool) -> String? {
    guard let redis else {
      if case .redis = config.store {
        return "GATEWAY_STORE=redis://... needs cluster mode: set GATEWAY_REDIS_URL"
      }
      return isEmpty
        ? nil
        : "GATEWAY_CLUSTER_SECRET, GATEWAY_NODE_* and GATEWAY_REDIS_PREFIX need GATEWAY_REDIS_URL"
    }
    guard let secret, secret.utf8.count >= 32 else {
      return
        "cluster mode needs GATEWAY_CLUSTER_SECRET of at least 32 bytes, the same on every node"
    }
    var settings = ClusterSettings(redis: redis, secret: secret)
    if let nodeID { settings.nodeID = nodeID }
    settings.nodeAddress = nodeAddress
    if let nodeTTLMilliseconds { settings.nodeTTLMilliseconds = nodeTTLMilliseconds }
    if let prefix { settings.prefix = prefix }
    if storeGiven {
      guard case .redis = config.store else {
        return
          "GATEWAY_STORE=\(config.store.description) cannot serve cluster mode (other nodes could not read it): unset it or name a redis:// URL"
      }
    } else {
      config.store = .redis(redis)
    }
    config.cluster = settings
    return nil
  }
}
