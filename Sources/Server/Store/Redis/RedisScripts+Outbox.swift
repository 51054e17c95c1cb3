extension RedisScripts {
  /// Changes a room. ARGV: prefix, room, remove mode (`list`, `all`, `none`), count of users
  /// to remove, those users, then users to add. Answers added, removed, version, then per
  /// member user and position, in position order.
  static let changeMembers = RedisScript(
    helpers + """
      local key = P .. 'room:' .. ARGV[2]
      local mode, count = ARGV[3], tonumber(ARGV[4])
      local added, removed = 0, 0
      if mode == 'list' then
        for i = 5, 4 + count do removed = removed + redis.call('ZREM', key, ARGV[i]) end
      elseif mode == 'all' then
        removed = redis.call('ZCARD', key)
        redis.call('DEL', key)
      end
      for i = 5 + count, #ARGV do
        if not redis.call('ZSCORE', key, ARGV[i]) then
          redis.call('ZADD', key, redis.call('INCR', P .. 'clock'), ARGV[i])
          added = added + 1
        end
      end
      if redis.call('EXISTS', key) == 1 then
        redis.call('SADD', P .. 'rooms', ARGV[2])
      else
        redis.call('SREM', P .. 'rooms', ARGV[2])
      end
      local out = {added, removed, redis.call('INCR', P .. 'clock')}
      local members = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
      for i = 1, #members, 2 do
        table.insert(out, members[i])
        table.insert(out, tonumber(members[i + 1]))
      end
      return out
      """)

  /// Every room: per room its name, member count, then user and position per member.
  static let allMemberships = RedisScript(
    helpers + """
      local out = {}
      for _, room in ipairs(redis.call('SMEMBERS', P .. 'rooms')) do
        local members = redis.call('ZRANGE', P .. 'room:' .. room, 0, -1, 'WITHSCORES')
        table.insert(out, room)
        table.insert(out, #members / 2)
        for i = 1, #members, 2 do
          table.insert(out, members[i])
          table.insert(out, tonumber(members[i + 1]))
        end
      end
      return out
      """)

  /// Queues webhook events: a user's event is due no earlier than the one before it.
  /// ARGV: prefix, then per event id, user key, body, created.
  static let enqueueWebhooks = RedisScript(
    helpers + """
      for i = 2, #ARGV, 4 do
        local id, user, body, created = ARGV[i], ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
        local seq = redis.call('INCR', P .. 'wh:seq')
        local list = P .. 'wh:user:' .. user
        local head = redis.call('LINDEX', list, 0)
        local nextAt = created
        if head then
          nextAt = math.max(created, tonumber(redis.call('HGET', P .. 'wh:ev:' .. head, 'n') or '0'))
        else
          redis.call('ZADD', P .. 'wh:heads', seq, user)
        end
        redis.call('HSET', P .. 'wh:ev:' .. seq, 'i', id, 'u', user, 'b', body, 'c', created,
          'a', 0, 'n', nextAt)
        redis.call('RPUSH', list, seq)
        redis.call('INCR', P .. 'wh:count')
      end
      return 0
      """)

  /// The next due event of each user, oldest users first, each leased to the caller: its
  /// due time moves `lease` ms ahead, so the other nodes (which run their own dispatchers on
  /// the same outbox) skip it while it is in flight here, and take it over if this node dies
  /// before finishing it. ARGV: prefix, now, limit, lease, then the busy users. Answers per
  /// event seq, id, user, body, created, attempts.
  static let dueWebhooks = RedisScript(
    helpers + """
      local now, limit, lease = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
      local busy = {}
      for i = 5, #ARGV do busy[ARGV[i]] = true end
      local out, found, start = {}, 0, 0
      while found < limit and start < 10000 do
        local heads = redis.call('ZRANGE', P .. 'wh:heads', start, start + 255)
        if #heads == 0 then break end
        for _, user in ipairs(heads) do
          if found < limit and not busy[user] then
            local seq = redis.call('LINDEX', P .. 'wh:user:' .. user, 0)
            local e = seq and redis.call('HMGET', P .. 'wh:ev:' .. seq, 'i', 'b', 'c', 'a', 'n')
            if e and e[1] and tonumber(e[5]) <= now then
              redis.call('HSET', P .. 'wh:ev:' .. seq, 'n', now + lease)
              for _, v in ipairs({tonumber(seq), e[1], user, e[2], tonumber(e[3]), tonumber(e[4])}) do
                table.insert(out, v)
              end
              found = found + 1
            end
          end
        end
        start = start + 256
      end
      return out
      """)

  /// Removes an event from the outbox. ARGV: prefix, seq.
  static let finishWebhook = RedisScript(
    helpers + """
      local event = P .. 'wh:ev:' .. ARGV[2]
      local user = redis.call('HGET', event, 'u')
      if not user then return 0 end
      local list = P .. 'wh:user:' .. user
      redis.call('LREM', list, 1, ARGV[2])
      redis.call('DEL', event)
      redis.call('DECR', P .. 'wh:count')
      local head = redis.call('LINDEX', list, 0)
      if head then
        redis.call('ZADD', P .. 'wh:heads', head, user)
      else
        redis.call('ZREM', P .. 'wh:heads', user)
      end
      return 1
      """)

  /// Records a failed attempt: the event and the user's later ones wait until `nextAt`.
  /// ARGV: prefix, seq, attempts, nextAt.
  static let retryWebhook = RedisScript(
    helpers + """
      local event = P .. 'wh:ev:' .. ARGV[2]
      local user = redis.call('HGET', event, 'u')
      if not user then return 0 end
      redis.call('HSET', event, 'a', ARGV[3])
      local nextAt = tonumber(ARGV[4])
      -- The failed event itself drops its lease; later ones wait at least as long.
      redis.call('HSET', event, 'n', nextAt)
      for _, seq in ipairs(redis.call('LRANGE', P .. 'wh:user:' .. user, 0, -1)) do
        local key = P .. 'wh:ev:' .. seq
        if tonumber(redis.call('HGET', key, 'n') or '0') < nextAt then
          redis.call('HSET', key, 'n', nextAt)
        end
      end
      return 1
      """)
}
