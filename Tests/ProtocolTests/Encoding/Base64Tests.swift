import Testing

@testable import Protocol

@Suite struct Base64Tests {
  static let vectors: [(String, String, String)] = [
    ("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"),
    ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"),
    ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
  ]

  @Test(arguments: vectors)
  func encodesAndDecodesRFC4648Vectors(plain: String, standard: String, url: String) {
    #expect(Base64.encode(Array(plain.utf8)) == standard)
    #expect(Base64.encode(Array(plain.utf8), alphabet: .url) == url)
    #expect(Base64.decode(standard) == Array(plain.utf8))
    #expect(Base64.decode(url, alphabet: .url) == Array(plain.utf8))
  }

  @Test func alphabetsDifferInTheLastTwoCharacters() {
    let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
    #expect(Base64.encode(bytes) == "+/+/")
    #expect(Base64.encode(bytes, alphabet: .url) == "-_-_")
    #expect(Base64.decode("-_-_", alphabet: .url) == bytes)
    #expect(Base64.decode("-_-_") == nil)
  }

  @Test(arguments: ["Zg=", "Z", "Zg==Zg==", "Zh==", "Zm9v!", "===="])
  func rejectsMalformedStandardInput(text: String) {
    #expect(Base64.decode(text) == nil)
  }

  @Test(arguments: ["Z", "Zg==", "Zh", "a+b"])
  func rejectsMalformedURLInput(text: String) {
    #expect(Base64.decode(text, alphabet: .url) == nil)
  }
}
