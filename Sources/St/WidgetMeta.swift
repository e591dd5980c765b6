import Interpreter

/// A widget registered in a run: what steps (`set`, `click`, `upload`) need to find it, check a
/// new value and run its callback.
public final class WidgetMeta {
    public let id: String
    public let type: String
    public let label: String
    /// The user's `key=`, if given.
    public let key: String?
    /// The key of the form the widget is in.
    public let form: String?
    let callback: Value?
    let callbackArgs: [Value]
    let callbackKwargs: KwArgs
    /// Checks a value given by a `set` step and turns it into the widget's value.
    let coerce: (Value) throws(PyErr) -> Value
    /// What a `set` step may give, for error messages ("one of ['a', 'b']").
    public let expects: String
    /// A disabled widget cannot be changed by a user, nor by a step.
    public let disabled: Bool

    init(id: String, type: String, label: String, key: String?, form: String?, callback: Value?, callbackArgs: [Value],
         callbackKwargs: KwArgs, expects: String, disabled: Bool, coerce: @escaping (Value) throws(PyErr) -> Value) {
        self.id = id
        self.type = type
        self.label = label
        self.key = key
        self.form = form
        self.callback = callback
        self.callbackArgs = callbackArgs
        self.callbackKwargs = callbackKwargs
        self.expects = expects
        self.disabled = disabled
        self.coerce = coerce
    }

    /// Buttons are clicked, not set.
    public var isButton: Bool { ["button", "form_submit_button", "download_button"].contains(type) }
    public var isUploader: Bool { type == "file_uploader" || type == "camera_input" }
}
