import Testing

@testable import Protocol

@Suite struct UTF8ValidatorTests {
  static let wellFormed: [(String, [UInt8])] = [
    ("empty", []), ("ASCII", Array("hello, world".utf8)), ("Greek", Array("κόσμε".utf8)),
    ("U+0080", [0xC2, 0x80]), ("U+07FF", [0xDF, 0xBF]), ("U+0800", [0xE0, 0xA0, 0x80]),
    ("U+D7FF", [0xED, 0x9F, 0xBF]), ("U+E000", [0xEE, 0x80, 0x80]), ("U+FFFD", [0xEF, 0xBF, 0xBD]),
    ("U+FFFF", [0xEF, 0xBF, 0xBF]), ("U+10000", [0xF0, 0x90, 0x80, 0x80]),
    ("U+10FFFF", [0xF4, 0x8F, 0xBF, 0xBF]), ("NUL", [0x00]), ("DEL", [0x7F]),
  ]

  static let illFormed: [(String, [UInt8])] = [
    ("overlong NUL C0 80", [0xC0, 0x80]), ("overlong C1 BF", [0xC1, 0xBF]),
    ("overlong 3-byte E0 80 80", [0xE0, 0x80, 0x80]),
    ("overlong 3-byte E0 9F BF", [0xE0, 0x9F, 0xBF]),
    ("overlong 4-byte F0 80 80 80", [0xF0, 0x80, 0x80, 0x80]),
    ("overlong 4-byte F0 8F BF BF", [0xF0, 0x8F, 0xBF, 0xBF]),
    ("surrogate U+D800", [0xED, 0xA0, 0x80]), ("surrogate U+DFFF", [0xED, 0xBF, 0xBF]),
    ("U+110000", [0xF4, 0x90, 0x80, 0x80]), ("lead F5", [0xF5, 0x80, 0x80, 0x80]),
    ("byte FE", [0xFE]), ("byte FF", [0xFF]), ("lone continuation", [0x80]),
    ("continuation missing", [0xC2, 0x41]), ("3-byte cut by ASCII", [0xE1, 0x80, 0x41]),
    ("truncated 2-byte", [0xC2]), ("truncated 4-byte", [0xF0, 0x9F, 0x98]),
  ]

  @Test(arguments: wellFormed)
  func validatorAcceptsWellFormedSequenceFedInAnyTwoPieces(name: String, bytes: [UInt8]) {
    #expect(UTF8Validator.isValid(bytes))
    for split in 0...bytes.count {
      var validator = UTF8Validator()
      let first = validator.consume(bytes[..<split])
      let second = validator.consume(bytes[split...])
      #expect(first && second && validator.isComplete, "split at \(split)")
    }
  }

  @Test(arguments: illFormed)
  func validatorRejectsIllFormedSequenceFedInAnyTwoPieces(name: String, bytes: [UInt8]) {
    #expect(!UTF8Validator.isValid(bytes))
    for split in 0...bytes.count {
      var validator = UTF8Validator()
      let accepted = validator.consume(bytes[..<split]) && validator.consume(bytes[split...])
      #expect(!(accepted && validator.isComplete), "split at \(split)")
    }
  }

  @Test func validatorRejectsAtTheFirstBadByteNotAtTheEnd() {
    var validator = UTF8Validator()
    let prefix = validator.consume([0x61, 0xE0])
    #expect(prefix && !validator.isComplete)
    let continuation = validator.consume([0x80])
    #expect(!continuation && validator.hasFailed)
  }

  @Test func validatorStaysFailedUntilReset() {
    var validator = UTF8Validator()
    let bad = validator.consume([0xFF])
    let afterFailure = validator.consume(Array("fine".utf8))
    #expect(!bad && !afterFailure)
    validator.reset()
    let afterReset = validator.consume(Array("fine".utf8))
    #expect(afterReset && validator.isComplete)
  }

  @Test func validatorFindsABadByteAtEveryOffsetAroundTheASCIIFastPath() {
    for offset in 0..<24 {
      var bytes = [UInt8](repeating: 0x61, count: 24)
      bytes[offset] = 0xFF
      #expect(!UTF8Validator.isValid(bytes), "bad byte at \(offset)")
      bytes[offset] = 0xC3
      #expect(!UTF8Validator.isValid(bytes) || offset == 23, "cut sequence at \(offset)")
      if offset < 23 {
        bytes[offset + 1] = 0xA9
        #expect(UTF8Validator.isValid(bytes), "good sequence at \(offset)")
      }
    }
  }

  @Test func validatorAgreesWithTheStandardLibraryOnSeededRandomBytes() {
    var random = SeededRandom(seed: 6455)
    // Bytes biased towards lead and continuation bytes so multi-byte paths are exercised.
    let alphabet: [UInt8] = [
      0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
      0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ]
    for _ in 0..<3000 {
      let count = Int.random(in: 0...12, using: &random)
      let bytes = (0..<count).map { _ in alphabet.randomElement(using: &random) ?? 0 }
      let expected = String(validating: bytes, as: UTF8.self) != nil
      #expect(UTF8Validator.isValid(bytes) == expected, "\(bytes)")
    }
  }
}
