/// One WebSocket frame as an application sees it: no mask, no length encoding.
public struct WebSocketFrame: Sendable, Equatable {
  /// Whether this frame ends its message (always true for control frames).
  public var fin: Bool
  /// What the payload is.
  public var opcode: WebSocketOpcode
  /// The payload, already unmasked.
  public var payload: [UInt8]

  /// A frame; `fin` defaults to true because unfragmented frames are the common case.
  public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
    self.fin = fin
    self.opcode = opcode
    self.payload = payload
  }
}
