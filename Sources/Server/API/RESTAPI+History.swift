import Protocol

/// Stored messages: one message's recipients and states, a user's history, its erasure.
extension RESTAPI {
  func message(_ id: String) async throws(RESTRequest.Invalid) -> HTTPResponse {
    do {
      guard
        let record = try await context.delivery.store.message(id: id, now: Clock.unixMilliseconds())
      else { return .error(404, "Message \(id) not found") }
      return .json(200, DeliveryJSON.message(record))
    } catch {
      return storeFailure(error)
    }
  }

  func history(_ userID: String, query: Substring) async throws(RESTRequest.Invalid)
    -> HTTPResponse
  {
    let (after, limit) = try RESTRequest.historyQuery(query)
    do {
      let page = try await context.delivery.store.history(
        userID: userID, after: after, limit: limit, now: Clock.unixMilliseconds())
      return .json(200, DeliveryJSON.historyPage(page, userID: userID))
    } catch {
      return storeFailure(error)
    }
  }

  func deleteHistory(_ userID: String) async throws(RESTRequest.Invalid) -> HTTPResponse {
    do {
      let deleted = try await context.delivery.store.deleteHistory(userID: userID)
      return .json(
        200,
        .object(JSONObject([("userId", .string(userID)), ("deleted", .number(Double(deleted)))])))
    } catch {
      return storeFailure(error)
    }
  }
}
