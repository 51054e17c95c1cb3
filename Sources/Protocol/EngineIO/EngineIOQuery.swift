/// The Engine.IO parameters of a request's query string (protocol.md §1.1); any other
/// parameter (`t`, `b64`, application ones) is ignored.
public struct EngineIOQuery: Sendable, Equatable {
  /// `EIO`: the protocol version, `"4"` for this server.
  public var eio: String?
  /// `transport`: `polling` or `websocket`.
  public var transport: String?
  /// `sid`: the session id; absent on the handshake request.
  public var sid: String?

  /// Parameters from the query part of the target (after `?`), decoded like
  /// `URLSearchParams`; the first occurrence of a name wins. Names are case-sensitive.
  public init(query: Substring) {
    let parsed = URLQuery(query)
    eio = parsed["EIO"]
    transport = parsed["transport"]
    sid = parsed["sid"]
  }

  /// Parameters given directly.
  public init(eio: String?, transport: String?, sid: String?) {
    self.eio = eio
    self.transport = transport
    self.sid = sid
  }
}
