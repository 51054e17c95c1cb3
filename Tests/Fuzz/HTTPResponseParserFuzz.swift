import Protocol

/// libFuzzer entry point of the `httpresponse` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func httpResponseParserFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  HTTPResponseParserFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `HTTPResponseParser` on another node's answer stream (the forwarding side of
/// cluster mode), fed in the fuzzer's pieces, stopping after a `101` as the splice does.
///
/// Options: bits 0-1 pick the limits (the defaults; head 64 / body 16; head 256 / body 0;
/// head 1024 / body 4096).
///
/// Invariants: the split changes nothing (responses, error, unconsumed bytes); every body
/// keeps to the body limit and a 1xx/204/304 has none; errors carry a message; every
/// response, encoded again by `HTTPResponseEncoder`, parses to the same status, fields
/// (framing aside) and body, leaving no bytes.
enum HTTPResponseParserFuzz {
  static let parsers = [
    HTTPResponseParser(),
    HTTPResponseParser(maxHeadBytes: 64, maxBodyBytes: 16),
    HTTPResponseParser(maxHeadBytes: 256, maxBodyBytes: 0),
    HTTPResponseParser(maxHeadBytes: 1024, maxBodyBytes: 4096),
  ]

  /// What a parser made of the whole stream.
  struct Outcome: Equatable {
    var responses: [HTTPResponseParser.Response] = []
    var error: HTTPResponseParser.Failure?
    /// Unconsumed bytes at the end, when no error was thrown.
    var unconsumed = 0
  }

  static func run(_ input: FuzzInput) {
    let parser = parsers[input.choice(at: 0)]
    let whole = parse(input.data, pieces: [input.data.count], parser)
    let split = parse(input.data, pieces: input.pieces(), parser)
    FuzzCheck.require(whole == split, "split \(input.split) changed the outcome")
    if let error = whole.error {
      FuzzCheck.require(!error.message.isEmpty, "error without a message")
    }
    for response in whole.responses {
      let status = response.head.status
      FuzzCheck.require((100...999).contains(status), "status \(status) out of range")
      FuzzCheck.require(response.body.count <= parser.maxBodyBytes, "body over the limit")
      if (100..<200).contains(status) || status == 204 || status == 304 {
        FuzzCheck.require(response.body.isEmpty, "a body on a \(status)")
      }
      roundTrip(response)
    }
  }

  static func parse(_ bytes: [UInt8], pieces: [Int], _ parser: HTTPResponseParser) -> Outcome {
    var parser = parser
    var buffer = ByteBuffer()
    var outcome = Outcome()
    var offset = 0
    var upgraded = false
    for size in pieces where size > 0 {
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      guard !upgraded else { continue }
      do {
        while let response = try parser.next(from: &buffer) {
          outcome.responses.append(response)
          if response.head.status == 101 {
            upgraded = true
            break
          }
        }
      } catch {
        outcome.error = error
        return outcome
      }
      buffer.discardReadBytes()
    }
    outcome.unconsumed = buffer.readableBytes
    return outcome
  }

  /// Encodes `response` as this gateway would send it and parses it back.
  static func roundTrip(_ response: HTTPResponseParser.Response) {
    var bytes: [UInt8] = []
    HTTPResponseEncoder.encode(response.head, body: response.body, keepAlive: true, into: &bytes)
    var parser = HTTPResponseParser(maxHeadBytes: 1 << 20, maxBodyBytes: 1 << 20)
    var buffer = ByteBuffer(bytes: bytes)
    let again: HTTPResponseParser.Response?
    do {
      again = try parser.next(from: &buffer)
    } catch {
      FuzzCheck.require(false, "re-encoded response fails: \(error)")
      return
    }
    guard let again else {
      FuzzCheck.require(false, "re-encoded response is incomplete")
      return
    }
    FuzzCheck.require(buffer.readableBytes == 0, "re-encoded response leaves bytes")
    FuzzCheck.require(again.head.status == response.head.status, "status changed")
    FuzzCheck.require(again.body == response.body, "body changed")
    FuzzCheck.require(
      fields(again.head.headers) == fields(response.head.headers), "fields changed")
  }

  /// The fields without the framing ones the encoder writes itself.
  static func fields(_ headers: HTTPHeaders) -> [String] {
    headers.fields.filter {
      !HTTPHeaders.namesMatch($0.name, "content-length")
        && !HTTPHeaders.namesMatch($0.name, "transfer-encoding")
    }.map { "\($0.name): \($0.value)" }
  }
}
