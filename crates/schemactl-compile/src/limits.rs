//! Limits on what one input may ask of the compiler.
//!
//! The libraries under the compiler (protox's recursive-descent parser and
//! option interpreter, prost-reflect's name tables) cost stack in the nesting
//! depth of a file and memory in the length of its names times its elements.
//! A file from a pull request or an HTTP request is untrusted, so every file
//! passes these checks *before* it reaches them: the text is scanned once
//! (linear, no recursion) before parsing, and the parsed names are measured
//! before linking. Images (`.binpb`, base64 descriptors) get the same name
//! checks and the checks that keep prost-reflect from panicking.
//!
//! The numbers are documented in `docs/SECURITY.md`; each is far above what
//! real schemas use (the Google APIs corpus nests at most 9 deep and its
//! longest full name is under 150 bytes).

use prost_types::{DescriptorProto, EnumDescriptorProto, FileDescriptorProto};

/// The largest `.proto` file compiled, in bytes.
pub const MAX_FILE_BYTES: usize = 8 << 20;
/// The deepest nesting of `{`, `[`, `(` and `<` in a `.proto` file
/// (messages in messages, option aggregates, lists). protoc allows 32 levels
/// of nested messages and 100 of text-format aggregates.
pub const MAX_NESTING: usize = 64;
/// The longest package name, in bytes. Each element's full name repeats the
/// package, so this bounds memory per element.
pub const MAX_PACKAGE_BYTES: usize = 512;
/// The longest full name of any element (package, enclosing messages, name)
/// and the longest single identifier, in bytes.
pub const MAX_NAME_BYTES: usize = 1024;

/// The longest chain of imports (a file importing a file importing ...).
/// protox opens imports recursively, and prost-reflect follows public
/// imports recursively: a chain of 20,000 files overflowed the stack.
pub const MAX_IMPORT_DEPTH: usize = 256;

/// A limit a file exceeds, with the byte range of the offending text when it
/// is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LimitError {
    pub message: String,
    pub help: String,
    /// Byte range in the file's text, when the problem is in text.
    pub span: Option<(usize, usize)>,
    /// `SourceCodeInfo` path of the element, when found after parsing.
    pub path: Option<Vec<i32>>,
}

impl LimitError {
    /// The way out (split the file, shorten the name), when there is one.
    pub fn hint(&self) -> Option<String> {
        (!self.help.is_empty()).then(|| self.help.clone())
    }

    fn at_text(start: usize, end: usize, message: String, help: &str) -> Self {
        LimitError {
            message,
            help: help.to_owned(),
            span: Some((start, end)),
            path: None,
        }
    }

    fn at_path(path: Vec<i32>, message: String, help: &str) -> Self {
        LimitError {
            message,
            help: help.to_owned(),
            span: None,
            path: Some(path),
        }
    }
}

/// A leading UTF-8 byte order mark, which protoc and buf skip.
pub(crate) const BOM: &str = "\u{feff}";

/// One linear pass over a file's text: its size, bracket nesting and
/// identifier lengths. Strings and comments are skipped, so a `{` inside
/// them does not count.
pub fn scan_text(text: &str) -> Result<(), LimitError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(LimitError::at_text(
            0,
            0,
            format!(
                "file is {} bytes, more than the {} bytes schemactl compiles",
                text.len(),
                MAX_FILE_BYTES
            ),
            "split the file into several files",
        ));
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut ident_start = None;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || b == b'_' {
            let start = *ident_start.get_or_insert(i);
            if i + 1 - start > MAX_NAME_BYTES {
                return Err(LimitError::at_text(
                    start,
                    i + 1,
                    format!("identifier longer than {MAX_NAME_BYTES} bytes"),
                    "use a shorter name",
                ));
            }
            i += 1;
            continue;
        }
        ident_start = None;
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = memchr(bytes, i, b'\n').unwrap_or(bytes.len());
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = find(bytes, i + 2, b"*/").map_or(bytes.len(), |end| end + 2);
                continue;
            }
            b'"' | b'\'' => {
                i = string_end(bytes, i);
                continue;
            }
            b'{' | b'[' | b'(' | b'<' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(LimitError::at_text(
                        i,
                        i + 1,
                        format!("nesting deeper than {MAX_NESTING} levels"),
                        "flatten the definition: nest fewer messages or option values inside each other",
                    ));
                }
            }
            b'}' | b']' | b')' | b'>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The index after the string literal starting at `start` (its quote), or
/// the end of its line when it is not closed (the parser reports that).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' => return i,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn memchr(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == needle)
        .map(|p| from + p)
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The name limits on a parsed or decoded file: the package, and the full
/// name of every message, enum, field, value, service and method. The walk
/// is iterative, so a decoded descriptor nested arbitrarily deep costs no
/// stack.
pub fn check_names(file: &FileDescriptorProto) -> Result<(), LimitError> {
    let package = file.package();
    if package.len() > MAX_PACKAGE_BYTES {
        return Err(LimitError::at_path(
            vec![2],
            format!(
                "package name is {} bytes, more than {MAX_PACKAGE_BYTES}",
                package.len()
            ),
            "use a shorter package name, such as `acme.identity.v1`",
        ));
    }
    let too_long = |path: Vec<i32>, len: usize| {
        LimitError::at_path(
            path,
            format!("full name is {len} bytes, more than {MAX_NAME_BYTES}"),
            "use shorter names or nest fewer messages",
        )
    };
    let check = |prefix: usize, name: &str, path: &[i32]| {
        let len = prefix + 1 + name.len();
        if len > MAX_NAME_BYTES {
            Err(too_long(path.to_vec(), len))
        } else {
            Ok(len)
        }
    };
    let check_enum = |prefix: usize, e: &EnumDescriptorProto, path: &[i32]| {
        check(prefix, e.name(), path)?;
        for (i, v) in e.value.iter().enumerate() {
            // Enum values are scoped like their enum's siblings.
            check(prefix, v.name(), &[path, &[2, idx(i)]].concat())?;
        }
        Ok::<(), LimitError>(())
    };
    let mut stack: Vec<(&DescriptorProto, usize, Vec<i32>)> = Vec::new();
    for (i, m) in file.message_type.iter().enumerate() {
        stack.push((m, package.len(), vec![4, idx(i)]));
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        check_enum(package.len(), e, &[5, idx(i)])?;
    }
    for (i, f) in file.extension.iter().enumerate() {
        check(package.len(), f.name(), &[7, idx(i)])?;
    }
    for (i, s) in file.service.iter().enumerate() {
        let len = check(package.len(), s.name(), &[6, idx(i)])?;
        for (j, m) in s.method.iter().enumerate() {
            check(len, m.name(), &[6, idx(i), 2, idx(j)])?;
        }
    }
    while let Some((m, prefix, path)) = stack.pop() {
        let len = check(prefix, m.name(), &path)?;
        for (i, f) in m.field.iter().enumerate() {
            check(len, f.name(), &[&path[..], &[2, idx(i)]].concat())?;
        }
        for (i, f) in m.extension.iter().enumerate() {
            check(len, f.name(), &[&path[..], &[6, idx(i)]].concat())?;
        }
        for (i, o) in m.oneof_decl.iter().enumerate() {
            check(len, o.name(), &[&path[..], &[8, idx(i)]].concat())?;
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            check_enum(len, e, &[&path[..], &[4, idx(i)]].concat())?;
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            stack.push((n, len, [&path[..], &[3, idx(i)]].concat()));
        }
    }
    Ok(())
}

/// What a descriptor from outside (an image file, a base64 descriptor in a
/// request) must satisfy before it is handed to prost-reflect, which panics
/// on some malformed descriptors instead of returning an error: a known
/// syntax (an editions file: edition 2023 or 2024), and the name limits.
pub fn check_descriptor(file: &FileDescriptorProto) -> Result<(), LimitError> {
    match file.syntax.as_deref() {
        None | Some("" | "proto2" | "proto3") => {}
        Some("editions") => {
            // The editions schemactl (its prost-reflect fork's feature
            // defaults) knows; an editions file without one is malformed.
            let edition = file.edition.unwrap_or_default();
            if edition != prost_types::Edition::Edition2023 as i32
                && edition != prost_types::Edition::Edition2024 as i32
            {
                let name = prost_types::Edition::try_from(edition)
                    .map_or_else(|_| edition.to_string(), |e| e.as_str_name().to_owned());
                return Err(LimitError::at_path(
                    vec![14],
                    format!(
                        "`{}` is an editions file of edition {name}, which is not 2023 or 2024",
                        file.name()
                    ),
                    "the descriptor is malformed or from a newer protoc; produce it with `protoc` 33, `buf build` or `schemactl build`",
                ));
            }
        }
        Some(other) => {
            return Err(LimitError::at_path(
                vec![12],
                format!(
                    "`{}` declares syntax \"{}\", which is not \"proto2\" or \"proto3\"",
                    file.name(),
                    other.escape_debug()
                ),
                "the descriptor is malformed; produce it with `protoc`, `buf build` or `schemactl build`",
            ));
        }
    }
    check_names(file)
}

/// For each file (by index), how long the longest chain of imports starting
/// at it is, counting the file itself; imports outside `index` (well-known
/// types, missing files) count as leaves and an import back into the chain
/// (a cycle, reported elsewhere) is not followed. Iterative: no recursion
/// however deep the chain.
pub(crate) fn import_depths<'a>(
    len: usize,
    dependencies: impl Fn(usize) -> &'a [String],
    index: &std::collections::HashMap<&str, usize>,
) -> Vec<usize> {
    const NEW: usize = 0;
    const ACTIVE: usize = usize::MAX;
    let mut depth = vec![NEW; len];
    for start in 0..len {
        if depth[start] != NEW {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        depth[start] = ACTIVE;
        while let Some((file, next)) = stack.pop() {
            match dependencies(file).get(next) {
                Some(dep) => {
                    stack.push((file, next + 1));
                    if let Some(&d) = index.get(dep.as_str()) {
                        if depth[d] == NEW {
                            depth[d] = ACTIVE;
                            stack.push((d, 0));
                        }
                    }
                }
                None => {
                    let deepest = dependencies(file)
                        .iter()
                        .filter_map(|dep| index.get(dep.as_str()))
                        .map(|&d| depth[d])
                        .filter(|&d| d != ACTIVE)
                        .max()
                        .unwrap_or(0);
                    depth[file] = deepest + 1;
                }
            }
        }
    }
    depth
}

/// The set-level limits on descriptors from outside: the chain of imports
/// among them, which prost-reflect follows recursively for public imports.
pub fn check_descriptor_set(files: &[FileDescriptorProto]) -> Result<(), LimitError> {
    let index: std::collections::HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name(), i))
        .collect();
    let depths = import_depths(files.len(), |i| &files[i].dependency, &index);
    match depths.iter().position(|&d| d > MAX_IMPORT_DEPTH) {
        Some(i) => Err(LimitError::at_path(
            vec![3],
            format!(
                "the chain of imports starting at `{}` is deeper than {MAX_IMPORT_DEPTH} files",
                files[i].name()
            ),
            "import fewer files through each other",
        )),
        None => Ok(()),
    }
}

fn idx(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_outside_strings_and_comments() {
        let deep = format!("{}{}", "{".repeat(MAX_NESTING), "}".repeat(MAX_NESTING));
        assert!(scan_text(&deep).is_ok());
        let deeper = format!("message M {{{deep}}}");
        let err = scan_text(&deeper).expect_err("refused");
        assert_eq!(err.span, Some((10 + MAX_NESTING, 11 + MAX_NESTING)));
        let hidden = format!(
            "// {}\n/* {} */ \"{}\" '\\'{{'",
            "{".repeat(500),
            "[".repeat(500),
            "(".repeat(500)
        );
        assert!(scan_text(&hidden).is_ok());
    }

    #[test]
    fn long_identifiers_and_packages() {
        let ident = "a".repeat(MAX_NAME_BYTES + 1);
        assert!(scan_text(&format!("message {ident} {{}}")).is_err());
        let file = FileDescriptorProto {
            package: Some(vec!["a"; 400].join(".")),
            ..Default::default()
        };
        let err = check_names(&file).expect_err("refused");
        assert_eq!(err.path, Some(vec![2]));
    }

    #[test]
    fn import_depth_of_a_chain_and_a_cycle() {
        let deps: Vec<Vec<String>> = vec![
            vec!["b".into(), "google/protobuf/any.proto".into()],
            vec!["c".into()],
            vec!["a".into()],
            vec![],
        ];
        let names = ["a", "b", "c", "d"];
        let index = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        assert_eq!(import_depths(4, |i| &deps[i], &index), [3, 2, 1, 1]);
        let chain: Vec<Vec<String>> = (0..100_000).map(|i| vec![format!("f{}", i + 1)]).collect();
        let names: Vec<String> = (0..100_000).map(|i| format!("f{i}")).collect();
        let index = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        assert_eq!(import_depths(100_000, |i| &chain[i], &index)[0], 100_000);
    }

    #[test]
    fn editions_images_need_a_known_edition() {
        let file = |edition: Option<prost_types::Edition>| FileDescriptorProto {
            name: Some("a.proto".into()),
            syntax: Some("editions".into()),
            edition: edition.map(|e| e as i32),
            ..Default::default()
        };
        for edition in [
            prost_types::Edition::Edition2023,
            prost_types::Edition::Edition2024,
        ] {
            check_descriptor(&file(Some(edition))).expect("accepted");
        }
        for (edition, name) in [
            (None, "EDITION_UNKNOWN"),
            (Some(prost_types::Edition::Proto3), "EDITION_PROTO3"),
            (Some(prost_types::Edition::Unstable), "EDITION_UNSTABLE"),
        ] {
            let error = check_descriptor(&file(edition)).expect_err("refused");
            assert!(error.message.contains(name), "{}", error.message);
            assert_eq!(error.path, Some(vec![14]));
        }
    }

    #[test]
    fn unknown_syntax_is_refused() {
        let file = FileDescriptorProto {
            name: Some("a.proto".into()),
            syntax: Some("proto9".into()),
            ..Default::default()
        };
        assert!(
            check_descriptor(&file)
                .expect_err("refused")
                .message
                .contains("proto9")
        );
    }
}
