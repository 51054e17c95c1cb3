import Auth
import Protocol
import Testing

@testable import Server

@Suite struct ClusterProofTests {
  @Test func theProofIsTheHexHMACOfTheLabel() {
    let proof = ClusterProof(secret: "s3cret")
    let code = MessageAuthenticator(secret: Array("s3cret".utf8))
      .code(for: Array("gateway-cluster-forward-v1".utf8))
    let hex = code.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    #expect(proof.value == hex)
    #expect(proof.value.utf8.count == 64)
    #expect(ClusterProof(secret: "other").value != proof.value)
  }

  @Test func onlyOneExactProofIsValid() {
    let proof = ClusterProof(secret: "s3cret")
    #expect(proof.isValid(HTTPHeaders([("x-gateway-cluster", proof.value)])))
    #expect(!proof.isValid(HTTPHeaders()))
    #expect(!proof.isValid(HTTPHeaders([("X-Gateway-Cluster", proof.value.uppercased())])))
    #expect(!proof.isValid(HTTPHeaders([("X-Gateway-Cluster", String(proof.value.dropLast()))])))
    #expect(
      !proof.isValid(
        HTTPHeaders([("X-Gateway-Cluster", proof.value), ("X-Gateway-Cluster", proof.value)])))
  }

  @Test func theClientAddressNeedsTheProof() {
    let proof = ClusterProof(secret: "s3cret")
    let address = ("X-Gateway-Client-Address", "198.51.100.4:61000")
    #expect(
      proof.clientAddress(HTTPHeaders([("X-Gateway-Cluster", proof.value), address]))
        == "198.51.100.4:61000")
    #expect(proof.clientAddress(HTTPHeaders([("X-Gateway-Cluster", "nope"), address])) == nil)
    #expect(proof.clientAddress(HTTPHeaders([address])) == nil)
    #expect(proof.clientAddress(HTTPHeaders([("X-Gateway-Cluster", proof.value)])) == nil)
    let long = ("X-Gateway-Client-Address", String(repeating: "1", count: 65))
    #expect(proof.clientAddress(HTTPHeaders([("X-Gateway-Cluster", proof.value), long])) == nil)
  }
}
