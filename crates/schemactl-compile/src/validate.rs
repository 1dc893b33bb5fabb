//! protoc's descriptor checks that protox and prost-reflect do not make.
//!
//! protox parses and prost-reflect links (names, types, numbers, options),
//! but protoc's `DescriptorBuilder` refuses more: reserved names in use,
//! overlapping or reversed ranges, `packed` / `lazy` / `jstype` where they
//! mean nothing, `allow_alias` without an alias, proto3 enum values that
//! clash once the enum's prefix is stripped, MessageSet rules, extension
//! numbers used twice, the LITE_RUNTIME rules, hand-written map entries.
//! [`check`] runs over a linked pool, after whichever compile path linked
//! it, so every path refuses the same definitions.
//!
//! The walk is linear in the descriptors and allocates nothing per element
//! on a valid file: ranges are sorted only when a message has two or more,
//! name sets are built only when something is reserved, and proto3 enum
//! values are compared by a hash of their normalized form (the string is
//! only compared, never built). Messages and paths are built only for
//! findings. `tests/protoc_invalid.rs` runs every rule against `protoc`.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, RandomState};

use prost_reflect::{DescriptorPool, Kind, ReflectMessage, Syntax, Value};
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::field_options::JsType;
use prost_types::file_options::OptimizeMode;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto,
    ServiceDescriptorProto, SourceCodeInfo,
};
use schemactl_diagnostics::{Diagnostic, Location};

use crate::COMPILE;
use crate::compile::SourceFile;

/// One definition protoc refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    /// What the source must show for this to be a finding at all.
    pub only_if: OnlyIf,
    /// The import path of the file.
    pub file: String,
    /// The source-info path of the offending element (the most precise one:
    /// the option, the number, the name); located by its longest prefix
    /// that has a location.
    pub path: Vec<i32>,
    pub message: String,
    pub help: &'static str,
}

/// Conditions only the source can decide, checked when a finding is turned
/// into a diagnostic (so a valid file never needs its source info).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OnlyIf {
    Always,
    /// `path` itself has a location: protoc checks the required fields of
    /// an option value written as one `{ ... }`, not of one built field by
    /// field (`(opt).a = 1;`), and only source info tells the two apart.
    Located,
    /// The text at `path` is exactly this name: protoc resolves a method's
    /// type from the method's own scope, where a single-word name finds a
    /// sibling method first; a qualified name resolves past it.
    WrittenAs(String),
}

// Field numbers of descriptor.proto, for source-info paths.
const FILE_DEPENDENCY: i32 = 3;
const FILE_MESSAGE: i32 = 4;
const FILE_ENUM: i32 = 5;
const FILE_SERVICE: i32 = 6;
const FILE_EXTENSION: i32 = 7;
const MESSAGE_FIELD: i32 = 2;
const MESSAGE_NESTED: i32 = 3;
const MESSAGE_ENUM: i32 = 4;
const MESSAGE_EXTENSION_RANGE: i32 = 5;
const MESSAGE_EXTENSION: i32 = 6;
const MESSAGE_OPTIONS: i32 = 7;
const MESSAGE_RESERVED_RANGE: i32 = 9;
const MESSAGE_RESERVED_NAME: i32 = 10;
const FIELD_NAME: i32 = 1;
const FIELD_EXTENDEE: i32 = 2;
const FIELD_NUMBER: i32 = 3;
const FIELD_LABEL: i32 = 4;
const FIELD_TYPE_NAME: i32 = 6;
const FIELD_OPTIONS: i32 = 8;
const FIELD_JSON_NAME: i32 = 10;
const FIELD_OPTION_PACKED: i32 = 2;
const FIELD_OPTION_LAZY: i32 = 5;
const FIELD_OPTION_JSTYPE: i32 = 6;
const FIELD_OPTION_UNVERIFIED_LAZY: u32 = 15;
const FILE_OPTIONS: i32 = 8;
const MESSAGE_OPTION_MESSAGE_SET: i32 = 1;
const ENUM_VALUE: i32 = 2;
const ENUM_OPTIONS: i32 = 3;
const ENUM_RESERVED_RANGE: i32 = 4;
const ENUM_RESERVED_NAME: i32 = 5;
const ENUM_OPTION_ALLOW_ALIAS: i32 = 2;
const ENUM_VALUE_NAME: i32 = 1;

/// The options messages a proto3 file may extend (custom options).
const OPTIONS_MESSAGES: &[&str] = &[
    ".google.protobuf.FileOptions",
    ".google.protobuf.MessageOptions",
    ".google.protobuf.FieldOptions",
    ".google.protobuf.OneofOptions",
    ".google.protobuf.ExtensionRangeOptions",
    ".google.protobuf.EnumOptions",
    ".google.protobuf.EnumValueOptions",
    ".google.protobuf.ServiceOptions",
    ".google.protobuf.MethodOptions",
];

/// Check every file of `pool` for which `text_of` gives a text (the files
/// just compiled; imports such as the well-known types were checked
/// before). Files are checked on all cores, like they are parsed; findings
/// come in pool order, then in the order of the file.
pub(crate) fn check<'t>(
    pool: &DescriptorPool,
    text_of: impl Fn(&str) -> Option<&'t str> + Sync,
) -> Vec<Finding> {
    let is_input = |name: &str| text_of(name).is_some();
    let inputs: Vec<prost_reflect::FileDescriptor> =
        pool.files().filter(|f| is_input(f.name())).collect();
    // Threads pay off only on large trees.
    let threads = if inputs.len() < 256 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    };
    let chunk = inputs.len().div_ceil(threads).max(1);
    let mut findings: Vec<Finding> = if threads <= 1 {
        check_files(pool, &inputs, &text_of)
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = inputs
                .chunks(chunk)
                .map(|part| {
                    let text_of = &text_of;
                    scope.spawn(move || check_files(pool, part, text_of))
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    };
    duplicate_extension_numbers(pool, &is_input, &mut findings);
    findings
}

/// The per-file checks of `files`.
fn check_files<'t>(
    pool: &DescriptorPool,
    files: &[prost_reflect::FileDescriptor],
    text_of: &impl Fn(&str) -> Option<&'t str>,
) -> Vec<Finding> {
    let mut cx = Checker {
        pool,
        file: "",
        proto3: false,
        editions: false,
        lite: false,
        scope: String::new(),
        findings: Vec::new(),
        path: Vec::with_capacity(16),
        hasher: RandomState::new(),
        enum_names: HashMap::new(),
        scratch: Vec::new(),
    };
    let any_editions = crate::editions::any_editions(pool);
    for file in files {
        cx.file = file.name();
        cx.proto3 = file.syntax() == Syntax::Proto3;
        cx.editions = file.file_descriptor_proto().syntax() == "editions";
        cx.check_file(file.file_descriptor_proto());
        crate::editions::check_file(
            pool,
            file.file_descriptor_proto(),
            any_editions,
            &mut cx.findings,
        );
    }
    option_values(pool, files, text_of, &mut cx.findings);
    cx.findings
}

/// [`check`] over the input files of a compile, as diagnostics.
/// `encoded_info(name)` gives a file's encoded source info when it is kept
/// outside the pool (the fast path); otherwise the pool's own is used.
pub(crate) fn compile_diagnostics<'i>(
    pool: &DescriptorPool,
    files: &BTreeMap<String, SourceFile>,
    encoded_info: impl Fn(&str) -> Option<&'i [u8]>,
) -> Vec<Diagnostic> {
    let findings = check(pool, |name| files.get(name).map(|f| &*f.text));
    if findings.is_empty() {
        return Vec::new();
    }
    let mut diagnostics = diagnostics(findings, |name| {
        let display = files
            .get(name)
            .map_or_else(|| name.to_owned(), |f| f.display_path.clone());
        let info = match encoded_info(name) {
            Some(bytes) => <SourceCodeInfo as prost::Message>::decode(bytes).ok(),
            None => pool
                .get_file_by_name(name)
                .and_then(|f| f.file_descriptor_proto().source_code_info.clone()),
        };
        let text = files.get(name).map(|f| f.text.to_string());
        (display, info, text)
    });
    diagnostics.sort_by(|a, b| (&a.path, a.location).cmp(&(&b.path, b.location)));
    diagnostics
}

/// For `compile_text`: the first definition protoc refuses in the file
/// `name` (linked in `pool`): where, and the message.
pub(crate) fn refusal_of_text(
    pool: &DescriptorPool,
    name: &str,
    text: &str,
) -> Option<(Option<schemactl_diagnostics::Location>, String)> {
    let findings = check(pool, |n| (n == name).then_some(text));
    if findings.is_empty() {
        return None;
    }
    // Source info is only needed now: parse once more for it, with the
    // options' locations moved to their fields as the linker does.
    let info = protox_parse::parse(name, text).ok().and_then(|mut f| {
        let mut info = f.source_code_info.take()?;
        crate::fast::relocate_options(pool, &crate::fast::option_sites(&f), &mut info);
        Some(info)
    });
    let refused = diagnostics(findings, |n| {
        (
            n.to_owned(),
            info.clone(),
            (n == name).then(|| text.to_owned()),
        )
    });
    let d = refused.into_iter().next()?;
    Some((d.location, d.message))
}

/// Turn findings into diagnostics. `file_of(name)` gives a file's display
/// path, its source info and its text (asked for only here, for files with
/// findings).
pub(crate) fn diagnostics(
    findings: Vec<Finding>,
    mut file_of: impl FnMut(&str) -> (String, Option<SourceCodeInfo>, Option<String>),
) -> Vec<Diagnostic> {
    // Per file: its display path, its spans by path and its line starts,
    // indexed once so that many findings in one file cost one lookup each,
    // not a scan each.
    let mut cache: HashMap<String, (String, Spans, Option<Lines>)> = HashMap::new();
    findings
        .into_iter()
        .filter_map(|f| {
            let (display, spans, lines) = cache.entry(f.file.clone()).or_insert_with(|| {
                let (display, info, text) = file_of(&f.file);
                (display, Spans::new(info), text.map(Lines::new))
            });
            let keep = match &f.only_if {
                OnlyIf::Always => true,
                OnlyIf::Located => spans.0.contains_key(f.path.as_slice()),
                OnlyIf::WrittenAs(name) => spans
                    .0
                    .get(f.path.as_slice())
                    .and_then(|span| lines.as_ref()?.text_at(span))
                    .is_some_and(|written| written.trim() == name),
            };
            if !keep {
                return None;
            }
            let mut d = Diagnostic::new(COMPILE, display.clone(), f.message).with_help(f.help);
            if let Some(location) = spans.locate(&f.path) {
                d = d.with_location(location);
            }
            Some(d)
        })
        .collect()
}

/// A file's text with the byte offset of each line, to read the text of a
/// span.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: String) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The text of a single-line span (`[line, start column, end column]`,
    /// columns counted in characters).
    fn text_at(&self, span: &[i32]) -> Option<&str> {
        let (line, start, end) = match *span {
            [l, s, e] => (l, s, e),
            [l, s, el, e] if el == l => (l, s, e),
            _ => return None,
        };
        let from = *self.starts.get(usize::try_from(line).ok()?)?;
        let line_text = self.text[from..].split('\n').next()?;
        let mut chars = line_text
            .char_indices()
            .map(|(i, _)| i)
            .chain([line_text.len()]);
        let a = chars.clone().nth(usize::try_from(start).ok()?)?;
        let b = chars.nth(usize::try_from(end).ok()?)?;
        line_text.get(a..b)
    }
}

/// A file's source-info spans by path (the first location of a path wins,
/// as in protoc's lookups).
#[derive(Default)]
pub(crate) struct Spans(HashMap<Vec<i32>, Vec<i32>>);

impl Spans {
    pub(crate) fn new(info: Option<SourceCodeInfo>) -> Self {
        let mut spans = HashMap::new();
        for l in info.map(|i| i.location).unwrap_or_default() {
            spans.entry(l.path).or_insert(l.span);
        }
        Spans(spans)
    }

    /// The location of `path`, or of its longest prefix that has one (an
    /// option without a location of its own is reported at its field, and
    /// so on up to the file).
    pub(crate) fn locate(&self, path: &[i32]) -> Option<Location> {
        (1..=path.len())
            .rev()
            .find_map(|len| self.0.get(&path[..len]))
            .and_then(|span| Location::from_span(span))
    }
}

struct Checker<'a> {
    pool: &'a DescriptorPool,
    /// The file being checked.
    file: &'a str,
    proto3: bool,
    /// The file is an editions file (protoc 33's rules, wording included).
    editions: bool,
    /// Whether the file is `optimize_for = LITE_RUNTIME`.
    lite: bool,
    /// The full name of the element being checked (its scope).
    scope: String,
    findings: Vec<Finding>,
    /// The source-info path of the element being checked.
    path: Vec<i32>,
    hasher: RandomState,
    /// Normalized proto3 enum value name (hashed) → value index; reused
    /// across enums so it allocates once.
    enum_names: HashMap<u64, usize>,
    /// The normalized name being hashed (reused: no allocation per value).
    scratch: Vec<u8>,
}

/// A numbered range: a reserved range or an extension range of a message
/// (end exclusive), or a reserved range of an enum (end inclusive,
/// normalized to exclusive here).
#[derive(Clone, Copy)]
struct Range {
    start: i64,
    end: i64,
    extension: bool,
    index: usize,
}

fn idx(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

impl<'a> Checker<'a> {
    fn report(&mut self, tail: &[i32], message: String, help: &'static str) {
        let mut path = self.path.clone();
        path.extend_from_slice(tail);
        self.findings.push(Finding {
            only_if: OnlyIf::Always,
            file: self.file.to_owned(),
            path,
            message,
            help,
        });
    }

    fn check_file(&mut self, file: &'a FileDescriptorProto) {
        self.path.clear();
        self.scope.clear();
        self.scope.push_str(file.package());
        self.lite = is_lite(file);
        self.check_lite(file);
        for (i, m) in file.message_type.iter().enumerate() {
            self.path.extend([FILE_MESSAGE, idx(i)]);
            self.check_message(m);
            self.path.truncate(0);
        }
        for (i, e) in file.enum_type.iter().enumerate() {
            self.path.extend([FILE_ENUM, idx(i)]);
            self.check_enum(e);
            self.path.truncate(0);
        }
        for (i, x) in file.extension.iter().enumerate() {
            self.path.extend([FILE_EXTENSION, idx(i)]);
            self.check_field(x, None);
            self.path.truncate(0);
        }
        for (i, service) in file.service.iter().enumerate() {
            self.check_method_types(i, service);
        }
    }

    /// `rpc M(M) returns (M);`: protoc looks `M` up from the method's scope
    /// and finds the method itself (or a sibling), not the message; the
    /// linker finds the message. A candidate when a type's last part names
    /// a method of the service; the source decides (see [`OnlyIf`]).
    fn check_method_types(&mut self, i: usize, service: &ServiceDescriptorProto) {
        if service.method.is_empty() {
            return;
        }
        let methods: std::collections::HashSet<&str> =
            service.method.iter().map(|m| m.name()).collect();
        for (j, m) in service.method.iter().enumerate() {
            for (tag, type_name) in [(2, m.input_type()), (3, m.output_type())] {
                let last = type_name.rsplit('.').next().unwrap_or(type_name);
                if !methods.contains(last) {
                    continue;
                }
                self.findings.push(Finding {
                    only_if: OnlyIf::WrittenAs(last.to_owned()),
                    file: self.file.to_owned(),
                    path: vec![FILE_SERVICE, idx(i), 2, idx(j), tag],
                    message: format!("\"{last}\" is not a message type."),
                    help: "qualify the type (`package.Message`): inside a service, a bare name finds the method of that name first",
                });
            }
        }
    }

    /// optimize_for = LITE_RUNTIME: lite files are a closed world.
    fn check_lite(&mut self, file: &FileDescriptorProto) {
        if !self.lite {
            for (i, dep) in file.dependency.iter().enumerate() {
                let dep_is_lite = self
                    .pool
                    .get_file_by_name(dep)
                    .is_some_and(|d| is_lite(d.file_descriptor_proto()));
                if dep_is_lite {
                    self.report(
                        &[FILE_DEPENDENCY, idx(i)],
                        format!(
                            "Files that do not use optimize_for = LITE_RUNTIME cannot import files which do use this option. This file is not lite, but it imports \"{dep}\" which is."
                        ),
                        "set `option optimize_for = LITE_RUNTIME;` in this file too, or remove it from the imported file",
                    );
                }
            }
            return;
        }
        let generic = file.options.as_ref().is_some_and(|o| {
            o.cc_generic_services.unwrap_or(false) || o.java_generic_services.unwrap_or(false)
        });
        if generic {
            for i in 0..file.service.len() {
                self.report(
                    &[FILE_SERVICE, idx(i)],
                    "Files with optimize_for = LITE_RUNTIME cannot define services unless you set both options cc_generic_services and java_generic_services to false.".to_owned(),
                    "remove `cc_generic_services` / `java_generic_services`, or do not use LITE_RUNTIME in this file",
                );
            }
        }
    }

    fn check_message(&mut self, m: &'a DescriptorProto) {
        let message_set = m
            .options
            .as_ref()
            .and_then(|o| o.message_set_wire_format)
            .unwrap_or(false);
        if message_set && self.proto3 {
            self.report(
                &[MESSAGE_OPTIONS, MESSAGE_OPTION_MESSAGE_SET],
                "MessageSet is not supported in proto3.".to_owned(),
                "remove `message_set_wire_format`, or write this message in a proto2 file",
            );
        }
        if message_set && !m.field.is_empty() {
            self.report(
                &[MESSAGE_FIELD, 0],
                "MessageSets cannot have fields, only extensions.".to_owned(),
                "move the fields into an extension of this message, or remove `message_set_wire_format`",
            );
        }
        if self.proto3 && !m.extension_range.is_empty() {
            self.report(
                &[MESSAGE_EXTENSION_RANGE, 0],
                "Extension ranges are not allowed in proto3.".to_owned(),
                "remove the `extensions` statement, or write this message in a proto2 file",
            );
        }
        self.check_message_ranges(m);
        if !m.reserved_name.is_empty() {
            self.check_reserved_names(
                &m.reserved_name,
                MESSAGE_RESERVED_NAME,
                m.field.iter().map(|f| f.name()),
                &[MESSAGE_FIELD],
                FIELD_NAME,
                "Field name",
            );
        }

        let scope_len = self.scope.len();
        if scope_len > 0 {
            self.scope.push('.');
        }
        self.scope.push_str(m.name());
        for (j, f) in m.field.iter().enumerate() {
            self.path.extend([MESSAGE_FIELD, idx(j)]);
            self.check_field(f, Some(m));
            self.path.truncate(self.path.len() - 2);
        }
        for (j, x) in m.extension.iter().enumerate() {
            self.path.extend([MESSAGE_EXTENSION, idx(j)]);
            self.check_field(x, None);
            self.path.truncate(self.path.len() - 2);
        }
        for (j, n) in m.nested_type.iter().enumerate() {
            self.path.extend([MESSAGE_NESTED, idx(j)]);
            self.check_message(n);
            self.path.truncate(self.path.len() - 2);
        }
        for (j, e) in m.enum_type.iter().enumerate() {
            self.path.extend([MESSAGE_ENUM, idx(j)]);
            self.check_enum(e);
            self.path.truncate(self.path.len() - 2);
        }
        self.scope.truncate(scope_len);
    }

    /// Reserved ranges and extension ranges: not reversed, no two overlap.
    fn check_message_ranges(&mut self, m: &DescriptorProto) {
        let mut ranges = Vec::new();
        for (i, r) in m.reserved_range.iter().enumerate() {
            if r.end() <= r.start() {
                self.report(
                    &[MESSAGE_RESERVED_RANGE, idx(i)],
                    "Reserved range end number must be greater than start number.".to_owned(),
                    "write the smaller number first: `reserved 1 to 5;`",
                );
            } else if m.reserved_range.len() + m.extension_range.len() > 1 {
                ranges.push(Range {
                    start: r.start().into(),
                    end: r.end().into(),
                    extension: false,
                    index: i,
                });
            }
        }
        for (i, r) in m.extension_range.iter().enumerate() {
            if r.end() <= r.start() {
                self.report(
                    &[MESSAGE_EXTENSION_RANGE, idx(i)],
                    "Extension range end number must be greater than start number.".to_owned(),
                    "write the smaller number first: `extensions 100 to 199;`",
                );
            } else if m.reserved_range.len() + m.extension_range.len() > 1 {
                ranges.push(Range {
                    start: r.start().into(),
                    end: r.end().into(),
                    extension: true,
                    index: i,
                });
            }
        }
        self.check_overlaps(ranges, false);
    }

    /// Report every range that overlaps one before it (by start). Linear
    /// after the sort: each range is compared with the range reaching
    /// furthest so far, which is the one it overlaps if it overlaps any.
    fn check_overlaps(&mut self, mut ranges: Vec<Range>, is_enum: bool) {
        if ranges.len() < 2 {
            return;
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut furthest = ranges[0];
        for &r in &ranges[1..] {
            if r.start < furthest.end {
                self.report_overlap(furthest, r, is_enum);
            }
            if r.end > furthest.end {
                furthest = r;
            }
        }
    }

    fn report_overlap(&mut self, a: Range, b: Range, is_enum: bool) {
        // protoc prints ranges with inclusive ends.
        let show = |r: Range| format!("{} to {}", r.start, r.end - 1);
        let (tail, message) = match (a.extension, b.extension) {
            (true, true) => (
                [MESSAGE_EXTENSION_RANGE, idx(b.index)],
                format!(
                    "Extension range {} overlaps with already-defined range {}.",
                    show(b),
                    show(a)
                ),
            ),
            (false, false) => (
                [
                    if is_enum {
                        ENUM_RESERVED_RANGE
                    } else {
                        MESSAGE_RESERVED_RANGE
                    },
                    idx(b.index),
                ],
                format!(
                    "Reserved range {} overlaps with already-defined range {}.",
                    show(b),
                    show(a)
                ),
            ),
            (true, false) => (
                [MESSAGE_EXTENSION_RANGE, idx(a.index)],
                format!(
                    "Extension range {} overlaps with reserved range {}.",
                    show(a),
                    show(b)
                ),
            ),
            (false, true) => (
                [MESSAGE_EXTENSION_RANGE, idx(b.index)],
                format!(
                    "Extension range {} overlaps with reserved range {}.",
                    show(b),
                    show(a)
                ),
            ),
        };
        self.report(
            &tail,
            message,
            "make the ranges disjoint (merge them or remove the numbers twice covered)",
        );
    }

    /// `reserved "a", "b";`: no name twice, and no member using one.
    fn check_reserved_names<'n>(
        &mut self,
        reserved: &'n [String],
        reserved_tag: i32,
        members: impl Iterator<Item = &'n str>,
        member_tag: &[i32],
        member_name_tag: i32,
        what: &str,
    ) {
        let mut names: HashMap<&str, usize> = HashMap::with_capacity(reserved.len());
        for (i, name) in reserved.iter().enumerate() {
            if names.insert(name.as_str(), i).is_some() {
                self.report(
                    &[reserved_tag, idx(i)],
                    format!("{what} \"{name}\" is reserved multiple times."),
                    "remove the repeated name from the `reserved` statements",
                );
            }
        }
        for (j, name) in members.enumerate() {
            if names.contains_key(name) {
                let mut tail = member_tag.to_vec();
                tail.extend([idx(j), member_name_tag]);
                self.report(
                    &tail,
                    format!("{what} \"{name}\" is reserved."),
                    "a reserved name must not be used again (it was reserved when something was deleted); pick another name",
                );
            }
        }
    }

    /// `parent` is the message of a field, `None` for an extension.
    fn check_field(&mut self, f: &FieldDescriptorProto, parent: Option<&DescriptorProto>) {
        if let Some(o) = &f.options {
            let ty = f.r#type();
            if o.packed == Some(true) && !(f.label() == Label::Repeated && packable(ty)) {
                self.report(
                    &[FIELD_OPTIONS, FIELD_OPTION_PACKED],
                    "[packed = true] can only be specified for repeated primitive fields."
                        .to_owned(),
                    "remove `packed`: only repeated numeric, bool and enum fields can be packed",
                );
            }
            if o.lazy == Some(true) && ty != Type::Message {
                self.report(
                    &[FIELD_OPTIONS, FIELD_OPTION_LAZY],
                    "[lazy = true] can only be specified for submessage fields.".to_owned(),
                    "remove `lazy`: only message fields are parsed lazily",
                );
            }
            if let Some(js) = o.jstype {
                let is_64 = matches!(
                    ty,
                    Type::Int64 | Type::Uint64 | Type::Sint64 | Type::Fixed64 | Type::Sfixed64
                );
                if js != JsType::JsNormal as i32 && !is_64 {
                    self.report(
                        &[FIELD_OPTIONS, FIELD_OPTION_JSTYPE],
                        "jstype is only allowed on int64, uint64, sint64, fixed64 or sfixed64 fields.".to_owned(),
                        "remove `jstype`: it only chooses how 64-bit integers are represented in JavaScript",
                    );
                }
            }
        }
        if self.proto3 && f.r#type() == Type::Enum {
            self.check_open_enum(f, parent.is_some());
        }
        match parent {
            Some(m) => self.check_map_entry_field(f, m),
            None => self.check_extension(f),
        }
    }

    /// A proto3 field cannot have a proto2 (closed) enum type.
    /// `in_message`: a field (of the message in `scope`), not an extension.
    fn check_open_enum(&mut self, f: &FieldDescriptorProto, in_message: bool) {
        let type_name = f.type_name().trim_start_matches('.');
        let Some(e) = self.pool.get_enum_by_name(type_name) else {
            return;
        };
        if e.parent_file().syntax() == Syntax::Proto3 {
            return;
        }
        // An editions enum is open unless it (or its file) says CLOSED.
        let editions = e.parent_file().file_descriptor_proto().syntax() == "editions";
        if editions && !crate::editions::is_closed(&e) {
            return;
        }
        let message = if in_message {
            self.scope.clone()
        } else {
            f.extendee().trim_start_matches('.').to_owned()
        };
        self.report(
            &[FIELD_TYPE_NAME],
            format!(
                "Enum type \"{type_name}\" is not {}, but is used in \"{message}\" which is a proto3 message type.",
                if editions { "an open enum" } else { "a proto3 enum" }
            ),
            "proto3 messages can only use proto3 enums; use (or declare) an enum from a proto3 file",
        );
    }

    fn check_extension(&mut self, x: &FieldDescriptorProto) {
        if let Some(json) = &x.json_name {
            // The linker fills in the default JSON name; only another one
            // was written by hand.
            if !is_default_json_name(x.name(), json) {
                self.report(
                    &[FIELD_JSON_NAME],
                    "option json_name is not allowed on extension fields.".to_owned(),
                    "remove `json_name`: an extension's JSON name is always its full name in brackets",
                );
            }
        }
        let extendee = x.extendee();
        let extendee_desc = self
            .pool
            .get_message_by_name(extendee.trim_start_matches('.'));
        if self.lite
            && extendee_desc
                .as_ref()
                .is_some_and(|m| !is_lite(m.parent_file().file_descriptor_proto()))
        {
            self.report(
                &[FIELD_EXTENDEE],
                "Extensions to non-lite types can only be declared in non-lite files. Note that you cannot extend a non-lite type to contain a lite type, but the reverse is allowed.".to_owned(),
                "declare this extension in a file without `optimize_for = LITE_RUNTIME`",
            );
        }
        if self.proto3 && !OPTIONS_MESSAGES.contains(&extendee) {
            self.report(
                &[FIELD_EXTENDEE],
                "Extensions in proto3 are only allowed for defining options.".to_owned(),
                "extend one of the google.protobuf.*Options messages, or declare this extension in a proto2 file",
            );
        }
        let message_set = extendee_desc.is_some_and(|m| {
            m.descriptor_proto()
                .options
                .as_ref()
                .and_then(|o| o.message_set_wire_format)
                .unwrap_or(false)
        });
        if message_set && (x.label() != Label::Optional || x.r#type() != Type::Message) {
            self.report(
                &[FIELD_LABEL],
                "Extensions of MessageSets must be optional messages.".to_owned(),
                "declare the extension as `optional SomeMessage name = N;`",
            );
        }
    }

    /// A repeated field whose type is a map entry must be the field the
    /// parser made for `map<K, V> name`: protoc refuses entries written by
    /// hand in any other shape.
    fn check_map_entry_field(&mut self, f: &FieldDescriptorProto, parent: &DescriptorProto) {
        if f.label() != Label::Repeated || f.r#type() != Type::Message {
            return;
        }
        let Some(entry) = self
            .pool
            .get_message_by_name(f.type_name().trim_start_matches('.'))
        else {
            return;
        };
        if !entry.is_map_entry() {
            return;
        }
        let e = entry.descriptor_proto();
        let fields_ok = e.field.len() == 2
            && e.field.iter().all(|ef| {
                ef.label() == Label::Optional
                    && ((ef.name() == "key" && ef.number() == 1)
                        || (ef.name() == "value" && ef.number() == 2))
            })
            && e.field[0].number() != e.field[1].number();
        // Both borrow the pool's own descriptors: the same message is the
        // same memory.
        let same_parent = entry
            .parent_message()
            .is_some_and(|p| std::ptr::eq(p.descriptor_proto(), parent));
        let ok = fields_ok
            && same_parent
            && e.extension.is_empty()
            && e.extension_range.is_empty()
            && e.nested_type.is_empty()
            && e.enum_type.is_empty()
            && is_map_entry_name(f.name(), e.name());
        if !ok {
            self.report(
                &[FIELD_TYPE_NAME],
                "map_entry should not be set explicitly. Use map<KeyType, ValueType> instead."
                    .to_owned(),
                "declare the field as `map<KeyType, ValueType> name = N;` and remove the hand-written entry message",
            );
        }
    }

    fn check_enum(&mut self, e: &EnumDescriptorProto) {
        self.check_allow_alias(e);
        // Enum reserved ranges are inclusive.
        let mut ranges = Vec::new();
        for (i, r) in e.reserved_range.iter().enumerate() {
            if r.end() < r.start() {
                self.report(
                    &[ENUM_RESERVED_RANGE, idx(i)],
                    "Reserved range end number must be greater than start number.".to_owned(),
                    "write the smaller number first: `reserved 1 to 5;`",
                );
            } else if e.reserved_range.len() > 1 {
                ranges.push(Range {
                    start: r.start().into(),
                    end: i64::from(r.end()) + 1,
                    extension: false,
                    index: i,
                });
            }
        }
        self.check_overlaps(ranges, true);
        if !e.reserved_name.is_empty() {
            self.check_reserved_names(
                &e.reserved_name,
                ENUM_RESERVED_NAME,
                e.value.iter().map(|v| v.name()),
                &[ENUM_VALUE],
                ENUM_VALUE_NAME,
                "Enum value",
            );
        }
        if self.proto3 || self.editions {
            self.check_enum_prefix_clash(e);
        }
    }

    fn check_allow_alias(&mut self, e: &EnumDescriptorProto) {
        let Some(allow) = e.options.as_ref().and_then(|o| o.allow_alias) else {
            return;
        };
        let name = e.name();
        if !allow {
            self.report(
                &[ENUM_OPTIONS, ENUM_OPTION_ALLOW_ALIAS],
                format!(
                    "\"{name}\" declares 'option allow_alias = false;' which has no effect. Please remove the declaration."
                ),
                "remove `option allow_alias = false;`",
            );
            return;
        }
        let mut numbers: HashMap<i32, ()> = HashMap::with_capacity(e.value.len());
        let has_alias = e
            .value
            .iter()
            .any(|v| numbers.insert(v.number(), ()).is_some());
        if !has_alias {
            self.report(
                &[ENUM_OPTIONS, ENUM_OPTION_ALLOW_ALIAS],
                format!(
                    "\"{name}\" declares support for enum aliases but no enum values share field numbers. Please remove the unnecessary 'option allow_alias = true;' declaration."
                ),
                "remove `option allow_alias = true;`",
            );
        }
    }

    /// proto3: value names must stay distinct once the enum's name is
    /// stripped as a prefix and the rest is PascalCased (`FOO_BAR`, `BAR`
    /// and `FooBar` in `enum Foo` all become `Bar`), unless they are
    /// aliases (same number).
    fn check_enum_prefix_clash(&mut self, e: &EnumDescriptorProto) {
        self.enum_names.clear();
        let prefix = e.name();
        for (i, v) in e.value.iter().enumerate() {
            self.scratch.clear();
            self.scratch.extend(normalized(prefix, v.name()));
            // A 64-bit keyed hash: two different names sharing one is
            // vanishingly unlikely, and is compared below anyway.
            let key = self.hasher.hash_one(self.scratch.as_slice());
            match self.enum_names.get(&key) {
                None => {
                    self.enum_names.insert(key, i);
                }
                Some(&first) => {
                    let other = &e.value[first];
                    // Equal names are prost-reflect's duplicate error; equal
                    // numbers are aliases; a hash collision is no clash.
                    if other.name() != v.name()
                        && other.number() != v.number()
                        && normalized(prefix, other.name()).eq(normalized(prefix, v.name()))
                    {
                        // protoc 33 (the oracle for editions) words it
                        // differently from protoc 3.21.
                        let tail = if self.editions {
                            "(If you are using allow_alias, please assign the same number to each enum value name.)"
                        } else {
                            "This is error-prone and can lead to undefined behavior. Please avoid doing this. If you are using allow_alias, please assign the same numeric value to both enums."
                        };
                        self.report(
                            &[ENUM_VALUE, idx(i), ENUM_VALUE_NAME],
                            format!(
                                "Enum name {} has the same name as {} if you ignore case and strip out the enum name prefix (if any). {tail}",
                                v.name(),
                                other.name()
                            ),
                            "rename one of the two values (code generators that strip the enum prefix would give them the same name)",
                        );
                    }
                }
            }
        }
    }
}

/// Extension numbers used twice for one message, in the same file or in
/// different files (protoc only warns for the latter, but the two cannot
/// be used together, and Buf refuses them: so do we). Reported at the later
/// one in pool order, when its file is an input.
fn duplicate_extension_numbers(
    pool: &DescriptorPool,
    is_input: &impl Fn(&str) -> bool,
    findings: &mut Vec<Finding>,
) {
    let all: Vec<prost_reflect::ExtensionDescriptor> = pool.all_extensions().collect();
    // The linker stores extendees fully qualified: one spelling per message.
    let mut seen: HashMap<(&str, u32), usize> = HashMap::with_capacity(all.len());
    for (i, x) in all.iter().enumerate() {
        let key = (x.field_descriptor_proto().extendee(), x.number());
        let Some(&first) = seen.get(&key) else {
            seen.insert(key, i);
            continue;
        };
        let first = &all[first];
        let file = x.parent_file();
        if !is_input(file.name()) {
            continue;
        }
        let mut path = x.path().to_vec();
        path.push(FIELD_NUMBER);
        let elsewhere = if first.parent_file().name() == file.name() {
            String::new()
        } else {
            format!(" defined in {}", first.parent_file().name())
        };
        findings.push(Finding {
            only_if: OnlyIf::Always,
            file: file.name().to_owned(),
            path,
            message: format!(
                "Extension number {} has already been used in \"{}\" by extension \"{}\"{elsewhere}.",
                x.number(),
                key.0.trim_start_matches('.'),
                first.full_name(),
            ),
            help: "give this extension another number (custom options: pick one no other option of the same type uses)",
        });
    }
}

/// Checks that need the interpreted option values (decoded on demand, so
/// only where they can matter): `unverified_lazy` on a non-message field
/// (prost-types does not know the option), and option values written as
/// `{ ... }` that leave a required field unset.
fn option_values<'t>(
    pool: &DescriptorPool,
    inputs: &[prost_reflect::FileDescriptor],
    text_of: &impl Fn(&str) -> Option<&'t str>,
    findings: &mut Vec<Finding>,
) {
    let required = options_with_required_fields(pool);
    for file in inputs {
        let name = file.name();
        // Decoding every field's options costs more than the rest of these
        // checks together; a file that never says `unverified_lazy` cannot
        // misuse it.
        let lazy = text_of(name).is_some_and(|t| t.contains("unverified_lazy"));
        if !required && !lazy {
            continue;
        }
        let mut messages: Vec<prost_reflect::MessageDescriptor> = file.messages().collect();
        let mut enums: Vec<prost_reflect::EnumDescriptor> = file.enums().collect();
        let mut fields: Vec<prost_reflect::FieldDescriptor> = Vec::new();
        let mut extensions: Vec<prost_reflect::ExtensionDescriptor> = file.extensions().collect();
        if required {
            required_values(&file.options(), &[], FILE_OPTIONS, name, findings);
            for service in file.services() {
                required_values(&service.options(), service.path(), 3, name, findings);
                for method in service.methods() {
                    required_values(&method.options(), method.path(), 4, name, findings);
                }
            }
        }
        while let Some(m) = messages.pop() {
            if required {
                required_values(&m.options(), m.path(), MESSAGE_OPTIONS, name, findings);
                for o in m.oneofs() {
                    required_values(&o.options(), o.path(), 2, name, findings);
                }
                enums.extend(m.child_enums());
            }
            fields.extend(m.fields());
            extensions.extend(m.child_extensions());
            messages.extend(m.child_messages());
        }
        if required {
            for e in &enums {
                required_values(&e.options(), e.path(), ENUM_OPTIONS, name, findings);
                for v in e.values() {
                    required_values(&v.options(), v.path(), 3, name, findings);
                }
            }
        }
        // Field options are decoded only for fields that have some, and
        // (unless a custom option has required fields) only for fields
        // `unverified_lazy` would be wrong on.
        for f in &fields {
            let raw = f.field_descriptor_proto();
            field_options(
                raw,
                f.path(),
                &f.kind(),
                || f.options(),
                required,
                name,
                findings,
            );
        }
        for x in &extensions {
            let raw = x.field_descriptor_proto();
            field_options(
                raw,
                x.path(),
                &x.kind(),
                || x.options(),
                required,
                name,
                findings,
            );
        }
    }
}

fn field_options(
    raw: &FieldDescriptorProto,
    path: &[i32],
    kind: &Kind,
    options: impl FnOnce() -> prost_reflect::DynamicMessage,
    required: bool,
    file: &str,
    findings: &mut Vec<Finding>,
) {
    let is_message = matches!(kind, Kind::Message(_));
    if raw.options.is_none() || (is_message && !required) {
        return;
    }
    let options = options();
    let unverified_lazy = options
        .get_field_by_number(FIELD_OPTION_UNVERIFIED_LAZY)
        .is_some_and(|v| v.as_bool() == Some(true));
    if unverified_lazy && !is_message {
        let mut p = path.to_vec();
        p.extend([FIELD_OPTIONS, 15]);
        findings.push(Finding {
            only_if: OnlyIf::Always,
            file: file.to_owned(),
            path: p,
            message: "[lazy = true] can only be specified for submessage fields.".to_owned(),
            help: "remove `unverified_lazy`: only message fields are parsed lazily",
        });
    }
    if required {
        required_values(&options, path, FIELD_OPTIONS, file, findings);
    }
}

/// Report the custom options in `options` whose message value leaves a
/// required field unset.
fn required_values(
    options: &prost_reflect::DynamicMessage,
    path: &[i32],
    tag: i32,
    file: &str,
    findings: &mut Vec<Finding>,
) {
    for (x, value) in options.extensions() {
        let Value::Message(m) = value else { continue };
        let missing = missing_required(m);
        if missing.is_empty() {
            continue;
        }
        let mut p = path.to_vec();
        p.extend([tag, i32::try_from(x.number()).unwrap_or(i32::MAX)]);
        findings.push(Finding {
            only_if: OnlyIf::Located,
            file: file.to_owned(),
            path: p,
            message: format!(
                "Error while parsing option value for \"{}\": Message missing required fields: {}",
                x.name(),
                missing.join(", ")
            ),
            help: "set every required field of the option's message in the `{ ... }` value",
        });
    }
}

/// Whether any custom option has a message type with a required field
/// (at any depth): if none does, no option value can miss one.
fn options_with_required_fields(pool: &DescriptorPool) -> bool {
    let mut todo: Vec<prost_reflect::MessageDescriptor> = pool
        .all_extensions()
        .filter(|x| {
            x.containing_message()
                .full_name()
                .starts_with("google.protobuf.")
        })
        .filter_map(|x| match x.kind() {
            Kind::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    while let Some(m) = todo.pop() {
        if !seen.insert(m.full_name().to_owned()) {
            continue;
        }
        for f in m.fields() {
            if f.cardinality() == prost_reflect::Cardinality::Required {
                return true;
            }
            if let Kind::Message(sub) = f.kind() {
                todo.push(sub);
            }
        }
    }
    false
}

/// The required fields left unset in `m` and the messages it holds, as
/// dotted paths (`w.w`), like protoc's message. Iterative: option values
/// can nest deeply.
fn missing_required(m: &prost_reflect::DynamicMessage) -> Vec<String> {
    let mut missing = Vec::new();
    let mut stack: Vec<(&prost_reflect::DynamicMessage, String)> = vec![(m, String::new())];
    while let Some((m, prefix)) = stack.pop() {
        for f in m.descriptor().fields() {
            if f.cardinality() == prost_reflect::Cardinality::Required && !m.has_field(&f) {
                missing.push(format!("{prefix}{}", f.name()));
            }
        }
        for (f, value) in m.fields() {
            match value {
                Value::Message(sub) => stack.push((sub, format!("{prefix}{}.", f.name()))),
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Value::Message(sub) = item {
                            stack.push((sub, format!("{prefix}{}[{i}].", f.name())));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    missing.sort();
    missing
}

fn is_lite(f: &FileDescriptorProto) -> bool {
    f.options
        .as_ref()
        .is_some_and(|o| o.optimize_for() == OptimizeMode::LiteRuntime)
}

fn packable(ty: Type) -> bool {
    !matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group)
}

/// Whether `json` is the default JSON name of a field named `name`
/// (underscores dropped, the letter after one upper-cased), compared
/// without building it.
fn is_default_json_name(name: &str, json: &str) -> bool {
    camel_case_equals(name, false, json)
}

/// Whether `entry` is the entry name protoc derives from a map field named
/// `field`: the field name in CamelCase (first letter too) and `Entry`.
fn is_map_entry_name(field: &str, entry: &str) -> bool {
    entry
        .strip_suffix("Entry")
        .is_some_and(|stem| camel_case_equals(field, true, stem))
}

/// Whether `camel` is `snake` with its underscores dropped and the letter
/// after each upper-cased (and the first letter, when `capitalize`).
fn camel_case_equals(snake: &str, capitalize: bool, camel: &str) -> bool {
    let mut upper = capitalize;
    let expected = snake.chars().filter_map(|c| {
        if c == '_' {
            upper = true;
            None
        } else if upper {
            upper = false;
            Some(c.to_ascii_uppercase())
        } else {
            Some(c)
        }
    });
    expected.eq(camel.chars())
}

/// A proto3 enum value name as protoc compares them: the enum's name
/// stripped as a prefix (case-insensitively, ignoring underscores, unless
/// nothing would remain), then PascalCased (`FOO_BAR` in `enum Foo` →
/// `Bar`).
fn normalized<'n>(enum_name: &'n str, value: &'n str) -> impl Iterator<Item = u8> + 'n {
    let rest = strip_enum_prefix(enum_name.as_bytes(), value.as_bytes());
    let mut upper = true;
    rest.iter().filter_map(move |&b| {
        if b == b'_' {
            upper = true;
            None
        } else if upper {
            upper = false;
            Some(b.to_ascii_uppercase())
        } else {
            Some(b.to_ascii_lowercase())
        }
    })
}

fn strip_enum_prefix<'v>(prefix: &[u8], value: &'v [u8]) -> &'v [u8] {
    let mut want = prefix.iter().filter(|&&b| b != b'_');
    let mut i = 0;
    let mut next = want.next();
    while let Some(&p) = next {
        // Underscores in the value are skipped while matching the prefix.
        while value.get(i) == Some(&b'_') {
            i += 1;
        }
        match value.get(i) {
            Some(&b) if b.eq_ignore_ascii_case(&p) => {
                i += 1;
                next = want.next();
            }
            _ => return value,
        }
    }
    while value.get(i) == Some(&b'_') {
        i += 1;
    }
    if i >= value.len() { value } else { &value[i..] }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(e: &str, v: &str) -> String {
        String::from_utf8(normalized(e, v).collect()).unwrap_or_default()
    }

    #[test]
    fn enum_prefix_normalization() {
        assert_eq!(norm("Foo", "FOO_BAR"), "Bar");
        assert_eq!(norm("Foo", "BAR"), "Bar");
        assert_eq!(norm("Foo", "FooBar"), "Bar");
        assert_eq!(norm("Foo", "FOO"), "Foo");
        assert_eq!(norm("Foo", "foo"), "Foo");
        assert_eq!(norm("Foo", "FOO_FOO"), "Foo");
        assert_eq!(norm("FooBar", "FOO_BAR_BAZ"), "Baz");
        assert_eq!(norm("FooBar", "FOOBARBAZ"), "Baz");
        assert_eq!(norm("Foo", "FOOD"), "D");
        assert_eq!(norm("Foo", "BAR_BAZ"), "BarBaz");
        assert_eq!(norm("Foo", "FO"), "Fo");
    }

    #[test]
    fn json_and_entry_names() {
        assert!(is_default_json_name("foo_bar", "fooBar"));
        assert!(is_default_json_name("x", "x"));
        assert!(!is_default_json_name("x", "y"));
        assert!(!is_default_json_name("foo_bar", "foo_bar"));
        assert!(is_map_entry_name("foo_bar", "FooBarEntry"));
        assert!(is_map_entry_name("foo", "FooEntry"));
        assert!(!is_map_entry_name("e", "E"));
        assert!(!is_map_entry_name("foo", "BarEntry"));
    }

    #[test]
    fn locate_prefers_the_longest_prefix() {
        let info = SourceCodeInfo {
            location: vec![
                prost_types::source_code_info::Location {
                    path: vec![4, 0],
                    span: vec![1, 0, 10],
                    ..Default::default()
                },
                prost_types::source_code_info::Location {
                    path: vec![4, 0, 2, 1],
                    span: vec![2, 2, 12],
                    ..Default::default()
                },
            ],
        };
        let spans = Spans::new(Some(info));
        let field = spans
            .locate(&[4, 0, 2, 1, 8, 2])
            .map(|l| (l.start_line, l.start_column, l.end_column));
        assert_eq!(field, Some((3, 3, 13)));
        assert_eq!(spans.locate(&[4, 0, 2, 0]).map(|l| l.start_line), Some(2));
        assert_eq!(spans.locate(&[5, 0]), None);
    }
}
