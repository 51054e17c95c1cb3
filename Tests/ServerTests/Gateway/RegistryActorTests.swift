import Testing

@testable import Server

@Suite struct RegistryActorTests {
  /// Registers and unregisters sockets under test, remembering which connection holds each.
  private final class Fixture {
    let registry = RegistryActor()
    let context: GatewayContext
    var targets: [String: SocketTarget] = [:]

    init(_ context: GatewayContext) { self.context = context }

    func register(_ user: String, _ socket: String) async {
      let target = RegistryActorTests.target(user, socket, context: context)
      targets[socket] = target
      await registry.register(target)
    }

    func unregister(_ user: String, _ socket: String) async -> Bool {
      guard let target = targets[socket] else { return false }
      return await registry.unregister(
        userID: user, socketID: socket, connection: target.connection)
    }
  }

  static func target(_ user: String, _ socket: String, context: GatewayContext) -> SocketTarget {
    let outbox = SessionOutbox(sid: socket, webSocket: nil, limit: 1000)
    let connection = ConnectionActor(
      sid: socket, outbox: outbox, peer: "test", context: context, application: .socketIO,
      handshakeToken: nil)
    let cursor = DeliveryCursor(outbox: outbox)
    _ = cursor.finishReplay(head: LogOffset(epoch: "none", sequence: 0), packets: [])
    return SocketTarget(
      userID: user, socketID: socket, outbox: outbox, cursor: cursor, connection: connection)
  }

  @Test func aUserStaysConnectedWhileAnySocketRemains() async throws {
    let server = try await TestServer.start()
    let fixture = Fixture(server.context)
    await fixture.register("u", "s1")
    await fixture.register("u", "s2")
    await fixture.register("v", "s3")
    #expect(await fixture.registry.snapshot().userIDs == ["u", "v"])
    #expect(await fixture.registry.snapshot().connections == 3)
    #expect(await fixture.unregister("u", "s1"))
    #expect(!(await fixture.unregister("u", "s1")))
    #expect(await fixture.registry.isConnected("u"))
    #expect(await fixture.unregister("u", "s2"))
    #expect(!(await fixture.registry.isConnected("u")))
    #expect(await fixture.registry.snapshot().userIDs == ["v"])
    await server.stop()
  }

  @Test func aUsersSocketsGoFromOneToManyAndBack() async throws {
    let server = try await TestServer.start()
    let fixture = Fixture(server.context)
    await fixture.register("u", "s1")
    await fixture.register("u", "s1")
    #expect(await fixture.registry.snapshot().connections == 1)
    await fixture.register("u", "s2")
    await fixture.register("u", "s3")
    await fixture.register("u", "s2")
    #expect(await fixture.registry.snapshot().connections == 3)
    #expect(Set(await fixture.registry.targets(for: "u").map(\.socketID)) == ["s1", "s2", "s3"])
    #expect(await fixture.unregister("u", "s2"))
    #expect(!(await fixture.unregister("u", "s9")))
    #expect(await fixture.unregister("u", "s1"))
    #expect(await fixture.registry.targets(for: "u").map(\.socketID) == ["s3"])
    await fixture.register("u", "s4")
    #expect(Set(await fixture.registry.allTargets().map(\.socketID)) == ["s3", "s4"])
    #expect(await fixture.unregister("u", "s3"))
    #expect(await fixture.unregister("u", "s4"))
    #expect(!(await fixture.registry.isConnected("u")))
    #expect(await fixture.registry.snapshot().connections == 0)
    await server.stop()
  }

  @Test func aRecoveredSocketIdIsNotRemovedByItsOldConnectionsLateUnregister() async throws {
    let server = try await TestServer.start()
    let registry = RegistryActor()
    let old = Self.target("u", "s1", context: server.context)
    let recovered = Self.target("u", "s1", context: server.context)
    await registry.register(old)
    await registry.register(recovered)
    #expect(!(await registry.unregister(userID: "u", socketID: "s1", connection: old.connection)))
    #expect(await registry.isConnected("u"))
    #expect(
      await registry.unregister(userID: "u", socketID: "s1", connection: recovered.connection))
    #expect(!(await registry.isConnected("u")))
    await server.stop()
  }

  @Test func targetsForEachUserKeepTheOrderAndLeaveOfflineUsersEmpty() async throws {
    let server = try await TestServer.start()
    let fixture = Fixture(server.context)
    await fixture.register("u", "s1")
    await fixture.register("u", "s2")
    let targets = await fixture.registry.targets(forEach: ["missing", "u"])
    #expect(targets.map(\.count) == [0, 2])
    await server.stop()
  }

  @Test func theSameLivePushIsQueuedForEveryTargetFromOneEncoding() async throws {
    let server = try await TestServer.start()
    let fixture = Fixture(server.context)
    await fixture.register("u", "s1")
    await fixture.register("u", "s2")
    let delivery = server.context.delivery
    let registryDelivery = Delivery(
      registry: fixture.registry, metrics: Metrics(), store: delivery.store, fanOut: FanOut(),
      recoveryAuthenticator: delivery.recoveryAuthenticator, recoveryLimit: 10)
    let reached = await registryDelivery.sendLive(
      event: "notification", argumentJSON: Array(#"{"a":1}"#.utf8), to: ["u", "v"])
    #expect(reached == [true, false])
    let pair = try TestChannelPair()
    let expected = OutboundPacket.text(Array(#"42["notification",{"a":1}]"#.utf8))
    for socket in ["s1", "s2"] {
      #expect(await fixture.targets[socket]?.outbox.poll(on: pair.server) == .packets([expected]))
    }
    await pair.close()
    await server.stop()
  }
}
