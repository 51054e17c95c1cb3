import Testing

@testable import Server

@Suite struct RegistryActorTests {
  private func target(_ user: String, _ socket: String, context: GatewayContext) -> SocketTarget {
    let outbox = SessionOutbox(sid: socket, webSocket: nil, limit: 1000)
    let connection = ConnectionActor(
      sid: socket, outbox: outbox, peer: "test", context: context, application: .socketIO,
      handshakeToken: nil)
    return SocketTarget(userID: user, socketID: socket, outbox: outbox, connection: connection)
  }

  @Test func aUserStaysConnectedWhileAnySocketRemains() async throws {
    let server = try TestServer.start()
    let registry = RegistryActor()
    await registry.register(target("u", "s1", context: server.context))
    await registry.register(target("u", "s2", context: server.context))
    await registry.register(target("v", "s3", context: server.context))
    #expect(await registry.snapshot().userIDs == ["u", "v"])
    #expect(await registry.snapshot().connections == 3)
    #expect(await registry.unregister(userID: "u", socketID: "s1"))
    #expect(!(await registry.unregister(userID: "u", socketID: "s1")))
    #expect(await registry.isConnected("u"))
    #expect(await registry.unregister(userID: "u", socketID: "s2"))
    #expect(!(await registry.isConnected("u")))
    #expect(await registry.snapshot().userIDs == ["v"])
    await server.stop()
  }

  @Test func aUsersSocketsGoFromOneToManyAndBack() async throws {
    let server = try TestServer.start()
    let registry = RegistryActor()
    await registry.register(target("u", "s1", context: server.context))
    await registry.register(target("u", "s1", context: server.context))
    #expect(await registry.snapshot().connections == 1)
    await registry.register(target("u", "s2", context: server.context))
    await registry.register(target("u", "s3", context: server.context))
    await registry.register(target("u", "s2", context: server.context))
    #expect(await registry.snapshot().connections == 3)
    #expect(Set(await registry.targets(for: "u").map(\.socketID)) == ["s1", "s2", "s3"])
    #expect(await registry.unregister(userID: "u", socketID: "s2"))
    #expect(!(await registry.unregister(userID: "u", socketID: "s9")))
    #expect(await registry.unregister(userID: "u", socketID: "s1"))
    #expect(await registry.targets(for: "u").map(\.socketID) == ["s3"])
    await registry.register(target("u", "s4", context: server.context))
    #expect(Set(await registry.allTargets().map(\.socketID)) == ["s3", "s4"])
    #expect(await registry.unregister(userID: "u", socketID: "s3"))
    #expect(await registry.unregister(userID: "u", socketID: "s4"))
    #expect(!(await registry.isConnected("u")))
    #expect(await registry.snapshot().connections == 0)
    await server.stop()
  }

  @Test func sendManyTargetsEachUserOnceAndCountsConnectedUsers() async throws {
    let server = try TestServer.start()
    let registry = RegistryActor()
    await registry.register(target("u", "s1", context: server.context))
    await registry.register(target("u", "s2", context: server.context))
    let (targets, connected) = await registry.targets(for: ["u", "u", "missing"])
    #expect(targets.count == 2)
    #expect(connected == 1)
    await server.stop()
  }

  @Test func theSamePushIsQueuedForEveryTargetFromOneEncoding() async throws {
    let server = try TestServer.start()
    let registry = RegistryActor()
    let first = target("u", "s1", context: server.context)
    let second = target("u", "s2", context: server.context)
    await registry.register(first)
    await registry.register(second)
    let delivery = Delivery(registry: registry, metrics: Metrics())
    let reached = await delivery.send(
      event: "notification", argumentJSON: Array(#"{"a":1}"#.utf8), to: "u")
    #expect(reached == 2)
    let pair = try TestChannelPair()
    let expected = OutboundPacket.text(Array(#"42["notification",{"a":1}]"#.utf8))
    #expect(await first.outbox.poll(on: pair.server) == .packets([expected]))
    #expect(await second.outbox.poll(on: pair.server) == .packets([expected]))
    await pair.close()
    await server.stop()
  }
}
