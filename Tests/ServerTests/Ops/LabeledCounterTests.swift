import Auth
import Testing

@testable import Server

@Suite struct LabeledCounterTests {
  @Test func countsByLabelAndUnknownValuesAsOther() {
    let counter = LabeledCounter(
      "gateway_d_total", "d", label: "reason", cases: CloseReason.self, extra: ["client"])
    counter.increment(CloseReason.pingTimeout)
    counter.increment(CloseReason.pingTimeout)
    counter.increment("client")
    counter.increment("made up")
    #expect(counter.count("ping timeout") == 2)
    #expect(counter.count("client") == 1)
    #expect(counter.count("other") == 1)
    #expect(counter.total == 4)
  }

  @Test func writesEveryKnownValueThenOther() {
    let counter = LabeledCounter(
      "gateway_a_total", "Auth.", label: "reason", cases: AuthError.Reason.self)
    counter.increment(AuthError.Reason.expired)
    var exposition = PrometheusExposition()
    counter.write(into: &exposition)
    let lines = exposition.text.split(separator: "\n")
    #expect(lines.count == 2 + AuthError.Reason.allCases.count + 1)
    #expect(lines.contains(#"gateway_a_total{reason="expired"} 1"#))
    #expect(lines.contains(#"gateway_a_total{reason="missingToken"} 0"#))
    #expect(lines.last == #"gateway_a_total{reason="other"} 0"#)
  }
}
