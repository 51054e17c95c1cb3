import Protocol
import Synchronization

/// Keeps Redis's view of which users this node holds (`P{user}:nodes` and
/// `P nodeusers:<node>`) in step with the registry, so the store's append script publishes a
/// user's entries to exactly the nodes that hold their sockets.
///
/// The registry reports every socket count change from inside its actor (so in order); one
/// task writes them, coalesced per user and pipelined. A joining socket waits for `written()`
/// before it reads its log: a push that commits after that read is then routed to this
/// node, and one that committed before it is in the read, so none falls between the two.
/// While Redis is away the writes are dropped and `written()` does not wait; every reconnect
/// rewrites the whole view (`resync`).
final class UserRoutes: Sendable {
  private struct State {
    /// The latest socket count of each user changed since the last write.
    var changes: [String: Int] = [:]
    var barriers: [CheckedContinuation<Void, Never>] = []
    var resync = false
  }

  private let state = Mutex(State())
  private let wakeups: AsyncStream<Void>
  private let wake: AsyncStream<Void>.Continuation

  init() {
    (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  /// The user now has `sockets` sockets on this node (0: none left).
  func changed(_ userID: String, sockets: Int) {
    state.withLock { $0.changes[userID] = sockets }
    wake.yield()
  }

  /// Returns once every change reported before the call is in Redis (or failed to get there).
  func written() async {
    await withCheckedContinuation { continuation in
      state.withLock { $0.barriers.append(continuation) }
      wake.yield()
    }
  }

  /// Asks for the whole view to be written again (after Redis came back).
  func resync() {
    state.withLock { $0.resync = true }
    wake.yield()
  }

  /// Ends `run`.
  func finish() {
    wake.finish()
  }

  /// Writes changes until `finish()`.
  func run(client: RedisClient, keys: ClusterKeys, nodeID: String, registry: RegistryActor) async {
    for await _ in wakeups {
      let (changes, barriers, resync) = state.withLock { state in
        defer {
          state.changes = [:]
          state.barriers = []
          state.resync = false
        }
        return (state.changes, state.barriers, state.resync)
      }
      var commands: [[String]] = []
      if resync {
        commands.append(["DEL", keys.nodeUsers(nodeID)])
        for (userID, count) in await registry.socketCounts() {
          commands.append(["HSET", keys.userNodes(userID), nodeID, "\(count)"])
          commands.append(["HSET", keys.nodeUsers(nodeID), userID, "\(count)"])
        }
      } else {
        for (userID, count) in changes {
          commands += Self.commands(userID: userID, count: count, keys: keys, nodeID: nodeID)
        }
      }
      if !commands.isEmpty {
        do {
          _ = try await client.send(commands)
        } catch {
          // Redis is away: the reconnect rewrites everything.
          if !changes.isEmpty || resync { state.withLock { $0.resync = true } }
        }
      }
      for barrier in barriers { barrier.resume() }
    }
    for barrier in state.withLock({ $0.barriers }) { barrier.resume() }
  }

  private static func commands(userID: String, count: Int, keys: ClusterKeys, nodeID: String)
    -> [[String]]
  {
    guard count > 0 else {
      return [["HDEL", keys.userNodes(userID), nodeID], ["HDEL", keys.nodeUsers(nodeID), userID]]
    }
    return [
      ["HSET", keys.userNodes(userID), nodeID, "\(count)"],
      ["HSET", keys.nodeUsers(nodeID), userID, "\(count)"],
    ]
  }
}
