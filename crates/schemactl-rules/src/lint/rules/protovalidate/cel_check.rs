//! Type-checking protovalidate's CEL expressions, the way cel-go's checker
//! does in Buf: the `cel` crate parses, this module infers types over the
//! AST and reports what cel-go reports (undefined fields, undeclared
//! names, operators and functions applied to arguments no overload
//! accepts) and the result type.
//!
//! The functions modelled, with cel-go's overloads: CEL's standard
//! library (operators, `size`, string functions, conversions such as
//! `int()`, timestamp and duration accessors, `dyn()`), the strings
//! extension (`charAt`, `indexOf`, `split`, `join`, `strings.quote`, ...,
//! as protovalidate declares it), and protovalidate's own (`getField`,
//! `isEmail`, `unique`, ...); a wrapper takes its wrapped type's overloads.
//!
//! Only what is certain is reported. Any type this module does not model
//! (`Any`, `Struct`, type names, `type()`, the result of `format`, ...)
//! becomes [`Ty::Unknown`], which
//! matches every overload and silences every later check on the
//! expression, so an expression Buf accepts is never reported. Parse
//! errors are reported when the parser's message is one cel-go words the
//! same way (see [`syntax_errors`]).

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};
use prost_reflect::{DescriptorPool, FieldDescriptor, Kind, MessageDescriptor};

/// The longest expression compiled, in bytes; longer ones are not checked.
const MAX_EXPRESSION_BYTES: usize = 16 * 1024;
/// The deepest expression tree checked; deeper ones are not checked.
const MAX_DEPTH: usize = 64;
/// The most brackets (`(`, `[`, `{`) open at once in an expression
/// compiled: the parser recurses on each (tens of KiB of stack per level
/// in debug builds).
const MAX_NESTING: usize = 32;
/// The stack of the thread that parses and checks an expression: the
/// parser recurses on member and operator chains too, and a 16 KiB
/// expression can need more than a default thread's 2 MiB.
const STACK_BYTES: usize = 64 << 20;
/// The most errors collected for one expression.
const MAX_ERRORS: usize = 32;

/// A CEL type, as far as this checker models it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Ty {
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    Duration,
    Timestamp,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Message(MessageDescriptor),
    /// A wrapper (`google.protobuf.Int32Value`, ...): the wrapped type or
    /// null.
    Wrapper(Box<Ty>),
    /// `dyn` itself (`dyn(x)`, `getField(m, f)`): matches every
    /// overload, and cel-go still infers the result when all the
    /// overloads it matches agree (`dyn + 1` is an `int`).
    Dyn,
    /// Anything: a type not modelled, or an expression that already
    /// failed. Matches every overload.
    Unknown,
}

impl Ty {
    /// Whether the type (or a part of it) is not known.
    fn is_unknown(&self) -> bool {
        match self {
            Ty::Unknown | Ty::Dyn => true,
            Ty::List(t) => t.is_unknown(),
            Ty::Map(k, v) => k.is_unknown() || v.is_unknown(),
            _ => false,
        }
    }

    /// Whether a part of the type is not modelled ([`Ty::Unknown`];
    /// `dyn` is modelled).
    fn has_unknown(&self) -> bool {
        match self {
            Ty::Unknown => true,
            Ty::List(t) | Ty::Wrapper(t) => t.has_unknown(),
            Ty::Map(k, v) => k.has_unknown() || v.has_unknown(),
            _ => false,
        }
    }

    /// cel-go's name of the type (`int`, `list(string)`, `timestamp`,
    /// `acme.v1.Message`).
    pub(super) fn name(&self) -> String {
        match self {
            Ty::Bool => "bool".into(),
            Ty::Int => "int".into(),
            Ty::Uint => "uint".into(),
            Ty::Double => "double".into(),
            Ty::String => "string".into(),
            Ty::Bytes => "bytes".into(),
            Ty::Null => "null".into(),
            Ty::Duration => "duration".into(),
            Ty::Timestamp => "timestamp".into(),
            Ty::List(t) => format!("list({})", t.name()),
            Ty::Map(k, v) => format!("map({}, {})", k.name(), v.name()),
            Ty::Message(m) => m.full_name().to_owned(),
            Ty::Wrapper(t) => format!("wrapper({})", t.name()),
            Ty::Unknown | Ty::Dyn => "dyn".into(),
        }
    }

    /// The type of a field's value: the list or map for `repeated` fields
    /// unless `for_items`, else the (item) type itself.
    pub(super) fn of_field(field: &FieldDescriptor, for_items: bool) -> Ty {
        if !for_items {
            if field.is_map() {
                if let Kind::Message(entry) = field.kind() {
                    let key = Ty::of_field(&entry.map_entry_key_field(), true);
                    let value = Ty::of_field(&entry.map_entry_value_field(), true);
                    return Ty::Map(Box::new(key), Box::new(value));
                }
                return Ty::Unknown;
            }
            if field.is_list() {
                return Ty::List(Box::new(Ty::of_field(field, true)));
            }
        }
        Ty::of_kind(&field.kind())
    }

    /// The type of a value of a protobuf kind.
    pub(super) fn of_kind(kind: &Kind) -> Ty {
        match kind {
            Kind::Float | Kind::Double => Ty::Double,
            Kind::Int32
            | Kind::Int64
            | Kind::Sint32
            | Kind::Sint64
            | Kind::Sfixed32
            | Kind::Sfixed64
            | Kind::Enum(_) => Ty::Int,
            Kind::Uint32 | Kind::Uint64 | Kind::Fixed32 | Kind::Fixed64 => Ty::Uint,
            Kind::Bool => Ty::Bool,
            Kind::String => Ty::String,
            Kind::Bytes => Ty::Bytes,
            Kind::Message(m) => match m.full_name() {
                "google.protobuf.Duration" => Ty::Duration,
                "google.protobuf.Timestamp" => Ty::Timestamp,
                "google.protobuf.Int32Value" | "google.protobuf.Int64Value" => {
                    Ty::Wrapper(Box::new(Ty::Int))
                }
                "google.protobuf.UInt32Value" | "google.protobuf.UInt64Value" => {
                    Ty::Wrapper(Box::new(Ty::Uint))
                }
                "google.protobuf.FloatValue" | "google.protobuf.DoubleValue" => {
                    Ty::Wrapper(Box::new(Ty::Double))
                }
                "google.protobuf.BoolValue" => Ty::Wrapper(Box::new(Ty::Bool)),
                "google.protobuf.StringValue" => Ty::Wrapper(Box::new(Ty::String)),
                "google.protobuf.BytesValue" => Ty::Wrapper(Box::new(Ty::Bytes)),
                // Well-known types cel-go maps to other CEL types
                // (wrappers, Any, Struct, Value, ...): not modelled.
                name if name.starts_with("google.protobuf.") => Ty::Unknown,
                _ => Ty::Message(m.clone()),
            },
        }
    }

    /// `this` in a predefined rule extending `buf.validate.<rules>`.
    pub(super) fn of_standard_rules(rules: &str) -> Ty {
        match rules {
            "BoolRules" => Ty::Bool,
            "BytesRules" => Ty::Bytes,
            "StringRules" => Ty::String,
            "Int32Rules" | "Int64Rules" | "SInt32Rules" | "SInt64Rules" | "SFixed32Rules"
            | "SFixed64Rules" | "EnumRules" => Ty::Int,
            "UInt32Rules" | "UInt64Rules" | "Fixed32Rules" | "Fixed64Rules" => Ty::Uint,
            "DoubleRules" | "FloatRules" => Ty::Double,
            "MapRules" => Ty::Map(Box::new(Ty::Unknown), Box::new(Ty::Unknown)),
            "RepeatedRules" => Ty::List(Box::new(Ty::Unknown)),
            "DurationRules" => Ty::Duration,
            "TimestampRules" => Ty::Timestamp,
            _ => Ty::Unknown,
        }
    }
}

/// The variables an expression sees.
pub(super) struct Env {
    pub vars: Vec<(&'static str, Ty)>,
    /// The types and enums names may resolve to.
    pub pool: DescriptorPool,
}

impl Env {
    /// `this`, plus protovalidate's `now`.
    pub(super) fn with_this(this: Ty, pool: &DescriptorPool) -> Env {
        Env {
            vars: vec![("this", this), ("now", Ty::Timestamp)],
            pool: pool.clone(),
        }
    }
}

/// What compiling an expression found.
pub(super) struct Checked {
    /// The result type, `None` when it is not known (or compiling failed).
    pub output: Option<Ty>,
    /// cel-go's messages for the errors found.
    pub errors: Vec<String>,
}

/// Parse and type-check `expression` in `env`. `None` when it cannot be
/// checked (too long, does not parse).
pub(super) fn check(expression: &str, env: &Env) -> Option<Checked> {
    if expression.len() > MAX_EXPRESSION_BYTES || nesting(expression) > MAX_NESTING {
        return None;
    }
    // On a thread of its own with a stack sized for the parser's
    // recursion; a thread that cannot start or that fails checks nothing.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("cel-check".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || check_here(expression, env))
            .ok()?
            .join()
            .ok()?
    })
}

/// The most brackets open at once (string literals included: that only
/// over-counts).
fn nesting(expression: &str) -> usize {
    let mut depth = 0usize;
    let mut max = 0;
    for b in expression.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn check_here(expression: &str, env: &Env) -> Option<Checked> {
    let ast = match cel::parser::Parser::new().parse(expression) {
        Ok(ast) => ast,
        Err(errors) => {
            return syntax_errors(&errors).map(|errors| Checked {
                output: None,
                errors,
            });
        }
    };
    let mut checker = Checker {
        scopes: env
            .vars
            .iter()
            .map(|(n, t)| ((*n).to_owned(), t.clone()))
            .collect(),
        pool: &env.pool,
        errors: Vec::new(),
        failed: false,
    };
    let ty = checker.expr(&ast, 0);
    if checker.failed {
        return None;
    }
    let output = if checker.errors.is_empty() && !ty.is_unknown() && !has_wrapper(&ty) {
        Some(ty)
    } else {
        None
    };
    Some(Checked {
        output,
        errors: checker.errors,
    })
}

/// The parser's messages, when all are ones cel-go words the same way
/// (both parse with ANTLR from the same grammar): token recognition
/// errors, missing and extraneous tokens, no viable alternative, and
/// mismatched input (after a complete expression, cel-go expects only
/// `<EOF>` where the `cel` crate lists the operators too); and the macro
/// and literal errors both word the same. `None` otherwise: nothing is
/// reported.
fn syntax_errors(errors: &cel::parser::ParseErrors) -> Option<Vec<String>> {
    const SAME_IN_CEL_GO: [&str; 5] = [
        "token recognition error at: ",
        "missing ",
        "extraneous input ",
        "no viable alternative at input ",
        "mismatched input ",
    ];
    const SAME_OTHER_ERRORS: [&str; 3] = [
        "invalid argument to has() macro",
        "invalid int literal",
        "invalid uint literal",
    ];
    let mut messages = Vec::new();
    for error in errors.errors.iter().take(MAX_ERRORS) {
        // The `cel` crate's follow-on errors for a construct a syntax
        // error cut short: cel-go has none.
        if error.msg.starts_with("Incomplete `") {
            continue;
        }
        if error.msg == "argument must be a simple name" {
            messages.push(macro_argument_error(error)?);
            continue;
        }
        let message = match error.msg.strip_prefix("Syntax error: ") {
            Some(syntax) => {
                let known = SAME_IN_CEL_GO.iter().any(|p| syntax.starts_with(p));
                // After an operand where cel-go expects one token (`:`
                // after `a ? b`), the `cel` crate lists the operators.
                if !known || syntax.contains("expecting {'=='") {
                    return None;
                }
                if let Some((head, _)) = syntax.split_once(" expecting {<EOF>, ") {
                    // After a complete expression cel-go expects `<EOF>`
                    // only where the `cel` crate lists the operators too.
                    if !head.starts_with("mismatched input ") {
                        return None;
                    }
                    messages.push(format!("{head} expecting <EOF>"));
                    continue;
                }
                syntax
            }
            None if SAME_OTHER_ERRORS.contains(&error.msg.as_str()) => &error.msg,
            None => return None,
        };
        messages.push(message.to_owned());
    }
    (!messages.is_empty()).then_some(messages)
}

/// cel-go's message for a macro whose variable is not a name: `all`,
/// `exists` and `exists_one` say "argument must be a simple name", `map`
/// and `filter` "argument is not an identifier"; the `cel` crate says the
/// former for all. The macro is the name before the last `(` before the
/// error's position.
fn macro_argument_error(error: &cel::parser::ParseError) -> Option<String> {
    let source = &error.source_info.as_ref()?.source;
    let (line, column) = error.pos;
    let line = source
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let column = usize::try_from(column).ok()?.checked_sub(1)?;
    let before: String = line.chars().take(column).collect();
    let before = before[..before.rfind('(')?].trim_end();
    let name: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    match name.as_str() {
        "all" | "exists" | "exists_one" => Some("argument must be a simple name".into()),
        "map" | "filter" => Some("argument is not an identifier".into()),
        _ => None,
    }
}

struct Checker<'a> {
    /// Variables in scope, innermost last.
    scopes: Vec<(String, Ty)>,
    pool: &'a DescriptorPool,
    errors: Vec<String>,
    /// Too deep or too many errors: report nothing.
    failed: bool,
}

impl Checker<'_> {
    fn error(&mut self, message: String) -> Ty {
        if self.errors.len() >= MAX_ERRORS {
            self.failed = true;
        } else {
            self.errors.push(message);
        }
        Ty::Unknown
    }

    fn lookup(&self, name: &str) -> Option<Ty> {
        self.scopes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
    }

    /// The type of the qualified name `segments` (`a.b.c`) when it names
    /// a variable (then fields of it), an enum value or a message type
    /// (enum types are not values in cel-go): `None`
    /// when a variable is selected from (the caller checks the fields).
    /// A name that resolves to nothing is an undeclared reference to its
    /// first segment, as cel-go reports it; names that may be types or
    /// constants this checker does not know are not reported.
    fn name(&mut self, segments: &[&str]) -> Option<Ty> {
        let (first, rest) = segments.split_first()?;
        // `.this`: the name in the root scope.
        if let Some(t) = self.lookup(first.strip_prefix('.').unwrap_or(first)) {
            return rest.is_empty().then_some(t);
        }
        for end in (1..=segments.len()).rev() {
            let name = segments[..end].join(".");
            if self.pool.get_message_by_name(&name).is_some() {
                return Some(Ty::Unknown);
            }
            if let Some((parent, value)) = name.rsplit_once('.')
                && let Some(e) = self.pool.get_enum_by_name(parent)
                && e.get_value_by_name(value).is_some()
            {
                return Some(if end == segments.len() {
                    Ty::Int
                } else {
                    Ty::Unknown
                });
            }
        }
        let builtin = [
            "int",
            "uint",
            "double",
            "bool",
            "string",
            "bytes",
            "list",
            "map",
            "null_type",
            "type",
            "dyn",
            "google",
        ];
        if builtin.contains(first) || first.starts_with('@') {
            return Some(Ty::Unknown);
        }
        Some(self.error(format!(
            "undeclared reference to '{first}' (in container '')"
        )))
    }

    fn expr(&mut self, e: &IdedExpr, depth: usize) -> Ty {
        if depth > MAX_DEPTH || self.failed {
            self.failed = true;
            return Ty::Unknown;
        }
        let depth = depth + 1;
        match &e.expr {
            Expr::Unspecified => Ty::Unknown,
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => Ty::Bool,
                LiteralValue::Bytes(_) => Ty::Bytes,
                LiteralValue::Double(_) => Ty::Double,
                LiteralValue::Int(_) => Ty::Int,
                LiteralValue::Null => Ty::Null,
                LiteralValue::String(_) => Ty::String,
                LiteralValue::UInt(_) => Ty::Uint,
            },
            Expr::Ident(name) => self.name(&[name.as_str()]).unwrap_or(Ty::Unknown),
            Expr::Select(select) => {
                if !select.test
                    && let Some(segments) = qualified_name(&e.expr)
                    && let Some(resolved) = self.name(&segments)
                {
                    return resolved;
                }
                let operand = self.expr(&select.operand, depth);
                let field = match &operand {
                    Ty::Message(m) => match m.get_field_by_name(&select.field) {
                        Some(f) => Ty::of_field(&f, false),
                        None => {
                            return self.error(format!("undefined field '{}'", select.field));
                        }
                    },
                    Ty::Map(_, v) => (**v).clone(),
                    Ty::Unknown | Ty::Dyn | Ty::Wrapper(_) => Ty::Unknown,
                    other => {
                        return self.error(format!(
                            "type '{}' does not support field selection",
                            other.name()
                        ));
                    }
                };
                if select.test { Ty::Bool } else { field }
            }
            Expr::List(list) => {
                let items: Vec<Ty> = list.elements.iter().map(|i| self.expr(i, depth)).collect();
                Ty::List(Box::new(join(&items)))
            }
            Expr::Map(map) => {
                let mut keys = Vec::new();
                let mut values = Vec::new();
                for entry in &map.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(m) => {
                            keys.push(self.expr(&m.key, depth));
                            values.push(self.expr(&m.value, depth));
                        }
                        EntryExpr::StructField(f) => {
                            self.expr(&f.value, depth);
                        }
                    }
                }
                Ty::Map(Box::new(join(&keys)), Box::new(join(&values)))
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    match &entry.expr {
                        EntryExpr::StructField(f) => {
                            self.expr(&f.value, depth);
                        }
                        EntryExpr::MapEntry(m) => {
                            self.expr(&m.key, depth);
                            self.expr(&m.value, depth);
                        }
                    }
                }
                Ty::Unknown
            }
            Expr::Comprehension(c) => {
                let range = self.expr(&c.iter_range, depth);
                let (first, second) = match &range {
                    Ty::List(item) => match c.iter_var2 {
                        Some(_) => (Ty::Int, (**item).clone()),
                        None => ((**item).clone(), Ty::Unknown),
                    },
                    Ty::Map(k, v) => ((**k).clone(), (**v).clone()),
                    Ty::Unknown | Ty::Dyn | Ty::Wrapper(_) => (Ty::Unknown, Ty::Unknown),
                    other => {
                        self.error(format!(
                            "expression of type '{}' cannot be range of a comprehension (must be list, map, or dynamic)",
                            other.name()
                        ));
                        (Ty::Unknown, Ty::Unknown)
                    }
                };
                let accu = self.expr(&c.accu_init, depth);
                let outer = self.scopes.len();
                self.scopes.push((c.accu_var.clone(), accu));
                self.scopes.push((c.iter_var.clone(), first));
                if let Some(second_var) = &c.iter_var2 {
                    self.scopes.push((second_var.clone(), second));
                }
                self.expr(&c.loop_cond, depth);
                let step = self.expr(&c.loop_step, depth);
                // The accumulator takes the step's type (`[]` grows into
                // the mapped items' list).
                self.scopes.truncate(outer);
                self.scopes.push((c.accu_var.clone(), step));
                let result = self.expr(&c.result, depth);
                self.scopes.truncate(outer);
                result
            }
            Expr::Call(call) => {
                let args: Vec<Ty> = call.args.iter().map(|a| self.expr(a, depth)).collect();
                // `strings.quote(x)`: a namespaced function, not a member
                // call on a variable. Only `strings.quote` is declared;
                // other namespaces are not modelled.
                let namespace = call.target.as_ref().and_then(|t| {
                    qualified_name(&t.expr)
                        .filter(|s| s.first().is_some_and(|root| self.lookup(root).is_none()))
                        .map(|s| s.join("."))
                });
                if let Some(namespace) = namespace {
                    let name = format!("{namespace}.{}", call.func_name);
                    if name == "strings.quote" {
                        return self.call(&name, None, &args);
                    }
                    return Ty::Unknown;
                }
                let target = call.target.as_ref().map(|t| self.expr(t, depth));
                self.call(&call.func_name, target, &args)
            }
        }
    }

    fn call(&mut self, name: &str, target: Option<Ty>, args: &[Ty]) -> Ty {
        let operator = name.starts_with('_') || name.starts_with('@') || name.ends_with('_');
        if !operator && !DECLARED.contains(&name) {
            return self.error(format!(
                "undeclared reference to '{name}' (in container '')"
            ));
        }
        // Lists or maps of wrappers are not modelled.
        let nested = |t: &Ty| !matches!(t, Ty::Wrapper(_)) && has_wrapper(t);
        if target.as_ref().is_some_and(nested) || args.iter().any(nested) {
            return Ty::Unknown;
        }
        // A wrapper is its wrapped type or null: it takes the wrapped
        // type's overloads (cel-go names it `wrapper(T)` in errors).
        let wrapped = |t: &Ty| matches!(t, Ty::Wrapper(_));
        if target.as_ref().is_some_and(wrapped) || args.iter().any(wrapped) {
            if matches!(name, "_==_" | "_!=_") && args.iter().any(|t| t == &Ty::Null) {
                return Ty::Bool;
            }
            let unwrapped: Vec<Ty> = args.iter().map(unwrap).collect();
            let unwrapped_target = target.as_ref().map(unwrap);
            return match overload(name, unwrapped_target.as_ref(), &unwrapped) {
                Resolved::Ok(t) => t,
                Resolved::Unknown => Ty::Unknown,
                Resolved::NoMatch => self.no_match(name, target.as_ref(), args),
            };
        }
        if matches!(name, "_&&_" | "_||_") {
            // cel-go checks logical operands for `bool` directly.
            let wrong: Vec<&Ty> = args
                .iter()
                .filter(|t| !matches!(t, Ty::Bool | Ty::Unknown))
                .collect();
            // One error per operand (the same error once).
            let mut names: Vec<String> = wrong.iter().map(|t| t.name()).collect();
            names.dedup();
            if names.is_empty() {
                return Ty::Bool;
            }
            for name in names {
                self.error(format!("expected type 'bool' but found '{name}'"));
            }
            return Ty::Unknown;
        }
        match overload(name, target.as_ref(), args) {
            Resolved::Ok(t) => t,
            Resolved::Unknown => Ty::Unknown,
            Resolved::NoMatch => self.no_match(name, target.as_ref(), args),
        }
    }

    fn no_match(&mut self, name: &str, target: Option<&Ty>, args: &[Ty]) -> Ty {
        let list = args.iter().map(Ty::name).collect::<Vec<_>>().join(", ");
        let applied = match target {
            Some(t) => format!("{}.({list})", t.name()),
            None => format!("({list})"),
        };
        self.error(format!(
            "found no matching overload for '{name}' applied to '{applied}'"
        ))
    }
}

/// The segments of the name `a.b.c` spells (an identifier and field
/// selections on it, no `has()`), root first.
fn qualified_name(expr: &Expr) -> Option<Vec<&str>> {
    let mut segments = Vec::new();
    let mut expr = expr;
    loop {
        match expr {
            Expr::Ident(name) => {
                segments.push(name.as_str());
                segments.reverse();
                return Some(segments);
            }
            Expr::Select(select) if !select.test => {
                segments.push(select.field.as_str());
                expr = &select.operand.expr;
            }
            _ => return None,
        }
    }
}

/// Whether a wrapper is part of the type (how cel-go names or assigns
/// those as results is not modelled).
fn has_wrapper(t: &Ty) -> bool {
    match t {
        Ty::Wrapper(_) => true,
        Ty::List(t) => has_wrapper(t),
        Ty::Map(k, v) => has_wrapper(k) || has_wrapper(v),
        _ => false,
    }
}

/// The wrapped type of a wrapper, for matching overloads.
fn unwrap(t: &Ty) -> Ty {
    match t {
        Ty::Wrapper(t) => (**t).clone(),
        other => other.clone(),
    }
}

/// The common type of list items or map keys and values: the type when
/// all agree, else unknown (cel-go would take `dyn`).
fn join(items: &[Ty]) -> Ty {
    match items.split_first() {
        Some((first, rest)) if rest.iter().all(|t| t == first) => first.clone(),
        _ => Ty::Unknown,
    }
}

enum Resolved {
    Ok(Ty),
    /// No overload matches the (known) arguments.
    NoMatch,
    /// A function this checker does not model, or unknown arguments.
    Unknown,
}

fn numeric(t: &Ty) -> bool {
    matches!(t, Ty::Int | Ty::Uint | Ty::Double)
}

/// Whether `a` and `b` may be the same type (unknown parts match all).
fn same(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Unknown, _) | (_, Ty::Unknown) => true,
        (Ty::List(x), Ty::List(y)) => same(x, y),
        (Ty::Map(k1, v1), Ty::Map(k2, v2)) => same(k1, k2) && same(v1, v2),
        _ => a == b,
    }
}

/// The standard overloads (and protovalidate's functions) for a call.
fn overload(name: &str, target: Option<&Ty>, args: &[Ty]) -> Resolved {
    use Resolved::{NoMatch, Ok as R, Unknown};
    let any_unknown = target.is_some_and(Ty::is_unknown) || args.iter().any(Ty::is_unknown);
    // Known result type, whatever the arguments, or none.
    let fixed = |matched: bool, t: Ty| {
        if any_unknown || matched {
            R(t)
        } else {
            NoMatch
        }
    };
    match (name, target, args) {
        ("!_" | "@not_strictly_false", None, [a]) => {
            fixed(matches!(a, Ty::Bool | Ty::Unknown), Ty::Bool)
        }
        ("-_", None, [a]) => match a {
            Ty::Int | Ty::Double => R(a.clone()),
            Ty::Uint | Ty::String | Ty::Bytes | Ty::Bool | Ty::Null | Ty::List(_) | Ty::Map(..) => {
                NoMatch
            }
            _ => Unknown,
        },
        ("_==_" | "_!=_", None, [a, b]) => fixed(
            same(a, b) || (a == &Ty::Null || b == &Ty::Null) && null_comparable(a, b),
            Ty::Bool,
        ),
        ("_<_" | "_<=_" | "_>_" | "_>=_", None, [a, b]) => fixed(
            (numeric(a) && numeric(b))
                || (a == b
                    && matches!(
                        a,
                        Ty::String | Ty::Bytes | Ty::Bool | Ty::Timestamp | Ty::Duration
                    )),
            Ty::Bool,
        ),
        ("_+_" | "_-_" | "_*_" | "_/_" | "_%_", None, [a, b])
            if (a == &Ty::Dyn || b == &Ty::Dyn) && !a.has_unknown() && !b.has_unknown() =>
        {
            arithmetic_with_dyn(name, a, b)
        }
        ("_+_", None, [a, b]) => {
            if any_unknown {
                return Unknown;
            }
            match (a, b) {
                (Ty::Int, Ty::Int)
                | (Ty::Uint, Ty::Uint)
                | (Ty::Double, Ty::Double)
                | (Ty::String, Ty::String)
                | (Ty::Bytes, Ty::Bytes)
                | (Ty::Duration, Ty::Duration) => R(a.clone()),
                (Ty::List(x), Ty::List(y)) if x == y => R(a.clone()),
                (Ty::Timestamp, Ty::Duration) | (Ty::Duration, Ty::Timestamp) => R(Ty::Timestamp),
                _ => NoMatch,
            }
        }
        ("_-_", None, [a, b]) => {
            if any_unknown {
                return Unknown;
            }
            match (a, b) {
                (Ty::Int, Ty::Int)
                | (Ty::Uint, Ty::Uint)
                | (Ty::Double, Ty::Double)
                | (Ty::Duration, Ty::Duration) => R(a.clone()),
                (Ty::Timestamp, Ty::Timestamp) => R(Ty::Duration),
                (Ty::Timestamp, Ty::Duration) => R(Ty::Timestamp),
                _ => NoMatch,
            }
        }
        ("_*_" | "_/_", None, [a, b]) => {
            if any_unknown {
                return Unknown;
            }
            if a == b && numeric(a) {
                R(a.clone())
            } else {
                NoMatch
            }
        }
        ("_%_", None, [a, b]) => {
            if any_unknown {
                return Unknown;
            }
            if a == b && matches!(a, Ty::Int | Ty::Uint) {
                R(a.clone())
            } else {
                NoMatch
            }
        }
        ("_?_:_", None, [c, a, b]) => {
            // With `null` on one side, cel-go may join the branches.
            let nullable = a == &Ty::Null || b == &Ty::Null;
            if matches!(c, Ty::Bool | Ty::Unknown) && same(a, b) {
                if a.is_unknown() {
                    Unknown
                } else {
                    R(a.clone())
                }
            } else if any_unknown || nullable {
                Unknown
            } else {
                NoMatch
            }
        }
        ("_[_]", None, [container, index]) => {
            if any_unknown {
                return match container {
                    Ty::List(item) if matches!(index, Ty::Int | Ty::Unknown) => {
                        if item.is_unknown() {
                            Unknown
                        } else {
                            R((**item).clone())
                        }
                    }
                    _ => Unknown,
                };
            }
            match (container, index) {
                (Ty::List(item), Ty::Int) => R((**item).clone()),
                (Ty::Map(k, v), i) if **k == *i => R((**v).clone()),
                _ => NoMatch,
            }
        }
        ("@in", None, [item, container]) => {
            if any_unknown {
                return R(Ty::Bool);
            }
            match container {
                Ty::List(x) | Ty::Map(x, _) if **x == *item => R(Ty::Bool),
                _ => NoMatch,
            }
        }
        ("size", None, [a]) | ("size", Some(a), []) => fixed(
            matches!(a, Ty::String | Ty::Bytes | Ty::List(_) | Ty::Map(..)),
            Ty::Int,
        ),
        ("contains" | "startsWith" | "endsWith", Some(s), [a]) => fixed(
            (s == &Ty::String && a == &Ty::String) || (s == &Ty::Bytes && a == &Ty::Bytes),
            Ty::Bool,
        ),
        ("matches", Some(s), [a]) | ("matches", None, [s, a]) => {
            fixed(s == &Ty::String && a == &Ty::String, Ty::Bool)
        }
        ("isEmail" | "isHostname" | "isUri" | "isUriRef", Some(s), []) => {
            fixed(s == &Ty::String, Ty::Bool)
        }
        ("isIp" | "isIpPrefix", Some(s), []) => fixed(s == &Ty::String, Ty::Bool),
        ("isIp", Some(s), [v]) => fixed(s == &Ty::String && v == &Ty::Int, Ty::Bool),
        ("isIpPrefix", Some(s), [v]) => fixed(
            s == &Ty::String && matches!(v, Ty::Int | Ty::Bool),
            Ty::Bool,
        ),
        ("isIpPrefix", Some(s), [v, strict]) => fixed(
            s == &Ty::String && v == &Ty::Int && strict == &Ty::Bool,
            Ty::Bool,
        ),
        ("isHostAndPort", Some(s), [p]) => fixed(s == &Ty::String && p == &Ty::Bool, Ty::Bool),
        ("isNan", Some(d), []) => fixed(d == &Ty::Double, Ty::Bool),
        ("isInf", Some(d), []) => fixed(d == &Ty::Double, Ty::Bool),
        ("isInf", Some(d), [sign]) => fixed(d == &Ty::Double && sign == &Ty::Int, Ty::Bool),
        ("unique", Some(l), []) => fixed(matches!(l, Ty::List(_)), Ty::Bool),
        // Conversions (CEL's standard overloads).
        ("int", None, [a]) => fixed(
            matches!(
                a,
                Ty::Int | Ty::Uint | Ty::Double | Ty::String | Ty::Timestamp | Ty::Duration
            ),
            Ty::Int,
        ),
        ("uint", None, [a]) => fixed(
            matches!(a, Ty::Int | Ty::Uint | Ty::Double | Ty::String),
            Ty::Uint,
        ),
        ("double", None, [a]) => fixed(
            matches!(a, Ty::Int | Ty::Uint | Ty::Double | Ty::String),
            Ty::Double,
        ),
        ("string", None, [a]) => fixed(
            matches!(
                a,
                Ty::Int
                    | Ty::Uint
                    | Ty::Double
                    | Ty::String
                    | Ty::Bool
                    | Ty::Bytes
                    | Ty::Timestamp
                    | Ty::Duration
            ),
            Ty::String,
        ),
        ("bytes", None, [a]) => fixed(matches!(a, Ty::Bytes | Ty::String), Ty::Bytes),
        ("bool", None, [a]) => fixed(matches!(a, Ty::Bool | Ty::String), Ty::Bool),
        ("duration", None, [a]) => fixed(matches!(a, Ty::Duration | Ty::String), Ty::Duration),
        ("timestamp", None, [a]) => fixed(
            matches!(a, Ty::Timestamp | Ty::String | Ty::Int),
            Ty::Timestamp,
        ),
        // `dyn(x)` and `type(x)` accept anything; their results (`dyn`,
        // a type) are not modelled.
        ("dyn", None, [_]) => R(Ty::Dyn),
        ("type", None, [_]) => Unknown,
        // protovalidate's `getField(message, name)`: `dyn`.
        ("getField", None, [_, n]) => {
            if matches!(n, Ty::String | Ty::Unknown | Ty::Dyn) {
                R(Ty::Dyn)
            } else {
                NoMatch
            }
        }
        // The strings extension (cel-go's `ext.Strings()`, latest
        // version, as protovalidate declares it).
        ("charAt", Some(s), [i]) => fixed(s == &Ty::String && i == &Ty::Int, Ty::String),
        ("indexOf" | "lastIndexOf", Some(s), [a]) => {
            fixed(s == &Ty::String && a == &Ty::String, Ty::Int)
        }
        ("indexOf" | "lastIndexOf", Some(s), [a, i]) => fixed(
            s == &Ty::String && a == &Ty::String && i == &Ty::Int,
            Ty::Int,
        ),
        ("lowerAscii" | "upperAscii" | "trim" | "reverse", Some(s), []) => {
            fixed(s == &Ty::String, Ty::String)
        }
        ("replace", Some(s), [a, b]) => fixed(
            s == &Ty::String && a == &Ty::String && b == &Ty::String,
            Ty::String,
        ),
        ("replace", Some(s), [a, b, n]) => fixed(
            s == &Ty::String && a == &Ty::String && b == &Ty::String && n == &Ty::Int,
            Ty::String,
        ),
        ("split", Some(s), [a]) => fixed(
            s == &Ty::String && a == &Ty::String,
            Ty::List(Box::new(Ty::String)),
        ),
        ("split", Some(s), [a, n]) => fixed(
            s == &Ty::String && a == &Ty::String && n == &Ty::Int,
            Ty::List(Box::new(Ty::String)),
        ),
        ("substring", Some(s), [a]) => fixed(s == &Ty::String && a == &Ty::Int, Ty::String),
        ("substring", Some(s), [a, b]) => fixed(
            s == &Ty::String && a == &Ty::Int && b == &Ty::Int,
            Ty::String,
        ),
        ("join", Some(l), []) => fixed(is_string_list(l), Ty::String),
        ("join", Some(l), [sep]) => fixed(is_string_list(l) && sep == &Ty::String, Ty::String),
        ("strings.quote", None, [s]) => fixed(s == &Ty::String, Ty::String),
        // `format` is validated further by cel-go (the verbs against the
        // arguments): its result is not modelled.
        ("format", Some(s), [l]) => {
            if any_unknown || (s == &Ty::String && matches!(l, Ty::List(_))) {
                Unknown
            } else {
                NoMatch
            }
        }
        (
            "getFullYear" | "getMonth" | "getDayOfYear" | "getDayOfMonth" | "getDate"
            | "getDayOfWeek" | "getHours" | "getMinutes" | "getSeconds" | "getMilliseconds",
            Some(Ty::Timestamp),
            [] | [Ty::String],
        ) => R(Ty::Int),
        ("getHours" | "getMinutes" | "getSeconds" | "getMilliseconds", Some(Ty::Duration), []) => {
            R(Ty::Int)
        }
        // Every overload of these is above: anything else is no match.
        _ if (OPERATORS.contains(&name) || DECLARED.contains(&name)) && !any_unknown => NoMatch,
        _ => Unknown,
    }
}

/// The operators whose every overload [`overload`] knows; with
/// [`DECLARED`], every function it knows.
const OPERATORS: [&str; 15] = [
    "!_", "-_", "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "_+_", "_-_", "_*_", "_/_", "_%_",
    "_[_]", "@in",
];

/// Every function the environment declares (CEL's standard library, the
/// strings extension, protovalidate's functions): a call of any other is
/// an undeclared reference.
const DECLARED: [&str; 49] = [
    "size",
    "contains",
    "startsWith",
    "endsWith",
    "matches",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "duration",
    "timestamp",
    "dyn",
    "type",
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
    "charAt",
    "format",
    "indexOf",
    "join",
    "lastIndexOf",
    "lowerAscii",
    "replace",
    "reverse",
    "split",
    "substring",
    "trim",
    "upperAscii",
    "unique",
    "getField",
    "isNan",
    "isInf",
    "isHostname",
    "isEmail",
    "isIp",
    "isIpPrefix",
    "isUri",
    "isUriRef",
    "isHostAndPort",
    "strings.quote",
];

/// The result of an arithmetic operator with a `dyn` operand, as cel-go
/// resolves it: the overloads the other operand allows, and their result
/// when all agree, else `dyn`. An operand no overload takes is no match.
fn arithmetic_with_dyn(name: &str, a: &Ty, b: &Ty) -> Resolved {
    use Ty::{Bytes, Double, Duration, Int, String, Timestamp, Uint};
    let mut overloads: Vec<(Ty, Ty, Ty)> = [Int, Uint, Double]
        .into_iter()
        .filter(|t| name != "_%_" || t != &Double)
        .map(|t| (t.clone(), t.clone(), t))
        .collect();
    match name {
        "_+_" => {
            overloads.extend([
                (String, String, String),
                (Bytes, Bytes, Bytes),
                (Duration, Duration, Duration),
                (Timestamp, Duration, Timestamp),
                (Duration, Timestamp, Timestamp),
            ]);
            for t in [a, b] {
                if let Ty::List(_) = t {
                    overloads.push((t.clone(), t.clone(), t.clone()));
                }
            }
        }
        "_-_" => overloads.extend([
            (Duration, Duration, Duration),
            (Timestamp, Timestamp, Duration),
            (Timestamp, Duration, Timestamp),
        ]),
        _ => {}
    }
    let fits = |param: &Ty, arg: &Ty| arg == &Ty::Dyn || param == arg;
    let results: Vec<Ty> = overloads
        .into_iter()
        .filter(|(x, y, _)| fits(x, a) && fits(y, b))
        .map(|(_, _, r)| r)
        .collect();
    match results.split_first() {
        None => Resolved::NoMatch,
        Some((first, rest)) if rest.iter().all(|r| r == first) => Resolved::Ok(first.clone()),
        Some(_) => Resolved::Ok(Ty::Dyn),
    }
}

/// Whether `t` is a list of strings (`join`'s target).
fn is_string_list(t: &Ty) -> bool {
    matches!(t, Ty::List(item) if **item == Ty::String)
}

/// `null` compares with messages, durations and timestamps (and itself).
fn null_comparable(a: &Ty, b: &Ty) -> bool {
    let other = if a == &Ty::Null { b } else { a };
    matches!(
        other,
        Ty::Null | Ty::Message(_) | Ty::Duration | Ty::Timestamp
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env::with_this(Ty::String, &DescriptorPool::new())
    }

    #[test]
    fn too_long_or_too_deep_is_not_checked() {
        let long = format!("this == '{}'", "x".repeat(MAX_EXPRESSION_BYTES));
        assert!(check(&long, &env()).is_none());
        let deep = format!("{}this{}", "size(".repeat(80), ")".repeat(80));
        assert!(check(&deep, &env()).is_none());
        let parens = format!("{}1{}", "(".repeat(8000), ")".repeat(8000));
        assert!(check(&parens, &env()).is_none());
        // Long chains parse (on the checker's own stack) and are too
        // deep to check.
        for chain in [
            format!("this{}", ".b".repeat(8000)),
            format!("1{}", " + 1".repeat(3000)),
            format!("this{}", "[0]".repeat(5000)),
            format!("this{}", ".f()".repeat(4000)),
        ] {
            assert!(check(&chain, &env()).is_none(), "{}", &chain[..20]);
        }
        let nested = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        assert!(check(&nested, &env()).is_none());
        // Negations collapse in the parser: long, not deep, and valid.
        let unary = format!("{}true", "!".repeat(16000));
        assert!(check(&unary, &env()).is_none_or(|c| c.errors.is_empty()));
    }

    #[test]
    fn result_type_and_errors() {
        let checked = check("size(this) + 1", &env()).expect("checked");
        assert_eq!(checked.output, Some(Ty::Int));
        assert!(checked.errors.is_empty());
        let checked = check("this + 1", &env()).expect("checked");
        assert_eq!(checked.output, None);
        assert_eq!(
            checked.errors,
            ["found no matching overload for '_+_' applied to '(string, int)'"]
        );
    }

    #[test]
    fn rarer_syntax_errors_are_worded_as_cel_go_does() {
        let errors = |e: &str| check(e, &env()).map(|c| c.errors).unwrap_or_default();
        assert_eq!(
            errors("this.filter(1, true)"),
            ["argument is not an identifier"]
        );
        assert_eq!(
            errors("this.all(1, true)"),
            ["argument must be a simple name"]
        );
        assert_eq!(
            errors("18446744073709551616u == 1u"),
            ["invalid uint literal"]
        );
        // A follow-on error of the `cel` crate's is left out.
        assert_eq!(
            errors("this["),
            [
                "mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"
            ]
        );
        // Worded differently by cel-go: not reported.
        assert!(errors("this ? 1").is_empty());
    }

    #[test]
    fn strings_extension_and_conversions_are_modelled() {
        let checked = check("this.lowerAscii().charAt(1) + 1 > 2", &env()).expect("checked");
        assert_eq!(
            checked.errors,
            ["found no matching overload for '_+_' applied to '(string, int)'"]
        );
        let checked = check("int(this.split(',')[0]) + 1", &env()).expect("checked");
        assert!(checked.errors.is_empty());
        assert_eq!(checked.output, Some(Ty::Int));
        let checked = check("strings.quote(1) == this", &env()).expect("checked");
        assert_eq!(
            checked.errors,
            ["found no matching overload for 'strings.quote' applied to '(int)'"]
        );
        let checked = check("dyn(this) + 1 == ''", &env()).expect("checked");
        assert_eq!(
            checked.errors,
            ["found no matching overload for '_==_' applied to '(int, string)'"]
        );
        let checked = check("thas.quote(this) == nope", &env()).expect("checked");
        assert_eq!(
            checked.errors,
            ["undeclared reference to 'nope' (in container '')"]
        );
    }
}
