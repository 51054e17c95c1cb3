import Testing

@testable import Server

@Suite struct ClusterSessionIDTests {
  @Test func aClusterNodesIDsStartWithItsNodeID() {
    var settings = ClusterSettings(redis: RedisURL(host: "127.0.0.1"))
    settings.nodeID = "node-7_x"
    let sid = ClusterSessionID.make(cluster: settings)
    #expect(sid.hasPrefix("node-7_x."))
    #expect(sid.utf8.count == "node-7_x.".utf8.count + 20)
    #expect(ClusterSessionID.node(of: sid) == "node-7_x")
    #expect(ClusterSessionID.make(cluster: settings) != sid)
  }

  @Test func aSingleNodesIDsHaveNoPrefix() {
    let sid = ClusterSessionID.make(cluster: nil)
    #expect(sid.utf8.count == 20)
    #expect(!sid.contains("."))
    #expect(ClusterSessionID.node(of: sid) == nil)
  }

  @Test(
    arguments: [
      ("a.XYZ", "a"), ("abc.", "abc"), (".XYZ", nil), ("", nil), ("nodot", nil), ("a.b.c", "a"),
    ] as [(String, String?)])
  func theOwnerIsTheTextBeforeTheFirstDot(sid: String, node: String?) {
    #expect(ClusterSessionID.node(of: sid).map(String.init) == node)
  }
}
