import Testing

@testable import Protocol

/// Seeded property checks: random valid requests round-trip, and mutated requests never trap,
/// never exceed the body limit, and give the same result under any split.
@Suite struct HTTPRequestParserPropertyTests {
  private typealias Harness = HTTPParserHarness

  /// Bytes a mutation likes to plant: the grammar's delimiters and a few hostile ones.
  private static let interestingBytes: [UInt8] = [
    0x0D, 0x0A, 0x20, 0x09, 0x3A, 0x3B, 0x2C, 0x30, 0x66, 0x46, 0x00, 0x7F, 0xFF, 0x2F, 0x2A,
  ]

  private static let seedStreams: [[UInt8]] = HTTPRequestParserTests.validCases.map(\.bytes)

  private static let allowedStatuses: Set<Int> = [400, 413, 414, 431, 501, 505]

  /// One random edit: replace, insert, delete, truncate or duplicate a range.
  private static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
    guard !bytes.isEmpty else { return }
    let position = Int.random(in: 0..<bytes.count, using: &random)
    let byte =
      Bool.random(using: &random)
      ? interestingBytes.randomElement(using: &random) ?? 0
      : UInt8.random(in: 0...255, using: &random)
    switch Int.random(in: 0..<5, using: &random) {
    case 0: bytes[position] = byte
    case 1: bytes.insert(byte, at: position)
    case 2: bytes.remove(at: position)
    case 3: bytes.removeSubrange(position...)
    default:
      let end = min(bytes.count, position + Int.random(in: 1...24, using: &random))
      bytes.insert(contentsOf: bytes[position..<end], at: end)
    }
  }

  @Test func mutatedRequestsOnlyReturnOrThrowWithinLimitsAndIgnoreSplits() {
    var random = SeededRandom(seed: 0x6D75_7461_7465)
    let tight = HTTPLimits(
      maxHeaderBytes: 256, maxHeaderCount: 6, maxTargetLength: 48, maxBodyBytes: 8)
    var outcomes: [Int: Int] = [:]
    for caseIndex in 0..<5000 {
      var bytes = Self.seedStreams[caseIndex % Self.seedStreams.count]
      for _ in 0..<Int.random(in: 1...3, using: &random) { Self.mutate(&bytes, using: &random) }
      let limits = caseIndex.isMultiple(of: 2) ? tight : HTTPLimits()
      let whole = Harness.whole(bytes, limits: limits)
      outcomes[whole.error?.status ?? 200, default: 0] += 1
      if let error = whole.error {
        #expect(Self.allowedStatuses.contains(error.status), "\(error)")
        #expect(!error.message.isEmpty)
      }
      for case .request(let request) in whole.outputs {
        #expect(request.body.count <= limits.maxBodyBytes)
      }
      let pieces =
        caseIndex.isMultiple(of: 10)
        ? Array(repeating: 1, count: bytes.count)
        : Harness.randomPieces(count: bytes.count, using: &random)
      let split = Harness.run(bytes, pieces: pieces, limits: limits)
      #expect(split == whole, "case \(caseIndex): \(bytes)")
    }
    // The mutations must reach both outcomes, or the test proves little.
    #expect(outcomes[200, default: 0] > 100)
    #expect(outcomes[400, default: 0] > 100)
  }

  /// A random request, its expected parse, and its bytes as some client might write them.
  private static func randomRequest(
    using random: inout SeededRandom
  ) -> (request: HTTPRequest, bytes: [UInt8]) {
    let tokenCharacters = Array("abcXYZ019!#$%&'*+-.^_`|~")
    let targetCharacters = Array("abcXYZ019-._~!$&'()*+,;=:@/?%")
    let valueCharacters = Array("abc XYZ 019 \"(),/:;<=>?@[\\]{}\u{E9}\u{263A}")
    func string(_ characters: [Character], _ length: ClosedRange<Int>) -> String {
      let count = Int.random(in: length, using: &random)
      return String((0..<count).map { _ in characters.randomElement(using: &random) ?? "a" })
    }

    let version: HTTPVersion = Int.random(in: 0..<5, using: &random) == 0 ? .http1_0 : .http1_1
    let method =
      ["GET", "POST", "PUT", "DELETE", "PATCH", "M-SEARCH"].randomElement(using: &random) ?? "GET"
    var head = HTTPRequestHead(
      method: method, target: "/" + string(targetCharacters, 0...40), version: version)
    if version == .http1_1 { head.headers.add(name: "Host", value: "localhost:3000") }
    for _ in 0..<Int.random(in: 0...8, using: &random) {
      // The parser trims surrounding whitespace from values.
      let value = String(Substring(string(valueCharacters, 0...30)).trimmingASCIIWhitespace())
      head.headers.add(name: "X-" + string(tokenCharacters, 1...12), value: value)
    }
    let body = (0..<Int.random(in: 0...300, using: &random)).map { _ in
      UInt8.random(in: 0...255, using: &random)
    }
    let chunked = version == .http1_1 && Bool.random(using: &random)
    head.headers.add(
      name: chunked ? "Transfer-Encoding" : "Content-Length",
      value: chunked ? "chunked" : String(body.count))

    let lineEnd = Int.random(in: 0..<4, using: &random) == 0 ? "\n" : "\r\n"
    var text = "\(head.method) \(head.target) \(version)\(lineEnd)"
    for field in head.headers {
      text += "\(field.name):\(Bool.random(using: &random) ? " " : "")\(field.value)\(lineEnd)"
    }
    text += lineEnd
    var bytes = Array(text.utf8)
    guard chunked else { return (HTTPRequest(head: head, body: body), bytes + body) }
    var rest = body[...]
    while !rest.isEmpty {
      let size = Int.random(in: 1...rest.count, using: &random)
      let extensionPart = Bool.random(using: &random) ? ";k=" + string(tokenCharacters, 0...8) : ""
      bytes += Array(
        "\(String(size, radix: 16, uppercase: Bool.random(using: &random)))\(extensionPart)\r\n"
          .utf8)
      bytes += rest.prefix(size) + Array("\r\n".utf8)
      rest = rest.dropFirst(size)
    }
    bytes += Array("0\r\n".utf8)
    if Bool.random(using: &random) {
      bytes += Array("X-Trailer: \(string(tokenCharacters, 0...8))\r\n".utf8)
    }
    bytes += Array("\r\n".utf8)
    return (HTTPRequest(head: head, body: body), bytes)
  }

  @Test func randomRequestsRoundTripThroughTheParserUnderRandomSplits() {
    var random = SeededRandom(seed: 0x726F_756E_64)
    for _ in 0..<200 {
      let requests = (0..<3).map { _ in Self.randomRequest(using: &random) }
      let bytes = requests.flatMap(\.bytes)
      let expected = HTTPParseRun(
        outputs: requests.map { .request($0.request) }, error: nil, leftover: [])
      let pieces = Harness.randomPieces(count: bytes.count, using: &random)
      #expect(Harness.run(bytes, pieces: pieces) == expected)
    }
  }
}
