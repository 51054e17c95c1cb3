/// Where the gateway keeps messages: `GATEWAY_STORE`.
enum StoreLocation: Sendable, Equatable {
  /// A SQLite database file (created with its folder).
  case sqlite(path: String)
  /// A private SQLite database in RAM: gone when the process ends.
  case memory
  /// Redis (cluster mode): shared by every node.
  case redis(RedisURL)

  /// Parses `sqlite:PATH` or `memory`; nil for anything else.
  init?(parsing text: String) {
    if text == "memory" {
      self = .memory
    } else if text.hasPrefix("redis://"), let url = try? RedisURL(parsing: text) {
      self = .redis(url)
    } else if text.hasPrefix("sqlite:"), text.count > 7 {
      self = .sqlite(path: String(text.dropFirst(7)))
    } else {
      return nil
    }
  }

  /// Opens the SQLite store this names (a Redis store is opened by the cluster node).
  func open(_ config: GatewayConfig) throws(StoreError) -> SQLiteMessageStore {
    var settings = SQLiteMessageStore.Settings()
    settings.historyTTLSeconds = config.historyTTLSeconds
    settings.maxPerUser = config.historyMaxPerUser
    settings.fsyncAlways = config.storeFsyncAlways
    settings.webhooks = config.webhookURL != nil
    settings.maxMegabytes = config.storeMaxMegabytes
    switch self {
    case .sqlite(let path): return try SQLiteMessageStore(path: path, settings: settings)
    case .memory: return try SQLiteMessageStore(path: nil, settings: settings)
    case .redis: throw StoreError("a redis:// store is opened by the cluster node")
    }
  }

  /// For logs.
  var description: String {
    switch self {
    case .sqlite(let path): "sqlite:\(path)"
    case .memory: "memory"
    case .redis(let url): "\(url)"
    }
  }
}
