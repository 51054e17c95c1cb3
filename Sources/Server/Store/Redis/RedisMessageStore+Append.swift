import Protocol

extension RedisMessageStore {
  func append(
    _ request: AppendRequest,
    committed: @escaping @Sendable (Result<AppendResult, StoreError>) -> Void
  ) {
    if !writer.add(.append(request, committed)) {
      committed(.failure(StoreError("the Redis store is closed")))
    }
  }

  func saveAnswer(idempotencyKey: String, status: Int, body: [UInt8]) {
    _ = writer.add(.answer(key: idempotencyKey, status: status, body: body))
  }

  func markSent(_ positions: [UserPosition], at now: Int64) {
    guard !positions.isEmpty else { return }
    _ = writer.add(.sent(positions, at: now))
  }

  /// Sends one batch of queued writes as one pipelined write and hands each append its
  /// outcome, in the order they were queued (the order Redis ran them).
  func write(_ jobs: [RedisWriteQueue.Job]) async {
    let started = Clock.monotonicNanoseconds()
    let calls = jobs.map { call(for: $0) }
    let replies: [RESPValue]
    do {
      replies = try await client.evaluate(batch: calls)
    } catch {
      metrics.failures.add(1)
      let failure = StoreError(error.description)
      for job in jobs {
        if case .append(_, let committed) = job { committed(.failure(failure)) }
      }
      return
    }
    metrics.committed(jobs: jobs.count, nanoseconds: Clock.monotonicNanoseconds() - started)
    for ((job, call), reply) in zip(zip(jobs, calls), replies) {
      guard case .append(let request, let committed) = job else { continue }
      let messageID = String(decoding: call.arguments[3], as: UTF8.self)
      committed(appendResult(reply, request: request, messageID: messageID))
    }
  }

  /// The script and arguments of one job.
  private func call(for job: RedisWriteQueue.Job) -> RedisScriptCall {
    switch job {
    case .append(let request, _):
      let retention = Int64(settings.historyTTLSeconds) * 1000
      let lifetime = min(retention, request.ttlSeconds.map { Int64($0) * 1000 } ?? retention)
      var values = [
        settings.nodeID, settings.publishCommand, RandomID.make(), request.event, "",
        redisOptional(request.from), redisOptional(request.room), String(request.now),
        String(lifetime), String(retention), String(settings.maxPerUser),
        request.collapseKey ?? "", redisOptional(request.idempotencyKey),
      ]
      values.reserveCapacity(values.count + request.recipients.count * 2)
      for user in request.recipients { values += [user, LogOffset.newEpoch()] }
      var arguments = self.arguments(values)
      arguments[5] = request.messageJSON
      return RedisScriptCall(script: RedisScripts.append, arguments: arguments)
    case .answer(let key, let status, let body):
      var arguments = self.arguments([key, String(status), ""])
      arguments[3] = body
      return RedisScriptCall(script: RedisScripts.saveAnswer, arguments: arguments)
    case .sent(let positions, let now):
      var values = [String(now)]
      for position in positions {
        values += [position.userID, position.offset.epoch, String(position.offset.sequence)]
      }
      return RedisScriptCall(script: RedisScripts.markSent, arguments: arguments(values))
    }
  }

  /// Reads the append script's answer.
  private func appendResult(_ reply: RESPValue, request: AppendRequest, messageID: String)
    -> Result<AppendResult, StoreError>
  {
    if let message = reply.errorMessage {
      metrics.failures.add(1)
      return .failure(Self.scriptError(message))
    }
    guard let values = reply.elements, let kind = values.first?.string else {
      return .failure(StoreError("Redis answered an append with something unexpected"))
    }
    if kind == "dup", values.count >= 4 {
      return .success(
        .duplicate(
          messageID: values[1].string ?? "", status: values[2].optionalText.flatMap { Int($0) },
          answer: values[3].bytes.flatMap {
            $0.first == UInt8(ascii: "=") ? Array($0.dropFirst()) : nil
          }))
    }
    guard values.count == 1 + request.recipients.count * 3 else {
      return .failure(StoreError("Redis answered an append with the wrong number of values"))
    }
    var message = AppendedMessage(
      messageID: messageID, event: request.event, messageJSON: request.messageJSON, entries: [])
    for (index, user) in request.recipients.enumerated() {
      let base = 1 + index * 3
      message.entries.append(
        UserPosition(
          userID: user,
          offset: LogOffset(epoch: values[base].string ?? "", sequence: values[base + 1].number)))
      message.remoteReached.append(values[base + 2].number == 1)
    }
    return .success(.appended(message))
  }
}

/// One script run of a pipelined batch.
struct RedisScriptCall: Sendable {
  var script: RedisScript
  var arguments: [[UInt8]]
}
