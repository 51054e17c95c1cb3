/// The Lua scripts of `RedisMessageStore`; each runs atomically in Redis. Keys are built
/// inside the scripts from the prefix (ARGV[1]); see `RedisMessageStore` for the layout.
/// Optional strings travel as "" (none) or "=" followed by the value.
///
/// A copy's state lives in `P{u}:st`, field `<seq>`, as
/// `<state>,<expiresAt>,<sentAt>,<deliveredAt>,<readAt>,<messageID>` (times empty when unset).
enum RedisScripts {
  /// Lua helpers shared by the scripts: the state record and the member of the global
  /// sorted sets (`<seq>:<userID>`).
  static let helpers = """
    local P = ARGV[1]
    local function ukey(u, part) return P .. '{' .. u .. '}:' .. part end
    local function parse(v)
      local s, x, a, b, c, m = string.match(v, '^(%d+),(%d+),(%d*),(%d*),(%d*),(.*)$')
      return {tonumber(s), tonumber(x), a, b, c, m}
    end
    local function unparse(r)
      return r[1] .. ',' .. r[2] .. ',' .. r[3] .. ',' .. r[4] .. ',' .. r[5] .. ',' .. r[6]
    end
    local function member(seq, u) return seq .. ':' .. u end
    local function opt(v) if v then return '=' .. v end return '' end
    local function settle(seq, u) redis.call('ZREM', P .. 'q', member(seq, u)); redis.call('ZREM', P .. 'u', member(seq, u)) end

    """

  /// Appends one message to every recipient's log and routes it to the other live nodes.
  /// ARGV: prefix, nodeID, publish command, messageID, event, json, from, room, now,
  /// lifetime ms, retention ms, maxPerUser, collapseKey, idempotencyKey, then per recipient
  /// userID and a fresh epoch candidate. Answers `{'dup', id, status, answer}` or
  /// `{'ok', epoch1, seq1, reached1, ...}` and publishes one envelope per reached node.
  static let append = RedisScript(
    helpers + """
      local nodeID, publish, id, event, json = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
      local now, lifetime, retention = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
      local maxPer, ck, idem = tonumber(ARGV[12]), ARGV[13], ARGV[14]
      if idem ~= '' then
        local key = P .. 'idem:' .. string.sub(idem, 2)
        local seen = redis.call('HMGET', key, 'm', 's', 'a')
        if seen[1] then return {'dup', seen[1], opt(seen[2]), opt(seen[3])} end
        redis.call('HSET', key, 'm', id)
        redis.call('PEXPIRE', key, retention)
      end
      local msg = P .. 'msg:' .. id
      redis.call('HSET', msg, 'e', event, 'j', json, 'c', now)
      if ARGV[7] ~= '' then redis.call('HSET', msg, 'f', string.sub(ARGV[7], 2)) end
      if ARGV[8] ~= '' then redis.call('HSET', msg, 'r', string.sub(ARGV[8], 2)) end
      redis.call('PEXPIRE', msg, retention)
      local expires = now + lifetime
      local function ns(s) return #s .. ':' .. s end
      local out, routes, order, live = {'ok'}, {}, {}, {}
      for i = 15, #ARGV, 2 do
        local u, candidate = ARGV[i], ARGV[i + 1]
        local meta, log, st, cks = ukey(u, 'meta'), ukey(u, 'log'), ukey(u, 'st'), ukey(u, 'ck')
        local epoch = redis.call('HGET', meta, 'epoch')
        local seq
        if not epoch then
          epoch, seq = candidate, 1
          redis.call('DEL', log, st, cks)
          redis.call('HSET', meta, 'epoch', epoch, 'seq', 1)
        else
          seq = redis.call('HINCRBY', meta, 'seq', 1)
        end
        if ck ~= '' then
          local previous = redis.call('HGET', cks, ck)
          local old = previous and redis.call('HGET', st, previous)
          if old then
            local r = parse(old)
            if r[1] == 0 then
              r[1] = 5
              redis.call('HSET', st, previous, unparse(r))
              settle(previous, u)
            end
          end
          redis.call('HSET', cks, ck, seq)
          redis.call('PEXPIRE', cks, retention)
        end
        redis.call('XADD', log, 'MAXLEN', maxPer, seq .. '-0', 'm', id)
        redis.call('HSET', st, seq, '0,' .. expires .. ',,,,' .. id)
        redis.call('ZADD', P .. 'q', expires, member(seq, u))
        redis.call('ZADD', P .. 'u', expires, member(seq, u))
        if seq > maxPer then
          local gone = seq - maxPer
          redis.call('HDEL', st, gone)
          settle(gone, u)
          redis.call('ZREM', P .. 'exp', member(gone, u))
        end
        redis.call('PEXPIRE', meta, retention)
        redis.call('PEXPIRE', log, retention)
        redis.call('PEXPIRE', st, retention)
        redis.call('HSET', msg .. ':to', u, seq)
        local reached = 0
        local nodes = redis.call('HGETALL', ukey(u, 'nodes'))
        for j = 1, #nodes, 2 do
          local node = nodes[j]
          if node ~= nodeID and (tonumber(nodes[j + 1]) or 1) > 0 then
            if live[node] == nil then
              live[node] = redis.call('EXISTS', P .. 'node:' .. node) == 1
            end
            if live[node] then
              reached = 1
              if not routes[node] then
                routes[node] = {}
                table.insert(order, node)
              end
              table.insert(routes[node], ns(u) .. ns(epoch .. '.' .. seq))
            end
          end
        end
        table.insert(out, epoch)
        table.insert(out, seq)
        table.insert(out, reached)
      end
      redis.call('PEXPIRE', msg .. ':to', retention)
      local header = ns(id) .. ns(event) .. ns(json)
      for _, node in ipairs(order) do
        redis.call(publish, P .. 'deliver:' .. node, header .. table.concat(routes[node]))
      end
      return out
      """)

  /// Reads a user's log in one snapshot. ARGV: prefix, user, mode (`history`, `queued`,
  /// `recover`), after epoch ("" none), after seq, limit, now. Answers `{epoch, head, ok,
  /// then per entry seq, id, state, expires, event, json, created, from}` where `ok` is 0
  /// when `recover` finds the range incomplete; the epoch is `none` for a user with no log.
  static let read = RedisScript(
    helpers + """
      local u, mode, afterEpoch = ARGV[2], ARGV[3], ARGV[4]
      local afterSeq, limit, now = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
      local meta = redis.call('HMGET', ukey(u, 'meta'), 'epoch', 'seq')
      local epoch, head = meta[1] or 'none', tonumber(meta[2] or '0')
      local out = {epoch, head, 1}
      local start = 0
      if mode == 'history' then
        if afterEpoch == epoch then start = afterSeq end
      elseif mode == 'recover' then
        local missing = head - afterSeq
        local same = afterEpoch == epoch or (afterEpoch == 'none' and afterSeq == 0)
        if not same or missing < 0 or missing > limit then out[3] = 0; return out end
        start = afterSeq
        limit = missing
      end
      if meta[1] == nil then return out end
      local st = ukey(u, 'st')
      local entries = redis.call('XRANGE', ukey(u, 'log'), '(' .. start .. '-0', '+')
      local picked, present = {}, 0
      for _, entry in ipairs(entries) do
        local seq = tonumber(string.match(entry[1], '^(%d+)'))
        local value = redis.call('HGET', st, seq)
        if value then
          local r = parse(value)
          local take
          if mode == 'history' then
            take = r[1] ~= 5 and r[2] > now
          elseif mode == 'queued' then
            take = r[1] == 0 and r[2] > now
          else
            if r[1] == 5 or (r[1] ~= 4 and r[2] > now) then present = present + 1 end
            take = r[1] ~= 5
          end
          if take then table.insert(picked, {seq, r}) end
        end
      end
      if mode == 'recover' and present ~= limit then out[3] = 0; return out end
      local wanted = limit
      if mode == 'history' then wanted = limit + 1 end
      local messages = {}
      for i = 1, math.min(#picked, wanted) do
        local seq, r = picked[i][1], picked[i][2]
        local m = messages[r[6]]
        if not m then
          m = redis.call('HMGET', P .. 'msg:' .. r[6], 'e', 'j', 'c', 'f')
          messages[r[6]] = m
        end
        table.insert(out, seq)
        table.insert(out, r[6])
        table.insert(out, r[1])
        table.insert(out, r[2])
        table.insert(out, m[1] or '')
        table.insert(out, m[2] or '')
        table.insert(out, tonumber(m[3] or '0'))
        table.insert(out, opt(m[4]))
      end
      return out
      """)
}
