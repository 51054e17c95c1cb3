import Protocol

/// libFuzzer entry point of the `engineio` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func engineIOPayloadFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  EngineIOPayloadFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `EngineIOPacketDecoder` on polling POST bodies (and, for the same bytes, on one
/// WebSocket text frame), and `URLQuery`, which every Engine.IO request's query goes through.
///
/// The split byte is unused: a polling body arrives whole.
///
/// Invariants: a decoded body has one packet per record; encoding the packets again gives a
/// body that decodes to the same packets and is its own re-encoding; each record decodes
/// alone to the same packet (as a WebSocket text frame would); a WebSocket text frame is
/// decoded as the body's single record when the body has no separator.
enum EngineIOPayloadFuzz {
  static func run(_ input: FuzzInput) {
    let body = input.data
    checkQuery(body)
    let packets: [EngineIOPacket]
    do {
      packets = try EngineIOPacketDecoder.decodePayload(body)
    } catch {
      FuzzCheck.require(!error.message.isEmpty, "error without a message")
      return
    }
    let separators = body.count(where: { $0 == EngineIOPacketDecoder.recordSeparator })
    FuzzCheck.require(packets.count == separators + 1, "packet count differs from records")
    var encoded: [UInt8] = []
    EngineIOPacketEncoder.encodePayload(packets, into: &encoded)
    let again: [EngineIOPacket]
    do {
      again = try EngineIOPacketDecoder.decodePayload(encoded)
    } catch {
      FuzzCheck.require(false, "re-encoded body fails: \(error)")
      return
    }
    FuzzCheck.require(again == packets, "re-encoded body decodes differently")
    var reencoded: [UInt8] = []
    EngineIOPacketEncoder.encodePayload(again, into: &reencoded)
    FuzzCheck.require(reencoded == encoded, "encoding is not stable")
    for packet in packets {
      var record: [UInt8] = []
      EngineIOPacketEncoder.encodeRecord(packet, into: &record)
      let frame = String(decoding: record, as: UTF8.self)
      let single = try? EngineIOPacketDecoder.decode(text: frame)
      FuzzCheck.require(single == packet, "a record decodes differently alone")
    }
    if separators == 0 {
      let text = String(decoding: body, as: UTF8.self)
      FuzzCheck.require(
        (try? EngineIOPacketDecoder.decode(text: text)) == packets.first,
        "text frame and one-record body differ")
    }
  }

  /// What the server reads from a request target's query: parsing is total, and the
  /// decoded items never hold more bytes than the query (`URLQuery`'s promise).
  static func checkQuery(_ bytes: [UInt8]) {
    let query = String(decoding: bytes, as: UTF8.self)
    _ = EngineIOQuery(query: Substring(query))
    let items = URLQuery(query).items
    let decodedBytes = items.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    FuzzCheck.require(decodedBytes <= query.utf8.count, "query items outgrew the query")
  }
}
