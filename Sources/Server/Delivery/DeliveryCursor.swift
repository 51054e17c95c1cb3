import Synchronization

/// The gate every push to one socket passes: it holds pushes back while the socket replays
/// what it missed, then lets through only persisted entries newer than the replay, so a push
/// that races a replay is neither lost nor sent twice.
///
/// The fan-out offers a user's entries in offset order (the store reports commits in
/// order), so one remembered sequence per socket is enough; an entry from a newer epoch
/// (the user's history was erased) starts the count again. Costs one small object per
/// socket (state, lock and outbox reference).
final class DeliveryCursor: Sendable {
  private struct State {
    var replaying = true
    var epoch: String?
    var lastSequence: Int64 = 0
    var held: [(sequence: Int64?, epoch: String?, packet: OutboundPacket)] = []
  }

  /// Pushes held during a replay before the socket counts as too slow (a replay reads in
  /// milliseconds; this many arriving meanwhile means something is badly wrong).
  static let holdLimit = 10_000

  let outbox: SessionOutbox
  private let state = Mutex(State())

  init(outbox: SessionOutbox) {
    self.outbox = outbox
  }

  /// Offers a live push: `offset` for a persisted entry, nil for a live-only event.
  func offer(_ packet: OutboundPacket, offset: LogOffset?) -> SessionOutbox.SendOutcome {
    state.withLock { state in
      if state.replaying {
        guard state.held.count < Self.holdLimit else { return .overLimit }
        state.held.append((offset?.sequence, offset?.epoch, packet))
        return .queued
      }
      guard Self.admit(offset?.sequence, epoch: offset?.epoch, &state) else { return .queued }
      return outbox.send(packet)
    }
  }

  /// Ends the replay: writes `packets` (the replay and greeting), then every held push
  /// after `head`, in one step so that no new push overtakes them.
  func finishReplay(head: LogOffset, packets: [OutboundPacket]) -> SessionOutbox.SendOutcome {
    state.withLock { state in
      state.replaying = false
      state.epoch = head.epoch
      state.lastSequence = head.sequence
      var out = packets
      for held in state.held where Self.admit(held.sequence, epoch: held.epoch, &state) {
        out.append(held.packet)
      }
      state.held = []
      return outbox.send(out)
    }
  }

  /// Cluster mode: when `offset` arrives now, the offset after which entries are missing (an
  /// entry between the last one let through and `offset` never came: Redis pub/sub is at
  /// most once, and two nodes' entries can cross on the way); nil when none is missing or
  /// the socket still replays (its read covers the gap).
  ///
  /// An entry of another epoch than the cursor's starts a new log, whose sequences start at
  /// 1: so for a socket that joined before its user had any log (epoch `none`), or whose
  /// user's history was erased, a first entry beyond 1 means the ones before it are missing.
  func missing(before offset: LogOffset) -> LogOffset? {
    state.withLock { state in
      guard !state.replaying else { return nil }
      guard state.epoch == offset.epoch else {
        return offset.sequence > 1 ? LogOffset(epoch: offset.epoch, sequence: 0) : nil
      }
      guard offset.sequence > state.lastSequence + 1 else { return nil }
      return LogOffset(epoch: offset.epoch, sequence: state.lastSequence)
    }
  }

  /// The last persisted entry let through; nil while the socket replays or before any.
  var position: LogOffset? {
    state.withLock { state in
      guard !state.replaying, let epoch = state.epoch else { return nil }
      return LogOffset(epoch: epoch, sequence: state.lastSequence)
    }
  }

  /// Whether a push goes out, advancing the cursor for a persisted one.
  private static func admit(_ sequence: Int64?, epoch: String?, _ state: inout State) -> Bool {
    guard let sequence, let epoch else { return true }
    if epoch == state.epoch, sequence <= state.lastSequence { return false }
    state.epoch = epoch
    state.lastSequence = sequence
    return true
  }
}
