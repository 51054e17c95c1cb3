import Protocol
import Testing

@testable import Auth

@Suite("Base64+TokenPart")
struct Base64TokenPartTests {
  private func decode(_ text: String) -> [UInt8]? {
    Array(text.utf8).withUnsafeBufferPointer { Base64.decodeTokenPart($0) }
  }

  @Test(
    "unpadded base64url decodes",
    arguments: [
      ("", []), ("Zg", Array("f".utf8)), ("Zm8", Array("fo".utf8)), ("Zm9v", Array("foo".utf8)),
      ("-_8", [0xFB, 0xFF]),
    ] as [(String, [UInt8])])
  func decodes(text: String, bytes: [UInt8]) {
    #expect(decode(text) == bytes)
  }

  @Test(
    "padding, the standard alphabet, stray characters and impossible lengths are refused",
    arguments: ["Zg==", "Zm8=", "+/8", "Zm 9v", "Zm9v\n", "Z", "Zh", "é"])
  func refuses(text: String) {
    #expect(decode(text) == nil)
  }
}
