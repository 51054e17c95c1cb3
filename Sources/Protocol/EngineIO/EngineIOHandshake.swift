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
    var output = "{\"sid\":"
    Self.appendJSONString(sid, to: &output)
    output += ",\"upgrades\":["
    for (index, upgrade) in upgrades.enumerated() {
      if index > 0 { output += "," }
      Self.appendJSONString(upgrade, to: &output)
    }
    output += "],\"pingInterval\":\(pingInterval),\"pingTimeout\":\(pingTimeout)"
    output += ",\"maxPayload\":\(maxPayload)}"
    return output
  }

  /// The open packet carrying `json`.
  public var openPacket: EngineIOPacket { .text(.open, json) }

  /// Appends `text` as a JSON string literal the way `JSON.stringify` does: `"` and `\`
  /// escaped, `\b \f \n \r \t` short forms, other controls as `\u00xx` lowercase, `/` and
  /// non-ASCII left raw.
  private static func appendJSONString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{00}"..."\u{1F}":
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}
