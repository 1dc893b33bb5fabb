//! `example` values: Buf validates each example of a field's type rules
//! (`(buf.validate.field).string.example = "x"`) against the field's
//! other rules, with protovalidate, and reports each rule it breaks:
//! `"x" is an example value but does not satisfy rule "string.min_len":
//! must be at least 5 characters`.
//!
//! The rules are evaluated the way protovalidate defines them: each
//! standard rule (and each predefined rule, an extension of the rules)
//! carries its CEL expressions in `(buf.validate.predefined).cel`, which
//! are run with the `cel` crate's interpreter on the example (`this`),
//! the rules (`rules`) and the rule's value (`rule`); and the field's own
//! `cel` rules on the example. Only what evaluates is reported: a rule
//! whose expression the interpreter cannot run (a function it lacks, such
//! as `isEmail`; durations and timestamps; messages), or a `cel` rule
//! that fails without a message, is not.

use std::collections::HashMap;
use std::sync::Arc;

use cel::extractors::This;
use cel::objects::{Key, Map};
use prost_reflect::{DynamicMessage, ExtensionDescriptor, Kind, ReflectMessage, Value};

use super::adder::{Adder, quote};
use super::cel::{CelRule, rules_of};
use super::cel_check::{self, Env, Ty};
use super::field::{Target, n};

/// `buf.validate.Ignore` values that skip validation.
const IGNORE_IF_ZERO_VALUE: i32 = 1;
const IGNORE_ALWAYS: i32 = 3;
/// The longest expression run, in bytes (validate.proto's are short).
const MAX_EXPRESSION_BYTES: usize = 4096;
/// The most examples validated on one field.
const MAX_EXAMPLES: usize = 64;

/// One rule the example breaks: its id and message.
struct Violation {
    rule_id: String,
    message: String,
}

/// Check the `example` values of `type_rules` (number `type_number` in
/// `FieldRules`) against `field_rules`.
pub(super) fn check_examples(
    adder: &Adder<'_>,
    field_rules: &DynamicMessage,
    type_number: i32,
    type_rules: &DynamicMessage,
    target: &Target,
) {
    let Some(example_field) = type_rules.descriptor().get_field_by_name("example") else {
        return;
    };
    if !type_rules.has_field(&example_field) {
        return;
    }
    let examples = match type_rules.get_field(&example_field).into_owned() {
        Value::List(list) => list,
        _ => return,
    };
    let Ok(example_number) = i32::try_from(example_field.number()) else {
        return;
    };
    let field_cel = rules_of(field_rules, "cel");
    // Buf stops when an expression does not compile (reported on its
    // own); and the rules written as bare `cel_expression`s are not run
    // here: no example is checked then.
    if !rules_of(field_rules, "cel_expression").is_empty()
        || !compiles(
            &field_cel,
            &Env::with_this(
                Ty::of_kind(&target.kind),
                &type_rules.descriptor().parent_pool().clone(),
            ),
        )
        || !predefined_compile(type_rules)
    {
        return;
    }
    let has_rules = !field_cel.is_empty()
        || type_rules.fields().any(|(f, _)| f.name() != "example")
        || type_rules.extensions().next().is_some();
    if !has_rules {
        return;
    }
    let ignore = super::rules::get_enum(field_rules, "ignore");
    if ignore == IGNORE_ALWAYS {
        return;
    }
    let required = super::rules::get_bool(field_rules, "required");
    for (i, example) in examples.iter().enumerate().take(MAX_EXAMPLES) {
        let Ok(index) = i32::try_from(i) else { break };
        let zero = is_zero(example);
        if zero && (ignore == IGNORE_IF_ZERO_VALUE || (required && !target.has_presence)) {
            // Ignored, or `required` not met: not modelled.
            continue;
        }
        let Some(shown) = go_value(example) else {
            continue;
        };
        for violation in violations(example, &target.kind, type_number, type_rules, &field_cel) {
            adder.add(
                &[type_number, example_number, index],
                format!(
                    "\"{shown}\" is an example value but does not satisfy rule {}: {}",
                    quote(&violation.rule_id),
                    violation.message
                ),
            );
        }
    }
}

/// The rules `example` breaks, in protovalidate's order: the type rules
/// (standard, then predefined), then the field's `cel` rules.
fn violations(
    example: &Value,
    kind: &Kind,
    type_number: i32,
    type_rules: &DynamicMessage,
    field_cel: &[CelRule],
) -> Vec<Violation> {
    let mut found = Vec::new();
    let Some(this) = to_cel(example) else {
        return found;
    };
    let pool = type_rules.descriptor().parent_pool().clone();
    let Some(predefined) = pool.get_extension_by_name("buf.validate.predefined") else {
        return found;
    };
    let mut rules_map: HashMap<Key, cel::Value> = HashMap::new();
    for (f, v) in type_rules.fields() {
        if let Some(v) = to_cel(v) {
            rules_map.insert(Key::String(Arc::new(f.name().to_owned())), v);
        }
    }
    let rules = cel::Value::Map(Map {
        map: Arc::new(rules_map),
    });
    if type_number == n::ENUM
        && super::rules::get_bool(type_rules, "defined_only")
        && let (Value::EnumNumber(number) | Value::I32(number), Kind::Enum(e)) = (example, kind)
        && e.get_value(*number).is_none()
    {
        found.push(Violation {
            rule_id: "enum.defined_only".into(),
            message: "value must be one of the defined enum values".into(),
        });
    }
    let mut evaluate = |options: DynamicMessage, rule: &Value| {
        let Some(rule) = to_cel(rule) else { return };
        if !options.has_extension(&predefined) {
            return;
        }
        let Value::Message(predefined_rules) = options.get_extension(&predefined).into_owned()
        else {
            return;
        };
        for cel_rule in rules_of(&predefined_rules, "cel") {
            let vars = [
                ("this", this.clone()),
                ("rules", rules.clone()),
                ("rule", rule.clone()),
            ];
            if let Some(message) = run(&cel_rule.expression, &vars, &cel_rule.message) {
                found.push(Violation {
                    rule_id: cel_rule.id,
                    message,
                });
            }
        }
    };
    for (f, v) in type_rules.fields() {
        if f.name() != "example" {
            evaluate(f.options(), v);
        }
    }
    let extensions: Vec<(ExtensionDescriptor, Value)> = type_rules
        .extensions()
        .map(|(e, v)| (e, v.clone()))
        .collect();
    for (e, v) in &extensions {
        evaluate(e.options(), v);
    }
    for cel_rule in field_cel {
        if let Some(message) = run(
            &cel_rule.expression,
            &[("this", this.clone())],
            &cel_rule.message,
        ) {
            found.push(Violation {
                rule_id: cel_rule.id.clone(),
                message,
            });
        }
    }
    found
}

/// Whether every rule compiles in `env` without errors, as far as the
/// checker can tell, and runs in bounded time (no comprehensions).
fn compiles(rules: &[CelRule], env: &Env) -> bool {
    rules.iter().all(|rule| {
        !COMPREHENSIONS.iter().any(|m| rule.expression.contains(m))
            && cel_check::check(&rule.expression, env).is_some_and(|c| c.errors.is_empty())
    })
}

/// The macros that loop: an expression with one is not run.
const COMPREHENSIONS: [&str; 5] = ["all(", "exists(", "exists_one(", "map(", "filter("];

/// Whether the predefined rules set in `type_rules` (extensions) all
/// compile.
fn predefined_compile(type_rules: &DynamicMessage) -> bool {
    let pool = type_rules.descriptor().parent_pool().clone();
    let Some(predefined) = pool.get_extension_by_name("buf.validate.predefined") else {
        return true;
    };
    let this = Ty::of_standard_rules(type_rules.descriptor().name());
    type_rules.extensions().all(|(e, _)| {
        let options = e.options();
        if !options.has_extension(&predefined) {
            return true;
        }
        let Value::Message(rules) = options.get_extension(&predefined).into_owned() else {
            return true;
        };
        let item = Ty::of_kind(&e.kind());
        let rule = if e.is_list() {
            Ty::List(Box::new(item))
        } else {
            item
        };
        let mut env = Env::with_this(this.clone(), &pool);
        env.vars.push(("rule", rule));
        env.vars
            .push(("rules", Ty::Message(type_rules.descriptor())));
        compiles(&rules_of(&rules, "cel"), &env)
    })
}

/// Run one CEL rule: the violation's message when it fails (a non-empty
/// string, or `false` with a message), `None` when it passes or cannot
/// be run.
fn run(expression: &str, vars: &[(&str, cel::Value)], message: &str) -> Option<String> {
    // Bounded work: no long expressions, no loops (validate.proto's
    // scalar rules have none).
    if expression.len() > MAX_EXPRESSION_BYTES
        || COMPREHENSIONS.iter().any(|m| expression.contains(m))
    {
        return None;
    }
    // Rust's `regex` reads `\w`, `\d`, `\s`, `\b` and `\p` as Unicode
    // where Go's RE2 reads ASCII (and POSIX classes differ): a regex with
    // one, in the expression or a value it matches against, is not run.
    if expression.contains("matches")
        && (unlike_re2(expression) || vars.iter().any(|(_, v)| value_unlike_re2(v)))
    {
        return None;
    }
    // The parser and interpreter recurse: on a thread with a stack of
    // its own, as the checker does.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("cel-example".into())
            .stack_size(64 << 20)
            .spawn_scoped(scope, || run_here(expression, vars, message))
            .ok()?
            .join()
            .ok()?
    })
}

/// Whether a regex source may match differently in Rust and Go.
fn unlike_re2(text: &str) -> bool {
    [
        "\\w", "\\W", "\\d", "\\D", "\\s", "\\S", "\\b", "\\B", "\\p", "\\P", "[[:",
    ]
    .iter()
    .any(|p| text.contains(p))
}

fn value_unlike_re2(value: &cel::Value) -> bool {
    match value {
        cel::Value::String(s) => unlike_re2(s),
        cel::Value::List(items) => items.iter().any(value_unlike_re2),
        cel::Value::Map(map) => map.map.values().any(value_unlike_re2),
        _ => false,
    }
}

fn run_here(expression: &str, vars: &[(&str, cel::Value)], message: &str) -> Option<String> {
    let mut env = cel::Env::stdlib();
    env.add_extension(cel::extensions::strings).ok()?;
    let program = env.compile(expression).ok()?;
    let mut context = cel::Context::with_env(Arc::new(env));
    for (name, value) in vars {
        context.add_variable_from_value(*name, value.clone());
    }
    context.add_function("getField", get_field).ok()?;
    context
        .add_function("isNan", |This(v): This<f64>| v.is_nan())
        .ok()?;
    context
        .add_function("isInf", |This(v): This<f64>| v.is_infinite())
        .ok()?;
    match program.execute(&context).ok()? {
        cel::Value::Bool(true) => None,
        cel::Value::Bool(false) if !message.is_empty() => Some(message.to_owned()),
        cel::Value::String(s) if !s.is_empty() => Some((*s).clone()),
        _ => None,
    }
}

/// protovalidate's `getField(message, name)`, on the rules as a map.
fn get_field(message: cel::Value, name: Arc<String>) -> cel::ResolveResult {
    match message {
        cel::Value::Map(map) => map
            .map
            .get(&Key::String(name.clone()))
            .cloned()
            .ok_or_else(|| cel::ExecutionError::function_error("getField", "no such field")),
        _ => Err(cel::ExecutionError::function_error(
            "getField",
            "not a message",
        )),
    }
}

/// A protobuf value as a CEL value, when it is one the interpreter runs
/// the same way as cel-go (scalars and lists of them).
fn to_cel(value: &Value) -> Option<cel::Value> {
    Some(match value {
        Value::Bool(b) => cel::Value::Bool(*b),
        Value::I32(v) => cel::Value::Int(i64::from(*v)),
        Value::I64(v) => cel::Value::Int(*v),
        Value::U32(v) => cel::Value::UInt(u64::from(*v)),
        Value::U64(v) => cel::Value::UInt(*v),
        Value::F32(v) => cel::Value::Float(f64::from(*v)),
        Value::F64(v) => cel::Value::Float(*v),
        Value::String(s) => cel::Value::String(Arc::new(s.clone())),
        Value::Bytes(b) => cel::Value::Bytes(Arc::new(b.to_vec())),
        Value::EnumNumber(v) => cel::Value::Int(i64::from(*v)),
        Value::List(items) => cel::Value::List(Arc::new(
            items.iter().map(to_cel).collect::<Option<Vec<_>>>()?,
        )),
        Value::Message(_) | Value::Map(_) => return None,
    })
}

/// Whether the value is its type's zero value.
fn is_zero(value: &Value) -> bool {
    match value {
        Value::Bool(b) => !b,
        Value::I32(v) => *v == 0,
        Value::I64(v) => *v == 0,
        Value::U32(v) => *v == 0,
        Value::U64(v) => *v == 0,
        Value::F32(v) => *v == 0.0,
        Value::F64(v) => *v == 0.0,
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::EnumNumber(v) => *v == 0,
        Value::List(_) | Value::Map(_) | Value::Message(_) => false,
    }
}

/// The example as Go's `%v` prints it (scalars only).
fn go_value(value: &Value) -> Option<String> {
    Some(match value {
        Value::Bool(b) => b.to_string(),
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::U32(v) => v.to_string(),
        Value::U64(v) => v.to_string(),
        Value::EnumNumber(v) => v.to_string(),
        Value::F32(v) => go_float(format!("{v:e}"), v.is_nan(), v.is_infinite(), *v < 0.0),
        Value::F64(v) => go_float(format!("{v:e}"), v.is_nan(), v.is_infinite(), *v < 0.0),
        Value::String(s) => s.clone(),
        Value::Bytes(b) => format!(
            "[{}]",
            b.iter().map(u8::to_string).collect::<Vec<_>>().join(" ")
        ),
        Value::List(_) | Value::Map(_) | Value::Message(_) => return None,
    })
}

/// Go's `%v` of a float, from Rust's shortest `{:e}` form (`1.5e6`):
/// `%e` style (`1.5e+06`) when the exponent is below -4 or at least 6
/// (Go's `%g` with the shortest precision), plain digits otherwise.
fn go_float(shortest: String, nan: bool, infinite: bool, negative: bool) -> String {
    if nan {
        return "NaN".into();
    }
    if infinite {
        return if negative { "-Inf" } else { "+Inf" }.into();
    }
    let Some((mantissa, exponent)) = shortest.split_once('e') else {
        return shortest;
    };
    let Ok(exponent) = exponent.parse::<i32>() else {
        return shortest;
    };
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs());
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    // The point goes after `exponent + 1` digits.
    let point = exponent + 1;
    let text = if point <= 0 {
        format!(
            "0.{}{digits}",
            "0".repeat(usize::try_from(-point).unwrap_or(0))
        )
    } else {
        let point = usize::try_from(point).unwrap_or(0);
        if digits.len() <= point {
            format!("{digits}{}", "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    };
    format!("{sign}{text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_go_does() {
        let go = |v: f64| go_value(&Value::F64(v)).expect("scalar");
        assert_eq!(go(1.5), "1.5");
        assert_eq!(go(1e6), "1e+06");
        assert_eq!(go(123456.0), "123456");
        assert_eq!(go(0.0001), "0.0001");
        assert_eq!(go(0.00001), "1e-05");
        assert_eq!(go(-2.25), "-2.25");
        assert_eq!(go(f64::INFINITY), "+Inf");
        assert_eq!(go_value(&Value::F32(0.1)).expect("scalar"), "0.1");
    }

    #[test]
    fn rules_run_in_the_interpreter() {
        let this = cel::Value::String(Arc::new("ab".into()));
        let message = run(
            "uint(this.size()) < rule ? 'must be at least %s characters'.format([rule]) : ''",
            &[("this", this.clone()), ("rule", cel::Value::UInt(5))],
            "",
        );
        assert_eq!(message.as_deref(), Some("must be at least 5 characters"));
        assert_eq!(run("this == 'ab'", &[("this", this.clone())], "m"), None);
        assert_eq!(
            run("this == 'x'", &[("this", this)], "m").as_deref(),
            Some("m")
        );
        // `\W` is ASCII in Go, Unicode in Rust: not run.
        let pattern = cel::Value::String(Arc::new("^\\W+$".into()));
        let accented = cel::Value::String(Arc::new("é".into()));
        let vars = [("this", accented), ("rule", pattern)];
        assert_eq!(run("!this.matches(rule) ? 'no' : ''", &vars, ""), None);
    }
}
