/// The data of the Engine.IO open packet (protocol.md §1.4): exactly five keys, in order.
public struct EngineIOHandshake: Sendable, Equatable {
  /// Session id (URL-safe, opaque to clients, a secret).
  public var sid: String
  /// Transports the client may upgrade to: `["websocket"]` on polling, `[]` on WebSocket.
  public var upgrades: [String]
  /// Milliseconds between server pings.
  public var pingInterval: Int
  /// Milliseconds the client has to answer a ping.
  public var pingTimeout: Int
  /// Largest accepted POST body / WebSocket message in bytes (`maxHttpBufferSize`).
  public var maxPayload: Int

  /// A handshake; the defaults are the JS server's (25 s, 20 s, 1e6 bytes).
  public init(
    sid: String, upgrades: [String], pingInterval: Int = 25_000, pingTimeout: Int = 20_000,
    maxPayload: Int = 1_000_000
  ) {
    self.sid = sid
    self.upgrades = upgrades
    self.pingInterval = pingInterval
    self.pingTimeout = pingTimeout
    self.maxPayload = maxPayload
  }

  /// The JSON as `JSON.stringify` writes it, byte for byte, e.g.
  /// `{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}`.
  public var json: String {
    // Built as bytes: String concatenation and interpolation cost ~17,700 instructions per
    // new session (callgrind, connect path).
    var output: [UInt8] = []
    output.reserveCapacity(128)
    output.append(contentsOf: #"{"sid":"#.utf8)
    Self.appendJSONString(sid, to: &output)
    output.append(contentsOf: #","upgrades":["#.utf8)
    for (index, upgrade) in upgrades.enumerated() {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      Self.appendJSONString(upgrade, to: &output)
    }
    output.append(contentsOf: #"],"pingInterval":"#.utf8)
    output.append(contentsOf: String(pingInterval).utf8)
    output.append(contentsOf: #","pingTimeout":"#.utf8)
    output.append(contentsOf: String(pingTimeout).utf8)
    output.append(contentsOf: #","maxPayload":"#.utf8)
    output.append(contentsOf: String(maxPayload).utf8)
    output.append(UInt8(ascii: "}"))
    return String(decoding: output, as: UTF8.self)
  }

  /// The open packet carrying `json`.
  public var openPacket: EngineIOPacket { .text(.open, json) }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  /// Appends `text` as a JSON string literal the way `JSON.stringify` does: `"` and `\`
  /// escaped, `\b \f \n \r \t` short forms, other controls as `\u00xx` lowercase, `/` and
  /// non-ASCII left raw.
  private static func appendJSONString(_ text: String, to output: inout [UInt8]) {
    output.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"):
        output.append(UInt8(ascii: "\\"))
        output.append(byte)
      case 0x08: output.append(contentsOf: #"\b"#.utf8)
      case 0x0C: output.append(contentsOf: #"\f"#.utf8)
      case 0x0A: output.append(contentsOf: #"\n"#.utf8)
      case 0x0D: output.append(contentsOf: #"\r"#.utf8)
      case 0x09: output.append(contentsOf: #"\t"#.utf8)
      case 0x00...0x1F:
        output.append(contentsOf: #"\u00"#.utf8)
        output.append(hexDigits[Int(byte >> 4)])
        output.append(hexDigits[Int(byte & 0x0F)])
      default:
        output.append(byte)
      }
    }
    output.append(UInt8(ascii: "\""))
  }
}
