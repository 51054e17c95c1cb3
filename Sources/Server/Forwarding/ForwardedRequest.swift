import Protocol

/// The bytes of a request re-sent to the session's owner, and the answer relayed back.
///
/// ```
/// GET /socket.io/?EIO=4&transport=polling&sid=a.XXXX HTTP/1.1\r\n
/// <the client's fields, hop-by-hop and X-Gateway-* ones left out>\r\n
/// X-Gateway-Cluster: <proof>\r\n
/// X-Gateway-Client-Address: 203.0.113.9:50122\r\n
/// Content-Length: <body>\r\n          (Connection: Upgrade for an upgrade)
/// \r\n
/// <body>
/// ```
enum ForwardedRequest {
  /// Fields that describe one connection, not the request (RFC 9110 §7.6.1), plus the
  /// cluster's own, which only this node may set; compared lowercased.
  private static let dropped: Set<String> = [
    "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
    "content-length", "expect", ClusterProof.headerName.lowercased(),
    ClusterProof.clientAddressHeaderName.lowercased(),
  ]

  /// Encodes `request` for the owner at `address`.
  static func encode(
    _ request: HTTPRequest, address: String, proof: ClusterProof, clientAddress: String,
    isUpgrade: Bool
  ) -> [UInt8] {
    let head = request.head
    var text = "\(head.method) \(head.target) HTTP/1.1\r\n"
    if head.headers["host"] == nil { text += "Host: \(address)\r\n" }
    for field in head.headers where !dropped.contains(field.name.lowercased()) {
      text += "\(field.name): \(field.value)\r\n"
    }
    text += "\(ClusterProof.headerName): \(proof.value)\r\n"
    text += "\(ClusterProof.clientAddressHeaderName): \(clientAddress)\r\n"
    if isUpgrade {
      text += "Connection: Upgrade\r\n"
    } else {
      text += "Content-Length: \(request.body.count)\r\n"
    }
    text += "\r\n"
    var bytes = Array(text.utf8)
    if !isUpgrade { bytes += request.body }
    return bytes
  }

  /// The owner's answer as this node sends it to the client: status, fields (content type,
  /// CORS, cookies, the upgrade's) and body unchanged; only the framing and connection fields
  /// are left to this node's encoder (a `101` keeps its `Connection: Upgrade`).
  static func relay(_ response: HTTPResponseParser.Response) -> HTTPResponse {
    let status = response.head.status
    var headers = HTTPHeaders()
    for field in response.head.headers {
      let name = field.name.lowercased()
      if name == "content-length" || name == "transfer-encoding" || name == "keep-alive" {
        continue
      }
      if name == "connection", status != 101 { continue }
      headers.add(name: field.name, value: field.value)
    }
    return HTTPResponse(
      status: status, headers: headers, body: response.body,
      closeConnection: response.closesConnection && status != 101)
  }
}
