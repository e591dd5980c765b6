import BigInt

// `int.to_bytes` and `int.from_bytes`: bytes gathered from and packed into the number's
// machine words, linear in the length (shifting a BigInt by 8 bits per byte was quadratic:
// 137x CPython for 4 KB numbers).

extension Runtime {
    /// The `byteorder` argument: true for "little", false for "big" (also when absent).
    func byteOrderIsLittle(_ v: Value?) throws(PyErr) -> Bool {
        guard let v else { return false }
        guard let s = v.asStr?.value else {
            throw typeError("to_bytes() argument 'byteorder' must be str, not \(typeName(v))")
        }
        switch s {
        case "little": return true
        case "big": return false
        default: throw valueError("byteorder must be either 'little' or 'big'")
        }
    }

    func intToBytes(_ b: BigInt, _ length: Int, little: Bool, signed: Bool) throws(PyErr) -> [UInt8] {
        if length < 0 { throw valueError("length argument must be non-negative") }
        if b < 0 && !signed { throw overflowError("can't convert negative int to unsigned") }
        let (bits, tooLong) = length.multipliedReportingOverflow(by: 8)
        if tooLong { throw overflowError("int too big to convert") }
        // The range `length` bytes hold: [0, 2^bits) unsigned, [-2^(bits-1), 2^(bits-1)) signed.
        let magnitudeBits = b.magnitude.bitWidth
        if signed {
            // b >= 0 needs bitWidth <= bits - 1; b < 0 needs |b| <= 2^(bits-1).
            let fits = b >= 0 ? magnitudeBits <= bits - 1
                : magnitudeBits <= bits - 1 || (magnitudeBits == bits && b.magnitude == BigUInt(1) << (bits - 1))
            if !fits { throw overflowError("int too big to convert") }
        } else if magnitudeBits > bits {
            throw overflowError("int too big to convert")
        }
        if length == 0 { return [] }
        // Two's complement of a negative number: 2^bits + b.
        let value: BigUInt = b >= 0 ? b.magnitude : (BigUInt(1) << bits) - b.magnitude
        var out = [UInt8](repeating: 0, count: length)
        var i = 0
        wordLoop: for word in value.words {
            var w = word
            for _ in 0..<(UInt.bitWidth / 8) {
                if i == length { break wordLoop }
                out[i] = UInt8(truncatingIfNeeded: w)
                w >>= 8
                i += 1
            }
        }
        if !little { out.reverse() }
        return out
    }

    static func intFromBytes(_ bytes: [UInt8], little: Bool, signed: Bool) -> BigInt {
        if bytes.isEmpty { return 0 }
        let n = bytes.count
        let perWord = UInt.bitWidth / 8
        var words = [UInt](repeating: 0, count: (n + perWord - 1) / perWord)
        for k in 0..<n {
            // k counts from the least significant byte.
            let byte = UInt(little ? bytes[k] : bytes[n - 1 - k])
            words[k / perWord] |= byte << UInt((k % perWord) * 8)
        }
        let magnitude = BigUInt(words: words)
        let top = little ? bytes[n - 1] : bytes[0]
        if signed && top & 0x80 != 0 {
            return BigInt(magnitude) - BigInt(BigUInt(1) << (n * 8))
        }
        return BigInt(magnitude)
    }
}
