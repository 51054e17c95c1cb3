import Protocol
import Synchronization

/// The cluster's message store: every user's log in Redis, so any node can append, replay
/// and recover it. Same semantics as `SQLiteMessageStore`; each operation is one Lua script
/// (`RedisScripts`), atomic in Redis.
///
/// Keys (`P` is `settings.prefix`, `{u}` the user id as a hash tag, binary safe):
/// - `P{u}:meta` hash `epoch`, `seq`: the log's head. Missing: the next append starts a fresh
///   epoch (a random candidate from Swift) at sequence 1.
/// - `P{u}:log` stream, one entry per copy, ID `<seq>-0`, field `m` (message id); trimmed to
///   `maxPerUser` (exact `MAXLEN`).
/// - `P{u}:st` hash `<seq>` → `<state>,<expiresAt>,<sentAt>,<deliveredAt>,<readAt>,<id>`.
/// - `P{u}:ck` hash collapse key → the sequence that last used it.
/// - `P{u}:nodes` hash node id → socket count (written by the cluster node, read here).
/// - `Pnode:<id>` string: a live node's address (written by the cluster node, PX expiry).
/// - `Pmsg:<id>` hash `e` event, `j` JSON, `c` created, `f` from, `r` room;
///   `Pmsg:<id>:to` hash user → sequence.
/// - `Pidem:<key>` hash `m` message id, `s` status, `a` answer.
/// - `Pq` / `Pu` sorted sets of `<seq>:<user>` scored by expiry: copies queued / not yet
///   delivered (queued or sent); `Pexp` the expired ones (for `counts` and the sweep).
/// - `Proom:<room>` sorted set user → position; `Prooms` set of rooms; `Pclock` counter of
///   positions and membership versions.
/// - `Pwh:seq` counter, `Pwh:ev:<seq>` hash (`i`,`u`,`b`,`c`,`a`,`n`), `Pwh:user:<key>` list
///   of a user's seqs, `Pwh:heads` sorted set user → oldest seq, `Pwh:count` backlog.
/// The user keys, messages and idempotency keys expire after the retention
/// (`historyTTLSeconds`) since their last write.
///
/// Writes that must stay in order (appends, answers, sent marks) go through one writer: the
/// owner runs `run()` in its task group; it pipelines what queued while the last batch was
/// out (the group commit) and calls the appends' callbacks in reply order. `close()` lets it
/// finish the queue and return; the owner closes the `RedisClient` after that.
final class RedisMessageStore: MessageStore {
  /// How the store keeps messages.
  struct Settings: Sendable {
    /// Prefix of every key (`GATEWAY_REDIS_PREFIX`).
    var prefix = "gw:"
    /// This node's id: appends do not publish to it (the caller delivers to its own sockets).
    var nodeID: String
    /// `SPUBLISH` or `PUBLISH`.
    var publishCommand = "PUBLISH"
    /// Signs recovery ids; the cluster derives it from `GATEWAY_CLUSTER_SECRET`.
    var recoverySecret: [UInt8]
    /// Retention of every message, in seconds.
    var historyTTLSeconds = 86_400
    /// Entries kept per user.
    var maxPerUser = 1000
    /// Whether receipts and expiry queue webhook events.
    var webhooks = false
    /// Seconds between expiry sweeps in `run()`.
    var sweepIntervalSeconds = 30.0
    /// How long a webhook event handed to this node's dispatcher stays out of the other
    /// nodes' reach (well past one attempt; a dead node's events are taken over after it).
    var webhookLeaseMilliseconds: Int64 = 120_000
  }

  let client: RedisClient
  let settings: Settings
  let metrics = StoreMetrics()
  var recoverySecret: [UInt8] { settings.recoverySecret }
  let writer = RedisWriteQueue()

  init(client: RedisClient, settings: Settings) {
    self.client = client
    self.settings = settings
  }

  /// The writer and the periodic sweep, until `close()` and the queue is empty.
  func run() async {
    let ticker = Task { [writer, settings] in
      while !Task.isCancelled {
        try? await Task.sleep(nanoseconds: UInt64(settings.sweepIntervalSeconds * 1e9))
        writer.requestSweep()
      }
    }
    while let (jobs, sweep) = await writer.next() {
      if !jobs.isEmpty { await write(jobs) }
      if sweep { try? await sweepNow(now: Clock.unixMilliseconds()) }
    }
    ticker.cancel()
  }

  func close() { writer.close() }

  /// The prefix and arguments as bytes.
  func arguments(_ values: [String]) -> [[UInt8]] {
    [Array(settings.prefix.utf8)] + values.map { Array($0.utf8) }
  }

  /// Runs one script; a connection failure or an error reply becomes one `StoreError`.
  func run(_ script: RedisScript, _ arguments: [[UInt8]]) async throws(StoreError) -> RESPValue {
    let reply: RESPValue
    do {
      reply = try await client.evaluate(script, keys: [], arguments: arguments)
    } catch {
      metrics.failures.add(1)
      throw StoreError(error.description)
    }
    if let message = reply.errorMessage {
      metrics.failures.add(1)
      throw Self.scriptError(message)
    }
    return reply
  }

  /// The error for a script's error reply (one line).
  static func scriptError(_ message: String) -> StoreError {
    StoreError("Redis refused a store command: \(message.split(separator: "\n").first ?? "")")
  }

  /// Marks copies past their lifetime expired (queueing `message.expired` webhooks when
  /// enabled) and forgets expired ones past the retention. `run()` calls it periodically.
  func sweepNow(now: Int64) async throws(StoreError) {
    let reply = try await run(
      RedisScripts.sweep,
      arguments([String(now), String(Int64(settings.historyTTLSeconds) * 1000), "1000"]))
    guard settings.webhooks, let values = reply.elements, !values.isEmpty else { return }
    var events: [WebhookEvent] = []
    for index in stride(from: 0, to: values.count - 1, by: 2) {
      events.append(
        WebhookEvents.expired(
          messageID: values[index].string ?? "", userID: values[index + 1].string ?? "", now: now))
    }
    try await enqueueWebhooks(events)
  }
}

extension RESPValue {
  /// The optional string the scripts send as "" (none) or "=" and the value.
  var optionalText: String? {
    guard let bytes, bytes.first == UInt8(ascii: "=") else { return nil }
    return String(decoding: bytes.dropFirst(), as: UTF8.self)
  }

  /// An integer reply, or a string of digits.
  var number: Int64 {
    if let integer { return integer }
    return string.flatMap { Int64($0) } ?? 0
  }
}

/// Encodes an optional string the way the scripts read it.
func redisOptional(_ value: String?) -> String {
  value.map { "=" + $0 } ?? ""
}
