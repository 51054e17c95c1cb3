import Protocol

/// libFuzzer entry point of the `json` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func jsonRoundTripFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  JSONRoundTripFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes the REST path's JSON: `JSONParser` on a request body, `JSONWriter` on the value it
/// gives, and the push frame the gateway builds from a `message` (`RESTRequest` +
/// `SocketIOPacketEncoder.encodeEventMessage`).
///
/// Options: bits 0-1 pick the depth limit (64, the gateway's 512, 1 or 8); bit 2 limits
/// strings to 16 bytes.
///
/// Invariants: the writer's output is UTF-8 that parses, under the same limits, to the value
/// (non-finite numbers as null) and writes to the same bytes again; the push frame built
/// from the value decodes as a Socket.IO EVENT carrying the event name and the value.
enum JSONRoundTripFuzz {
  static let depths = [64, 512, 1, 8]

  static func run(_ input: FuzzInput) {
    var limits = JSONLimits()
    limits.maxDepth = depths[input.choice(at: 0)]
    if input.option(2) { limits.maxStringBytes = 16 }
    let value: JSONValue
    do {
      value = try JSONParser.parse(input.data, limits: limits)
    } catch {
      FuzzCheck.require(
        error.offset >= 0 && error.offset <= input.data.count, "error offset out of range")
      FuzzCheck.require(!error.message.isEmpty, "error without a message")
      return
    }
    var written: [UInt8] = []
    JSONWriter.write(value, into: &written)
    FuzzCheck.require(UTF8Validator.isValid(written), "writer output is not UTF-8")
    var relaxed = limits
    // Written numbers can be longer than their literal (`1e300` is written `1e+300`).
    relaxed.maxBytes = Int.max / 2
    let again: JSONValue
    do {
      again = try JSONParser.parse(written, limits: relaxed)
    } catch {
      FuzzCheck.require(false, "writer output does not parse: \(error.message)")
      return
    }
    FuzzCheck.require(again == value.written, "writer output parses to another value")
    var rewritten: [UInt8] = []
    JSONWriter.write(again, into: &rewritten)
    FuzzCheck.require(rewritten == written, "writing is not stable")
    checkPush(message: value, limits: relaxed)
  }

  /// `POST /api/gateway/send` with this value as `message`: the frame every recipient gets.
  static func checkPush(message: JSONValue, limits: JSONLimits) {
    var event = "notification"
    if case .object(let object) = message, case .string(let name)? = object["event"],
      !name.isEmpty, !SocketIOPacketDecoder.reservedEventNames.contains(name)
    {
      event = name
    }
    var argument: [UInt8] = []
    JSONWriter.write(message, into: &argument)
    var frame: [UInt8] = []
    SocketIOPacketEncoder.encodeEventMessage(event: event, argumentJSON: argument, into: &frame)
    FuzzCheck.require(frame.first == UInt8(ascii: "4"), "push is not an Engine.IO message")
    var relaxed = limits
    relaxed.maxDepth += 1  // the arguments array
    do {
      let packet = try SocketIOPacketDecoder.decode(frame.dropFirst(), limits: relaxed)
      FuzzCheck.require(packet.type == .event && packet.namespace == "/", "push is no EVENT")
      FuzzCheck.require(
        packet.data == .array([.string(event), message.written]), "push carries another value")
    } catch {
      FuzzCheck.require(false, "push frame does not decode: \(error.message)")
    }
  }
}
