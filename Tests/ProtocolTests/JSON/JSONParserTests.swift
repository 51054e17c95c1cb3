import Testing

@testable import Protocol

@Suite struct JSONParserTests {
  /// Input -> `JSON.stringify(JSON.parse(input))`, recorded from Node.js 20.
  static let roundTrips: [(String, String)] = [
    (#"{"a":1,"b":[true,false,null],"c":"x"}"#, #"{"a":1,"b":[true,false,null],"c":"x"}"#),
    (" \t\n\r{ \"a\" : 1 , \"b\" : [ 1 , 2 ] , \"c\" : { } } \n", #"{"a":1,"b":[1,2],"c":{}}"#),
    (#"{"b":1,"2":0,"a":2,"1":3}"#, #"{"1":3,"2":0,"b":1,"a":2}"#),
    (#"{"a":1,"b":2,"a":3}"#, #"{"a":3,"b":2}"#),
    (
      #"{"01":1,"1":2,"-1":3,"4294967295":4,"4294967294":5,"1.0":6,"0":7}"#,
      #"{"0":7,"1":2,"4294967294":5,"01":1,"-1":3,"4294967295":4,"1.0":6}"#
    ),
    (#"{"10":1,"9":2,"x":3,"100":4,"9":5}"#, #"{"9":5,"10":1,"100":4,"x":3}"#),
    (#""\u0041\u00e9\u4e2d\ud83d\ude00""#, #""Aé中😀""#),
    (#""\/\b\f\n\r\t\"\\""#, #""/\b\f\n\r\t\"\\""#),
    (#""\u0000\u0001\u001f\u007f\u0080""#, "\"\\u0000\\u0001\\u001f\u{7F}\u{80}\""),
    (#""\u2028\u2029\uFEFF""#, "\"\u{2028}\u{2029}\u{FEFF}\""),
    (#""Aé中😀 raw""#, #""Aé中😀 raw""#),
    (#""https://example.com/a/b""#, #""https://example.com/a/b""#),
    (#""abcdefghijklmnopqrstuvwxyz0123456789""#, #""abcdefghijklmnopqrstuvwxyz0123456789""#),
    (#""abcdefgh\"ijklmnop""#, #""abcdefgh\"ijklmnop""#),
    (#""abcdefgé12345678""#, #""abcdefgé12345678""#),
    (#""1234567\\""#, #""1234567\\""#),
    (
      #"[0,-0,1,-1,1.5,1e21,1E21,1e+21,1e-7,0.1,1.0,100,1e2,-0.0,2.5e-5]"#,
      #"[0,0,1,-1,1.5,1e+21,1e+21,1e+21,1e-7,0.1,1,100,100,0,0.000025]"#
    ),
    (
      #"[123456789012345678901234567890,9007199254740993,9007199254740992,-9007199254740993]"#,
      #"[1.2345678901234568e+29,9007199254740992,9007199254740992,-9007199254740992]"#
    ),
    (#"[1e400,-1e400,1e-400,-1e-400,0e400,1.7976931348623159e308]"#, #"[null,null,0,0,0,null]"#),
    (
      #"[0.30000000000000004,5e-324,1.7976931348623157e308,2.2250738585072014e-308]"#,
      #"[0.30000000000000004,5e-324,1.7976931348623157e+308,2.2250738585072014e-308]"#
    ),
    (
      #"[123456789012345680000,100000000000000000000,1e20,999999999999999999999]"#,
      #"[123456789012345680000,100000000000000000000,100000000000000000000,1e+21]"#
    ),
    (
      #"[0.000001,0.0000001,1.5e-7,123e-20,1.5e300,-1.5e-300,4.35,0.1e1,100e-2,1e0]"#,
      #"[0.000001,1e-7,1.5e-7,1.23e-18,1.5e+300,-1.5e-300,4.35,1,1,1]"#
    ),
    (
      #"[12345.6789,-0.5,0.5e-6,1e-6,1234567890123456789,0.1234567890123456789]"#,
      #"[12345.6789,-0.5,5e-7,0.000001,1234567890123456800,0.12345678901234568]"#
    ),
    (#"[[],{},[{}],{"a":{}},[[[]]]]"#, #"[[],{},[{}],{"a":{}},[[[]]]]"#),
    (#"{"__proto__":1,"constructor":2}"#, #"{"__proto__":1,"constructor":2}"#),
    (#"{"":0," ":1}"#, #"{"":0," ":1}"#),
    (#"true"#, #"true"#),
    (#"false"#, #"false"#),
    (#"null"#, #"null"#),
    (#"0"#, #"0"#),
    (#""x""#, #""x""#),
    (#"  7  "#, #"7"#),
    (#"{"a":[1,{"b":null,"c":[-2.5e-3,"\u00e9"]}]}"#, #"{"a":[1,{"b":null,"c":[-0.0025,"é"]}]}"#),
    (
      #"[1.00000000000000011102230246251565404236316680908203125,2.00000000000000044408920985006]"#,
      #"[1,2.0000000000000004]"#
    ),
    (
      #"[0.1,0.2,0.7,1.1,3.14159,2.718281828459045,6.02214076e23,1.602176634e-19]"#,
      #"[0.1,0.2,0.7,1.1,3.14159,2.718281828459045,6.02214076e+23,1.602176634e-19]"#
    ),
    (
      #"[4294967295,4294967296,18446744073709551615,18446744073709551616,-2147483648]"#,
      #"[4294967295,4294967296,18446744073709552000,18446744073709552000,-2147483648]"#
    ),
    (
      #"[0.000123,0.00001,1e-5,12e-7,1.2e-6,99.99e20,99.99e19]"#,
      #"[0.000123,0.00001,0.00001,0.0000012,0.0000012,9.999e+21,999900000000000000000]"#
    ),
  ]

  @Test(arguments: roundTrips)
  func parseThenWriteMatchesJavaScriptByteForByte(input: String, expected: String) throws {
    let value = try JSONParser.parse(input)
    #expect(JSONWriter.string(value) == expected)
    #expect(try JSONParser.parse(Array(input.utf8)) == value)
    // A collection without contiguous storage takes the copying path.
    #expect(try JSONParser.parse(input.utf8.lazy.map { $0 }) == value)
  }

  /// Input -> offset of the error; the offsets agree with V8's "at position N".
  static let malformed: [(String, Int)] = [
    ("", 0), (" ", 1), ("{", 1), ("[1,]", 3), (#"{"a":1,}"#, 7), ("{,}", 1), ("[1 2]", 3),
    ("01", 1), ("-01", 2), ("-", 1), ("-a", 1), ("1.", 2), ("1.e3", 2), ("1e", 2), ("1e+", 3),
    ("1ex", 2), (".5", 0), ("+1", 0), ("NaN", 0), ("Infinity", 0), ("-Infinity", 1), ("tru", 3),
    ("trUe", 2), ("nul", 3), (#""abc"#, 4), (#""\x""#, 2), (#""\u12g4""#, 5), ("\"a\nb\"", 2),
    ("\"a\tb\"", 2), ("'a'", 0), (#"{"a" 1}"#, 5), ("{a:1}", 1), ("[1]]", 3), ("[1] x", 4),
    ("/* */1", 0), ("1 // c", 2), (#"{"a":1}{}"#, 7), ("\u{FEFF}1", 0), ("\u{A0}1", 0),
    ("[1,2", 4), (#"{"a":"#, 5), (#"{"a""#, 4), ("[", 1), ("]", 0), ("}", 0), (#""\u123""#, 6),
    (#""\"#, 2), ("0x10", 1), ("1_000", 1), ("[,1]", 1), (#"{"a":1 "b":2}"#, 7), ("\u{0B}1", 0),
    ("\u{0C}1", 0), ("TRUE", 0), ("[01]", 2), ("1e5.5", 3), ("-.5", 1), (#""\U0041""#, 2),
    ("[1,,2]", 3), (#"{"a":1,,"b":2}"#, 7), ("nulll", 4), ("[true false]", 6),
  ]

  @Test(arguments: malformed)
  func rejectsMalformedInputAtTheOffendingByte(input: String, offset: Int) {
    #expect(throws: JSONParseError.self) { try JSONParser.parse(input) }
    do {
      _ = try JSONParser.parse(input)
    } catch {
      #expect(error.offset == offset)
    }
  }

  @Test(arguments: [
    ("}", "Unexpected token } in JSON at position 0"),
    ("", "Unexpected end of JSON input"),
    ("[1", "Unexpected end of JSON input"),
    ("\u{01}", "Unexpected token 0x01 in JSON at position 0"),
    (#""\q""#, "Bad escaped character in JSON at position 2"),
    ("-x", "No number after minus sign in JSON at position 1"),
  ])
  func errorMessagesFollowV8Wording(input: String, message: String) {
    #expect(error(input).message == message)
  }

  private func error(_ input: String) -> JSONParseError {
    do {
      _ = try JSONParser.parse(input)
      return JSONParseError(offset: -1, message: "no error")
    } catch {
      return error
    }
  }

  /// Bytes that are not UTF-8 -> offset of the first bad byte.
  static let invalidUTF8: [([UInt8], Int)] = [
    ([0x22, 0xFF, 0x22], 1), ([0x22, 0xC3, 0x22], 2), ([0x22, 0xC3], 2),
    ([0x22, 0xC0, 0x80, 0x22], 1),
    ([0x22, 0xC1, 0xBF, 0x22], 1), ([0x22, 0xE0, 0x80, 0x80, 0x22], 2),
    ([0x22, 0xED, 0xA0, 0x80, 0x22], 2), ([0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], 2),
    ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2), ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),
    ([0x22, 0xE2, 0x82, 0x22], 3), ([0x22, 0x80, 0x22], 1), ([0xC3, 0xA9], 0),
    ([0x22, 0x5C, 0x6E, 0xFE, 0x22], 3),
    (Array(#"["abcdefgh"#.utf8) + [0xFF] + Array(#"ijklmnop"]"#.utf8), 10),
  ]

  @Test(arguments: invalidUTF8)
  func rejectsBytesThatAreNotUTF8(bytes: [UInt8], offset: Int) {
    #expect(throws: JSONParseError.self) { try JSONParser.parse(bytes) }
    do {
      _ = try JSONParser.parse(bytes)
    } catch {
      #expect(error.offset == offset)
    }
  }

  @Test(arguments: [
    (#""\uD83D""#, "\u{FFFD}"), (#""\uDE00""#, "\u{FFFD}"),
    (#""\uDE00\uD83D""#, "\u{FFFD}\u{FFFD}"),
    (#""\uD83Dx""#, "\u{FFFD}x"), (#""\uD83D\u0041""#, "\u{FFFD}A"),
    (#""\uD83D\uD83D\uDE00""#, "\u{FFFD}😀"), (#""\uD83D\n""#, "\u{FFFD}\n"),
    (#""\ud83d\ude00""#, "😀"), (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
  ])
  func loneSurrogateEscapesBecomeReplacementCharacters(input: String, expected: String) throws {
    #expect(try JSONParser.parse(input) == .string(expected))
  }

  @Test(arguments: [
    ("0", 0.0), ("-0", -0.0), ("-0.0", -0.0), ("-0e5", -0.0), ("1", 1), ("-1", -1), ("1.5", 1.5),
    ("0.1", 0.1), ("1e-7", 1e-7), ("9007199254740993", 9_007_199_254_740_992),
    ("123456789012345678901234567890", 1.2345678901234568e29), ("5e-324", .leastNonzeroMagnitude),
    ("2.4703282292062328e-324", .leastNonzeroMagnitude), ("2.4703282292062327e-324", 0),
    ("1e23", 1e23),
    ("1.7976931348623157e308", .greatestFiniteMagnitude), ("1e400", .infinity),
    ("-1e400", -.infinity), ("0.000000000000000000001", 1e-21), ("123.456e-2", 1.23456),
    ("1E+2", 100), ("4.9406564584124654e-324", .leastNonzeroMagnitude),
    ("2.2250738585072011e-308", Double(bitPattern: 0x000F_FFFF_FFFF_FFFF)),
  ])
  func parsesNumbersToTheNearestDouble(input: String, expected: Double) throws {
    let value = try JSONParser.parse(input)
    #expect(value.numberValue?.bitPattern == expected.bitPattern, "\(input)")
  }

  @Test func randomDoublesSurviveWriteThenParseBitForBit() throws {
    var generator = JSONMutationGenerator(seed: 0x5EED_0001)
    for _ in 0..<5000 {
      let value = Double(bitPattern: generator.next())
      guard value.isFinite, value != 0 else { continue }
      let text = JSONNumberFormatter.string(value)
      #expect(try JSONParser.parse(text).numberValue?.bitPattern == value.bitPattern, "\(text)")
    }
  }

  @Test(arguments: [1, 2, 63, 64])
  func acceptsNestingUpToTheDepthLimit(depth: Int) throws {
    let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    let objects =
      String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
    #expect(JSONWriter.string(try JSONParser.parse(arrays)) == arrays)
    #expect(JSONWriter.string(try JSONParser.parse(objects)) == objects)
  }

  @Test(arguments: [65, 66, 1000])
  func rejectsNestingOverTheDepthLimitWhereItIsCrossed(depth: Int) {
    let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    let objects =
      String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
    #expect(throws: JSONParseError.at(64, "Maximum nesting depth of 64 exceeded")) {
      try JSONParser.parse(arrays)
    }
    #expect(throws: JSONParseError.at(64 * 5, "Maximum nesting depth of 64 exceeded")) {
      try JSONParser.parse(objects)
    }
  }

  @Test func depthLimitZeroAllowsOnlyScalarsAndALargeLimitDoesNotRecurse() throws {
    let scalarsOnly = JSONLimits(maxDepth: 0)
    #expect(try JSONParser.parse("1", limits: scalarsOnly) == 1)
    #expect(throws: JSONParseError.self) { try JSONParser.parse("[]", limits: scalarsOnly) }
    let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
    let value = try JSONParser.parse(deep, limits: JSONLimits(maxDepth: 2000))
    #expect(JSONWriter.string(value) == deep)
  }

  @Test func rejectsInputLargerThanMaxBytesBeforeReadingIt() {
    let limits = JSONLimits(maxBytes: 10)
    #expect(throws: Never.self) { try JSONParser.parse("[1,2,3,45]", limits: limits) }
    let expected = JSONParseError(offset: 10, message: "JSON input exceeds the limit of 10 bytes")
    #expect(throws: expected) { try JSONParser.parse("[1,2,3,456]", limits: limits) }
    #expect(throws: expected) {
      try JSONParser.parse("[1,2,3,456]".utf8.lazy.map { $0 }, limits: limits)
    }
  }

  @Test(arguments: [
    (#""abc""#, true), (#""abcd""#, false), (#""\u0041bc""#, true), (#""\u0041bcd""#, false),
    (#""é.""#, true), (#""é..""#, false), (#"{"abc":1}"#, true), (#"{"abcd":1}"#, false),
    (#"["abcdefghijklmnop"]"#, false), (#""ab\n""#, true), (#""ab\nc""#, false),
  ])
  func enforcesMaxStringBytesOnDecodedLength(input: String, accepted: Bool) {
    let limits = JSONLimits(maxStringBytes: 3)
    if accepted {
      #expect(throws: Never.self) { try JSONParser.parse(input, limits: limits) }
    } else {
      #expect(throws: JSONParseError.self) { try JSONParser.parse(input, limits: limits) }
    }
  }

  static let mutationSeeds: [String] = [
    #"{"a":1,"b":[true,false,null],"c":"x\u00e9\n","d":{"e":-1.5e-7}}"#,
    #"["hey","Jude",{"_placeholder":true,"num":0},[1,2,[3]],"\ud83d\ude00"]"#,
    #"{"2":1,"1":2,"b":"abcdefghijklmnopé","a":0.30000000000000004,"a":1e21}"#,
  ]

  @Test(arguments: mutationSeeds.indices)
  func mutatedInputNeverTrapsAndAcceptedInputRoundTrips(seedIndex: Int) throws {
    var generator = JSONMutationGenerator(seed: 0xC0FFEE + UInt64(seedIndex))
    let seed = Array(Self.mutationSeeds[seedIndex].utf8)
    let alphabet =
      Array(#"{}[]",:\-+.0123456789eEtrufalsn u"#.utf8) + [0x00, 0x0A, 0xC3, 0xA9, 0xFF]
    let limits = JSONLimits(maxDepth: 4, maxStringBytes: 32)
    for _ in 0..<5000 {
      let input = generator.mutate(seed, alphabet: alphabet)
      guard let value = try? JSONParser.parse(input, limits: limits) else { continue }
      let written = JSONWriter.string(value)
      #expect(JSONWriter.string(try JSONParser.parse(written)) == written)
    }
  }
}
