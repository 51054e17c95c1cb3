/// Formats doubles as ECMAScript's Number::toString (radix 10) does, which is what
/// `JSON.stringify` writes for finite numbers.
///
/// ECMA-262 §6.1.6.1.20: take the shortest digit string d1...dk and exponent n with
/// value = 0.d1...dk × 10^n (ties: closest to the exact value). Then
///
///     k <= n <= 21      digits, then n - k zeros        1e20  -> 100000000000000000000
///     0 < n <= 21       digits with a point after n     1.5   -> 1.5
///     -6 < n <= 0       "0." then -n zeros, digits      1e-6  -> 0.000001
///     otherwise         d1[.d2...dk]e(+|-)(n-1)         1e21  -> 1e+21, 1.5e-7 -> 1.5e-7
///
/// Swift's `description` already yields the shortest, closest digits (SwiftDtoa); this type
/// only re-lays them out. Integers below 2^53 skip that and print directly.
enum JSONNumberFormatter {
  /// Appends `value` in JavaScript's notation; NaN and infinities as `null` (JSON.stringify).
  static func write(_ value: Double, into output: inout [UInt8]) {
    guard value.isFinite else {
      output.append(contentsOf: "null".utf8)
      return
    }
    if value == 0 {
      output.append(UInt8(ascii: "0"))  // also -0: ToString(-0) is "0"
      return
    }
    // Integers below 2^53 print directly (`rounded` would need libm, which Protocol avoids).
    if value.magnitude < 9_007_199_254_740_992, Double(Int64(value)) == value {
      writeInteger(Int64(value), into: &output)
      return
    }
    let (digits, pointPosition) = shortestDigits(of: value.magnitude)
    if value < 0 { output.append(UInt8(ascii: "-")) }
    layOut(digits: digits, pointPosition: pointPosition, into: &output)
  }

  /// The JavaScript text of `value`.
  static func string(_ value: Double) -> String {
    var output: [UInt8] = []
    write(value, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  private static func writeInteger(_ value: Int64, into output: inout [UInt8]) {
    if value < 0 { output.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var width = 1
    var scale: UInt64 = 10
    while width < 20, magnitude >= scale {
      width += 1
      scale &*= 10
    }
    // Digits are written in place, last first: a temporary array of reversed digits cost
    // two mallocs per number (perf uprobes on the echo path).
    let start = output.count
    output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
    var index = start + width - 1
    repeat {
      output[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
      magnitude /= 10
      index -= 1
    } while magnitude > 0
  }

  /// Significant digits (no leading or trailing zeros) and n, for a finite positive value.
  private static func shortestDigits(of value: Double) -> (digits: [UInt8], pointPosition: Int) {
    // `description` is "123.45", "1.2345e+20" or "5e-324".
    var digits: [UInt8] = []
    var integerDigits = 0
    var seenPoint = false
    var exponent = 0
    var exponentSign = 1
    var inExponent = false
    for byte in value.description.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"):
        if inExponent {
          exponent = exponent * 10 + Int(byte - UInt8(ascii: "0"))
        } else {
          digits.append(byte)
          if !seenPoint { integerDigits += 1 }
        }
      case UInt8(ascii: "."): seenPoint = true
      case UInt8(ascii: "e"): inExponent = true
      case UInt8(ascii: "-") where inExponent: exponentSign = -1
      default: break
      }
    }
    var pointPosition = integerDigits + exponentSign * exponent
    let leadingZeros = digits.prefix { $0 == UInt8(ascii: "0") }.count
    pointPosition -= leadingZeros
    let trailingZeros = digits.reversed().prefix { $0 == UInt8(ascii: "0") }.count
    return (Array(digits[leadingZeros..<(digits.count - trailingZeros)]), pointPosition)
  }

  private static func layOut(digits: [UInt8], pointPosition n: Int, into output: inout [UInt8]) {
    let k = digits.count
    if k <= n, n <= 21 {
      output.append(contentsOf: digits)
      output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: n - k))
    } else if 0 < n, n <= 21 {
      output.append(contentsOf: digits[..<n])
      output.append(UInt8(ascii: "."))
      output.append(contentsOf: digits[n...])
    } else if -6 < n, n <= 0 {
      output.append(contentsOf: "0.".utf8)
      output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -n))
      output.append(contentsOf: digits)
    } else {
      output.append(digits[0])
      if k > 1 {
        output.append(UInt8(ascii: "."))
        output.append(contentsOf: digits[1...])
      }
      output.append(UInt8(ascii: "e"))
      output.append(n - 1 >= 0 ? UInt8(ascii: "+") : UInt8(ascii: "-"))
      output.append(contentsOf: String((n - 1).magnitude).utf8)
    }
  }
}
