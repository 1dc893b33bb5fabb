//! A plugin's `types` / `exclude_types`: the files it sees, cut down to the
//! named types and what they need, like `buf generate --type` and
//! `buf.gen.yaml` v2 (Buf's `bufimageutil` type filter, followed closely).
//!
//! - `types` keeps the named messages, enums, services, methods, extensions
//!   or packages (a package keeps every type its files declare; `NAME.**`
//!   also keeps nested types, or subpackages), and, transitively, what they
//!   need: field types, method input and output types, the extendee and type
//!   of an extension, the definitions of the custom options they set (and
//!   the messages `Any` values in them name), and the extensions of every
//!   message kept for itself. A message kept only
//!   because a nested type is needed keeps its name and options but no
//!   fields (and loses its comments).
//! - `exclude_types` removes types (and what they declare); a kept message
//!   loses the fields whose type is excluded, a kept service the methods
//!   whose input or output is, as in Buf. Naming an excluded type in
//!   `types`, or a method whose input or output is excluded, is an error.
//!
//! Files are edited on the wire, so custom options stay as the compiler
//! wrote them. A file with nothing kept leaves the request (and so is not
//! generated), `dependency` keeps only the imports still needed (public
//! imports become direct imports of the files that declare the types used,
//! as Buf does), and `source_code_info` follows the elements to their new
//! indexes, so comments stay on the right element.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use prost::Message;
use prost_types::{DescriptorProto, FileDescriptorProto, SourceCodeInfo};

use crate::request::File;
use crate::wire;

/// Why a filter cannot apply: the message of a finding on the plugin entry
/// and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilterError {
    pub message: String,
    pub hint: Option<String>,
}

impl FilterError {
    fn new(message: String) -> Self {
        FilterError {
            message,
            hint: None,
        }
    }
}

/// `files` as a plugin with this `types` / `exclude_types` sees them: the
/// files still needed, in the same order, each cut down to what is kept.
pub(crate) fn apply(
    files: &[File],
    types: &[String],
    exclude: &[String],
) -> Result<Vec<File>, Vec<FilterError>> {
    let index = Index::new(files);
    let mut closure = Closure {
        index: &index,
        modes: HashMap::new(),
        imports: BTreeMap::new(),
        include_all: types.is_empty(),
    };
    let mut errors = Vec::new();
    for name in dedup(exclude) {
        if let Err(e) = closure.exclude_type(name) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // A map whose value type is excluded goes with it (Buf would keep the
    // map entry without its value, which plugins reject).
    for (entry, value) in &index.map_entries {
        if index.lookup(value).is_ok_and(|v| closure.excluded(v)) {
            closure.exclude(entry);
        }
    }
    for name in dedup(types) {
        if let Err(e) = closure.include_type(name) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let run = |closure: &mut Closure<'_>| -> Result<(), FilterError> {
        if closure.include_all {
            for (i, file) in files.iter().enumerate() {
                let key = (i, Vec::new());
                if file.is_import || closure.modes.get(&key) == Some(&Mode::Excluded) {
                    continue;
                }
                closure.add(&key, None, false)?;
            }
            closure.retain_import_files()?;
        }
        closure.add_extensions()
    };
    run(&mut closure).map_err(|e| vec![e])?;
    let mut out = Vec::new();
    for (i, file) in files.iter().enumerate() {
        if !closure.imports.contains_key(&i) || !closure.has(&(i, Vec::new())) {
            continue;
        }
        let (bytes, deps) = Rewrite::new(&closure, i).file(&file.bytes, &file.deps);
        let proto3_optional = file.proto3_optional
            && (bytes == file.bytes
                || FileDescriptorProto::decode(&*wire::without(&bytes, FILE_SOURCE_INFO))
                    .unwrap_or_default()
                    .message_type
                    .iter()
                    .any(crate::request::uses_proto3_optional));
        out.push(File {
            name: file.name.clone(),
            deps,
            is_import: file.is_import,
            is_wkt: file.is_wkt,
            proto3_optional,
            editions: file.editions,
            edition: file.edition,
            bytes,
        });
    }
    Ok(out)
}

fn dedup(names: &[String]) -> Vec<&str> {
    let mut seen = HashSet::new();
    names
        .iter()
        .map(String::as_str)
        .filter(|n| seen.insert(*n))
        .collect()
}

/// An element: the index of its file and its source path in that file
/// (empty for the file itself).
type Key = (usize, Vec<i32>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Message,
    Enum,
    Service,
    Method,
    Extension,
}

struct Elem {
    kind: Kind,
    name: String,
    parent: Option<Key>,
}

// Field numbers of descriptor.proto, as source paths use them.
const FILE_DEPENDENCY: i32 = 3;
const FILE_MESSAGE: i32 = 4;
const FILE_ENUM: i32 = 5;
const FILE_SERVICE: i32 = 6;
const FILE_EXTENSION: i32 = 7;
const FILE_OPTIONS: i32 = 8;
const FILE_SOURCE_INFO: u32 = 9;
const FILE_PUBLIC: i32 = 10;
const FILE_WEAK: i32 = 11;
const MESSAGE_FIELD: i32 = 2;
const MESSAGE_NESTED: i32 = 3;
const MESSAGE_ENUM: i32 = 4;
const MESSAGE_EXTENSION_RANGE: i32 = 5;
const MESSAGE_EXTENSION: i32 = 6;
const MESSAGE_OPTIONS: i32 = 7;
const MESSAGE_ONEOF: i32 = 8;
const MESSAGE_RESERVED_RANGE: i32 = 9;
const MESSAGE_RESERVED_NAME: i32 = 10;
const FIELD_OPTIONS: i32 = 8;
const FIELD_ONEOF_INDEX: u32 = 9;
const ONEOF_OPTIONS: i32 = 2;
const EXTENSION_RANGE_OPTIONS: i32 = 3;
const ENUM_VALUE: i32 = 2;
const ENUM_OPTIONS: i32 = 3;
const ENUM_VALUE_OPTIONS: i32 = 3;
const SERVICE_METHOD: i32 = 2;
const SERVICE_OPTIONS: i32 = 3;
const METHOD_OPTIONS: i32 = 4;

/// Names and relations of every element of the files.
struct Index<'a> {
    files: &'a [File],
    protos: Vec<FileDescriptorProto>,
    by_name: HashMap<String, Key>,
    elems: HashMap<Key, Elem>,
    /// Package name → the files declaring it (every enclosing package is
    /// listed too, possibly with no file).
    packages: BTreeMap<String, Vec<usize>>,
    /// The elements each file declares, nested ones included.
    file_types: Vec<Vec<Key>>,
    /// (options message, field number) → the custom option's extension.
    options: HashMap<(String, i32), Key>,
    /// Extendee → its extensions.
    extensions: HashMap<String, Vec<Key>>,
    /// Element → the field numbers set in its options.
    /// Element → the fields set in its options: number and value (empty
    /// unless length-delimited).
    set_options: HashMap<Key, Vec<(i32, &'a [u8])>>,
    /// Map entry messages and the type of their value, if a message or
    /// enum.
    map_entries: Vec<(Key, String)>,
}

impl<'a> Index<'a> {
    fn new(files: &'a [File]) -> Self {
        let mut index = Index {
            files,
            // Without source info, which the index does not need.
            protos: files
                .iter()
                .map(|f| {
                    FileDescriptorProto::decode(&*wire::without(&f.bytes, FILE_SOURCE_INFO))
                        .unwrap_or_default()
                })
                .collect(),
            by_name: HashMap::new(),
            elems: HashMap::new(),
            packages: BTreeMap::new(),
            file_types: vec![Vec::new(); files.len()],
            options: HashMap::new(),
            extensions: HashMap::new(),
            set_options: HashMap::new(),
            map_entries: Vec::new(),
        };
        for (i, file) in files.iter().enumerate() {
            let proto = std::mem::take(&mut index.protos[i]);
            let package = proto.package().to_owned();
            let mut p = package.as_str();
            index.packages.entry(p.to_owned()).or_default().push(i);
            while let Some((up, _)) = p.rsplit_once('.') {
                index.packages.entry(up.to_owned()).or_default();
                p = up;
            }
            if !package.is_empty() {
                index.packages.entry(String::new()).or_default();
            }
            let file_key: Key = (i, Vec::new());
            index.elems.insert(
                file_key.clone(),
                Elem {
                    kind: Kind::File,
                    name: package.clone(),
                    parent: None,
                },
            );
            let prefix = if package.is_empty() {
                String::new()
            } else {
                format!("{package}.")
            };
            for (m, message) in proto.message_type.iter().enumerate() {
                index.message(i, &file_key, vec![FILE_MESSAGE, m as i32], &prefix, message);
            }
            for (e, enumeration) in proto.enum_type.iter().enumerate() {
                index.add(
                    i,
                    vec![FILE_ENUM, e as i32],
                    Kind::Enum,
                    format!("{prefix}{}", enumeration.name()),
                    &file_key,
                );
            }
            for (x, field) in proto.extension.iter().enumerate() {
                index.extension(i, vec![FILE_EXTENSION, x as i32], &prefix, field, &file_key);
            }
            for (s, service) in proto.service.iter().enumerate() {
                let path = vec![FILE_SERVICE, s as i32];
                let name = format!("{prefix}{}", service.name());
                index.add(i, path.clone(), Kind::Service, name.clone(), &file_key);
                for (m, method) in service.method.iter().enumerate() {
                    let mut p = path.clone();
                    p.extend([SERVICE_METHOD, m as i32]);
                    index.add(
                        i,
                        p,
                        Kind::Method,
                        format!("{name}.{}", method.name()),
                        &(i, path.clone()),
                    );
                }
            }
            index.protos[i] = proto;
            options_set(
                &file.bytes,
                Shape::File,
                &mut (i, Vec::new()),
                &mut index.set_options,
            );
        }
        index
    }

    fn add(&mut self, file: usize, path: Vec<i32>, kind: Kind, name: String, parent: &Key) {
        let key = (file, path);
        self.by_name.entry(name.clone()).or_insert(key.clone());
        self.file_types[file].push(key.clone());
        self.elems.insert(
            key,
            Elem {
                kind,
                name,
                parent: Some(parent.clone()),
            },
        );
    }

    fn message(
        &mut self,
        file: usize,
        parent: &Key,
        path: Vec<i32>,
        prefix: &str,
        message: &DescriptorProto,
    ) {
        let name = format!("{prefix}{}", message.name());
        self.add(file, path.clone(), Kind::Message, name.clone(), parent);
        let key = (file, path.clone());
        if message.options.as_ref().is_some_and(|o| o.map_entry()) {
            if let Some(value) = message.field.iter().find(|f| f.number() == 2) {
                if value.type_name.is_some() {
                    self.map_entries
                        .push((key.clone(), value.type_name().to_owned()));
                }
            }
        }
        let prefix = format!("{name}.");
        for (n, nested) in message.nested_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend([MESSAGE_NESTED, n as i32]);
            self.message(file, &key, p, &prefix, nested);
        }
        for (e, enumeration) in message.enum_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend([MESSAGE_ENUM, e as i32]);
            self.add(
                file,
                p,
                Kind::Enum,
                format!("{prefix}{}", enumeration.name()),
                &key,
            );
        }
        for (x, field) in message.extension.iter().enumerate() {
            let mut p = path.clone();
            p.extend([MESSAGE_EXTENSION, x as i32]);
            self.extension(file, p, &prefix, field, &key);
        }
    }

    fn extension(
        &mut self,
        file: usize,
        path: Vec<i32>,
        prefix: &str,
        field: &prost_types::FieldDescriptorProto,
        parent: &Key,
    ) {
        let extendee = field.extendee().trim_start_matches('.').to_owned();
        let key = (file, path.clone());
        if extendee.starts_with("google.protobuf.") && extendee.ends_with("Options") {
            self.options
                .entry((extendee.clone(), field.number()))
                .or_insert(key.clone());
        }
        self.extensions.entry(extendee).or_default().push(key);
        self.add(
            file,
            path,
            Kind::Extension,
            format!("{prefix}{}", field.name()),
            parent,
        );
    }

    fn file(&self, key: &Key) -> &FileDescriptorProto {
        &self.protos[key.0]
    }

    /// The message at `path` (pairs of field number and index).
    fn message_at<'p>(proto: &'p FileDescriptorProto, path: &[i32]) -> Option<&'p DescriptorProto> {
        let mut message = proto
            .message_type
            .get(usize::try_from(*path.get(1)?).ok()?)?;
        for pair in path[2..].chunks(2) {
            if pair.first() != Some(&MESSAGE_NESTED) {
                return None;
            }
            message = message
                .nested_type
                .get(usize::try_from(*pair.get(1)?).ok()?)?;
        }
        Some(message)
    }

    /// The extension field at `path`.
    fn extension_at(&self, key: &Key) -> Option<&prost_types::FieldDescriptorProto> {
        let proto = self.file(key);
        let (last, index) = (key.1.len().checked_sub(2)?, key.1.last()?);
        let index = usize::try_from(*index).ok()?;
        if last == 0 {
            proto.extension.get(index)
        } else {
            Self::message_at(proto, &key.1[..last])?
                .extension
                .get(index)
        }
    }

    fn lookup(&self, type_name: &str) -> Result<&Key, FilterError> {
        let name = type_name.trim_start_matches('.');
        self.by_name
            .get(name)
            .ok_or_else(|| FilterError::new(format!("`{name}` is used but not declared")))
    }
}

/// The `n`-th occurrence of length-delimited field `number` in `bytes`.
#[cfg(test)]
fn nth(bytes: &[u8], number: i32, n: i32) -> Option<&[u8]> {
    wire::fields(bytes)?
        .into_iter()
        .filter(|f| tag(f) == number)
        .nth(usize::try_from(n).ok()?)
        .map(|f| f.payload)
}

/// What a descriptor message is, to find its options and children on the
/// wire.
#[derive(Clone, Copy)]
enum Shape {
    File,
    Message,
    Field,
    Oneof,
    Range,
    Enum,
    Value,
    Service,
    Method,
}

impl Shape {
    /// The field number of its options.
    fn options(self) -> i32 {
        match self {
            Shape::File => FILE_OPTIONS,
            Shape::Field => FIELD_OPTIONS,
            Shape::Message => MESSAGE_OPTIONS,
            Shape::Oneof => ONEOF_OPTIONS,
            Shape::Range => EXTENSION_RANGE_OPTIONS,
            Shape::Enum => ENUM_OPTIONS,
            Shape::Value => ENUM_VALUE_OPTIONS,
            Shape::Service => SERVICE_OPTIONS,
            Shape::Method => METHOD_OPTIONS,
        }
    }

    /// The shape of its children in field `number`.
    fn child(self, number: i32) -> Option<Shape> {
        Some(match (self, number) {
            (Shape::File, FILE_MESSAGE) | (Shape::Message, MESSAGE_NESTED) => Shape::Message,
            (Shape::File, FILE_ENUM) | (Shape::Message, MESSAGE_ENUM) => Shape::Enum,
            (Shape::File, FILE_SERVICE) => Shape::Service,
            (Shape::File, FILE_EXTENSION) | (Shape::Message, MESSAGE_FIELD | MESSAGE_EXTENSION) => {
                Shape::Field
            }
            (Shape::Message, MESSAGE_ONEOF) => Shape::Oneof,
            (Shape::Message, MESSAGE_EXTENSION_RANGE) => Shape::Range,
            (Shape::Enum, ENUM_VALUE) => Shape::Value,
            (Shape::Service, SERVICE_METHOD) => Shape::Method,
            _ => return None,
        })
    }
}

/// Record the field numbers set in the options of every element of an
/// encoded descriptor, by the element's source path.
fn options_set<'a>(
    bytes: &'a [u8],
    shape: Shape,
    key: &mut Key,
    out: &mut HashMap<Key, Vec<(i32, &'a [u8])>>,
) {
    let mut counters: HashMap<u32, i32> = HashMap::new();
    for f in wire::fields(bytes).unwrap_or_default() {
        let Ok(number) = i32::try_from(f.number) else {
            continue;
        };
        if number == shape.options() {
            let set = wire::fields(f.payload).unwrap_or_default();
            out.entry(key.clone())
                .or_default()
                .extend(set.iter().map(|o| (tag(o), o.payload)));
        } else if let Some(child) = shape.child(number) {
            let n = counters.entry(f.number).or_insert(0);
            key.1.extend([number, *n]);
            *n += 1;
            options_set(f.payload, child, key, out);
            key.1.truncate(key.1.len() - 2);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Excluded,
    /// Kept for itself: all of it.
    Explicit,
    /// Kept because something inside it is: its name and options only.
    Enclosing,
    /// Kept because a custom option needs it.
    Implicit,
}

struct Closure<'a> {
    index: &'a Index<'a>,
    modes: HashMap<Key, Mode>,
    /// File → the files it needs to import; a file is kept if it is a key.
    imports: BTreeMap<usize, BTreeSet<usize>>,
    /// No `types`: everything not excluded is kept.
    include_all: bool,
}

impl Closure<'_> {
    fn has(&self, key: &Key) -> bool {
        match self.modes.get(key) {
            Some(Mode::Excluded) => false,
            Some(_) => true,
            None => self.include_all,
        }
    }

    fn excluded(&self, key: &Key) -> bool {
        self.modes.get(key) == Some(&Mode::Excluded)
    }

    fn add_import(&mut self, from: Option<usize>, to: usize) {
        self.imports.entry(to).or_default();
        if let Some(from) = from.filter(|&f| f != to) {
            self.imports.entry(from).or_default().insert(to);
        }
    }

    fn include_type(&mut self, name: &str) -> Result<(), FilterError> {
        let (base, recursive) = match name.strip_suffix(".**") {
            Some(base) => (base, true),
            None => (name, false),
        };
        check_name("types", name, base)?;
        let index = self.index;
        if let Some(key) = index.by_name.get(base) {
            let file = &index.files[key.0];
            if file.is_import {
                return Err(FilterError::new(format!(
                    "`types` names `{base}`, which {} declares: an imported file, not an input file",
                    file.name
                )));
            }
            if self.excluded(key) {
                return Err(FilterError::new(format!(
                    "`types` names `{base}`, which `exclude_types` excludes"
                )));
            }
            if index.elems[key].kind == Kind::Extension {
                let extendee = index.extension_at(key).map_or("", |f| f.extendee());
                if let Ok(extendee_key) = index.lookup(extendee) {
                    if self.excluded(extendee_key) {
                        return Err(FilterError::new(format!(
                            "`types` names the extension `{base}`, whose extendee `{}` `exclude_types` excludes",
                            extendee.trim_start_matches('.')
                        )));
                    }
                }
            }
            self.add(key, None, false)?;
            if recursive {
                self.add_children(key)?;
            }
            return Ok(());
        }
        let Some(files) = index.packages.get(base) else {
            return Err(not_declared(index, "types", base));
        };
        let files = package_files(index, base, files, recursive);
        if files.is_empty() {
            return Err(FilterError {
                message: format!(
                    "`types` names the package `{base}`, which declares no types directly"
                ),
                hint: Some(format!("`{base}.**` also keeps its subpackages")),
            });
        }
        if files.iter().all(|&f| index.files[f].is_import) {
            return Err(FilterError::new(format!(
                "`types` names the package `{base}`, which only imported files declare, not input files"
            )));
        }
        let mut included = 0;
        for f in files {
            let key = (f, Vec::new());
            if self.excluded(&key) {
                continue;
            }
            self.add(&key, None, false)?;
            included += 1;
        }
        if included == 0 {
            return Err(FilterError::new(format!(
                "`types` names the package `{base}`, which `exclude_types` excludes"
            )));
        }
        Ok(())
    }

    /// `NAME.**` on a message: its nested messages, enums and extensions,
    /// recursively.
    fn add_children(&mut self, key: &Key) -> Result<(), FilterError> {
        let index = self.index;
        if index.elems[key].kind != Kind::Message {
            return Ok(());
        }
        let Some(message) = Index::message_at(index.file(key), &key.1) else {
            return Ok(());
        };
        let child = |tag: i32, n: usize| {
            let mut path = key.1.clone();
            path.extend([tag, n as i32]);
            (key.0, path)
        };
        for n in 0..message.nested_type.len() {
            let nested = child(MESSAGE_NESTED, n);
            if !self.excluded(&nested) {
                self.add(&nested, None, false)?;
                self.add_children(&nested)?;
            }
        }
        for (tag, count) in [
            (MESSAGE_ENUM, message.enum_type.len()),
            (MESSAGE_EXTENSION, message.extension.len()),
        ] {
            for n in 0..count {
                let c = child(tag, n);
                if !self.excluded(&c) {
                    self.add(&c, None, false)?;
                }
            }
        }
        Ok(())
    }

    fn exclude_type(&mut self, name: &str) -> Result<(), FilterError> {
        let (base, recursive) = match name.strip_suffix(".**") {
            Some(base) => (base, true),
            None => (name, false),
        };
        check_name("exclude_types", name, base)?;
        let index = self.index;
        if let Some(key) = index.by_name.get(base) {
            self.exclude(key);
            return Ok(());
        }
        let Some(files) = index.packages.get(base) else {
            return Err(not_declared(index, "exclude_types", base));
        };
        for f in package_files(index, base, files, recursive) {
            self.exclude(&(f, Vec::new()));
        }
        Ok(())
    }

    /// Exclude an element and everything it declares.
    fn exclude(&mut self, key: &Key) {
        if self.modes.insert(key.clone(), Mode::Excluded).is_some() {
            return;
        }
        let index = self.index;
        let prefix = &key.1;
        let children: Vec<Key> = index.file_types[key.0]
            .iter()
            .filter(|k| k.1.len() > prefix.len() && k.1.starts_with(prefix))
            .cloned()
            .collect();
        for child in children {
            self.modes.insert(child, Mode::Excluded);
        }
    }

    /// Keep an element and, transitively, what it needs (Buf's
    /// `addElement`); `referrer` is the file that needs it.
    fn add(
        &mut self,
        key: &Key,
        referrer: Option<usize>,
        implied: bool,
    ) -> Result<(), FilterError> {
        let index = self.index;
        if let Some(&mode) = self.modes.get(key) {
            if mode != Mode::Enclosing {
                if mode == Mode::Excluded {
                    return Ok(());
                }
                self.add_import(referrer, key.0);
                if mode == Mode::Implicit && !implied {
                    self.modes.insert(key.clone(), Mode::Explicit);
                }
                return Ok(());
            }
        }
        self.modes.insert(
            key.clone(),
            if implied {
                Mode::Implicit
            } else {
                Mode::Explicit
            },
        );
        let file = key.0;
        let proto = index.file(key);
        let elem = &index.elems[key];
        match elem.kind {
            Kind::File => {
                for k in &index.file_types[file] {
                    self.add(k, None, false)?;
                }
            }
            Kind::Message => {
                let Some(message) = Index::message_at(proto, &key.1) else {
                    return Ok(());
                };
                let mut oneofs = vec![0usize; message.oneof_decl.len()];
                for (n, field) in message.field.iter().enumerate() {
                    if !self.add_field_type(field, file)? {
                        continue;
                    }
                    if let Some(o) = field
                        .oneof_index
                        .and_then(|o| usize::try_from(o).ok())
                        .and_then(|o| oneofs.get_mut(o))
                    {
                        *o += 1;
                    }
                    let path = child_path(&key.1, MESSAGE_FIELD, n);
                    self.explore_options(file, &path, "FieldOptions")?;
                }
                for (n, count) in oneofs.into_iter().enumerate() {
                    let path = child_path(&key.1, MESSAGE_ONEOF, n);
                    if count == 0 {
                        self.modes.insert((file, path), Mode::Excluded);
                    } else {
                        self.explore_options(file, &path, "OneofOptions")?;
                    }
                }
                for n in 0..message.extension_range.len() {
                    let path = child_path(&key.1, MESSAGE_EXTENSION_RANGE, n);
                    self.explore_options(file, &path, "ExtensionRangeOptions")?;
                }
            }
            Kind::Enum => {
                let count = enum_at(proto, &key.1).map_or(0, |e| e.value.len());
                for n in 0..count {
                    let path = child_path(&key.1, ENUM_VALUE, n);
                    self.explore_options(file, &path, "EnumValueOptions")?;
                }
            }
            Kind::Service => {
                let s = usize::try_from(key.1[1]).unwrap_or(0);
                for (m, method) in proto.service[s].method.iter().enumerate() {
                    let input = index.lookup(method.input_type())?;
                    let output = index.lookup(method.output_type())?;
                    if self.excluded(input) || self.excluded(output) {
                        continue;
                    }
                    self.add(&(file, child_path(&key.1, SERVICE_METHOD, m)), None, false)?;
                }
            }
            Kind::Method => {
                let (s, m) = (key.1[1], key.1[3]);
                let method = &proto.service[usize::try_from(s).unwrap_or(0)].method
                    [usize::try_from(m).unwrap_or(0)];
                let input = index.lookup(method.input_type())?.clone();
                let output = index.lookup(method.output_type())?.clone();
                for (what, k) in [("input", &input), ("output", &output)] {
                    if self.excluded(k) {
                        return Err(FilterError::new(format!(
                            "the method `{}` is kept, but its {what} type `{}` is excluded by `exclude_types`",
                            elem.name, index.elems[k].name
                        )));
                    }
                }
                self.add(&input, Some(file), false)?;
                self.add(&output, Some(file), false)?;
            }
            Kind::Extension => {
                let Some(field) = index.extension_at(key) else {
                    return Ok(());
                };
                let extendee = index.lookup(field.extendee())?.clone();
                if self.excluded(&extendee) {
                    self.modes.insert(key.clone(), Mode::Excluded);
                    return Ok(());
                }
                self.add(&extendee, Some(file), implied)?;
                if !self.add_field_type(field, file)? {
                    self.modes.insert(key.clone(), Mode::Excluded);
                    return Ok(());
                }
            }
        }
        self.add_import(referrer, file);
        self.add_enclosing(elem.parent.as_ref(), file)?;
        match elem.kind {
            Kind::File => self.explore_options(file, &key.1, "FileOptions"),
            Kind::Message => self.explore_options(file, &key.1, "MessageOptions"),
            Kind::Enum => self.explore_options(file, &key.1, "EnumOptions"),
            Kind::Service => self.explore_options(file, &key.1, "ServiceOptions"),
            Kind::Method => self.explore_options(file, &key.1, "MethodOptions"),
            Kind::Extension => self.explore_options(file, &key.1, "FieldOptions"),
        }
    }

    /// Keep the messages, services and file around a kept element.
    fn add_enclosing(&mut self, parent: Option<&Key>, file: usize) -> Result<(), FilterError> {
        let index = self.index;
        let mut parent = parent.cloned();
        while let Some(key) = parent {
            let key = &key;
            let elem = &index.elems[key];
            if !matches!(elem.kind, Kind::Message | Kind::Service | Kind::File)
                || self.modes.contains_key(key)
            {
                break;
            }
            self.modes.insert(key.clone(), Mode::Enclosing);
            match elem.kind {
                Kind::File => self.explore_options(file, &key.1, "FileOptions")?,
                Kind::Message => {
                    self.explore_options(file, &key.1, "MessageOptions")?;
                }
                _ => self.explore_options(file, &key.1, "ServiceOptions")?,
            }
            parent = elem.parent.clone();
        }
        Ok(())
    }

    /// Keep the type of a field; false when it is excluded (the field goes).
    fn add_field_type(
        &mut self,
        field: &prost_types::FieldDescriptorProto,
        file: usize,
    ) -> Result<bool, FilterError> {
        if field.type_name.is_none() {
            return Ok(true);
        }
        let key = self.index.lookup(field.type_name())?.clone();
        if self.excluded(&key) {
            return Ok(false);
        }
        self.add(&key, Some(file), false)?;
        Ok(true)
    }

    /// Keep the definitions of the custom options set on an element.
    fn explore_options(
        &mut self,
        file: usize,
        path: &[i32],
        options: &str,
    ) -> Result<(), FilterError> {
        let index = self.index;
        let Some(set) = index.set_options.get(&(file, path.to_vec())) else {
            return Ok(());
        };
        let name = format!("google.protobuf.{options}");
        for &(number, value) in set {
            let Some(ext) = index.options.get(&(name.clone(), number)) else {
                continue;
            };
            if self.excluded(ext) {
                continue;
            }
            if let Some(field) = index.extension_at(ext) {
                if field.r#type() == prost_types::field_descriptor_proto::Type::Message {
                    self.explore_any(field.type_name(), value, file, 0)?;
                }
            }
            self.add(ext, Some(file), true)?;
        }
        Ok(())
    }

    /// Keep the messages that `google.protobuf.Any` values inside an
    /// option value of message type `type_name` name by their type URL.
    fn explore_any(
        &mut self,
        type_name: &str,
        value: &[u8],
        file: usize,
        depth: usize,
    ) -> Result<(), FilterError> {
        let index = self.index;
        let type_name = type_name.trim_start_matches('.');
        if depth > 64 {
            return Ok(());
        }
        if type_name == "google.protobuf.Any" {
            let url = wire::strings(value, 1).pop().unwrap_or_default();
            let named = url.rsplit('/').next().unwrap_or_default();
            if let Some(key) = index.by_name.get(named) {
                if index.elems[key].kind == Kind::Message && !self.excluded(key) {
                    self.add(key, Some(file), false)?;
                }
            }
            return Ok(());
        }
        let Some(key) = index.by_name.get(type_name) else {
            return Ok(());
        };
        let Some(message) = Index::message_at(index.file(key), &key.1) else {
            return Ok(());
        };
        for f in wire::fields(value).unwrap_or_default() {
            let Some(field) = message.field.iter().find(|d| d.number() == tag(&f)) else {
                continue;
            };
            if field.r#type() == prost_types::field_descriptor_proto::Type::Message {
                self.explore_any(field.type_name(), f.payload, file, depth + 1)?;
            }
        }
        Ok(())
    }

    /// The extensions of every message kept for itself.
    fn add_extensions(&mut self) -> Result<(), FilterError> {
        let index = self.index;
        let mut done = HashSet::new();
        loop {
            let mut explicit: Vec<Key> = self
                .modes
                .iter()
                .filter(|(k, m)| {
                    **m == Mode::Explicit
                        && index.elems.get(*k).is_some_and(|e| e.kind == Kind::Message)
                        && !done.contains(*k)
                })
                .map(|(k, _)| k.clone())
                .collect();
            if explicit.is_empty() {
                return Ok(());
            }
            explicit.sort();
            for key in explicit {
                let name = &index.elems[&key].name;
                for ext in index.extensions.get(name).into_iter().flatten() {
                    if !self.excluded(ext) {
                        self.add(ext, None, false)?;
                    }
                }
                done.insert(key);
            }
        }
    }

    /// Without `types`: an imported file kept partly whose other imports
    /// are not needed is kept whole (Buf's `traverseRetainedImportFiles`).
    fn retain_import_files(&mut self) -> Result<(), FilterError> {
        let index = self.index;
        let by_name: HashMap<&str, usize> = index
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.as_str(), i))
            .collect();
        'again: loop {
            for (i, file) in index.files.iter().enumerate() {
                let key = (i, Vec::new());
                if !file.is_import || self.modes.get(&key) != Some(&Mode::Enclosing) {
                    continue;
                }
                let required = self.imports.get(&i);
                let needs = file.deps.iter().any(|d| {
                    by_name
                        .get(d.as_str())
                        .is_none_or(|j| !required.is_some_and(|r| r.contains(j)))
                });
                if needs {
                    self.add(&key, None, false)?;
                    continue 'again;
                }
            }
            return Ok(());
        }
    }
}

/// The field number of a field of a descriptor, as source paths use it.
fn tag(f: &wire::Field<'_>) -> i32 {
    i32::try_from(f.number).unwrap_or(-1)
}

fn child_path(path: &[i32], tag: i32, n: usize) -> Vec<i32> {
    let mut p = path.to_vec();
    p.extend([tag, i32::try_from(n).unwrap_or(i32::MAX)]);
    p
}

fn enum_at<'p>(
    proto: &'p FileDescriptorProto,
    path: &[i32],
) -> Option<&'p prost_types::EnumDescriptorProto> {
    let (last, index) = (
        path.len().checked_sub(2)?,
        usize::try_from(*path.last()?).ok()?,
    );
    if last == 0 {
        proto.enum_type.get(index)
    } else {
        Index::message_at(proto, &path[..last])?
            .enum_type
            .get(index)
    }
}

/// The files of a package, and with `recursive` of its subpackages.
fn package_files(index: &Index<'_>, base: &str, files: &[usize], recursive: bool) -> Vec<usize> {
    let mut out = files.to_vec();
    if recursive {
        let prefix = format!("{base}.");
        for (name, files) in &index.packages {
            if base.is_empty() && !name.is_empty() || name.starts_with(&prefix) {
                out.extend(files);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn check_name(key: &str, name: &str, base: &str) -> Result<(), FilterError> {
    let valid = base.split('.').all(|part| {
        let mut chars = part.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if valid {
        return Ok(());
    }
    Err(FilterError {
        message: format!("`{key}` names `{name}`, which is not a fully qualified type name"),
        hint: Some(if name.contains('*') {
            "the only wildcard is a final `.**` (a package and its subpackages, or a message and its nested types)".to_owned()
        } else {
            "write the name as in the .proto files, with its package and without a leading dot: `acme.v1.Order`".to_owned()
        }),
    })
}

fn not_declared(index: &Index<'_>, key: &str, name: &str) -> FilterError {
    let candidates = index
        .by_name
        .keys()
        .chain(index.packages.keys().filter(|p| !p.is_empty()));
    let last = name.rsplit('.').next().unwrap_or(name);
    let best = candidates
        .map(|c| {
            let distance = if c.rsplit('.').next() == Some(last) {
                0
            } else {
                levenshtein(c, name)
            };
            (distance, c)
        })
        .filter(|(d, c)| *d <= 2.max(name.len() / 4) && c.as_str() != name)
        .min();
    FilterError {
        message: format!("`{key}` names `{name}`, which no file declares"),
        hint: best.map(|(_, c)| format!("did you mean `{c}`?")),
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// How source paths move: the old path of an element to its new index, or
/// gone; locations under a gone path are dropped.
#[derive(Default)]
struct Remap {
    deleted: HashSet<Vec<i32>>,
    moved: HashMap<Vec<i32>, i32>,
    no_comment: HashSet<Vec<i32>>,
}

impl Remap {
    fn is_empty(&self) -> bool {
        self.deleted.is_empty() && self.moved.is_empty() && self.no_comment.is_empty()
    }

    fn path(&self, old: &[i32]) -> Option<Vec<i32>> {
        let mut new = old.to_vec();
        for k in 1..=old.len() {
            let prefix = &old[..k];
            if self.deleted.contains(prefix) {
                return None;
            }
            if let Some(&to) = self.moved.get(prefix) {
                new[k - 1] = to;
            }
        }
        Some(new)
    }
}

/// One file rewritten on the wire.
struct Rewrite<'c, 'a> {
    closure: &'c Closure<'a>,
    file: usize,
    remap: Remap,
}

impl<'c, 'a> Rewrite<'c, 'a> {
    fn new(closure: &'c Closure<'a>, file: usize) -> Self {
        Rewrite {
            closure,
            file,
            remap: Remap::default(),
        }
    }

    fn has(&self, path: &[i32]) -> bool {
        self.closure.has(&(self.file, path.to_vec()))
    }

    fn mode(&self, path: &[i32]) -> Option<Mode> {
        self.closure.modes.get(&(self.file, path.to_vec())).copied()
    }

    /// The file's new bytes and imports.
    fn file(mut self, bytes: &[u8], deps: &[String]) -> (Vec<u8>, Vec<String>) {
        let Some(fields) = wire::fields(bytes) else {
            return (bytes.to_vec(), deps.to_vec());
        };
        let (new_deps, dep_map, rewrite_deps) = self.dependencies(deps);
        let mut parts: Vec<(u32, Option<Vec<u8>>)> = Vec::new();
        let mut counters: HashMap<u32, i32> = HashMap::new();
        let mut kept: HashMap<u32, i32> = HashMap::new();
        let mut weak = Vec::new();
        for f in &fields {
            let n = counters.entry(f.number).or_insert(0);
            let old = *n;
            *n += 1;
            let tag = tag(f);
            let path = vec![tag, old];
            let new = match tag {
                FILE_MESSAGE => self.has(&path).then(|| self.message(&path, f.payload)),
                FILE_ENUM => self.has(&path).then(|| self.enumeration(&path, f.payload)),
                FILE_SERVICE => self.has(&path).then(|| self.service(&path, f.payload)),
                FILE_EXTENSION => self.field(&path, f.payload, true, &[]),
                FILE_OPTIONS => match self.options(&[FILE_OPTIONS], f.payload, "FileOptions") {
                    Some(o) => Some(o),
                    None => {
                        parts.push((f.number, None));
                        continue;
                    }
                },
                FILE_DEPENDENCY | FILE_PUBLIC | FILE_WEAK if rewrite_deps => {
                    if tag == FILE_WEAK {
                        // Weak imports: a varint (or packed) index list.
                        weak.extend(varints(f));
                    }
                    continue;
                }
                _ => {
                    parts.push((f.number, Some(f.raw.to_vec())));
                    continue;
                }
            };
            match new {
                Some(payload) => {
                    let k = kept.entry(f.number).or_insert(0);
                    if *k != old {
                        self.remap.moved.insert(path, *k);
                    }
                    *k += 1;
                    let mut raw = Vec::new();
                    wire::put_bytes(&mut raw, f.number, &payload);
                    parts.push((f.number, Some(raw)));
                }
                None => {
                    self.remap.deleted.insert(path);
                }
            }
        }
        for tag in [FILE_MESSAGE, FILE_ENUM, FILE_SERVICE, FILE_EXTENSION] {
            let number = tag.unsigned_abs();
            if counters.contains_key(&number) && !kept.contains_key(&number) {
                self.remap.deleted.insert(vec![tag]);
            }
        }
        let mut out = Vec::new();
        let mut deps_written = !rewrite_deps;
        for (number, raw) in &parts {
            if !deps_written && *number > FILE_DEPENDENCY.unsigned_abs() {
                self.write_dependencies(&mut out, &new_deps, &dep_map, &weak);
                deps_written = true;
            }
            match raw {
                Some(raw) if *number == FILE_SOURCE_INFO && !self.remap.is_empty() => {
                    let payload = wire::fields(raw)
                        .and_then(|f| f.first().map(|f| f.payload))
                        .unwrap_or_default();
                    wire::put_bytes(&mut out, FILE_SOURCE_INFO, &self.source_info(payload));
                }
                Some(raw) => out.extend_from_slice(raw),
                None => {}
            }
        }
        if !deps_written {
            self.write_dependencies(&mut out, &new_deps, &dep_map, &weak);
        }
        let names = if rewrite_deps {
            new_deps
        } else {
            deps.to_vec()
        };
        (out, names)
    }

    /// The imports still needed (Buf's `remapDependencies`): the old ones
    /// needed, in order, then those needed through a public import, sorted.
    /// The map is old index → new index; false: unchanged.
    fn dependencies(&mut self, deps: &[String]) -> (Vec<String>, Vec<Option<usize>>, bool) {
        let index = self.closure.index;
        let files = index.files;
        let required: BTreeSet<&str> = self
            .closure
            .imports
            .get(&self.file)
            .into_iter()
            .flatten()
            .map(|&i| files[i].name.as_str())
            .collect();
        let public = !index.protos[self.file].public_dependency.is_empty();
        if !public
            && required.len() == deps.len()
            && deps.iter().all(|d| required.contains(d.as_str()))
        {
            return (deps.to_vec(), (0..deps.len()).map(Some).collect(), false);
        }
        let mut new = Vec::new();
        let mut map = Vec::new();
        let mut rest = required.clone();
        for (i, dep) in deps.iter().enumerate() {
            let path = vec![FILE_DEPENDENCY, i32::try_from(i).unwrap_or(0)];
            if rest.remove(dep.as_str()) {
                if new.len() != i {
                    self.remap
                        .moved
                        .insert(path, i32::try_from(new.len()).unwrap_or(0));
                }
                map.push(Some(new.len()));
                new.push(dep.clone());
            } else {
                map.push(None);
                self.remap.deleted.insert(path);
            }
        }
        new.extend(rest.into_iter().map(str::to_owned));
        self.remap.deleted.insert(vec![FILE_PUBLIC]);
        (new, map, true)
    }

    fn write_dependencies(
        &mut self,
        out: &mut Vec<u8>,
        deps: &[String],
        map: &[Option<usize>],
        weak: &[u64],
    ) {
        for dep in deps {
            wire::put_bytes(out, FILE_DEPENDENCY.unsigned_abs(), dep.as_bytes());
        }
        let mut kept = 0;
        for (i, &old) in weak.iter().enumerate() {
            let path = vec![FILE_WEAK, i32::try_from(i).unwrap_or(0)];
            match usize::try_from(old)
                .ok()
                .and_then(|o| map.get(o).copied().flatten())
            {
                Some(new) => {
                    if kept != i {
                        self.remap
                            .moved
                            .insert(path, i32::try_from(kept).unwrap_or(0));
                    }
                    kept += 1;
                    wire::put_varint(out, FILE_WEAK.unsigned_abs(), new as u64);
                }
                None => {
                    self.remap.deleted.insert(path);
                }
            }
        }
    }

    /// A kept message: an enclosing one loses its fields, oneofs, ranges
    /// and reserved names; else its fields of removed types go.
    fn message(&mut self, path: &[i32], bytes: &[u8]) -> Vec<u8> {
        let Some(fields) = wire::fields(bytes) else {
            return bytes.to_vec();
        };
        let enclosing = self.mode(path) == Some(Mode::Enclosing);
        let body = [
            MESSAGE_FIELD,
            MESSAGE_ONEOF,
            MESSAGE_EXTENSION_RANGE,
            MESSAGE_RESERVED_RANGE,
            MESSAGE_RESERVED_NAME,
        ];
        // Oneofs: old index → new index, None when it goes.
        let mut oneofs = Vec::new();
        let mut kept_oneofs = 0;
        let count = fields.iter().filter(|f| tag(f) == MESSAGE_ONEOF).count();
        for _ in 0..count {
            let p = child_path(path, MESSAGE_ONEOF, oneofs.len());
            if enclosing || self.mode(&p) == Some(Mode::Excluded) {
                oneofs.push(None);
            } else {
                oneofs.push(Some(kept_oneofs));
                kept_oneofs += 1;
            }
        }
        if enclosing && fields.iter().any(|f| body.contains(&tag(f))) {
            self.remap.no_comment.insert(path.to_vec());
            for list in body {
                let mut p = path.to_vec();
                p.push(list);
                self.remap.deleted.insert(p);
            }
        }
        let mut counters: HashMap<u32, i32> = HashMap::new();
        let mut kept: HashMap<u32, i32> = HashMap::new();
        let mut out = Vec::new();
        for f in &fields {
            let n = counters.entry(f.number).or_insert(0);
            let old = *n;
            *n += 1;
            let tag = tag(f);
            let mut p = path.to_vec();
            p.extend([tag, old]);
            let new = match tag {
                _ if enclosing && body.contains(&tag) => continue,
                MESSAGE_FIELD => self.field(&p, f.payload, false, &oneofs),
                MESSAGE_EXTENSION => self.field(&p, f.payload, true, &[]),
                MESSAGE_ONEOF => match oneofs.get(usize::try_from(old).unwrap_or(0)) {
                    Some(Some(_)) => {
                        Some(self.with_options(&p, f.payload, ONEOF_OPTIONS, "OneofOptions"))
                    }
                    _ => None,
                },
                MESSAGE_EXTENSION_RANGE => Some(self.with_options(
                    &p,
                    f.payload,
                    EXTENSION_RANGE_OPTIONS,
                    "ExtensionRangeOptions",
                )),
                MESSAGE_NESTED => self.has(&p).then(|| self.message(&p, f.payload)),
                MESSAGE_ENUM => self.has(&p).then(|| self.enumeration(&p, f.payload)),
                MESSAGE_OPTIONS => {
                    if let Some(o) = self.options(&p[..p.len() - 1], f.payload, "MessageOptions") {
                        wire::put_bytes(&mut out, f.number, &o);
                    }
                    continue;
                }
                _ => {
                    out.extend_from_slice(f.raw);
                    continue;
                }
            };
            match new {
                Some(payload) => {
                    let k = kept.entry(f.number).or_insert(0);
                    if *k != old {
                        self.remap.moved.insert(p, *k);
                    }
                    *k += 1;
                    wire::put_bytes(&mut out, f.number, &payload);
                }
                None => {
                    self.remap.deleted.insert(p);
                }
            }
        }
        for tag in [
            MESSAGE_FIELD,
            MESSAGE_EXTENSION,
            MESSAGE_ONEOF,
            MESSAGE_NESTED,
            MESSAGE_ENUM,
        ] {
            let number = tag.unsigned_abs();
            if counters.contains_key(&number) && !kept.contains_key(&number) {
                let mut p = path.to_vec();
                p.push(tag);
                self.remap.deleted.insert(p);
            }
        }
        out
    }

    /// A field (or extension, with `extension`), or `None` when it goes;
    /// `oneofs` renumbers its oneof.
    fn field(
        &mut self,
        path: &[i32],
        bytes: &[u8],
        extension: bool,
        oneofs: &[Option<usize>],
    ) -> Option<Vec<u8>> {
        if extension && !self.has(path) {
            return None;
        }
        let proto = prost_types::FieldDescriptorProto::decode(bytes).ok()?;
        if proto.type_name.is_some() {
            let key = self.closure.index.lookup(proto.type_name()).ok()?;
            if !self.closure.has(key) {
                return None;
            }
        }
        let mut out = Vec::new();
        for f in wire::fields(bytes)? {
            let tag = tag(&f);
            if tag == FIELD_OPTIONS {
                let mut p = path.to_vec();
                p.push(FIELD_OPTIONS);
                if let Some(o) = self.options(&p, f.payload, "FieldOptions") {
                    wire::put_bytes(&mut out, f.number, &o);
                }
            } else if f.number == FIELD_ONEOF_INDEX {
                let new = proto
                    .oneof_index
                    .and_then(|o| usize::try_from(o).ok())
                    .and_then(|o| oneofs.get(o).copied().flatten());
                match new {
                    Some(new) => wire::put_varint(&mut out, f.number, new as u64),
                    None => return None,
                }
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        Some(out)
    }

    fn enumeration(&mut self, path: &[i32], bytes: &[u8]) -> Vec<u8> {
        let Some(fields) = wire::fields(bytes) else {
            return bytes.to_vec();
        };
        let mut out = Vec::new();
        let mut values = 0;
        for f in fields {
            let tag = tag(&f);
            if tag == ENUM_VALUE {
                let p = child_path(path, ENUM_VALUE, values);
                values += 1;
                let v = self.with_options(&p, f.payload, ENUM_VALUE_OPTIONS, "EnumValueOptions");
                wire::put_bytes(&mut out, f.number, &v);
            } else if tag == ENUM_OPTIONS {
                let mut p = path.to_vec();
                p.push(ENUM_OPTIONS);
                if let Some(o) = self.options(&p, f.payload, "EnumOptions") {
                    wire::put_bytes(&mut out, f.number, &o);
                }
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        out
    }

    fn service(&mut self, path: &[i32], bytes: &[u8]) -> Vec<u8> {
        let Some(fields) = wire::fields(bytes) else {
            return bytes.to_vec();
        };
        let mut out = Vec::new();
        let (mut old, mut kept) = (0, 0);
        for f in fields {
            let tag = tag(&f);
            if tag == SERVICE_METHOD {
                let p = child_path(path, SERVICE_METHOD, old);
                old += 1;
                if !self.has(&p) {
                    self.remap.deleted.insert(p);
                    continue;
                }
                if kept != old - 1 {
                    self.remap
                        .moved
                        .insert(p.clone(), i32::try_from(kept).unwrap_or(0));
                }
                kept += 1;
                let m = self.with_options(&p, f.payload, METHOD_OPTIONS, "MethodOptions");
                wire::put_bytes(&mut out, f.number, &m);
            } else if tag == SERVICE_OPTIONS {
                let mut p = path.to_vec();
                p.push(SERVICE_OPTIONS);
                if let Some(o) = self.options(&p, f.payload, "ServiceOptions") {
                    wire::put_bytes(&mut out, f.number, &o);
                }
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        if old > 0 && kept == 0 {
            let mut p = path.to_vec();
            p.push(SERVICE_METHOD);
            self.remap.deleted.insert(p);
        }
        out
    }

    /// An element whose only edit is its options (field `tag`).
    fn with_options(&mut self, path: &[i32], bytes: &[u8], tag: i32, options: &str) -> Vec<u8> {
        let Some(fields) = wire::fields(bytes) else {
            return bytes.to_vec();
        };
        let mut out = Vec::new();
        for f in fields {
            if self::tag(&f) == tag {
                let mut p = path.to_vec();
                p.push(tag);
                if let Some(o) = self.options(&p, f.payload, options) {
                    wire::put_bytes(&mut out, f.number, &o);
                }
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        out
    }

    /// Options without the custom options whose definition is excluded;
    /// `None` (and the path gone) when nothing is left, as Buf drops empty
    /// options.
    fn options(&mut self, path: &[i32], bytes: &[u8], options: &str) -> Option<Vec<u8>> {
        let index = self.closure.index;
        let name = format!("google.protobuf.{options}");
        let fields = wire::fields(bytes).unwrap_or_default();
        let mut out = Vec::new();
        for f in &fields {
            let number = tag(f);
            let excluded = index
                .options
                .get(&(name.clone(), number))
                .is_some_and(|ext| self.closure.excluded(ext));
            if excluded {
                let mut p = path.to_vec();
                p.push(number);
                self.remap.deleted.insert(p);
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        if out.is_empty() {
            self.remap.deleted.insert(path.to_vec());
            return None;
        }
        Some(out)
    }

    fn source_info(&self, bytes: &[u8]) -> Vec<u8> {
        let Ok(mut info) = SourceCodeInfo::decode(bytes) else {
            return bytes.to_vec();
        };
        info.location = std::mem::take(&mut info.location)
            .into_iter()
            .filter_map(|mut location| {
                let new = self.remap.path(&location.path)?;
                if self.remap.no_comment.contains(&location.path) {
                    location.leading_comments = None;
                    location.trailing_comments = None;
                    location.leading_detached_comments.clear();
                }
                location.path = new;
                Some(location)
            })
            .collect();
        info.encode_to_vec()
    }
}

/// The varint values of a field (one, or packed).
fn varints(f: &wire::Field<'_>) -> Vec<u64> {
    let mut rest = if f.payload.is_empty() {
        // Not length-delimited: the value follows the key.
        let mut raw = f.raw;
        let _ = prost::encoding::decode_varint(&mut raw);
        raw
    } else {
        f.payload
    };
    let mut out = Vec::new();
    while !rest.is_empty() {
        match prost::encoding::decode_varint(&mut rest) {
            Ok(v) => out.push(v),
            Err(_) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests;
