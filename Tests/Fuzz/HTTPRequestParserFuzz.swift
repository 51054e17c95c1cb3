import Protocol

/// libFuzzer entry point of the `http` target.
@_cdecl("LLVMFuzzerTestOneInput")
public func httpRequestParserFuzzEntry(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  HTTPRequestParserFuzz.run(FuzzInput(start, count))
  return 0
}

/// Fuzzes `HTTPRequestParser` as the server drives it: a connection's byte stream, fed in the
/// fuzzer's pieces, parsed until each piece is used up.
///
/// Options: bit 0 tight limits (256-byte head, 6 fields, 48-byte target, 64-byte body)
/// instead of the defaults.
///
/// Invariants: the split changes nothing (same requests, same error or same leftover as one
/// piece); no request exceeds a limit; what waits unconsumed in the buffer never exceeds the
/// head budget (a slow client cannot make the server hold more); errors carry one of the
/// documented statuses and a message; what the server derives from every head (query,
/// Engine.IO parameters, WebSocket handshake, keep-alive) is total.
enum HTTPRequestParserFuzz {
  /// Statuses `HTTPParseError` documents.
  static let statuses: Set<Int> = [400, 413, 414, 431, 501, 505]

  static let tightLimits = HTTPLimits(
    maxHeaderBytes: 256, maxHeaderCount: 6, maxTargetLength: 48, maxBodyBytes: 64)

  /// What a parser made of the whole stream.
  struct Run: Equatable {
    var outputs: [HTTPRequestParser.Output] = []
    var error: HTTPParseError?
    /// Unconsumed bytes at the end (left empty after an error: how much was consumed
    /// before an error depends on the split).
    var leftover: [UInt8] = []
  }

  static func run(_ input: FuzzInput) {
    let limits = input.option(0) ? tightLimits : HTTPLimits()
    let whole = parse(input.data, pieces: input.data.isEmpty ? [] : [input.data.count], limits)
    let split = parse(input.data, pieces: input.pieces(), limits)
    FuzzCheck.require(whole == split, "split \(input.split) changed the parse")
  }

  /// Feeds `bytes` piece by piece, as the server's read loop does, and checks each output.
  static func parse(_ bytes: [UInt8], pieces: [Int], _ limits: HTTPLimits) -> Run {
    var parser = HTTPRequestParser(limits: limits)
    var buffer = ByteBuffer()
    var run = Run()
    var offset = 0
    for size in pieces {
      buffer.writeBytes(bytes[offset..<(offset + size)])
      offset += size
      do {
        while let output = try parser.next(from: &buffer) {
          if case .request(let request) = output { check(request, limits) }
          run.outputs.append(output)
        }
      } catch {
        FuzzCheck.require(statuses.contains(error.status), "status \(error.status)")
        FuzzCheck.require(!error.message.isEmpty, "error without a message")
        run.error = error
        return run
      }
      // Bytes a pending line may hold: the head budget plus a CR waiting for its LF.
      FuzzCheck.require(
        buffer.readableBytes <= limits.maxHeaderBytes + 1,
        "\(buffer.readableBytes) bytes left buffered, over the head budget")
      buffer.discardReadBytes()
    }
    run.leftover = Array(buffer.readableBytesView)
    return run
  }

  /// A request within every limit, and the server's derivations from its head.
  static func check(_ request: HTTPRequest, _ limits: HTTPLimits) {
    let head = request.head
    FuzzCheck.require(request.body.count <= limits.maxBodyBytes, "body over the limit")
    FuzzCheck.require(head.headers.fields.count <= limits.maxHeaderCount, "too many fields")
    FuzzCheck.require(head.target.utf8.count <= limits.maxTargetLength, "target too long")
    FuzzCheck.require(!head.method.isEmpty && !head.target.isEmpty, "empty method or target")
    FuzzCheck.require(head.version == .http1_1 || head.version == .http1_0, "bad version")
    let query = URLQuery(head.query)
    for item in query.items {
      _ = URLQuery.decodeComponent(item.name.utf8)
    }
    _ = EngineIOQuery(query: head.query)
    _ = WebSocketHandshake.isUpgradeRequest(head)
    _ = WebSocketHandshake.validate(head)
    _ = head.isKeepAlive
    _ = head.path
  }
}
