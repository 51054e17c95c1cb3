/// Calls `body` with C strings for `strings` that stay valid until `body` returns.
///
/// OpenSSL's `OSSL_PARAM` and `OSSL_PARAM_BLD` keep the name (and string value) pointers they
/// are given rather than copying them, so a Swift `String` passed straight to
/// `OSSL_PARAM_BLD_push_BN` or `OSSL_PARAM_construct_utf8_string` dangles by the time the
/// parameters are read. Every such pointer must come from here and be used inside `body`.
func withCStrings<Result>(
  _ strings: [String], _ body: ([UnsafeMutablePointer<CChar>]) -> Result
) -> Result {
  withCStrings(strings[...], prefix: [], body)
}

private func withCStrings<Result>(
  _ strings: ArraySlice<String>, prefix: [UnsafeMutablePointer<CChar>],
  _ body: ([UnsafeMutablePointer<CChar>]) -> Result
) -> Result {
  guard let first = strings.first else { return body(prefix) }
  var bytes = Array(first.utf8CString)
  return bytes.withUnsafeMutableBufferPointer { buffer in
    guard let pointer = buffer.baseAddress else { return body(prefix) }
    return withCStrings(strings.dropFirst(), prefix: prefix + [pointer], body)
  }
}
