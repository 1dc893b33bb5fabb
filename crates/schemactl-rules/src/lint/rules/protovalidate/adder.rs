//! Reporting a finding on one field's `(buf.validate.field)` rules: the
//! rule's name as Buf spells it (`(buf.validate.field).string.min_len`) and
//! its location, under a base path when the rules are the `items` of
//! repeated rules or the `keys` / `values` of map rules.

use std::cell::RefCell;

use prost_reflect::{Kind, MessageDescriptor};
use schemactl_diagnostics::Location;

use super::locate::OptionLocations;

/// One field being checked, and the findings so far.
pub(super) struct FieldCx<'a> {
    /// The field's name, as messages quote it.
    pub name: String,
    /// The field's type as Buf prints it (`int32`, `repeated` not included,
    /// `map<string, int32>`, `google.protobuf.Duration`).
    pub pretty_type: String,
    /// Path of the field's `(buf.validate.field)` option: the field's
    /// path, `8` (options), the extension's number.
    pub extension_path: Vec<i32>,
    pub locations: &'a OptionLocations,
    /// `buf.validate.FieldRules`.
    pub field_rules: MessageDescriptor,
    pub found: RefCell<Vec<(Option<Location>, String)>>,
}

/// Reports findings for a path relative to the rules (`[14, 2]` is
/// `string.min_len`), under a base path.
#[derive(Clone)]
pub(super) struct Adder<'a> {
    pub cx: &'a FieldCx<'a>,
    base: Vec<i32>,
}

impl<'a> Adder<'a> {
    pub(super) fn new(cx: &'a FieldCx<'a>) -> Self {
        Adder {
            cx,
            base: Vec::new(),
        }
    }

    /// The same field, with the rules under `base` (replacing the base).
    pub(super) fn with_base(&self, base: &[i32]) -> Self {
        Adder {
            cx: self.cx,
            base: base.to_vec(),
        }
    }

    pub(super) fn field_name(&self) -> &str {
        &self.cx.name
    }

    pub(super) fn pretty_type(&self) -> &str {
        &self.cx.pretty_type
    }

    fn location(&self, path: &[i32]) -> Option<Location> {
        let mut full = self.cx.extension_path.clone();
        let extension_len = full.len();
        full.extend_from_slice(&self.base);
        full.extend_from_slice(path);
        self.cx.locations.find(&full, extension_len)
    }

    /// A finding located at the rule at `path`.
    pub(super) fn add(&self, path: &[i32], message: String) {
        let location = self.location(path);
        self.cx.found.borrow_mut().push((location, message));
    }

    /// One finding per distinct location of the rules at `paths`.
    pub(super) fn add_paths(&self, paths: &[&[i32]], message: &str) {
        let mut seen: Vec<Option<Location>> = Vec::new();
        for path in paths {
            let location = self.location(path);
            if seen.contains(&location) {
                continue;
            }
            seen.push(location);
            self.cx
                .found
                .borrow_mut()
                .push((location, message.to_owned()));
        }
    }

    /// `(buf.validate.field)` followed by the names of the fields along the
    /// base path and `path`, as far as they are fields of the rules.
    pub(super) fn rule_name(&self, path: &[i32]) -> String {
        let mut name = String::from("(buf.validate.field)");
        let mut message = Some(self.cx.field_rules.clone());
        for &number in self.base.iter().chain(path) {
            let Some(current) = message.take() else {
                break;
            };
            let Some(field) = u32::try_from(number)
                .ok()
                .and_then(|n| current.get_field(n))
            else {
                break;
            };
            name.push('.');
            name.push_str(field.name());
            message = match field.kind() {
                Kind::Message(m) => Some(m),
                _ => None,
            };
            if message.is_none() {
                break;
            }
        }
        name
    }
}

/// Go's `%q` for a string: double quotes, with backslash escapes for
/// quotes, backslashes and characters that are not printable.
pub(super) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
