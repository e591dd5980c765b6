/// The builtin classes: types of the builtin values and the exception hierarchy.
public final class BuiltinTypes {
    public let object: PyClass
    public let type: PyClass
    public let int: PyClass
    public let bool: PyClass
    public let float: PyClass
    public let str: PyClass
    public let bytes: PyClass
    public let list: PyClass
    public let tuple: PyClass
    public let dict: PyClass
    public let set: PyClass
    public let frozenset: PyClass
    public let noneType: PyClass
    public let range: PyClass
    public let slice: PyClass
    public let function: PyClass
    public let builtinFunction: PyClass
    public let method: PyClass
    public let module: PyClass
    public let cell: PyClass
    public let property: PyClass
    public let staticmethod: PyClass
    public let classmethod: PyClass
    public let superType: PyClass
    public let iterator: PyClass
    public let generator: PyClass
    /// `int | None` in annotations (types.UnionType).
    public let unionType: PyClass
    /// `list[int]` in annotations (types.GenericAlias).
    public let genericAlias: PyClass
    public let file: PyClass
    public let dictKeys: PyClass
    public let dictValues: PyClass
    public let dictItems: PyClass

    // Exceptions
    public let BaseException: PyClass
    public let SystemExit: PyClass
    public let GeneratorExit: PyClass
    public let KeyboardInterrupt: PyClass
    public let Exception: PyClass
    public let StopIteration: PyClass
    public let ArithmeticError: PyClass
    public let FloatingPointError: PyClass
    public let OverflowError: PyClass
    public let ZeroDivisionError: PyClass
    public let AssertionError: PyClass
    public let AttributeError: PyClass
    public let EOFError: PyClass
    public let ImportError: PyClass
    public let ModuleNotFoundError: PyClass
    public let LookupError: PyClass
    public let IndexError: PyClass
    public let KeyError: PyClass
    public let MemoryError: PyClass
    public let NameError: PyClass
    public let UnboundLocalError: PyClass
    public let OSError: PyClass
    public let FileNotFoundError: PyClass
    public let RuntimeError: PyClass
    public let NotImplementedError: PyClass
    public let RecursionError: PyClass
    public let SyntaxError: PyClass
    public let IndentationError: PyClass
    public let TabError: PyClass
    public let TypeError: PyClass
    public let ValueError: PyClass
    public let UnicodeError: PyClass
    public let Warning: PyClass

    /// Every builtin exception class by name (for the builtins namespace).
    public private(set) var exceptions: [PyClass] = []

    init() {
        func t(_ name: String, _ base: PyClass?) -> PyClass { PyClass(name: name, base: base, isBuiltin: true) }
        object = t("object", nil)
        type = t("type", object)
        int = t("int", object)
        bool = t("bool", int)
        float = t("float", object)
        str = t("str", object)
        bytes = t("bytes", object)
        list = t("list", object)
        tuple = t("tuple", object)
        dict = t("dict", object)
        set = t("set", object)
        frozenset = t("frozenset", object)
        noneType = t("NoneType", object)
        range = t("range", object)
        slice = t("slice", object)
        function = t("function", object)
        builtinFunction = t("builtin_function_or_method", object)
        method = t("method", object)
        module = t("module", object)
        cell = t("cell", object)
        property = t("property", object)
        staticmethod = t("staticmethod", object)
        classmethod = t("classmethod", object)
        superType = t("super", object)
        iterator = t("iterator", object)
        generator = t("generator", object)
        unionType = PyClass(name: "UnionType", base: object, isBuiltin: true, moduleName: "types")
        genericAlias = PyClass(name: "GenericAlias", base: object, isBuiltin: true, moduleName: "types")
        file = t("TextIOWrapper", object)
        dictKeys = t("dict_keys", object)
        dictValues = t("dict_values", object)
        dictItems = t("dict_items", object)

        var exc: [PyClass] = []
        func e(_ name: String, _ base: PyClass?) -> PyClass {
            let c = PyClass(name: name, base: base, isBuiltin: true)
            exc.append(c)
            return c
        }
        BaseException = e("BaseException", object)
        SystemExit = e("SystemExit", BaseException)
        KeyboardInterrupt = e("KeyboardInterrupt", BaseException)
        GeneratorExit = e("GeneratorExit", BaseException)
        Exception = e("Exception", BaseException)
        StopIteration = e("StopIteration", Exception)
        ArithmeticError = e("ArithmeticError", Exception)
        FloatingPointError = e("FloatingPointError", ArithmeticError)
        OverflowError = e("OverflowError", ArithmeticError)
        ZeroDivisionError = e("ZeroDivisionError", ArithmeticError)
        AssertionError = e("AssertionError", Exception)
        AttributeError = e("AttributeError", Exception)
        _ = e("BufferError", Exception)
        EOFError = e("EOFError", Exception)
        ImportError = e("ImportError", Exception)
        ModuleNotFoundError = e("ModuleNotFoundError", ImportError)
        LookupError = e("LookupError", Exception)
        IndexError = e("IndexError", LookupError)
        KeyError = e("KeyError", LookupError)
        MemoryError = e("MemoryError", Exception)
        NameError = e("NameError", Exception)
        UnboundLocalError = e("UnboundLocalError", NameError)
        OSError = e("OSError", Exception)
        FileNotFoundError = e("FileNotFoundError", OSError)
        _ = e("FileExistsError", OSError)
        _ = e("PermissionError", OSError)
        _ = e("IsADirectoryError", OSError)
        _ = e("NotADirectoryError", OSError)
        _ = e("TimeoutError", OSError)
        RuntimeError = e("RuntimeError", Exception)
        NotImplementedError = e("NotImplementedError", RuntimeError)
        RecursionError = e("RecursionError", RuntimeError)
        SyntaxError = e("SyntaxError", Exception)
        IndentationError = e("IndentationError", SyntaxError)
        TabError = e("TabError", IndentationError)
        _ = e("SystemError", Exception)
        TypeError = e("TypeError", Exception)
        ValueError = e("ValueError", Exception)
        UnicodeError = e("UnicodeError", ValueError)
        _ = e("UnicodeDecodeError", UnicodeError)
        _ = e("UnicodeEncodeError", UnicodeError)
        Warning = e("Warning", Exception)
        _ = e("UserWarning", Warning)
        _ = e("DeprecationWarning", Warning)
        _ = e("PendingDeprecationWarning", Warning)
        _ = e("RuntimeWarning", Warning)
        _ = e("SyntaxWarning", Warning)
        _ = e("FutureWarning", Warning)
        exceptions = exc
    }
}

extension Runtime {
    /// The class of any value.
    public func typeOf(_ v: Value) -> PyClass {
        switch v {
        case .int: return types.int
        case .float: return types.float
        case .bool: return types.bool
        case .none: return types.noneType
        case .undef: return types.noneType
        case .obj(let o):
            switch o.kind {
            case .str: return types.str
            case .list: return types.list
            case .tuple: return types.tuple
            case .dict: return types.dict
            case .set: return types.set
            case .frozenset: return types.frozenset
            case .bigint: return types.int
            case .bytes: return types.bytes
            case .function: return types.function
            case .builtin: return types.builtinFunction
            case .boundMethod: return types.method
            case .cls: return types.type
            case .instance: return unsafeDowncast(o, to: PyInstance.self).cls
            case .module: return types.module
            case .range: return types.range
            case .iterator: return (o as? PyIterator)?.cls ?? types.iterator
            case .cell: return types.cell
            case .slice: return types.slice
            case .property: return types.property
            case .staticMethod: return types.staticmethod
            case .classMethod: return types.classmethod
            case .superProxy: return types.superType
            case .file: return types.file
            case .native: return unsafeDowncast(o, to: PyNative.self).cls
            }
        }
    }

    public func typeName(_ v: Value) -> String { typeOf(v).name }

    public func isInstance(_ v: Value, _ cls: PyClass) -> Bool {
        typeOf(v).isSubclass(of: cls)
    }
}
