extension JSONScanner {
  /// 10^0 ... 10^22: every one is exactly representable as a double.
  private static let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// Parses a number literal at `position` (a `-` or a digit) into the double JavaScript
  /// would produce.
  ///
  /// Fast path (Clinger 1990): when the decimal significand fits in 2^53 and the decimal
  /// exponent is within ±22, one IEEE multiplication or division of two exact doubles is
  /// correctly rounded. Everything else goes to the standard library's correctly rounded
  /// `Double(_:)` (strtod).
  mutating func parseNumber() throws(JSONParseError) -> Double {
    let numberStart = position
    let isNegative = start[position] == UInt8(ascii: "-")
    if isNegative { position += 1 }
    var significand: UInt64 = 0
    var digitCount = 0
    if position < end, start[position] == UInt8(ascii: "0") {
      position += 1
    } else if position < end, isDigit(at: position) {
      accumulateDigits(into: &significand, count: &digitCount)
    } else {
      throw .at(position, "No number after minus sign")
    }
    var fractionDigits = 0
    if position < end, start[position] == UInt8(ascii: ".") {
      position += 1
      guard position < end, isDigit(at: position) else {
        throw .at(position, "Unterminated fractional number")
      }
      let fractionStart = position
      accumulateDigits(into: &significand, count: &digitCount)
      fractionDigits = position - fractionStart
    }
    var exponent = 0
    if position < end, start[position] | 0x20 == UInt8(ascii: "e") {
      position += 1
      var exponentIsNegative = false
      if position < end,
        start[position] == UInt8(ascii: "+") || start[position] == UInt8(ascii: "-")
      {
        exponentIsNegative = start[position] == UInt8(ascii: "-")
        position += 1
      }
      guard position < end, isDigit(at: position) else {
        throw .at(position, "Exponent part is missing a number")
      }
      while position < end, isDigit(at: position) {
        // Saturate: any exponent this large already means infinity or zero.
        if exponent < 100_000 {
          exponent = exponent * 10 + Int(start[position] - UInt8(ascii: "0"))
        }
        position += 1
      }
      if exponentIsNegative { exponent = -exponent }
    }
    if significand == 0, digitCount <= 19 { return isNegative ? -0.0 : 0.0 }
    let decimalExponent = exponent - fractionDigits
    if digitCount <= 19, significand <= 1 << 53, (-22...22).contains(decimalExponent) {
      var value = Double(significand)
      if decimalExponent >= 0 {
        value *= Self.exactPowersOfTen[decimalExponent]
      } else {
        value /= Self.exactPowersOfTen[-decimalExponent]
      }
      return isNegative ? -value : value
    }
    let text = String(
      decoding: UnsafeBufferPointer(start: start + numberStart, count: position - numberStart),
      as: UTF8.self)
    guard let value = Double(text) else { throw .at(numberStart, "Unparsable number") }
    return value
  }

  @inline(__always)
  private func isDigit(at index: Int) -> Bool {
    start[index] &- UInt8(ascii: "0") < 10
  }

  /// Consumes a run of digits; the first 19 go into `significand` (more could overflow),
  /// `count` counts them all.
  private mutating func accumulateDigits(into significand: inout UInt64, count: inout Int) {
    while position < end, isDigit(at: position) {
      if count < 19 {
        significand = significand &* 10 &+ UInt64(start[position] - UInt8(ascii: "0"))
      }
      count += 1
      position += 1
    }
  }
}
