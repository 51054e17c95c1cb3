import Testing

@testable import Server

@Suite struct RoomDirectoryTests {
  private func membership(
    _ room: String, _ members: [String], version: Int64, from start: Int64 = 1
  )
    -> RoomMembership
  {
    RoomMembership(
      room: room, members: members.enumerated().map { ($1, start + Int64($0)) }, version: version)
  }

  @Test func membersRoomsAndCoMembersFollowTheAppliedChanges() {
    let directory = RoomDirectory()
    directory.apply(membership("a", ["u", "v"], version: 1))
    directory.apply(membership("b", ["u", "w"], version: 2, from: 10))
    #expect(directory.members(of: "a") == ["u", "v"])
    #expect(directory.rooms(of: "u") == ["a", "b"])
    #expect(directory.coMembers(of: "u") == ["v", "w"])
    #expect(directory.shareRoom("v", "u") && !directory.shareRoom("v", "w"))
    directory.apply(membership("a", ["v"], version: 3))
    #expect(directory.rooms(of: "u") == ["b"])
    #expect(!directory.isMember("u", of: "a"))
    directory.apply(membership("b", [], version: 4))
    #expect(directory.members(of: "b").isEmpty && directory.rooms(of: "w").isEmpty)
  }

  @Test func anOlderAnswerNeverOverwritesANewerOne() {
    let directory = RoomDirectory()
    directory.apply(membership("a", ["u"], version: 5))
    directory.apply(membership("a", ["u", "v"], version: 4))
    #expect(directory.members(of: "a") == ["u"])
    directory.apply(membership("a", [], version: 6))
    directory.apply(membership("a", ["x"], version: 5))
    #expect(directory.members(of: "a").isEmpty)
  }

  @Test(arguments: [
    ("team:42", true), ("doc:7", true), ("doc:", true), ("team:43", false), ("docs:1", false),
  ])
  func claimPatternsMatchExactNamesAndPrefixes(_ room: String, _ allowed: Bool) {
    #expect(RoomPatterns(["team:42", "doc:*"]).allows(room) == allowed)
  }

  @Test func aTokenWithoutARoomsClaimMayJoinNothing() {
    #expect(RoomPatterns(claimsJSON: Array(#"{"sub":"u"}"#.utf8)) == nil)
    #expect(RoomPatterns(claimsJSON: Array(#"{"rooms":"team:1"}"#.utf8)) == nil)
    #expect(RoomPatterns(claimsJSON: Array(#"{"rooms":["a","b:*"]}"#.utf8))?.allows("b:1") == true)
  }

  @Test(arguments: [
    ("team:42", true), ("a.b_c-d@e", true), ("", false), ("has space", false), ("é", false),
    (String(repeating: "x", count: 128), true), (String(repeating: "x", count: 129), false),
  ])
  func roomNamesAreChecked(_ name: String, _ valid: Bool) {
    #expect(RoomName.isValid(name) == valid)
  }
}
