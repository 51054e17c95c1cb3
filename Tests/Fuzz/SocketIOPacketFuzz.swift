import Protocol

/// libFuzzer entry point of the `socketio` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func socketIOPacketFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  SocketIOPacketFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `SocketIOPacketDecoder` and `SocketIOBinaryAssembler` the way a session feeds them:
/// the data is a sequence of Engine.IO messages split on `0x1E`; a record starting with `b`
/// is a binary message (the raw bytes after the `b`), any other is the text of a message
/// (without its Engine.IO `4`). Processing stops where the server would close the session.
///
/// Options: bits 0-1 pick the JSON depth limit (64, the gateway's 512, 2 or 8).
///
/// Invariants: only UTF-8 text decodes; a decoded packet has at most 10 attachments, and
/// encodes to text that decodes to the same packet; an assembled packet has exactly the
/// attachments its header announced, and a binary one's placeholders all resolve; after an
/// error the assembler waits for nothing.
enum SocketIOPacketFuzz {
  static let depths = [64, 512, 2, 8]

  static func run(_ input: FuzzInput) {
    var limits = JSONLimits()
    limits.maxDepth = depths[input.choice(at: 0)]
    var assembler = SocketIOBinaryAssembler()
    for record in input.data.split(separator: 0x1E, omittingEmptySubsequences: false) {
      if record.first == UInt8(ascii: "b") {
        do {
          if let assembled = try assembler.receive(attachment: Array(record.dropFirst())) {
            check(assembled)
          }
        } catch {
          FuzzCheck.require(!assembler.isWaiting, "assembler still waiting after an error")
          return
        }
        continue
      }
      // ConnectionActor.handleMessage: text while attachments are due closes the session.
      guard !assembler.isWaiting else { return }
      let packet: SocketIOPacket
      do {
        packet = try SocketIOPacketDecoder.decode(record, limits: limits)
      } catch {
        FuzzCheck.require(!error.message.isEmpty, "error without a message")
        return
      }
      FuzzCheck.require(UTF8Validator.isValid(record), "bytes that are not UTF-8 decoded")
      checkRoundTrip(packet, limits: limits)
      do {
        if let assembled = try assembler.receive(header: packet) { check(assembled) }
      } catch {
        FuzzCheck.require(!assembler.isWaiting, "assembler still waiting after an error")
        return
      }
    }
  }

  /// The packet's string form decodes to the packet (non-finite numbers written as null,
  /// which may make it invalid, as it would in JS).
  static func checkRoundTrip(_ packet: SocketIOPacket, limits: JSONLimits) {
    FuzzCheck.require(
      packet.attachmentCount <= SocketIOPacketDecoder.maxAttachments, "too many attachments")
    var expected = packet
    expected.data = packet.data.map(\.written)
    if expected.data == .null { expected.data = nil }
    var relaxed = limits
    // Written numbers can be longer than their literal (`1e300` is written `1e+300`).
    relaxed.maxBytes = Int.max / 2
    relaxed.maxStringBytes = Int.max / 2
    let text = SocketIOPacketEncoder.string(packet)
    do {
      let again = try SocketIOPacketDecoder.decode(text, limits: relaxed)
      FuzzCheck.require(again == expected, "packet decodes differently after encoding: \(text)")
    } catch {
      // As in JS: `2[1e400]` is an EVENT named Infinity, written `2[null]`, which is not.
      let lossy = expected.data != packet.data
      FuzzCheck.require(lossy, "encoded packet does not decode: \(error.message): \(text)")
    }
  }

  /// An assembled packet carries what its header announced, and the placeholders of a
  /// binary one resolve (in other packets, placeholder-shaped objects are plain data, as in
  /// the JS parser).
  static func check(_ assembled: SocketIOAssembledPacket) {
    let packet = assembled.packet
    let expected = packet.type.isBinary ? packet.attachmentCount : 0
    FuzzCheck.require(assembled.attachments.count == expected, "attachment count differs")
    guard packet.type.isBinary, let data = packet.data else { return }
    do {
      _ = try SocketIOPlaceholders.renumber(data, attachments: assembled.attachments)
    } catch {
      FuzzCheck.require(false, "a validated placeholder does not resolve: \(error.message)")
    }
  }
}
