//! PROTOVALIDATE: protovalidate rules (`(buf.validate.field)`,
//! `(buf.validate.message)`) that cannot work, with Buf's messages and
//! locations.
//!
//! One family per file: `field.rs` (flags, type fit, repeated and map
//! rules), `numeric.rs` (numbers, durations, timestamps), `string.rs`
//! (strings and bytes), `message.rs` (message `oneof` rules), with
//! `rules.rs` (reading rule messages, `const`, lengths), `regex.rs` (Go's
//! pattern errors), `adder.rs` (rule names, reporting) and `locate.rs`
//! (locations inside option values), `cel.rs` (CEL rule ids, empty
//! expressions, result types) and `cel_check.rs` (type-checking CEL).

mod adder;
mod cel;
mod cel_check;
mod example;
mod field;
mod locate;
mod message;
mod numeric;
mod regex;
mod rules;
mod string;

use std::cell::{OnceCell, RefCell};

use prost_reflect::{DynamicMessage, Value};
use schemactl_compile::walk;

use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

use adder::{Adder, FieldCx};
use field::Target;
use locate::OptionLocations;

/// The extension number of `(buf.validate.field)` and
/// `(buf.validate.message)`.
const EXTENSION_NUMBER: i32 = 1159;
/// `options` in `FieldDescriptorProto` and in `DescriptorProto`.
const FIELD_OPTIONS: i32 = 8;
/// The extension number of `(buf.validate.predefined)`.
const PREDEFINED_NUMBER: i32 = 1160;
const MESSAGE_OPTIONS: i32 = 7;

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PROTOVALIDATE",
    kind: RuleKind::Lint,
    categories: &[Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "protovalidate rules can be satisfied, fit their fields, and their CEL expressions compile.",
    doc: r#"## What it catches

In Buf, this rule checks [protovalidate](https://github.com/bufbuild/protovalidate)
constraint annotations (`(buf.validate.field)`, `(buf.validate.message)`):
that each constraint fits the field's type, that bounds are consistent
(`min_len` not above `max_len`), and that CEL expressions compile.

What schemactl checks, with Buf's messages and locations: rules of a type
that does not match the field's (`string` rules on an `int32`, scalar rules
on a `repeated` field, `repeated` or `map` rules on other fields);
`required` in a oneof, on an extension, with `ignore: IGNORE_IF_ZERO_VALUE`,
or on repeated items and map keys and values; `ignore: IGNORE_ALWAYS` with
other rules; `IGNORE_IF_ZERO_VALUE` on a field that tracks presence;
`const` with other rules; `len` with `min_len`/`max_len`, and `min_len`
above or equal to `max_len` (lengths, bytes, items, pairs); equal lower and
upper bounds; NaN in float and double rules; invalid durations and
timestamps as bounds, `within` not positive, `lt_now` with `gt_now`;
string prefixes, suffixes and `contains` longer than `max_len` or
`max_bytes` or containing `not_contains`; `strict: false` without
`well_known_regex`; patterns that do not compile (Go's RE2 errors);
`unique` on message items; a field mask path both in `in` and `not_in`;
the entries of `(buf.validate.message).oneof`; and, on CEL rules (`cel`,
`cel_expression`, predefined rules' `cel`), IDs with characters other than
`a-z A-Z 0-9 . _ -`, IDs used twice and empty expressions.

CEL expressions are compiled against the message (`this` is the message
for message rules, the field's value or each item for field rules, and
`rule`, `rules`, `this` for predefined rules, with `now`), with cel-go's
messages: syntax errors, undefined fields, undeclared variables and
functions, field selection on values that have no fields, comprehensions
over values that are not lists or maps, operators and functions (the
standard ones and conversions such as `int()` and `timestamp()`, timestamp
and duration getters, the strings extension's `charAt`, `indexOf`,
`split`, `join`, `strings.quote`, ..., `dyn()`, and protovalidate's
`getField`, `isEmail`, `isIp`, `unique`, `isNan`, ...; a wrapper type
takes its wrapped type's) applied to arguments they do not accept,
results that are not a bool or a string, and a `message` next to an
expression that returns a string.

`example` values are validated against the field's other rules, as Buf
does with protovalidate: each standard rule's CEL (from `validate.proto`),
each predefined rule's and the field's own `cel` rules are run on the
example, and each rule it breaks is reported (`"ab" is an example value
but does not satisfy rule "string.min_len": must be at least 5
characters`), as is an enum example outside the enum with
`defined_only`.

**Not checked yet** (Buf checks them, so `buf lint` can find more):
examples against the rules the interpreter cannot run: the well-known
string formats (`email`, `hostname`, `uri`, `ip`, `uuid`, ...), the bytes
`prefix`, `suffix` and `contains`, durations and timestamps, patterns
with `\w`, `\d`, `\s`, `\b`, `\p` or POSIX classes (ASCII in Go's RE2,
Unicode in Rust's `regex`), rules with comprehensions (`all`, `exists`, `map`, `filter`), `cel` rules that fail
without a `message`, `cel_expression` rules, and zero examples of
`required` fields; in CEL expressions, the verbs of `format` and what
`type()` returns, and syntax errors other than cel-go's ANTLR errors
(token recognition, missing, extraneous and mismatched input, no viable
alternative) and the `has()`, macro-argument and int and uint literal
errors.
Expressions longer than 16 KiB, deeper than 64 levels or with more than
32 brackets open at once are not compiled.

Pattern errors are Go's for the common mistakes (unclosed or unopened
groups, unclosed classes, repetition without an argument, bad escapes,
bad repeat counts, look-around); rarer ones keep the Rust `regex-syntax`
description.

## Why it matters

Constraints that cannot be satisfied, or that do not apply to the field's
type, fail at runtime in every service that validates the message, or
silently accept everything. Catching them at lint time keeps the schema's
promises true.

## Bad

```proto
import "buf/validate/validate.proto";

message User {
  // min_len is larger than max_len: no value can pass.
  string name = 1 [(buf.validate.field).string = {min_len: 10, max_len: 5}];
}
```

## Good

```proto
import "buf/validate/validate.proto";

message User {
  string name = 1 [(buf.validate.field).string = {min_len: 1, max_len: 64}];
}
```

## How to evolve safely

Tightening a constraint rejects data that used to be valid: loosen first,
tighten only after every producer complies. Constraints do not change the
wire format.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let pool = cx.file.parent_pool();
    let Some(field_extension) = pool.get_extension_by_name("buf.validate.field") else {
        return;
    };
    let Some(field_rules) = pool.get_message_by_name("buf.validate.FieldRules") else {
        return;
    };
    let message_extension = pool.get_extension_by_name("buf.validate.message");
    let text = cx.meta.source.as_deref();
    let cell: OnceCell<OptionLocations> = OnceCell::new();
    let locations = || cell.get_or_init(|| OptionLocations::new(cx.index, text, pool));
    let file = cx.file.name();

    // Rules of `rules` (a `FieldRules`) on the field at `path`.
    let check_field = |sink: &mut Sink,
                       locations: &OptionLocations,
                       path: &[i32],
                       name: &str,
                       pretty: String,
                       target: Target,
                       rules: &DynamicMessage| {
        let mut extension_path = path.to_vec();
        extension_path.extend([FIELD_OPTIONS, EXTENSION_NUMBER]);
        let field_cx = FieldCx {
            name: name.to_owned(),
            pretty_type: pretty,
            extension_path,
            locations,
            field_rules: field_rules.clone(),
            found: RefCell::new(Vec::new()),
        };
        let expect_repeated = target.repeated;
        field::check_rules(&Adder::new(&field_cx), rules, &target, expect_repeated);
        for (location, message) in field_cx.found.into_inner() {
            report(sink, file, path, location, message);
        }
    };
    let rules_of = |options: DynamicMessage, extension: &prost_reflect::ExtensionDescriptor| {
        if !options.has_extension(extension) {
            return None;
        }
        match options.get_extension(extension).into_owned() {
            Value::Message(m) => Some(m),
            _ => None,
        }
    };

    for message in walk::messages(&cx.file) {
        if let Some(extension) = &message_extension
            && let Some(rules) = rules_of(message.options(), extension)
        {
            let mut extension_path = message.path().to_vec();
            extension_path.extend([MESSAGE_OPTIONS, EXTENSION_NUMBER]);
            let found = message::check_message(&message, &rules, &extension_path, locations());
            for (location, text) in found {
                report(sink, file, message.path(), location, text);
            }
        }
        for f in message.fields() {
            if let Some(rules) = rules_of(f.options(), &field_extension) {
                let pretty = field::pretty_type(&f);
                check_field(
                    sink,
                    locations(),
                    f.path(),
                    f.name(),
                    pretty,
                    Target::of_field(&f),
                    &rules,
                );
            }
        }
        for e in message.child_extensions() {
            if let Some(rules) = rules_of(e.options(), &field_extension) {
                let pretty = field::kind_name(&e.kind()).to_owned();
                check_field(
                    sink,
                    locations(),
                    e.path(),
                    e.name(),
                    pretty,
                    Target::of_extension(&e),
                    &rules,
                );
            }
        }
    }
    // Predefined rules: extensions of `buf.validate.*Rules` with
    // `(buf.validate.predefined)`.
    let predefined_extension = pool.get_extension_by_name("buf.validate.predefined");
    let extensions = walk::messages(&cx.file)
        .iter()
        .flat_map(|m| m.child_extensions().collect::<Vec<_>>())
        .chain(cx.file.extensions())
        .collect::<Vec<_>>();
    if let Some(predefined) = &predefined_extension {
        for e in &extensions {
            let extendee = e.containing_message();
            let standard = extendee.parent_file().name() == "buf/validate/validate.proto"
                && extendee.package_name() == "buf.validate"
                && extendee.name().ends_with("Rules");
            if !standard {
                continue;
            }
            let Some(rules) = rules_of(e.options(), predefined) else {
                continue;
            };
            let mut extension_path = e.path().to_vec();
            extension_path.extend([FIELD_OPTIONS, PREDEFINED_NUMBER]);
            let names = cel::CelNames {
                parent: "extension field",
                parent_capitalized: "Extension field",
                cel_name: "(buf.validate.predefined).cel",
                is_expression: false,
            };
            let item = cel_check::Ty::of_kind(&e.kind());
            let rule = if e.is_list() {
                cel_check::Ty::List(Box::new(item))
            } else {
                item
            };
            let mut env =
                cel_check::Env::with_this(cel_check::Ty::of_standard_rules(extendee.name()), pool);
            env.vars.push(("rule", rule));
            env.vars
                .push(("rules", cel_check::Ty::Message(extendee.clone())));
            let mut found = Vec::new();
            cel::check_cel(
                &cel::rules_of(&rules, "cel"),
                &env,
                &names,
                &mut |i, text| {
                    let mut path = extension_path.clone();
                    path.extend([1, i]);
                    found.push((locations().find(&path, extension_path.len()), text));
                },
            );
            for (location, text) in found {
                report(sink, file, e.path(), location, text);
            }
        }
    }
    for e in cx.file.extensions() {
        if let Some(rules) = rules_of(e.options(), &field_extension) {
            let pretty = field::kind_name(&e.kind()).to_owned();
            check_field(
                sink,
                locations(),
                e.path(),
                e.name(),
                pretty,
                Target::of_extension(&e),
                &rules,
            );
        }
    }
}

/// Report at the location found, or at the element when there is none.
fn report(
    sink: &mut Sink,
    file: &str,
    element: &[i32],
    location: Option<schemactl_diagnostics::Location>,
    message: String,
) {
    match location {
        Some(location) => sink.report_located(file, element, location, message),
        None => sink.report(file, element, element, message),
    }
}
