import CLoadSystem
import Glibc
import Protocol

/// Opens Socket.IO clients, a bounded number of handshakes at a time, and keeps the tally:
/// who joined, how long each handshake took, who failed and why.
final class ClientFleet: SocketIOClientOwner {
  /// Live clients by user index (nil once ended or never started).
  private(set) var clients: [SocketIOClient?] = []
  /// Clients that received `connected`.
  private(set) var joined = 0
  /// Joined clients that have not ended.
  private(set) var live = 0
  /// Clients that never joined: refused, rejected, or closed during the handshake.
  private(set) var failedHandshakes = 0
  /// Auth refusals among `failedHandshakes`.
  private(set) var rejected = 0
  /// Joined clients the server dropped (not after our own `leave()`).
  private(set) var dropped = 0
  /// Clients whose `leave()` completed.
  private(set) var left = 0
  /// Connect start → `connected`, per joined client.
  var handshakes = LatencyRecorder()
  /// Called for every Socket.IO packet a joined client receives.
  var onPacket: ((SocketIOClient, UnsafeBufferPointer<UInt8>) -> Void)?
  /// Called when a client joins.
  var onJoined: ((SocketIOClient) -> Void)?
  /// Called when a client ends.
  var onEnded: ((SocketIOClient, SocketIOClient.End) -> Void)?

  private let loop: LoadLoop
  private let address: sockaddr_in
  private let users: UserDirectory
  private let requestHead: [UInt8]
  private var connecting = 0
  private var launched = 0
  private var target = 0
  private var concurrency = 1
  /// Source addresses clients are spread over (127.0.0.2...; empty: the kernel's choice).
  private let sources: [in_addr]

  /// A fleet of clients of `users` against `address`.
  init(loop: LoadLoop, address: sockaddr_in, hostHeader: String, users: UserDirectory) {
    self.loop = loop
    self.address = address
    self.users = users
    // Loopback only: 127.0.0.0/8 is all local, so 127.0.0.2... are valid sources.
    let isLoopback = UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127
    sources =
      isLoopback
      ? (0..<32).map { in_addr(s_addr: (UInt32(0x7F00_0002) + UInt32($0)).bigEndian) } : []
    requestHead = Array(
      ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        + "Sec-WebSocket-Key: ").utf8)
  }

  /// Clients started so far.
  var started: Int { launched }

  /// Starts clients up to `total` (user indexes `0..<total`), at most `concurrency`
  /// handshakes at a time; the loop carries on as clients join or fail.
  func launch(total: Int, concurrency: Int) {
    target = total
    self.concurrency = max(1, concurrency)
    if clients.count < total { clients.reserveCapacity(total) }
    fillSlots()
  }

  /// Launches `count` clients and runs the loop until each joined or failed, or `deadline`.
  @discardableResult
  func connect(count: Int, concurrency: Int, deadline: Int64) -> Bool {
    launch(total: count, concurrency: concurrency)
    return loop.run(deadline: deadline) { joined + failedHandshakes >= count }
  }

  /// Drops every live client's connection (FIN, no close frame).
  func disconnectAll() {
    for case let client? in clients { client.disconnect() }
    clients = []
    live = 0
  }

  private func fillSlots() {
    while connecting < concurrency, launched < target {
      let index = launched
      launched += 1
      var request = requestHead
      var key: [UInt8] = []
      for _ in 0..<2 {
        let bits = loop.random.next()
        for shift in stride(from: 0, to: 64, by: 8) {
          key.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
      }
      Base64.encode(key, into: &request)
      request.append(contentsOf: "\r\n\r\n".utf8)
      guard
        let client = SocketIOClient.start(
          index: index, address: address,
          source: sources.isEmpty ? nil : sources[index % sources.count], upgradeRequest: request,
          connectPacket: users.connectPacket(index), loop: loop, owner: self)
      else {
        failedHandshakes += 1
        continue
      }
      connecting += 1
      while clients.count <= index { clients.append(nil) }
      clients[index] = client
    }
  }

  func clientJoined(_ client: SocketIOClient) {
    connecting -= 1
    joined += 1
    live += 1
    handshakes.record(client.joinedAt - client.startedAt)
    onJoined?(client)
    fillSlots()
  }

  func client(_ client: SocketIOClient, received packet: UnsafeBufferPointer<UInt8>) {
    onPacket?(client, packet)
  }

  func clientEnded(_ client: SocketIOClient, _ end: SocketIOClient.End) {
    if client.joinedAt == 0 {
      connecting -= 1
      failedHandshakes += 1
      if end == .rejected { rejected += 1 }
    } else {
      live -= 1
      if end == .left { left += 1 } else { dropped += 1 }
    }
    if client.index < clients.count { clients[client.index] = nil }
    onEnded?(client, end)
    fillSlots()
  }
}
