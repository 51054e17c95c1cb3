extension RedisScripts {
  /// Moves queued copies to `sent`. ARGV: prefix, now, then per copy user, epoch, seq.
  static let markSent = RedisScript(
    helpers + """
      local now = ARGV[2]
      for i = 3, #ARGV, 3 do
        local u, epoch, seq = ARGV[i], ARGV[i + 1], ARGV[i + 2]
        if redis.call('HGET', ukey(u, 'meta'), 'epoch') == epoch then
          local value = redis.call('HGET', ukey(u, 'st'), seq)
          if value then
            local r = parse(value)
            if r[1] == 0 then
              r[1], r[3] = 1, now
              redis.call('HSET', ukey(u, 'st'), seq, unparse(r))
              redis.call('ZREM', P .. 'q', member(seq, u))
            end
          end
        end
      end
      return 0
      """)

  /// Moves a user's copies forward. ARGV: prefix, user, now, target state (2 delivered, 3
  /// read), mode (`upto` with epoch and seq, or `ids` with message ids). Answers per moved
  /// copy its message id, author and room (optional strings).
  static let mark = RedisScript(
    helpers + """
      local u, now, target, mode = ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
      local st = ukey(u, 'st')
      local seqs = {}
      if mode == 'upto' then
        if redis.call('HGET', ukey(u, 'meta'), 'epoch') ~= ARGV[6] then return {} end
        for _, entry in ipairs(redis.call('XRANGE', ukey(u, 'log'), '-', ARGV[7] .. '-0')) do
          table.insert(seqs, tonumber(string.match(entry[1], '^(%d+)')))
        end
      else
        for i = 6, #ARGV do
          local seq = redis.call('HGET', P .. 'msg:' .. ARGV[i] .. ':to', u)
          if seq then table.insert(seqs, tonumber(seq)) end
        end
        table.sort(seqs)
      end
      local out = {}
      for _, seq in ipairs(seqs) do
        local value = redis.call('HGET', st, seq)
        if value then
          local r = parse(value)
          if r[1] < target and r[2] > tonumber(now) then
            if r[3] == '' then r[3] = now end
            if target == 3 and r[4] == '' then r[4] = now end
            if target == 2 then r[4] = now else r[5] = now end
            r[1] = target
            redis.call('HSET', st, seq, unparse(r))
            settle(seq, u)
            local m = redis.call('HMGET', P .. 'msg:' .. r[6], 'f', 'r')
            table.insert(out, r[6])
            table.insert(out, opt(m[1]))
            table.insert(out, opt(m[2]))
          end
        end
      end
      return out
      """)

  /// Erases a user's log (the next append starts a new epoch). ARGV: prefix, user. Answers
  /// how many entries went.
  static let deleteHistory = RedisScript(
    helpers + """
      local u = ARGV[2]
      local fields = redis.call('HKEYS', ukey(u, 'st'))
      for _, seq in ipairs(fields) do
        settle(seq, u)
        redis.call('ZREM', P .. 'exp', member(seq, u))
      end
      redis.call('DEL', ukey(u, 'meta'), ukey(u, 'log'), ukey(u, 'st'), ukey(u, 'ck'))
      return #fields
      """)

  /// Records the answer of an idempotent request when its key is still there. ARGV: prefix,
  /// key, status, body.
  static let saveAnswer = RedisScript(
    helpers + """
      local key = P .. 'idem:' .. ARGV[2]
      if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 's', ARGV[3], 'a', ARGV[4]) end
      return 0
      """)

  /// One message with its recipients. ARGV: prefix, id. Answers `{}` when unknown, else
  /// event, json, created, from, room, then per recipient user, epoch, seq, state, expires,
  /// sentAt, deliveredAt, readAt.
  static let message = RedisScript(
    helpers + """
      local id = ARGV[2]
      local m = redis.call('HMGET', P .. 'msg:' .. id, 'e', 'j', 'c', 'f', 'r')
      if not m[1] then return {} end
      local out = {m[1], m[2], tonumber(m[3]), opt(m[4]), opt(m[5])}
      local to = redis.call('HGETALL', P .. 'msg:' .. id .. ':to')
      for i = 1, #to, 2 do
        local u, seq = to[i], to[i + 1]
        local epoch = redis.call('HGET', ukey(u, 'meta'), 'epoch')
        local value = epoch and redis.call('HGET', ukey(u, 'st'), seq)
        if value then
          local r = parse(value)
          if r[6] == id and r[1] ~= 5 then
            for _, v in ipairs({u, epoch, tonumber(seq), r[1], r[2], r[3], r[4], r[5]}) do
              table.insert(out, v)
            end
          end
        end
      end
      return out
      """)

  /// Marks copies past their lifetime `expired` and forgets expired ones past the retention.
  /// ARGV: prefix, now, retention ms, most copies to mark. Answers per newly expired copy its
  /// message id and user.
  static let sweep = RedisScript(
    helpers + """
      local now, retention, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
      local due = redis.call('ZRANGEBYSCORE', P .. 'u', '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
      local out = {}
      for i = 1, #due, 2 do
        local name = due[i]
        local seq, u = string.match(name, '^(%d+):(.*)$')
        local value = redis.call('HGET', ukey(u, 'st'), seq)
        if value then
          local r = parse(value)
          if r[1] <= 1 then
            r[1] = 4
            redis.call('HSET', ukey(u, 'st'), seq, unparse(r))
            redis.call('ZADD', P .. 'exp', due[i + 1], name)
            table.insert(out, r[6])
            table.insert(out, u)
          end
        end
        settle(seq, u)
      end
      redis.call('ZREMRANGEBYSCORE', P .. 'exp', '-inf', now - retention)
      return out
      """)

  /// The gauges. ARGV: prefix, now. Answers queued, expired, webhook backlog.
  static let counts = RedisScript(
    helpers + """
      local now = tonumber(ARGV[2])
      local queued = redis.call('ZCOUNT', P .. 'q', '(' .. now, '+inf')
      local expired = redis.call('ZCOUNT', P .. 'u', '-inf', now) + redis.call('ZCARD', P .. 'exp')
      return {queued, expired, tonumber(redis.call('GET', P .. 'wh:count') or '0')}
      """)
}
