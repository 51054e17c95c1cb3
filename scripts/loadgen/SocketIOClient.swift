import CLoadSystem
import Glibc
import Protocol

/// Hears what a `SocketIOClient` sees.
protocol SocketIOClientOwner: AnyObject {
  /// The client received `connected`: its token was accepted and it is registered.
  func clientJoined(_ client: SocketIOClient)
  /// A Socket.IO packet (the text after the Engine.IO `4`) arrived after joining.
  func client(_ client: SocketIOClient, received packet: UnsafeBufferPointer<UInt8>)
  /// The client is over; it has already left the loop and closed its socket.
  func clientEnded(_ client: SocketIOClient, _ end: SocketIOClient.End)
}

/// One Socket.IO client over WebSocket only (`transport=websocket`, as `socket.io-client`
/// with `transports: ["websocket"]`): upgrade, open packet, CONNECT with `auth.token`,
/// `connected`, then events; it answers Engine.IO pings and WebSocket pings.
final class SocketIOClient: LoopEndpoint {
  /// Where the client is in its life.
  enum Phase: Equatable {
    case upgrading, opening, joining, joined, leaving, ended
  }

  /// How a client's life ended.
  enum End: Equatable {
    /// The TCP connection or the upgrade failed before any Engine.IO traffic.
    case refused
    /// The token was refused (`error` event, CONNECT_ERROR).
    case rejected
    /// The server closed the session or the connection.
    case closedByServer
    /// The server sent bytes that break the protocol.
    case protocolViolation
    /// `leave()` finished: our close frame was answered or the server hung up after it.
    case left
  }

  /// The user index this client connects as.
  let index: Int
  /// When the TCP connect started.
  let startedAt: Int64
  /// When `connected` arrived (0 before).
  private(set) var joinedAt: Int64 = 0
  private(set) var phase = Phase.upgrading
  /// Engine.IO pings answered.
  private(set) var pingsAnswered = 0
  private var socket: StreamSocket
  private var buffer = ByteBuffer()
  private var decoder = WebSocketMessageDecoder(maxMessageBytes: 64 << 20, requireMasking: false)
  private var connectPacket: [UInt8]
  private unowned let loop: LoadLoop
  private unowned let owner: any SocketIOClientOwner

  var fd: Int32 { socket.fd }

  /// Connects as user `index`, sending the upgrade request at once; nil when no socket
  /// could be made or registered.
  /// - Parameter connectPacket: the Socket.IO CONNECT, `40{"token":"…"}`.
  static func start(
    index: Int, address: sockaddr_in, source: in_addr?, upgradeRequest: [UInt8],
    connectPacket: [UInt8], loop: LoadLoop, owner: any SocketIOClientOwner
  ) -> SocketIOClient? {
    guard var socket = StreamSocket.connect(to: address, from: source) else { return nil }
    let client = SocketIOClient(
      index: index, socket: socket, connectPacket: connectPacket, loop: loop, owner: owner)
    guard loop.add(client) else {
      socket.close()
      return nil
    }
    // Queued until the connect completes; a refusal surfaces as a read error.
    _ = client.socket.write(upgradeRequest)
    return client
  }

  private init(
    index: Int, socket: StreamSocket, connectPacket: [UInt8], loop: LoadLoop,
    owner: any SocketIOClientOwner
  ) {
    self.index = index
    self.socket = socket
    self.connectPacket = connectPacket
    self.loop = loop
    self.owner = owner
    startedAt = MonotonicClock.now()
  }

  func handle(events: UInt32) {
    if events & EPOLLOUT.rawValue != 0, socket.pendingBytes > 0, !socket.flush() {
      return end(phase == .upgrading ? .refused : .closedByServer)
    }
    guard
      events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue)
        != 0
    else { return }
    while phase != .ended {
      switch socket.read(into: &buffer, scratch: loop.scratch) {
      case .bytes:
        process()
      case .wouldBlock:
        return
      case .endOfFile, .failed:
        return end(
          phase == .leaving ? .left : phase == .upgrading ? .refused : .closedByServer)
      }
    }
  }

  /// Sends one Engine.IO text packet (e.g. `42["message",…]`) as a masked frame.
  func sendText(_ payload: [UInt8]) {
    send(opcode: .text, payload: payload)
  }

  /// Starts the close handshake; the client ends with `.left` when the server answers.
  func leave() {
    guard phase != .ended, phase != .leaving else { return }
    phase = .leaving
    send(opcode: .close, payload: [0x03, 0xE8])
  }

  /// Drops the connection at once (a FIN, no close frame), without telling the owner.
  func disconnect() {
    guard phase != .ended else { return }
    phase = .ended
    loop.remove(fd: socket.fd)
    socket.close()
    buffer = ByteBuffer()
  }

  private func end(_ end: End) {
    guard phase != .ended else { return }
    disconnect()
    owner.clientEnded(self, end)
  }

  private func send(opcode: WebSocketOpcode, payload: [UInt8]) {
    let key = loop.random.next()
    var frame: [UInt8] = []
    WebSocketFrameEncoder.encodeMasked(
      opcode: opcode, payload: payload,
      maskingKey: (
        UInt8(truncatingIfNeeded: key), UInt8(truncatingIfNeeded: key >> 8),
        UInt8(truncatingIfNeeded: key >> 16), UInt8(truncatingIfNeeded: key >> 24)
      ), into: &frame)
    if !socket.write(frame) { end(phase == .leaving ? .left : .closedByServer) }
  }

  private func process() {
    if phase == .upgrading {
      guard let headLength = HTTPResponseParser.headLength(in: buffer) else {
        if buffer.readableBytes > 16384 { end(.protocolViolation) }
        return
      }
      guard HTTPResponseParser.status(in: buffer) == 101 else { return end(.refused) }
      buffer.moveReaderIndex(forwardBy: headLength)
      phase = .opening
    }
    do {
      while phase != .ended, let message = try decoder.next(from: &buffer) {
        switch message {
        case .text(var text):
          text.withUTF8 { handleEngineIO($0) }
        case .ping(let payload):
          send(opcode: .pong, payload: payload)
        case .close:
          if phase != .leaving { send(opcode: .close, payload: [0x03, 0xE8]) }
          end(phase == .leaving ? .left : .closedByServer)
        case .binary, .pong:
          continue
        }
      }
    } catch {
      end(.protocolViolation)
    }
    if phase != .ended { buffer.discardReadBytes() }
  }

  private func handleEngineIO(_ packet: UnsafeBufferPointer<UInt8>) {
    guard let type = packet.first else { return }
    switch type {
    case UInt8(ascii: "0") where phase == .opening:
      phase = .joining
      sendText(connectPacket)
      connectPacket = []
    case UInt8(ascii: "2"):
      pingsAnswered += 1
      sendText([UInt8(ascii: "3")])
    case UInt8(ascii: "1"):
      end(phase == .leaving ? .left : .closedByServer)
    case UInt8(ascii: "4"):
      handleSocketIO(UnsafeBufferPointer(rebasing: packet[1...]))
    default:
      return
    }
  }

  private static let connectedName = Array("connected".utf8)
  private static let errorName = Array("error".utf8)

  private func handleSocketIO(_ packet: UnsafeBufferPointer<UInt8>) {
    guard let type = packet.first else { return }
    switch type {
    case UInt8(ascii: "1"):
      end(phase == .leaving ? .left : .closedByServer)
    case UInt8(ascii: "4"):
      end(.rejected)
    case UInt8(ascii: "2") where phase == .joining:
      if PacketScanner.isEvent(packet, named: Self.connectedName) {
        phase = .joined
        joinedAt = MonotonicClock.now()
        owner.clientJoined(self)
      } else if PacketScanner.isEvent(packet, named: Self.errorName) {
        end(.rejected)
      }
    case UInt8(ascii: "2") where phase == .joined:
      owner.client(self, received: packet)
    default:
      return
    }
  }
}
