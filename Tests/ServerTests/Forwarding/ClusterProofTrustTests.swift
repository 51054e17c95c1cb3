import Protocol
import Testing

@testable import Server

/// Who is trusted for `X-Gateway-Client-Address`: only requests with the cluster's proof.
@Suite struct ClusterProofTrustTests {
  @Test func aHandshakeWithAValidProofTakesTheAddressItCarries() async throws {
    let cluster = try await TestCluster.start(["a"])
    let proof = ClusterProof(secret: TestCluster.secret)
    var http = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(
      &http,
      headers: [
        (ClusterProof.headerName, proof.value),
        (ClusterProof.clientAddressHeaderName, "192.0.2.7:4000"),
      ])
    #expect(cluster["a"].context.sessions[sid]?.peer == "192.0.2.7:4000")
    http.socket.close()
    await cluster.stop()
  }

  @Test(arguments: [
    [("X-Gateway-Cluster", "0000"), ("X-Gateway-Client-Address", "6.6.6.6:1")],
    [("X-Gateway-Client-Address", "6.6.6.6:1")],
    [
      ("X-Gateway-Cluster", ClusterProof(secret: "another-secret").value),
      ("X-Gateway-Client-Address", "6.6.6.6:1"),
    ],
  ])
  func aHandshakeWithoutAValidProofKeepsItsRealAddress(headers: [(String, String)])
    async throws
  {
    let cluster = try await TestCluster.start(["a"])
    var http = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&http, headers: headers)
    let peer = cluster["a"].context.sessions[sid]?.peer
    #expect(peer?.hasPrefix("127.0.0.1:") == true)
    http.socket.close()
    await cluster.stop()
  }

  @Test func aSpoofedAddressSentToAForwardingNodeIsReplacedByTheRealOne() async throws {
    let cluster = try await TestCluster.start()
    var onA = try await TestHTTPClient(port: cluster["a"].port)
    let sid = try await PollingSteps.handshake(&onA)
    var onB = try await TestHTTPClient(port: cluster["b"].port)
    let post = try await onB.request(
      "POST", PollingSteps.target(sid),
      headers: [("X-Gateway-Cluster", "forged"), ("X-Gateway-Client-Address", "6.6.6.6:1")],
      body: "40")
    #expect(post.status == 200)
    let lines = cluster["a"].logLines.all.filter { $0.contains("forwarded request") }
    #expect(lines.count == 1)
    #expect(lines.first?.contains("127.0.0.1:") == true)
    #expect(!cluster["a"].logLines.all.contains { $0.contains("6.6.6.6") })
    onA.socket.close()
    onB.socket.close()
    await cluster.stop()
  }
}
