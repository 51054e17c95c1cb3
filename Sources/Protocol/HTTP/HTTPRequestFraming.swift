/// What a request's header fields say about its body and its host (RFC 9112 §3.2, §6), gathered
/// field by field from the raw bytes while the head is parsed, then judged once at its end.
struct HTTPRequestFraming: Sendable {
  /// How the body is delimited.
  enum Body: Sendable, Equatable {
    /// No body.
    case none
    /// Exactly this many bytes (more than zero).
    case length(Int)
    /// Chunked transfer coding.
    case chunked
  }

  /// The agreed `Content-Length`; `Int.max` stands for any value too large to represent.
  private var contentLength: Int?
  private var hasTransferEncoding = false
  private var chunkedCount = 0
  private var lastCodingIsChunked = false
  private var unsupportedCoding: String?
  private var hostCount = 0
  /// Whether the request carried `Expect: 100-continue`.
  private(set) var expectsContinue = false

  /// Longest coding name quoted back in an error message.
  private static let maxQuotedCodingLength = 64

  /// Notes a header field that bears on framing; other fields are ignored.
  /// - Parameters:
  ///   - name: A field name, already checked to be a token.
  ///   - value: Its value, trimmed and checked for control characters.
  mutating func record(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) throws(HTTPParseError) {
    switch name.count {
    case 4 where HTTPGrammar.equalsIgnoringCase(name, "host"):
      hostCount += 1
    case 6 where HTTPGrammar.equalsIgnoringCase(name, "expect"):
      if HTTPGrammar.equalsIgnoringCase(value, "100-continue") { expectsContinue = true }
    case 14 where HTTPGrammar.equalsIgnoringCase(name, "content-length"):
      try recordContentLength(value)
    case 17 where HTTPGrammar.equalsIgnoringCase(name, "transfer-encoding"):
      try recordTransferEncoding(value)
    default:
      break
    }
  }

  /// Decides how the body is delimited once every field is in.
  /// - Throws: 400 for a missing or repeated Host, TE with CL, TE in HTTP/1.0, or TE not ending
  ///   in one `chunked`; 501 for a coding other than `chunked`; 413 when `Content-Length` is over
  ///   `limits.maxBodyBytes`.
  func body(version: HTTPVersion, limits: HTTPLimits) throws(HTTPParseError) -> Body {
    // RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, and to any
    // request with more than one.
    guard hostCount <= 1 else { throw .badRequest("Request has more than one Host header") }
    guard hostCount == 1 || version != .http1_1 else {
      throw .badRequest("HTTP/1.1 request has no Host header")
    }
    if hasTransferEncoding {
      // RFC 9112 §6.1: HTTP/1.0 framing with Transfer-Encoding is faulty; §6.3: TE and CL
      // together are a smuggling attempt.
      guard version == .http1_1 else {
        throw .badRequest("Transfer-Encoding is not allowed in an HTTP/1.0 request")
      }
      guard contentLength == nil else {
        throw .badRequest("Request has both Transfer-Encoding and Content-Length")
      }
      if let unsupportedCoding {
        throw HTTPParseError(
          status: 501, message: "Transfer-Encoding '\(unsupportedCoding)' is not supported")
      }
      guard chunkedCount == 1, lastCodingIsChunked else {
        throw .badRequest("Transfer-Encoding must end with a single 'chunked'")
      }
      return .chunked
    }
    guard let contentLength, contentLength > 0 else { return .none }
    guard contentLength <= limits.maxBodyBytes else {
      throw .bodyTooLarge(limit: limits.maxBodyBytes)
    }
    return .length(contentLength)
  }

  /// RFC 9110 §8.6: one decimal number; repeated identical values (in several fields or as a
  /// list) are accepted as one, differing values are rejected.
  private mutating func recordContentLength(_ value: ArraySlice<UInt8>) throws(HTTPParseError) {
    // One value is the usual case: read in place, without the split's array.
    guard value.contains(HTTPGrammar.comma) else { return try recordContentLengthElement(value) }
    for element in value.split(separator: HTTPGrammar.comma, omittingEmptySubsequences: false) {
      try recordContentLengthElement(element)
    }
  }

  /// One element of a `Content-Length` list.
  private mutating func recordContentLengthElement(_ element: ArraySlice<UInt8>)
    throws(HTTPParseError)
  {
    let digits = HTTPGrammar.trimmed(element)
    guard !digits.isEmpty else { throw .badRequest("Content-Length is not a decimal number") }
    var length = 0
    for byte in digits {
      guard byte >= 0x30 && byte <= 0x39 else {
        throw .badRequest("Content-Length is not a decimal number")
      }
      // Saturate instead of overflowing: such a length is over every limit and gets 413.
      let (times, overflowTimes) = length.multipliedReportingOverflow(by: 10)
      let (sum, overflowSum) = times.addingReportingOverflow(Int(byte - 0x30))
      length = overflowTimes || overflowSum ? Int.max : sum
    }
    if let contentLength, contentLength != length {
      throw .badRequest("Request has differing Content-Length values")
    }
    contentLength = length
  }

  /// RFC 9112 §6.1: a comma-separated list of codings, possibly over several fields, in the
  /// order they were applied; parameters after `;` are ignored, empty elements skipped.
  private mutating func recordTransferEncoding(_ value: ArraySlice<UInt8>) throws(HTTPParseError) {
    hasTransferEncoding = true
    for element in value.split(separator: HTTPGrammar.comma) {
      var coding = element
      if let semicolon = coding.firstIndex(of: HTTPGrammar.semicolon) {
        coding = coding[..<semicolon]
      }
      coding = HTTPGrammar.trimmed(coding)
      guard !coding.isEmpty else { continue }
      // A coding is a token; anything else is garbage, and never quoted back in a message.
      guard coding.allSatisfy(HTTPGrammar.isToken) else {
        throw .badRequest("Transfer-Encoding has a malformed coding")
      }
      if HTTPGrammar.equalsIgnoringCase(coding, "chunked") {
        chunkedCount += 1
        lastCodingIsChunked = true
      } else {
        lastCodingIsChunked = false
        if unsupportedCoding == nil {
          unsupportedCoding = String(
            decoding: coding.prefix(Self.maxQuotedCodingLength), as: UTF8.self)
        }
      }
    }
  }
}
