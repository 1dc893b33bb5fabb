use prost_reflect::{Kind, Value};

use crate::breaking::helpers::field::AnyField;
use crate::breaking::{BreakingSink, PairCx};
use crate::rule::{Category, Check, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FIELD_SAME_DEFAULT",
    kind: RuleKind::Breaking,
    categories: &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
        Category::Csr,
    ],
    v1_categories: Some(&[]),
    v1_exists: false,
    summary: "A field keeps its default value.",
    doc: r#"## What it catches

A scalar or enum field (or extension) whose default value changed: a proto2
`[default = …]` added, removed or edited, or an enum field whose implicit
default (the first value) is now a different value. Nothing is reported
when both defaults are the zero value. Defaults are compared by value, so
`1` and `1.0` after an `int32` to `double` change are equal. Repeated, map
and message fields have no default and are skipped.

## Why it matters

Defaults are not on the wire: a reader fills them in when the field is
absent. After a change, old and new readers of the same bytes see different
values for every message that omits the field, without any error.

## Bad

```proto
message Retry {
  optional int32 max_attempts = 1 [default = 3];   // before
  optional int32 max_attempts = 1 [default = 5];   // after
}
```

## Good

```proto
message Retry {
  optional int32 max_attempts = 1 [default = 3];
  optional int32 max_attempts_v2 = 2 [default = 5];
}
```

## How to evolve safely

Leave the default alone; apply the new default in application code, or add
a new field with the new default and migrate readers to it.
"#,
    check: Check::Breaking(check),
};

/// `default_value` in `FieldDescriptorProto`.
const DEFAULT_VALUE: i32 = 7;

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.field_pairs() {
        let (Some(before), Some(after)) = (default_of(&previous), default_of(&current)) else {
            continue;
        };
        if before.is_zero() && after.is_zero() {
            continue;
        }
        if !before.equals(&after) {
            current.report(
                sink,
                &current.sub_path(&[DEFAULT_VALUE]),
                format!(
                    "{} changed default value from {} to {}.",
                    current.description(),
                    before.printable,
                    after.printable
                ),
            );
        }
    }
}

/// A default value, comparable across scalar types.
struct FieldDefault {
    value: Comparable,
    printable: String,
}

enum Comparable {
    Text(Vec<u8>),
    Int(i128),
    Float(f64),
    /// A `float` default, compared as `f32` with a `double` one.
    Float32(f32),
}

impl FieldDefault {
    fn is_zero(&self) -> bool {
        match &self.value {
            Comparable::Text(t) => t.is_empty(),
            Comparable::Int(i) => *i == 0,
            Comparable::Float(f) => f.to_bits() == 0,
            Comparable::Float32(f) => f.to_bits() == 0,
        }
    }

    fn equals(&self, other: &FieldDefault) -> bool {
        use Comparable::{Float, Float32, Int, Text};
        match (&self.value, &other.value) {
            (Text(a), Text(b)) => a == b,
            (Text(_), _) | (_, Text(_)) => false,
            (Int(a), Int(b)) => a == b,
            (Float32(a), Float(b)) | (Float(b), Float32(a)) => {
                (a.is_nan() && b.is_nan()) || *a == *b as f32
            }
            (a, b) => {
                let (a, b) = (a.as_f64(), b.as_f64());
                (a.is_nan() && b.is_nan()) || a == b
            }
        }
    }
}

impl Comparable {
    #[allow(clippy::cast_precision_loss)]
    fn as_f64(&self) -> f64 {
        match self {
            Comparable::Int(i) => *i as f64,
            Comparable::Float(f) => *f,
            Comparable::Float32(f) => f64::from(*f),
            Comparable::Text(_) => f64::NAN,
        }
    }
}

/// The default of a field that can have one (not repeated, map, message or
/// group).
fn default_of(field: &AnyField) -> Option<FieldDefault> {
    if field.is_list() || field.is_map() {
        return None;
    }
    let kind = field.kind();
    if matches!(kind, Kind::Message(_)) {
        return None;
    }
    let value = field.default_value();
    let (value, printable) = match value {
        Value::Bool(b) => (Comparable::Int(i128::from(b)), b.to_string()),
        Value::I32(i) => (Comparable::Int(i128::from(i)), i.to_string()),
        Value::I64(i) => (Comparable::Int(i128::from(i)), i.to_string()),
        Value::U32(i) => (Comparable::Int(i128::from(i)), i.to_string()),
        Value::U64(i) => (Comparable::Int(i128::from(i)), i.to_string()),
        Value::F32(f) => (
            Comparable::Float32(f),
            float_str(f, f.is_nan(), f.is_infinite(), f > 0.0),
        ),
        Value::F64(f) => (
            Comparable::Float(f),
            float_str(f, f.is_nan(), f.is_infinite(), f > 0.0),
        ),
        Value::String(s) => {
            let printable = format!("{s:?}");
            (Comparable::Text(s.into_bytes()), printable)
        }
        Value::Bytes(b) => {
            let printable = format!(
                "[{}]",
                b.iter()
                    .map(|x| format!("0x{x:X}"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            (Comparable::Text(b.to_vec()), printable)
        }
        Value::EnumNumber(n) => {
            let printable = match &kind {
                Kind::Enum(e) => match e.get_value(n) {
                    Some(v) => format!("{}.{}", e.name(), v.name()),
                    None => format!("{}.{n}(?)", e.name()),
                },
                _ => n.to_string(),
            };
            (Comparable::Int(i128::from(n)), printable)
        }
        Value::Message(_) | Value::List(_) | Value::Map(_) => return None,
    };
    Some(FieldDefault { value, printable })
}

/// Floats as Go's `%v` prints them (shortest form, `NaN`, `+Inf`).
fn float_str(f: impl ToString, nan: bool, infinite: bool, positive: bool) -> String {
    if nan {
        "NaN".to_owned()
    } else if infinite {
        if positive { "+Inf" } else { "-Inf" }.to_owned()
    } else {
        f.to_string()
    }
}
