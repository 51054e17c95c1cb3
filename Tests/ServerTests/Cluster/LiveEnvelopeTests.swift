import Testing

@testable import Server

struct LiveEnvelopeTests {
  @Test func splitsWhatAppendWrote() {
    var bytes: [UInt8] = []
    Netstrings.append("ab".utf8, to: &bytes)
    Netstrings.append([UInt8](), to: &bytes)
    Netstrings.append([0, 58, 10], to: &bytes)
    #expect(bytes == Array("2:ab0:3:".utf8) + [0, 58, 10])
    let parts = Netstrings.split(bytes)?.map { Array($0) }
    #expect(parts == [Array("ab".utf8), [], [0, 58, 10]])
  }

  @Test(arguments: ["", "3:ab", "x:a", "2ab", "1:a2", "1234567890:a", ":a"])
  func refusesWhatIsNotNetstrings(_ text: String) {
    // The empty input is zero netstrings, not an error.
    if text.isEmpty {
      #expect(Netstrings.split([])?.isEmpty == true)
    } else {
      #expect(Netstrings.split(Array(text.utf8)) == nil)
    }
  }

  @Test func clusterEnvelopeRoundTrips() {
    let envelope = ClusterEnvelope(
      messageID: "m1", event: "chat", messageJSON: Array(#"{"t":"a:b"}"#.utf8),
      entries: [
        UserPosition(userID: "u:1", offset: LogOffset(epoch: "e1", sequence: 7)),
        UserPosition(userID: "ü", offset: LogOffset(epoch: "e2", sequence: 1)),
      ])
    #expect(ClusterEnvelope.decode(envelope.encoded()) == envelope)
  }

  @Test func clusterEnvelopeNeedsPairsAndOffsets() {
    #expect(ClusterEnvelope.decode(Array("2:m13:abc2:{}1:u".utf8)) == nil)
    #expect(ClusterEnvelope.decode(Array("2:m13:abc2:{}1:u3:bad".utf8)) == nil)
    #expect(ClusterEnvelope.decode(Array("2:m13:abc2:{}".utf8)) == nil)
    #expect(ClusterEnvelope.decode(Array("2:m13:abc2:{}1:u3:e.1".utf8))?.entries.count == 1)
  }

  @Test func liveEnvelopeRoundTrips() {
    let event = LiveEnvelope(
      event: "typing", messageJSON: Array("[1,2]".utf8), userIDs: ["a", "b"])
    #expect(LiveEnvelope.decode(event.encoded()) == event)
    #expect(LiveEnvelope.decode(Array("1:e2:{}".utf8)) == nil)
  }
}
