import Testing

@testable import Server

@Suite struct PrometheusExpositionTests {
  @Test func singleWritesHelpTypeAndOneSample() {
    var exposition = PrometheusExposition()
    exposition.single("gateway_up", help: "Whether it runs.", type: .gauge, 1)
    #expect(
      exposition.text
        == "# HELP gateway_up Whether it runs.\n# TYPE gateway_up gauge\ngateway_up 1\n")
  }

  @Test func labelValuesEscapeBackslashQuoteAndLineFeed() {
    var exposition = PrometheusExposition()
    exposition.sample("gateway_x_total", ["reason": "a\\b\"c\nd"], 3)
    #expect(exposition.text == #"gateway_x_total{reason="a\\b\"c\nd"} 3"# + "\n")
  }

  @Test func helpEscapesBackslashAndLineFeedOnly() {
    #expect(PrometheusExposition.escapedHelp("a\\b\n\"c\"") == #"a\\b\n"c""#)
  }

  @Test func numbersAreWrittenAsTheFormatReadsThem() {
    #expect(PrometheusExposition.format(2) == "2")
    #expect(PrometheusExposition.format(0.0025) == "0.0025")
    #expect(PrometheusExposition.format(1e-05) == "1e-05")
    #expect(PrometheusExposition.format(.infinity) == "+Inf")
    #expect(PrometheusExposition.format(-.infinity) == "-Inf")
    #expect(PrometheusExposition.format(.nan) == "NaN")
  }

  @Test func histogramWritesCumulativeBucketsThenInfSumAndCount() {
    let histogram = LatencyHistogram("gateway_t_seconds", "Time.")
    histogram.observe(nanoseconds: 50_000)  // 50 µs: the first bucket
    histogram.observe(nanoseconds: 3_000_000)  // 3 ms: le="0.005"
    histogram.observe(nanoseconds: 20_000_000_000)  // 20 s: +Inf only
    var exposition = PrometheusExposition()
    histogram.write(into: &exposition)
    let lines = exposition.text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "# HELP gateway_t_seconds Time.")
    #expect(lines[1] == "# TYPE gateway_t_seconds histogram")
    #expect(lines[2] == #"gateway_t_seconds_bucket{le="0.0001"} 1"#)
    #expect(lines.contains(#"gateway_t_seconds_bucket{le="0.0025"} 1"#))
    #expect(lines.contains(#"gateway_t_seconds_bucket{le="0.005"} 2"#))
    #expect(lines.contains(#"gateway_t_seconds_bucket{le="10"} 2"#))
    #expect(lines[lines.count - 3] == #"gateway_t_seconds_bucket{le="+Inf"} 3"#)
    #expect(lines[lines.count - 2] == "gateway_t_seconds_sum 20.00305")
    #expect(lines[lines.count - 1] == "gateway_t_seconds_count 3")
    #expect(lines.count == 2 + LatencyHistogram.bucketCount + 2)
  }

  @Test func histogramLabelsComeBeforeLe() {
    var exposition = PrometheusExposition()
    exposition.histogram(
      "gateway_d_seconds", labels: [("route", "/x")], LatencyHistogram("n", "h").snapshot())
    #expect(exposition.text.hasPrefix(#"gateway_d_seconds_bucket{route="/x",le="0.0001"} 0"#))
    #expect(exposition.text.hasSuffix("gateway_d_seconds_count{route=\"/x\"} 0\n"))
  }

  @Test func everyMetricNameIsValidAndCountersEndInTotal() {
    var exposition = PrometheusExposition()
    Metrics().write(into: &exposition)
    let types = exposition.text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
    // RESTMetrics writes two families, StoreMetrics four.
    #expect(types.count == Metrics().families.count + 1 + 3)
    for line in types {
      let parts = line.split(separator: " ")
      let name = parts[2]
      #expect(name.hasPrefix("gateway_"))
      #expect(name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
      if parts[3] == "counter" { #expect(name.hasSuffix("_total"), "\(name)") }
      if parts[3] == "histogram" { #expect(name.hasSuffix("_seconds"), "\(name)") }
    }
  }
}
