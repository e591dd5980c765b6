import St

/// The JSON document of one run (SPEC §4, a public interface): one line of JSON Lines.
public enum RunDocument {
    public static func json(run: Int, recorder: Recorder, cache: [JSON], exception: (type: String, message: String)?) -> String {
        let exc: JSON = exception.map { .object([("type", .string($0.type)), ("message", .string($0.message))]) } ?? .null
        let doc: JSON = .object([
            ("run", .int(run)),
            ("elements", .array(recorder.main.children.map(\.json))),
            ("sidebar", .array(recorder.sidebar.children.map(\.json))),
            ("cache", .array(cache)),
            ("exception", exc),
        ])
        return doc.text
    }
}
