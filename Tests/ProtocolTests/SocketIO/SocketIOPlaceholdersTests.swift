import Testing

@testable import Protocol

@Suite struct SocketIOPlaceholdersTests {
  @Test(arguments: [
    (#"{"_placeholder":true,"num":0}"#, true), (#"{"num":3,"_placeholder":true}"#, true),
    (#"{"_placeholder":true,"num":1,"extra":"x"}"#, true),
    (#"{"_placeholder":false,"num":0}"#, false),
    (#"{"_placeholder":true,"num":-1}"#, false), (#"{"_placeholder":true,"num":1.5}"#, false),
    (#"{"_placeholder":true,"num":"0"}"#, false), (#"{"_placeholder":true}"#, false),
    (#"{"_placeholder":1,"num":0}"#, false), (#"[{"_placeholder":true,"num":0}]"#, false),
    ("0", false),
  ])
  func recognisesPlaceholderObjects(text: String, expected: Bool) throws {
    #expect(SocketIOPlaceholders.isPlaceholder(try JSONParser.parse(text)) == expected)
  }

  @Test func placeholderIsWrittenWithTheJavaScriptKeyOrder() {
    #expect(
      JSONWriter.string(SocketIOPlaceholders.placeholder(3)) == #"{"_placeholder":true,"num":3}"#)
  }

  @Test func renumbersDepthFirstInKeyOrderAndReordersAttachments() throws {
    let value = try JSONParser.parse(
      #"{"b":{"_placeholder":true,"num":1},"a":[{"_placeholder":true,"num":0},"x"],"c":{"_placeholder":false}}"#
    )
    let (renumbered, attachments) = try SocketIOPlaceholders.renumber(
      value, attachments: [[0xA], [0xB]])
    #expect(
      JSONWriter.string(renumbered)
        == #"{"b":{"_placeholder":true,"num":0},"a":[{"_placeholder":true,"num":1},"x"],"c":{"_placeholder":false}}"#
    )
    #expect(attachments == [[0xB], [0xA]])
  }

  @Test func renumberKeepsOnlyTheAttachmentsTheSubtreeUsesAndRepeatsReusedOnes() throws {
    let value = try JSONParser.parse(
      #"[{"_placeholder":true,"num":2},{"k":{"_placeholder":true,"num":2}},1]"#)
    let (renumbered, attachments) = try SocketIOPlaceholders.renumber(
      value, attachments: [[1], [2], [3]])
    #expect(
      JSONWriter.string(renumbered)
        == #"[{"_placeholder":true,"num":0},{"k":{"_placeholder":true,"num":1}},1]"#)
    #expect(attachments == [[3], [3]])
  }

  @Test func renumberWithoutPlaceholdersReturnsTheValueAndNoAttachments() throws {
    let value: JSONValue = ["a", ["b": [1, .null]]]
    let (renumbered, attachments) = try SocketIOPlaceholders.renumber(value, attachments: [[1]])
    #expect(renumbered == value)
    #expect(attachments.isEmpty)
  }

  @Test(arguments: [
    #"[{"_placeholder":true,"num":1}]"#, #"{"a":{"_placeholder":true,"num":-1}}"#,
    #"{"_placeholder":true}"#,
  ])
  func renumberRejectsPlaceholdersThatNameNoAttachment(text: String) throws {
    let value = try JSONParser.parse(text)
    #expect(throws: SocketIOParseError(message: "illegal attachments")) {
      try SocketIOPlaceholders.renumber(value, attachments: [[1]])
    }
    #expect(throws: SocketIOParseError(message: "illegal attachments")) {
      try SocketIOPlaceholders.validate(value, attachmentCount: 1)
    }
  }
}
