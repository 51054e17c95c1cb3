extension HTTPRequestParser {
  /// The head of the request in progress once its request line was read, also after an
  /// error such as 413 (body too large); nil between requests. Lets the server act on a
  /// rejected request, e.g. close the Engine.IO session whose POST was over the limit.
  public var receivedHead: HTTPRequestHead? {
    head.method.isEmpty ? nil : head
  }
}
