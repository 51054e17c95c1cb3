import Protocol

/// Live-only events (`persist:false`, typing) across nodes: one script finds the live nodes
/// that hold each user and publishes one message per node, not one per user.
extension ClusterNode: RemoteDelivery {
  /// Publishes to the other nodes holding `userIDs`; per user, whether a live node other
  /// than this one holds a socket of theirs. Nil when Redis cannot be reached (the caller
  /// then reports only its own sockets).
  func publishLive(event: String, argumentJSON: [UInt8], to userIDs: [String]) async -> [Bool]? {
    var arguments: [[UInt8]] = [
      Array(keys.prefix.utf8), Array(settings.nodeID.utf8), Array(publishCommand.utf8),
      Array(event.utf8), argumentJSON,
    ]
    arguments.reserveCapacity(arguments.count + userIDs.count)
    for userID in userIDs { arguments.append(Array(userID.utf8)) }
    guard let reply = try? await client.evaluate(Self.liveScript, keys: [], arguments: arguments),
      let flags = reply.elements, flags.count == userIDs.count
    else { return nil }
    return flags.map { $0.integer == 1 }
  }

  /// ARGV: prefix, this node, publish command, event, message JSON, then the user ids.
  /// Reads each user's node hash, keeps live nodes, publishes per node on `P live:<node>`
  /// the event, the JSON and that node's users as netstrings (`LiveEnvelope`). Returns a
  /// 0/1 per user: held by a live node other than this one. (It names keys it was not
  /// given, which a single Redis allows and a Redis Cluster would not.)
  static let liveScript = RedisScript(
    """
    local p, self, cmd = ARGV[1], ARGV[2], ARGV[3]
    local head = #ARGV[4] .. ':' .. ARGV[4] .. #ARGV[5] .. ':' .. ARGV[5]
    local alive, groups, order, reached = {}, {}, {}, {}
    for i = 6, #ARGV do
      local u = ARGV[i]
      local fields = redis.call('HGETALL', p .. '{' .. u .. '}:nodes')
      local r = 0
      for j = 1, #fields, 2 do
        local n = fields[j]
        if n ~= self and (tonumber(fields[j + 1]) or 0) > 0 then
          if alive[n] == nil then alive[n] = redis.call('EXISTS', p .. 'node:' .. n) == 1 end
          if alive[n] then
            r = 1
            if groups[n] == nil then
              groups[n] = {}
              order[#order + 1] = n
            end
            local g = groups[n]
            g[#g + 1] = #u .. ':' .. u
          end
        end
      end
      reached[#reached + 1] = r
    end
    for _, n in ipairs(order) do
      redis.call(cmd, p .. 'live:' .. n, head .. table.concat(groups[n]))
    end
    return reached
    """)
}

extension ClusterNode: RoomChangeListener {
  /// Tells the other nodes to read `room` again (they also read every room after their
  /// subscription comes back, so a lost notice heals).
  func roomChanged(_ room: String) async {
    _ = try? await client.send([["PUBLISH", keys.roomsChannel, room]])
  }
}
