import Protocol
import Synchronization

/// Publishes debounced presence: `presence` `{"userId","online","lastSeen"}` to every socket
/// of every user who shares a room with the user (never to the user), once per transition per
/// socket. Ticked by the process-wide sweeper; nothing here waits on a timer task.
final class Presence: DeadlineTarget {
  /// The debounce state and the sweeper deadline asked for, under one lock so that a change
  /// during a tick can never lose its wake-up.
  private let state: Mutex<(presence: PresenceState, scheduled: Int64?)>
  let registry: RegistryActor
  let directory: RoomDirectory
  let sweeper: DeadlineSweeper
  let metrics: Metrics
  /// `user.online` / `user.offline` go here too, when webhooks are on.
  let webhooks: Webhooks?

  init(
    graceMilliseconds: Int, registry: RegistryActor, directory: RoomDirectory,
    sweeper: DeadlineSweeper, metrics: Metrics, webhooks: Webhooks? = nil
  ) {
    state = Mutex((PresenceState(graceNanoseconds: Int64(graceMilliseconds) * 1_000_000), nil))
    self.registry = registry
    self.directory = directory
    self.sweeper = sweeper
    self.metrics = metrics
    self.webhooks = webhooks
  }

  /// The user's first socket registered (`online`) or its last one left.
  func changed(_ userID: String, online: Bool) {
    let now = Clock.monotonicNanoseconds()
    let wallClock = Clock.unixMilliseconds()
    let wake = state.withLock { state -> Int64? in
      guard let due = state.presence.changed(userID, online: online, now: now, wallClock: wallClock)
      else { return nil }
      if let scheduled = state.scheduled, scheduled <= due { return nil }
      state.scheduled = due
      return due
    }
    if let wake { sweeper.schedule(self, at: wake) }
  }

  /// The published presence of `userID`.
  func presence(of userID: String) -> (online: Bool, lastSeen: Int64?) {
    state.withLock { $0.presence.presence(of: userID) }
  }

  func deadlineReached(now: Int64) async -> Int64? {
    let (transitions, next) = state.withLock { state in
      let result = state.presence.tick(now: now)
      state.scheduled = result.next
      return result
    }
    for transition in transitions { await publish(transition) }
    return next
  }

  private func publish(_ transition: PresenceState.Transition) async {
    if let webhooks {
      let event = WebhookEvents.presence(
        userID: transition.userID, online: transition.online, lastSeen: transition.lastSeen,
        now: Clock.unixMilliseconds())
      await webhooks.enqueueOrLog([event])
    }
    let receivers = directory.coMembers(of: transition.userID)
    guard !receivers.isEmpty else { return }
    let payload = JSONValue.object(
      JSONObject([
        ("userId", .string(transition.userID)),
        ("online", .bool(transition.online)),
        ("lastSeen", transition.lastSeen.map { DeliveryJSON.time($0) } ?? .null),
      ]))
    var json: [UInt8] = []
    JSONWriter.write(payload, into: &json)
    let packet = Delivery.livePacket(event: "presence", argumentJSON: json)
    for sockets in await registry.targets(forEach: Array(receivers)) where !sockets.isEmpty {
      _ = await Delivery.offer(packet, offset: nil, to: sockets, metrics: metrics)
    }
  }
}
