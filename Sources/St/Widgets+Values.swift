import Foundation
import Interpreter

// Widgets whose values are numbers, dates and times.
extension StApp {
    func slider(_ dg: DGPayload, _ a: [Value], _ k: KwArgs) throws(PyErr) -> Value {
        let args = try Args(rt, "slider", a, k, ["label", "min_value", "max_value", "value", "step", "format", "key", "help", "on_change", "args", "kwargs", "disabled", "label_visibility"])
        let label = try rt.str(try args.required("label"))
        var given: [Value] = [args.given("min_value"), args.given("max_value"), args.given("step")].compactMap { $0 }
        var isRange = false
        var values: [Value] = []
        if let v = args.given("value") {
            if v.asList != nil || v.asTuple != nil {
                values = try rt.collect(v)
                guard values.count == 1 || values.count == 2 else { throw apiError("Slider value should either be an int/float/datetime or a list/tuple of 0 to 2 ints/floats/datetimes") }
                isRange = values.count == 2
            } else {
                values = [v]
            }
            given += values
        }
        for v in given where number(v) == nil {
            throw apiError("Slider value arguments must be of matching types.\n`\(rt.typeName(v))` values are not supported by stlang's slider (use int or float).")
        }
        let isFloat = given.contains { if case .float = $0 { return true } else { return false } }
        if isFloat, given.contains(where: { if case .int = $0 { return true } else { return false } }) {
            throw apiError("Slider value arguments must be of matching types.")
        }
        func make(_ d: Double) -> Value { isFloat ? .float(d) : .int(Int(d)) }
        let lo = args.given("min_value").flatMap(number) ?? (isFloat ? 0 : 0)
        let hi = args.given("max_value").flatMap(number) ?? (isFloat ? 1 : 100)
        let step = args.given("step").flatMap(number) ?? (isFloat ? 0.01 : 1)
        if values.isEmpty { values = [make(lo)] }
        for v in values {
            let d = number(v) ?? 0
            if d < lo || d > hi {
                throw apiError("The default `value` of \(try rt.str(v)) must lie between the `min_value` of \(try rt.str(make(lo))) and the `max_value` of \(try rt.str(make(hi))), inclusively.")
            }
        }
        let def: Value = isRange ? .obj(PyTuple(values)) : values[0]
        let (cb, cbArgs, cbKw) = try callback(args, "on_change")
        let shownRange = "\(try rt.str(make(lo)))..\(try rt.str(make(hi)))"
        let expects = isRange ? "a pair of numbers in \(shownRange)" : "a number in \(shownRange)"
        func check(_ v: Value) throws(PyErr) -> Value {
            guard let d = number(v), d >= lo, d <= hi else { throw setError("slider", expects, v) }
            if !isFloat, case .float = v { throw setError("slider", expects + " (an int)", v) }
            return make(d)
        }
        let spec = WidgetSpec(type: "slider", label: label, key: try args.key(),
                              params: [("min", try json(make(lo))), ("max", try json(make(hi))), ("step", try json(make(step)))],
                              defaultValue: def, expects: expects, coerce: { v throws(PyErr) in
                                  if isRange {
                                      let pair = (v.asList != nil || v.asTuple != nil) ? try self.rt.collect(v) : []
                                      guard pair.count == 2 else { throw self.setError("slider", expects, v) }
                                      return .obj(PyTuple([try check(pair[0]), try check(pair[1])]))
                                  }
                                  return try check(v)
                              }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
        return try widget(dg, spec, args)
    }

    func numberInput(_ dg: DGPayload, _ a: [Value], _ k: KwArgs) throws(PyErr) -> Value {
        let args = try Args(rt, "number_input", a, k, ["label", "min_value", "max_value", "value", "step", "format", "key", "help", "on_change", "args", "kwargs", "placeholder", "disabled", "label_visibility"])
        let label = try rt.str(try args.required("label"))
        var valueArg = args["value"]
        if let v = valueArg, let s = v.asStr, s.value == "min" { valueArg = nil }
        var given: [Value] = [args.given("min_value"), args.given("max_value"), args.given("step")].compactMap { $0 }
        var noneValue = false
        if let v = valueArg {
            if case .none = v { noneValue = true } else { given.append(v) }
        }
        for v in given where number(v) == nil {
            throw apiError("number_input value arguments must be int or float, not \(rt.typeName(v))")
        }
        let isInt = !given.isEmpty && given.allSatisfy { if case .int = $0 { return true } else { return false } }
        if !isInt, given.contains(where: { if case .int = $0 { return true } else { return false } }),
           given.contains(where: { if case .float = $0 { return true } else { return false } }) {
            throw apiError("All numerical arguments must be of the same type.")
        }
        func make(_ d: Double) -> Value { isInt ? .int(Int(d)) : .float(d) }
        let lo = args.given("min_value").flatMap(number)
        let hi = args.given("max_value").flatMap(number)
        let def: Value = noneValue ? .none : (valueArg.flatMap(number).map(make) ?? make(lo ?? 0))
        if let d = number(def) {
            if let lo, d < lo { throw apiError("The default `value` \(try rt.str(def)) must be greater than or equal to the `min_value` \(try rt.str(make(lo)))") }
            if let hi, d > hi { throw apiError("The default `value` \(try rt.str(def)) must be less than or equal to the `max_value` \(try rt.str(make(hi)))") }
        }
        let (cb, cbArgs, cbKw) = try callback(args, "on_change")
        let expects = isInt ? "an int" : "a number"
        var params: [(String, JSON)] = []
        if let lo { params.append(("min", try json(make(lo)))) }
        if let hi { params.append(("max", try json(make(hi)))) }
        let spec = WidgetSpec(type: "number_input", label: label, key: try args.key(), params: params, defaultValue: def,
                              expects: expects, coerce: { v throws(PyErr) in
                                  if case .none = v { return v }
                                  guard let d = self.number(v) else { throw self.setError("number_input", expects, v) }
                                  if isInt, case .float = v { throw self.setError("number_input", expects, v) }
                                  if let lo, d < lo { throw self.rt.valueError("number_input: \(try self.rt.str(v)) is below the minimum \(try self.rt.str(make(lo)))") }
                                  if let hi, d > hi { throw self.rt.valueError("number_input: \(try self.rt.str(v)) is above the maximum \(try self.rt.str(make(hi)))") }
                                  return make(d)
                              }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
        return try widget(dg, spec, args)
    }

    private func datetimeModule() throws(PyErr) -> Value { .obj(try rt.importModule("datetime", from: "")) }

    /// `datetime.date(y, m, d)` from "YYYY-MM-DD".
    func parseDate(_ v: Value) throws(PyErr) -> Value? {
        guard let s = v.asStr else { return nil }
        let parts = s.value.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2] else { return nil }
        let cls = try rt.getAttr(try datetimeModule(), "date")
        do throws(PyErr) { return try rt.call(cls, [.int(y), .int(m), .int(d)]) } catch { return nil }
    }

    func dateInput(_ dg: DGPayload, _ a: [Value], _ k: KwArgs) throws(PyErr) -> Value {
        let args = try Args(rt, "date_input", a, k, ["label", "value", "min_value", "max_value", "key", "help", "on_change", "args", "kwargs", "format", "disabled", "label_visibility"])
        let label = try rt.str(try args.required("label"))
        let dateCls = try rt.getAttr(try datetimeModule(), "date")
        var def: Value
        switch args["value"] {
        case nil: def = try rt.call(try rt.getAttr(dateCls, "today"), [])
        case .some(.none): def = .none
        case .some(let v):
            if let s = v.asStr, s.value == "today" { def = try rt.call(try rt.getAttr(dateCls, "today"), []) }
            else if let d = try parseDate(v) { def = d }
            else if v.asList != nil || v.asTuple != nil { def = .obj(PyTuple(try rt.collect(v))) }
            else { def = v }
        }
        let (cb, cbArgs, cbKw) = try callback(args, "on_change")
        let spec = WidgetSpec(type: "date_input", label: label, key: try args.key(), params: [], defaultValue: def,
                              expects: "a date as \"YYYY-MM-DD\"", coerce: { v throws(PyErr) in
                                  if case .none = v { return v }
                                  if v.asList != nil || v.asTuple != nil {
                                      var out: [Value] = []
                                      for x in try self.rt.collect(v) {
                                          guard let d = try self.parseDate(x) else { throw self.setError("date_input", "dates as \"YYYY-MM-DD\"", v) }
                                          out.append(d)
                                      }
                                      return .obj(PyTuple(out))
                                  }
                                  guard let d = try self.parseDate(v) else { throw self.setError("date_input", "a date as \"YYYY-MM-DD\"", v) }
                                  return d
                              }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
        return try widget(dg, spec, args)
    }

    func timeInput(_ dg: DGPayload, _ a: [Value], _ k: KwArgs) throws(PyErr) -> Value {
        let args = try Args(rt, "time_input", a, k, ["label", "value", "key", "help", "on_change", "args", "kwargs", "disabled", "label_visibility", "step"])
        let label = try rt.str(try args.required("label"))
        let dt = try datetimeModule()
        let timeCls = try rt.getAttr(dt, "time")
        func parse(_ v: Value) throws(PyErr) -> Value? {
            guard let s = v.asStr else { return nil }
            let parts = s.value.split(separator: ":").map { Int($0) }
            guard parts.count == 2 || parts.count == 3, !parts.contains(where: { $0 == nil }) else { return nil }
            do throws(PyErr) { return try rt.call(timeCls, parts.map { .int($0 ?? 0) }) } catch { return nil }
        }
        var def: Value
        if args["value"] == nil || args["value"]?.asStr?.value == "now" {
            let now = try rt.call(try rt.getAttr(try rt.getAttr(dt, "datetime"), "now"), [])
            let t = try rt.call(try rt.getAttr(now, "time"), [])
            def = try rt.call(try rt.getAttr(t, "replace"), [], [("second", .int(0)), ("microsecond", .int(0))])
        } else if case .none? = args["value"] {
            def = .none
        } else {
            def = try parse(args["value"]!) ?? args["value"]!
        }
        let (cb, cbArgs, cbKw) = try callback(args, "on_change")
        let spec = WidgetSpec(type: "time_input", label: label, key: try args.key(), params: [], defaultValue: def,
                              expects: "a time as \"HH:MM\"", coerce: { v throws(PyErr) in
                                  if case .none = v { return v }
                                  guard let t = try parse(v) else { throw self.setError("time_input", "a time as \"HH:MM\"", v) }
                                  return t
                              }, callback: cb, callbackArgs: cbArgs, callbackKwargs: cbKw)
        return try widget(dg, spec, args)
    }
}
