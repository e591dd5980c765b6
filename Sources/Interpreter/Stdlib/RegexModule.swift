import Foundation

// `_re`: the matching engine behind stdlib/re.st (which builds Python's Pattern and Match
// objects on top). ICU's regular expressions (NSRegularExpression) are backtracking and
// Perl-like, as Python's are; patterns are translated where the syntaxes differ, and positions
// are converted between UTF-16 offsets (ICU) and code points (Python).

/// A compiled pattern, held by a `_re` handle object.
final class CompiledRegex {
    let regex: NSRegularExpression
    let groupNames: [(String, Int)]
    init(regex: NSRegularExpression, groupNames: [(String, Int)]) {
        self.regex = regex
        self.groupNames = groupNames
    }
    /// For fullmatch: the pattern that must also reach the end of the window.
    lazy var whole: NSRegularExpression? = try? NSRegularExpression(pattern: "(?:" + regex.pattern + ")\\z", options: regex.options)
}

/// A subject string with the offset tables both ways (empty for ASCII, where they coincide).
private struct Subject {
    let ns: NSString
    /// UTF-16 offset of each code point, plus the end.
    let utf16OfScalar: [Int]
    /// Code point index of each UTF-16 offset (the low half of a pair maps to its scalar).
    let scalarOfUTF16: [Int]

    init(_ s: String) {
        ns = s as NSString
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            utf16OfScalar = []
            scalarOfUTF16 = []
            return
        }
        var a: [Int] = [], b: [Int] = []
        var off = 0
        for (i, u) in s.unicodeScalars.enumerated() {
            a.append(off)
            let w = u.utf16.count
            for _ in 0..<w { b.append(i) }
            off += w
        }
        a.append(off)
        b.append(a.count - 1)
        utf16OfScalar = a
        scalarOfUTF16 = b
    }

    var scalarCount: Int { utf16OfScalar.isEmpty ? ns.length : utf16OfScalar.count - 1 }
    func utf16(_ scalar: Int) -> Int { utf16OfScalar.isEmpty ? scalar : utf16OfScalar[scalar] }
    func scalar(_ utf16: Int) -> Int { scalarOfUTF16.isEmpty ? utf16 : scalarOfUTF16[utf16] }
}

extension Runtime {
    func makeRegexModule() -> PyModule {
        let errorClass = PyClass(name: "error", base: types.Exception, isBuiltin: false, moduleName: "re")
        let handleClass = PyClass(name: "_CompiledRegex", base: types.object, isBuiltin: true, moduleName: "_re")
        func compiled(_ v: Value) throws(PyErr) -> CompiledRegex {
            guard case .obj(let o) = v, let n = o as? PyNative, let c = n.payload as? CompiledRegex else {
                throw typeError("expected a compiled pattern")
            }
            return c
        }
        func str(_ v: Value, _ what: String) throws(PyErr) -> String {
            guard let s = v.asStr?.value else { throw typeError("expected string or bytes-like object, got '\(typeName(v))'") }
            return s
        }
        func int(_ v: Value) throws(PyErr) -> Int {
            guard case .int(let i) = v else { throw typeError("an integer is required") }
            return i
        }
        /// The spans of one match, in code points: ((start, end), ...) with (-1, -1) for a group
        /// that did not take part.
        func spans(_ r: NSTextCheckingResult, _ subject: Subject) -> Value {
            var out: [Value] = []
            for g in 0..<r.numberOfRanges {
                let range = r.range(at: g)
                if range.location == NSNotFound {
                    out.append(.obj(PyTuple([.int(-1), .int(-1)])))
                } else {
                    out.append(.obj(PyTuple([.int(subject.scalar(range.location)), .int(subject.scalar(range.location + range.length))])))
                }
            }
            return .obj(PyTuple(out))
        }
        /// pos/endpos as Python clamps them, in UTF-16 offsets.
        func window(_ subject: Subject, _ pos: Value, _ endpos: Value) throws(PyErr) -> NSRange {
            let n = subject.scalarCount
            var p = try int(pos), e = endpos.isNone ? n : try int(endpos)
            p = min(max(p, 0), n)
            e = min(max(e, 0), n)
            if e < p { e = p }
            let a = subject.utf16(p), b = subject.utf16(e)
            return NSRange(location: a, length: b - a)
        }

        let m = makeNativeModule("_re", functions: [
            ("compile", { args, _ throws(PyErr) in
                try self.argCount("compile", args, 2, 2)
                let source = try str(args[0], "pattern")
                let flags = try int(args[1])
                let (translated, names) = try self.translatePattern(source, errorClass)
                var options: NSRegularExpression.Options = []
                if flags & 2 != 0 { options.insert(.caseInsensitive) }
                if flags & 8 != 0 { options.insert(.anchorsMatchLines) }
                if flags & 16 != 0 { options.insert(.dotMatchesLineSeparators) }
                if flags & 64 != 0 { options.insert(.allowCommentsAndWhitespace) }
                do {
                    // ICU rejects an empty pattern; Python's matches the empty string.
                    let regex = try NSRegularExpression(pattern: translated.isEmpty ? "(?:)" : translated, options: options)
                    return .obj(PyNative(cls: handleClass, payload: CompiledRegex(regex: regex, groupNames: names)))
                } catch {
                    throw self.raise(errorClass, "bad pattern \(pyStrRepr(source))")
                }
            }),
            ("groups", { args, _ throws(PyErr) in
                .int(try compiled(args.first ?? .none).regex.numberOfCaptureGroups)
            }),
            ("groupindex", { args, _ throws(PyErr) in
                let d = PyDict()
                for (name, index) in try compiled(args.first ?? .none).groupNames { try d.set(.str(name), .int(index), self) }
                return .obj(d)
            }),
            // _re.match(handle, string, pos, endpos, mode): mode 0 search, 1 match, 2 fullmatch.
            ("match", { args, _ throws(PyErr) in
                try self.argCount("match", args, 5, 5)
                let c = try compiled(args[0])
                let subject = Subject(try str(args[1], "string"))
                let range = try window(subject, args[2], args[3])
                let mode = try int(args[4])
                var options: NSRegularExpression.MatchingOptions = [.withTransparentBounds, .withoutAnchoringBounds]
                if mode != 0 { options.insert(.anchored) }
                if mode == 2 {
                    // The window's end counts as the end of input here (anchoring bounds).
                    guard let whole = c.whole,
                          let r = whole.firstMatch(in: subject.ns as String, options: [.anchored, .withTransparentBounds], range: range)
                    else { return .none }
                    return spans(r, subject)
                }
                guard let r = c.regex.firstMatch(in: subject.ns as String, options: options, range: range) else { return .none }
                return spans(r, subject)
            }),
            // _re.all(handle, string, pos, endpos): every non-overlapping match, as spans.
            ("all", { args, _ throws(PyErr) in
                try self.argCount("all", args, 4, 4)
                let c = try compiled(args[0])
                let subject = Subject(try str(args[1], "string"))
                let range = try window(subject, args[2], args[3])
                var out: [Value] = []
                c.regex.enumerateMatches(in: subject.ns as String, options: [.withTransparentBounds, .withoutAnchoringBounds], range: range) { r, _, _ in
                    if let r { out.append(spans(r, subject)) }
                }
                return .obj(PyList(out))
            }),
        ])
        m.set("error", .obj(errorClass))
        return m
    }

    /// Python's pattern syntax in ICU's: named groups and their references, `\Z`; returns the
    /// group names with their numbers.
    func translatePattern(_ p: String, _ errorClass: PyClass) throws(PyErr) -> (String, [(String, Int)]) {
        let s = Array(p.unicodeScalars)
        var out = String.UnicodeScalarView()
        var names: [(String, Int)] = []
        var group = 0
        var i = 0
        var inClass = false
        func readName(_ from: Int, until close: Unicode.Scalar) throws(PyErr) -> (String, Int) {
            var j = from
            var name = ""
            while j < s.count, s[j] != close { name.unicodeScalars.append(s[j]); j += 1 }
            if j >= s.count { throw raise(errorClass, "missing \(close), unterminated name at position \(from)") }
            return (name, j + 1)
        }
        while i < s.count {
            let c = s[i]
            if c == "\\", i + 1 < s.count {
                let d = s[i + 1]
                if !inClass && d == "Z" {
                    out.append(contentsOf: "\\z".unicodeScalars)
                } else {
                    out.append(c)
                    out.append(d)
                }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
                i += 1
                continue
            }
            if c == "[" {
                inClass = true
                out.append(c)
                i += 1
                // A ']' right after '[' or '[^' is literal.
                if i < s.count, s[i] == "^" { out.append(s[i]); i += 1 }
                if i < s.count, s[i] == "]" { out.append(contentsOf: "\\]".unicodeScalars); i += 1 }
                continue
            }
            if c == "(" {
                if i + 2 < s.count, s[i + 1] == "?", s[i + 2] == "P" {
                    if i + 3 < s.count, s[i + 3] == "<" {
                        group += 1
                        let (name, next) = try readName(i + 4, until: ">")
                        names.append((name, group))
                        out.append(contentsOf: "(?<\(name)>".unicodeScalars)
                        i = next
                        continue
                    }
                    if i + 3 < s.count, s[i + 3] == "=" {
                        let (name, next) = try readName(i + 4, until: ")")
                        out.append(contentsOf: "\\k<\(name)>".unicodeScalars)
                        i = next
                        continue
                    }
                } else if i + 1 < s.count, s[i + 1] == "?" {
                    if i + 2 < s.count, s[i + 2] == "<", i + 3 < s.count, s[i + 3] != "=", s[i + 3] != "!" {
                        group += 1
                        let (name, _) = try readName(i + 3, until: ">")
                        names.append((name, group))
                    }
                } else {
                    group += 1
                }
            }
            out.append(c)
            i += 1
        }
        return (String(out), names)
    }
}
