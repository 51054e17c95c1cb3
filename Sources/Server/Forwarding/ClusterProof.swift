import Auth
import Protocol

/// The header that marks a request as forwarded by another node of the cluster, and proves it.
///
/// Its value is the hex HMAC-SHA256 of a fixed label under `GATEWAY_CLUSTER_SECRET`: a node
/// that knows the secret computes it once; a client that does not cannot make it. Only a
/// request with the right value is trusted for its `X-Gateway-Client-Address` and is never
/// forwarded again; anything else is an ordinary client request. The value is the same for
/// every request, so it must only travel on the internal network between nodes.
struct ClusterProof: Sendable {
  /// Carries the proof.
  static let headerName = "X-Gateway-Cluster"
  /// The original client's `host:port`, set by the forwarding node.
  static let clientAddressHeaderName = "X-Gateway-Client-Address"
  /// What is signed; versioned so that a later scheme can tell itself apart.
  static let label = "gateway-cluster-forward-v1"

  /// The header value this cluster's nodes send.
  let value: String
  private let bytes: [UInt8]

  /// The proof for `secret`.
  init(secret: String) {
    let code = MessageAuthenticator(secret: Array(secret.utf8)).code(for: Array(Self.label.utf8))
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(code.count * 2)
    for byte in code {
      hex.append(digits[Int(byte >> 4)])
      hex.append(digits[Int(byte & 0x0F)])
    }
    bytes = hex
    value = String(decoding: hex, as: UTF8.self)
  }

  /// Whether `headers` carry exactly one proof header with the right value (compared in
  /// constant time).
  func isValid(_ headers: HTTPHeaders) -> Bool {
    let values = headers.values(for: Self.headerName)
    guard values.count == 1 else { return false }
    return constantTimeEquals(values[0].utf8, bytes)
  }

  /// The client address a proven request carries: nil without a valid proof, or when the
  /// header is missing, repeated, empty or longer than an address can be.
  func clientAddress(_ headers: HTTPHeaders) -> String? {
    guard isValid(headers) else { return nil }
    let values = headers.values(for: Self.clientAddressHeaderName)
    guard values.count == 1, let address = values.first, (1...64).contains(address.utf8.count)
    else { return nil }
    return address
  }
}
