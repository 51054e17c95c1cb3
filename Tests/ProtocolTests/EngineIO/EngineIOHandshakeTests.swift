import Testing

@testable import Protocol

@Suite struct EngineIOHandshakeTests {
  @Test func handshakeWritesTheProtocolExampleByteForByte() {
    let handshake = EngineIOHandshake(sid: "lv_VI97HAXpY6yYWAAAC", upgrades: ["websocket"])
    #expect(
      handshake.json
        == #"{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"#
    )
  }

  @Test func handshakeOnWebSocketAdvertisesNoUpgrades() {
    let handshake = EngineIOHandshake(
      sid: "abc", upgrades: [], pingInterval: 300, pingTimeout: 200, maxPayload: 1000)
    #expect(
      handshake.json
        == #"{"sid":"abc","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000}"#)
  }

  @Test func handshakeOpenPacketIsTheJSONAfterDigitZero() {
    let handshake = EngineIOHandshake(sid: "s", upgrades: ["websocket", "x"])
    var record: [UInt8] = []
    EngineIOPacketEncoder.encodeRecord(handshake.openPacket, into: &record)
    #expect(String(decoding: record, as: UTF8.self) == "0" + handshake.json)
    #expect(handshake.json.contains(#""upgrades":["websocket","x"]"#))
  }

  @Test(arguments: [
    ("plain", #""plain""#), ("a\"b", #""a\"b""#), ("a\\b", #""a\\b""#), ("a/b", #""a/b""#),
    ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#), ("\u{01}\u{1F}", #""\u0001\u001f""#),
    ("\u{7F}é😀", "\"\u{7F}é😀\""),
  ])
  func handshakeEscapesSidLikeJSONStringify(sid: String, expected: String) {
    let json = EngineIOHandshake(sid: sid, upgrades: []).json
    #expect(json.hasPrefix("{\"sid\":" + expected + ",\"upgrades\""))
  }
}
