import CLoadSystem
import Glibc
import Protocol

/// Hears REST answers.
protocol RESTClientOwner: AnyObject {
  /// The answer to the request sent with `tag`.
  func requester(
    _ requester: RESTClient, answered response: HTTPResponseParser.Response, tag: Int)
  /// The connection failed or the server closed it; the request in flight (if any) is lost.
  func requesterFailed(_ requester: RESTClient, tag: Int?)
}

/// One keep-alive HTTP/1.1 connection that sends one request at a time.
final class RESTClient: LoopEndpoint {
  /// Whether a request is waiting for its answer.
  private(set) var isBusy = false
  /// Whether the connection failed.
  private(set) var isDead = false
  /// The tag of the request in flight.
  private(set) var tag = 0
  /// When the request in flight was handed to the kernel.
  private(set) var sentAt: Int64 = 0
  private var socket: StreamSocket
  private var buffer = ByteBuffer()
  private var parser = HTTPResponseParser()
  private unowned let loop: LoadLoop
  private unowned let owner: any RESTClientOwner

  var fd: Int32 { socket.fd }

  /// Connects to `address`; nil when no socket could be made or registered.
  static func connect(to address: sockaddr_in, loop: LoadLoop, owner: any RESTClientOwner)
    -> RESTClient?
  {
    guard var socket = StreamSocket.connect(to: address) else { return nil }
    let client = RESTClient(socket: socket, loop: loop, owner: owner)
    guard loop.add(client) else {
      socket.close()
      return nil
    }
    return client
  }

  private init(socket: StreamSocket, loop: LoadLoop, owner: any RESTClientOwner) {
    self.socket = socket
    self.loop = loop
    self.owner = owner
  }

  /// Sends `request` (a whole HTTP/1.1 request); the answer comes back with `tag`.
  func send(_ request: [UInt8], tag: Int) {
    precondition(!isBusy && !isDead, "one request at a time on a live connection")
    isBusy = true
    self.tag = tag
    sentAt = MonotonicClock.now()
    if !socket.write(request) { fail() }
  }

  /// Closes the connection.
  func close() {
    guard !isDead else { return }
    isDead = true
    loop.remove(fd: socket.fd)
    socket.close()
  }

  func handle(events: UInt32) {
    if events & EPOLLOUT.rawValue != 0, socket.pendingBytes > 0, !socket.flush() {
      return fail()
    }
    guard
      events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue)
        != 0
    else { return }
    while !isDead {
      switch socket.read(into: &buffer, scratch: loop.scratch) {
      case .bytes:
        do {
          while !isDead, let response = try parser.next(from: &buffer) {
            isBusy = false
            owner.requester(self, answered: response, tag: tag)
          }
        } catch {
          return fail()
        }
        buffer.discardReadBytes()
      case .wouldBlock:
        return
      case .endOfFile, .failed:
        return fail()
      }
    }
  }

  private func fail() {
    guard !isDead else { return }
    let lost = isBusy ? tag : nil
    isBusy = false
    close()
    owner.requesterFailed(self, tag: lost)
  }
}
