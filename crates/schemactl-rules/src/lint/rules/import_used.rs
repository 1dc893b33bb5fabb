use std::collections::{HashMap, HashSet};

use prost_reflect::{
    DynamicMessage, ExtensionDescriptor, FieldDescriptor, FileDescriptor, Kind, MessageDescriptor,
    ReflectMessage, Value,
};

use crate::lint::{FileCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "IMPORT_USED",
    kind: RuleKind::Lint,
    categories: &[Category::Basic, Category::Standard],
    v1_categories: None,
    v1_exists: true,
    summary: "Every import is used by the file that declares it.",
    doc: r#"## What it catches

An `import` whose file provides nothing the importing file refers to. An
import counts as used when a definition reached through it (in the imported
file itself, or re-exported by it with `import public`) is named as a field
type, a `map` value, an RPC request or response, the message an `extend`
block extends, a custom option (`option (acme.rules) = ...`, including
options inside option values and `features.(pb.cpp)`), or a type in an
`Any` literal in an option value. When a definition is both imported
directly and re-exported by another import, the direct import is the used
one; among several re-exports, the first import in the file is.
`import public` statements are never reported (see `IMPORT_NO_PUBLIC`).

Importing `google/protobuf/descriptor.proto` only to set built-in options
(`java_package`, `deprecated`, `features.field_presence`, ...) is unused:
those need no import.

## Why it matters

Every import is a dependency: generated code imports the generated
counterpart of each imported file (Go, TypeScript and Python fail or warn on
unused imports), builds pull in and compile the imported file, and the
dependency graph looks tighter than it is, which makes moving or deleting
files harder and can create package import cycles that do not really exist.

## Bad

```proto
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";

message Invoice {
  google.protobuf.Timestamp created_at = 1;
}
```

## Good

```proto
import "google/protobuf/timestamp.proto";

message Invoice {
  google.protobuf.Timestamp created_at = 1;
}
```

## How to evolve safely

Delete the import. Imports are not part of the wire format or JSON, and
removing an unused one changes no generated type, only generated import
lists.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let file = &cx.file;
    let proto = file.file_descriptor_proto();
    let pool = file.parent_pool();
    let Some(imports) = proto
        .dependency
        .iter()
        .map(|name| pool.get_file_by_name(name))
        .collect::<Option<Vec<_>>>()
    else {
        return;
    };
    let public: HashSet<usize> = proto
        .public_dependency
        .iter()
        .filter_map(|&i| usize::try_from(i).ok())
        .collect();
    let mut uses = Uses::new(file, imports, &public);
    if uses.all_used() {
        return;
    }
    uses.type_references();
    if !uses.all_used() {
        uses.option_references();
    }
    for (index, import) in proto.dependency.iter().enumerate() {
        if uses.used[index] {
            continue;
        }
        sink.report_import(
            file.name(),
            index,
            format!("Import \"{import}\" is unused."),
        );
    }
}

/// Which imports of one file provide something the file refers to.
struct Uses<'a> {
    file: &'a FileDescriptor,
    imports: Vec<FileDescriptor>,
    /// By import index; public imports start out used (never reported).
    used: Vec<bool>,
    /// Files already credited to an import (or defined in this file).
    seen: HashSet<String>,
    /// Per import, the files it re-exports through chains of
    /// `import public`, computed when first needed.
    reexports: HashMap<usize, HashSet<String>>,
}

impl<'a> Uses<'a> {
    fn new(
        file: &'a FileDescriptor,
        imports: Vec<FileDescriptor>,
        public: &HashSet<usize>,
    ) -> Self {
        let used = (0..imports.len()).map(|i| public.contains(&i)).collect();
        let seen = HashSet::from([file.name().to_owned()]);
        Uses {
            file,
            imports,
            used,
            seen,
            reexports: HashMap::new(),
        }
    }

    fn all_used(&self) -> bool {
        self.used.iter().all(|&u| u)
    }

    /// A definition of `defining` is referred to: credit the import it was
    /// found through. Like Buf's compiler, a direct import of the file wins;
    /// otherwise the first import (in order) that re-exports it publicly.
    fn refer(&mut self, defining: &FileDescriptor) {
        if !self.seen.insert(defining.name().to_owned()) {
            return;
        }
        let name = defining.name();
        if let Some(i) = self.imports.iter().position(|f| f.name() == name) {
            self.used[i] = true;
            return;
        }
        for i in 0..self.imports.len() {
            let reexports = self
                .reexports
                .entry(i)
                .or_insert_with(|| public_closure(&self.imports[i]));
            if reexports.contains(name) {
                self.used[i] = true;
                return;
            }
        }
    }

    fn refer_kind(&mut self, field_kind: &Kind) {
        match field_kind {
            Kind::Message(m) => self.refer(&m.parent_file()),
            Kind::Enum(e) => self.refer(&e.parent_file()),
            _ => {}
        }
    }

    fn refer_extension(&mut self, extension: &ExtensionDescriptor) {
        self.refer(&extension.containing_message().parent_file());
        self.refer_kind(&extension.kind());
    }

    /// Field types (map entries included), `extend` targets and types, RPC
    /// request and response types.
    fn type_references(&mut self) {
        let file = self.file.clone();
        for extension in file.extensions() {
            self.refer_extension(&extension);
        }
        for message in all_messages(&file) {
            for field in message.fields() {
                self.refer_kind(&field.kind());
            }
            for extension in message.child_extensions() {
                self.refer_extension(&extension);
            }
        }
        for service in file.services() {
            for method in service.methods() {
                self.refer(&method.input().parent_file());
                self.refer(&method.output().parent_file());
            }
        }
    }

    /// Custom options (extensions of the `*Options` messages, at any depth
    /// in option values) and the types of `Any` literals in option values.
    fn option_references(&mut self) {
        let file = self.file.clone();
        let mut options = vec![file.options()];
        for extension in file.extensions() {
            options.push(extension.options());
        }
        for message in all_messages(&file) {
            options.push(message.options());
            options.extend(message.fields().map(|f: FieldDescriptor| f.options()));
            options.extend(message.oneofs().map(|o| o.options()));
            options.extend(message.child_extensions().map(|e| e.options()));
        }
        for en in schemactl_compile::walk::enums(&file) {
            options.push(en.options());
            options.extend(en.values().map(|v| v.options()));
        }
        for service in file.services() {
            options.push(service.options());
            options.extend(service.methods().map(|m| m.options()));
        }
        // prost-reflect does not expose extension range options with their
        // extensions; read them from the encoded file. Custom ones can only
        // exist when `descriptor.proto` is in the pool.
        let pool = file.parent_pool();
        if let Some(range_options) =
            pool.get_message_by_name("google.protobuf.ExtensionRangeOptions")
        {
            if all_messages(&file)
                .iter()
                .any(|m| m.extension_ranges().len() > 0)
            {
                let raw = file.encode_to_vec();
                for bytes in wire::extension_range_options(&raw) {
                    if let Ok(message) = DynamicMessage::decode(range_options.clone(), bytes) {
                        options.push(message);
                    }
                }
            }
        }
        for message in &options {
            self.option_value(message, 0);
        }
    }

    fn option_value(&mut self, message: &DynamicMessage, depth: usize) {
        // Option values are finite trees; the bound only guards against
        // pathological `Any` nesting.
        if depth > 64 {
            return;
        }
        for (extension, value) in message.extensions() {
            self.refer(&extension.parent_file());
            self.value(value, depth);
        }
        for (_, value) in message.fields() {
            self.value(value, depth);
        }
        if message.descriptor().full_name() == "google.protobuf.Any" {
            self.any(message, depth);
        }
    }

    fn value(&mut self, value: &Value, depth: usize) {
        match value {
            Value::Message(m) => self.option_value(m, depth + 1),
            Value::List(items) => {
                for item in items {
                    self.value(item, depth);
                }
            }
            Value::Map(entries) => {
                for item in entries.values() {
                    self.value(item, depth);
                }
            }
            _ => {}
        }
    }

    /// `[type.googleapis.com/acme.v1.Money] { ... }` in an option value
    /// names the type after the last `/`.
    fn any(&mut self, any: &DynamicMessage, depth: usize) {
        let url = any.get_field_by_name("type_url");
        let Some(url) = url.as_ref().and_then(|v| v.as_str()) else {
            return;
        };
        let name = url.rsplit('/').next().unwrap_or(url);
        let Some(message) = self.file.parent_pool().get_message_by_name(name) else {
            return;
        };
        self.refer(&message.parent_file());
        let bytes = any.get_field_by_name("value");
        if let Some(bytes) = bytes.as_ref().and_then(|v| v.as_bytes()) {
            if let Ok(inner) = DynamicMessage::decode(message, bytes.clone()) {
                self.option_value(&inner, depth + 1);
            }
        }
    }
}

/// Every message of the file, nested ones and `map` entries included.
fn all_messages(file: &FileDescriptor) -> Vec<MessageDescriptor> {
    let mut out = Vec::new();
    let mut stack: Vec<MessageDescriptor> = file.messages().collect();
    while let Some(message) = stack.pop() {
        stack.extend(message.child_messages());
        out.push(message);
    }
    out
}

/// The files `import` makes visible through `import public`, transitively
/// (not `import` itself).
fn public_closure(import: &FileDescriptor) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut stack: Vec<FileDescriptor> = import.public_dependencies().collect();
    while let Some(file) = stack.pop() {
        if out.insert(file.name().to_owned()) {
            stack.extend(file.public_dependencies());
        }
    }
    out
}

/// Just enough of the Protobuf wire format to find the encoded options of
/// every extension range in an encoded `FileDescriptorProto`.
mod wire {
    /// `FileDescriptorProto.message_type`, `DescriptorProto.nested_type`,
    /// `DescriptorProto.extension_range`, `ExtensionRange.options`.
    const MESSAGE_TYPE: u64 = 4;
    const NESTED_TYPE: u64 = 3;
    const EXTENSION_RANGE: u64 = 5;
    const RANGE_OPTIONS: u64 = 3;

    pub(super) fn extension_range_options(file: &[u8]) -> Vec<&[u8]> {
        let mut out = Vec::new();
        for (number, bytes) in fields(file) {
            if number == MESSAGE_TYPE {
                message(bytes, &mut out, 0);
            }
        }
        out
    }

    fn message<'a>(bytes: &'a [u8], out: &mut Vec<&'a [u8]>, depth: usize) {
        if depth > 100 {
            return;
        }
        for (number, field) in fields(bytes) {
            match number {
                NESTED_TYPE => message(field, out, depth + 1),
                EXTENSION_RANGE => out.extend(
                    fields(field)
                        .into_iter()
                        .filter(|(n, _)| *n == RANGE_OPTIONS)
                        .map(|(_, options)| options),
                ),
                _ => {}
            }
        }
    }

    /// The length-delimited fields of a message, in order; stops at the
    /// first malformed byte.
    fn fields(mut bytes: &[u8]) -> Vec<(u64, &[u8])> {
        let mut out = Vec::new();
        while !bytes.is_empty() {
            let Some(key) = varint(&mut bytes) else {
                break;
            };
            let skip = match key & 7 {
                0 => {
                    if varint(&mut bytes).is_none() {
                        break;
                    }
                    0
                }
                1 => 8,
                5 => 4,
                2 => {
                    let Some(len) = varint(&mut bytes).and_then(|l| usize::try_from(l).ok()) else {
                        break;
                    };
                    let Some((field, rest)) = bytes.split_at_checked(len) else {
                        break;
                    };
                    out.push((key >> 3, field));
                    bytes = rest;
                    0
                }
                _ => break,
            };
            let Some(rest) = bytes.get(skip..) else {
                break;
            };
            bytes = rest;
        }
        out
    }

    fn varint(bytes: &mut &[u8]) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = bytes.split_first()?;
            *bytes = rest;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    #[cfg(test)]
    mod tests {
        use super::extension_range_options;

        #[test]
        fn finds_range_options_in_nested_messages() {
            // FileDescriptorProto { name: "a", message_type: [DescriptorProto {
            //   name: "M", nested_type: [DescriptorProto { extension_range: [
            //     { start: 1, end: 2, options: <0x08 0x01> } ] }] }] }
            let range = [0x08, 0x01, 0x10, 0x02, 0x1a, 0x02, 0x08, 0x01];
            let mut nested = vec![0x2a, range.len() as u8];
            nested.extend_from_slice(&range);
            let mut message = vec![0x0a, 0x01, b'M', 0x1a, nested.len() as u8];
            message.extend_from_slice(&nested);
            let mut file = vec![0x0a, 0x01, b'a', 0x22, message.len() as u8];
            file.extend_from_slice(&message);
            assert_eq!(extension_range_options(&file), vec![&[0x08, 0x01][..]]);
        }

        #[test]
        fn malformed_input_finds_nothing() {
            assert!(extension_range_options(&[0x22, 0x05, 0x01]).is_empty());
            assert!(extension_range_options(&[0xff]).is_empty());
        }
    }
}
