use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use miette::Diagnostic as _;
use protox::file::{File, FileResolver, GoogleFileResolver};
use schemactl_config::{Config, display_path};
use schemactl_diagnostics::{Diagnostic, Location, SourceLookup};
use schemactl_source::Tree;

use crate::image::{Image, ImageFile};
use crate::limits::{self, LimitError};
use crate::text::Text;
use crate::{COMPILE, wkt};

/// The result of compiling a tree: the image when everything compiled, and
/// the compile diagnostics (sorted by path and position).
#[derive(Debug)]
pub struct Compilation {
    pub image: Option<Image>,
    pub diagnostics: Vec<Diagnostic>,
    /// The text of every input file by display path, for rendering snippets.
    pub sources: Sources,
}

impl Compilation {
    /// Narrow the input to some of its files and rename them: `rename`
    /// maps a file's display path to its new one, or to `None` to make it
    /// an import (rules skip it, imports still resolve). Buf does this when
    /// the input is one module of a workspace found above it: every module
    /// is built, only the input's are checked, and paths are printed as
    /// the input names them.
    pub fn retarget(&mut self, rename: impl Fn(&str) -> Option<String>) {
        if let Some(image) = &mut self.image {
            for f in &mut image.files {
                if f.is_import {
                    continue;
                }
                match rename(&f.display_path) {
                    Some(display) => f.display_path = display,
                    None => f.is_import = true,
                }
            }
        }
        for d in &mut self.diagnostics {
            if let Some(display) = rename(&d.path) {
                d.path = display;
            }
        }
        let renamed: Vec<(String, Text)> = self
            .sources
            .iter()
            .filter_map(|(path, text)| Some((rename(path)?, text.clone())))
            .collect();
        for (path, text) in renamed {
            self.sources.insert(path, text);
        }
    }
}

/// File texts keyed by display path.
#[derive(Debug, Default, Clone)]
pub struct Sources(HashMap<String, Text>);

impl Sources {
    pub fn insert(&mut self, display_path: String, text: Text) {
        self.0.insert(display_path, text);
    }

    /// Every file's display path and text, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Text)> {
        self.0.iter().map(|(path, text)| (path.as_str(), text))
    }
}

impl SourceLookup for Sources {
    fn source(&self, path: &str) -> Option<&str> {
        self.0.get(path).map(|s| &**s)
    }
}

/// A file found under one of the module roots.
pub(crate) struct SourceFile {
    /// Import path, relative to its root.
    pub(crate) name: String,
    /// Path relative to the input directory (root + name).
    pub(crate) input_path: String,
    pub(crate) display_path: String,
    pub(crate) text: Text,
}

/// Returned by the resolver for a file whose problem was already reported,
/// so files importing it do not repeat the error.
const ALREADY_REPORTED: &str = "\u{0}schemactl: already reported";

/// Compile every `.proto` file under the configured roots of `tree`.
/// `display_dir` is the input as the user wrote it; finding paths start with
/// it.
pub fn compile_tree(tree: &Tree, config: &Config, display_dir: &str) -> Compilation {
    let mut diagnostics = Vec::new();
    for rejected in &tree.rejected {
        diagnostics.push(
            Diagnostic::new(
                COMPILE,
                display_path(display_dir, &rejected.path),
                format!("`{}` was not read: {}", rejected.path, rejected.reason),
            )
            .with_help(rejected.hint.clone()),
        );
    }

    let (files, mut poisoned) = collect_files(tree, config, display_dir, &mut diagnostics);
    let mut sources = Sources::default();
    for f in files.values() {
        sources.insert(f.display_path.clone(), f.text.clone());
    }
    if diagnostics.is_empty() && poisoned.is_empty() {
        let inputs: Vec<(&str, &str)> = files
            .values()
            .map(|f| (f.name.as_str(), &*f.text))
            .collect();
        if let Some(linked) = crate::fast::try_link(&inputs) {
            let refused = crate::validate::compile_diagnostics(&linked.pool, &files, |name| {
                linked.infos.get(name).map(Vec::as_slice)
            });
            if !refused.is_empty() {
                return Compilation {
                    image: None,
                    diagnostics: refused,
                    sources,
                };
            }
            let mut infos = linked.infos;
            let meta = files
                .into_values()
                .map(|f| {
                    let file = ImageFile {
                        source_info: infos.remove(&f.name).map(Arc::from),
                        info_in_pool: false,
                        name: f.name.clone(),
                        input_path: f.input_path,
                        display_path: f.display_path,
                        is_import: false,
                        source: Some(f.text),
                    };
                    (f.name, file)
                })
                .collect();
            return Compilation {
                image: Some(Image::new(linked.pool, meta)),
                diagnostics,
                sources,
            };
        }
    }
    // Something is wrong (or unusual): compile file by file, which reports
    // every problem at its file and line.
    for file in files.values() {
        if !poisoned.contains(&file.name) && !check_import_text(file, &mut diagnostics) {
            poisoned.insert(file.name.clone());
        }
    }
    let to_parse: Vec<&SourceFile> = files
        .values()
        .filter(|f| !poisoned.contains(&f.name))
        .collect();
    let parsed = parse_all(&to_parse);

    let mut resolvable: HashMap<String, File> = HashMap::new();
    for (file, result) in to_parse.into_iter().zip(parsed) {
        match result {
            Ok(parsed) => {
                if let Err(e) = limits::check_names(parsed.file_descriptor_proto()) {
                    diagnostics.push(limit_diagnostic(
                        &e,
                        file.display_path.clone(),
                        &file.text,
                        Some(parsed.file_descriptor_proto()),
                    ));
                    poisoned.insert(file.name.clone());
                } else if check_imports(file, &parsed, &mut diagnostics) {
                    resolvable.insert(file.name.clone(), parsed);
                } else {
                    poisoned.insert(file.name.clone());
                }
            }
            Err(err) => {
                diagnostics.push(to_diagnostic(&err, &files));
                poisoned.insert(file.name.clone());
            }
        }
    }

    refuse_deep_imports(&files, &resolvable, &mut poisoned, &mut diagnostics);

    let resolver = Resolver {
        files: Mutex::new(resolvable),
        sources: files
            .values()
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect(),
        poisoned: poisoned.clone(),
        google: GoogleFileResolver::new(),
    };
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_imports(true).include_source_info(true);
    // Every file of an import cycle (and every file importing one) fails
    // with the same cycle: report each cycle once and skip its members.
    let mut cycles: HashSet<Vec<String>> = HashSet::new();
    let mut in_cycle: HashSet<String> = HashSet::new();
    for name in files.keys() {
        if poisoned.contains(name) || in_cycle.contains(name) {
            continue;
        }
        if let Err(err) = compiler.open_file(name) {
            if let Some(cycle) = cycle_members(&err) {
                in_cycle.extend(cycle.iter().cloned());
                if let Some(d) = cycle_diagnostic(&cycle, &files) {
                    if cycles.insert(cycle) {
                        diagnostics.push(d);
                    }
                    continue;
                }
            }
            if err.to_string() != ALREADY_REPORTED {
                diagnostics.push(to_diagnostic(&err, &files));
            }
        }
    }

    // Files protox accepted may still hold definitions protoc refuses.
    let pool = compiler.descriptor_pool();
    diagnostics.extend(crate::validate::compile_diagnostics(&pool, &files, |_| {
        None
    }));
    diagnostics.sort_by(|a, b| (&a.path, a.location).cmp(&(&b.path, b.location)));
    diagnostics.dedup();
    if !diagnostics.is_empty() {
        return Compilation {
            image: None,
            diagnostics,
            sources,
        };
    }

    let meta = files
        .into_values()
        .map(|f| {
            // The pool of this path keeps source info inside each file.
            let file = ImageFile {
                source_info: None,
                info_in_pool: false,
                name: f.name.clone(),
                input_path: f.input_path,
                display_path: f.display_path,
                is_import: false,
                source: Some(f.text),
            };
            (f.name, file)
        })
        .collect();
    Compilation {
        image: Some(Image::new(pool, meta)),
        diagnostics,
        sources,
    }
}

/// Files whose chain of imports is longer than [`limits::MAX_IMPORT_DEPTH`]
/// are refused before protox, which opens imports recursively: the file
/// where the chain crosses the limit is reported, and every file above it is
/// poisoned without a finding of its own.
fn refuse_deep_imports(
    files: &BTreeMap<String, SourceFile>,
    parsed: &HashMap<String, File>,
    poisoned: &mut HashSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let names: Vec<&str> = parsed.keys().map(String::as_str).collect();
    let index: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let deps = |i: usize| {
        parsed[names[i]]
            .file_descriptor_proto()
            .dependency
            .as_slice()
    };
    let depths = limits::import_depths(names.len(), deps, &index);
    for (i, &depth) in depths.iter().enumerate() {
        if depth <= limits::MAX_IMPORT_DEPTH {
            continue;
        }
        poisoned.insert(names[i].to_owned());
        if depth != limits::MAX_IMPORT_DEPTH + 1 {
            continue;
        }
        let Some(file) = files.get(names[i]) else {
            continue;
        };
        let proto = parsed[names[i]].file_descriptor_proto();
        // The import that continues the chain.
        let next = proto.dependency.iter().position(|d| {
            index
                .get(d.as_str())
                .is_some_and(|&j| depths[j] == limits::MAX_IMPORT_DEPTH)
        });
        let mut d = Diagnostic::new(
            COMPILE,
            file.display_path.clone(),
            format!(
                "the chain of imports starting here is deeper than {} files",
                limits::MAX_IMPORT_DEPTH
            ),
        )
        .with_help(
            "import fewer files through each other; a schema rarely needs more than a few levels",
        );
        if let Some(l) =
            next.and_then(|n| span_of(proto, &[3, i32::try_from(n).unwrap_or(i32::MAX)]))
        {
            d = d.with_location(l);
        }
        diagnostics.push(d);
    }
}

/// Gather the `.proto` files of every module root, keyed by import path.
/// Returns the files and the names that already have a reported problem.
pub(crate) fn collect_files(
    tree: &Tree,
    config: &Config,
    display_dir: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, SourceFile>, HashSet<String>) {
    let mut files: BTreeMap<String, SourceFile> = BTreeMap::new();
    let mut poisoned = HashSet::new();
    for (path, entry) in tree.proto_files() {
        let Some(module) = config
            .modules
            .iter()
            .find(|m| under(path, &m.path) && !m.excludes.iter().any(|ex| under(path, ex)))
        else {
            continue;
        };
        let name = if module.path == "." {
            path.to_owned()
        } else {
            path[module.path.len() + 1..].to_owned()
        };
        let display = display_path(display_dir, path);
        if let Some(existing) = files.get(&name) {
            diagnostics.push(
                Diagnostic::new(
                    COMPILE,
                    display.clone(),
                    format!(
                        "`{name}` exists in two roots: `{}` and `{display}`",
                        existing.display_path
                    ),
                )
                .with_help("an import path must name one file; rename or remove one of them"),
            );
            poisoned.insert(name);
            continue;
        }
        let Some(text) = Text::new(entry.content.clone()) else {
            diagnostics.push(
                Diagnostic::new(COMPILE, display.clone(), "file is not valid UTF-8")
                    .with_help("save the file as UTF-8"),
            );
            poisoned.insert(name);
            continue;
        };
        // protoc and buf skip a byte order mark; the parser does not.
        let text = match text.strip_prefix(limits::BOM) {
            Some(rest) => Text::from(rest),
            None => text,
        };
        if let Err(e) = limits::scan_text(&text) {
            // Kept in `files` (poisoned) so the finding shows its snippet.
            diagnostics.push(limit_diagnostic(&e, display.clone(), &text, None));
            poisoned.insert(name.clone());
        }
        files.insert(
            name.clone(),
            SourceFile {
                name,
                display_path: display,
                input_path: path.to_owned(),
                text,
            },
        );
    }
    (files, poisoned)
}

fn under(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// Parse every file, on all cores: parsing is independent per file, and it
/// is most of the work of compiling.
fn parse_all(list: &[&SourceFile]) -> Vec<Result<File, protox::Error>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(list.len().max(1));
    if threads <= 1 {
        return list
            .iter()
            .map(|f| File::from_source(&f.name, &f.text))
            .collect();
    }
    let chunk = list.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = list
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|f| File::from_source(&f.name, &f.text))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// What is wrong with an import path, if anything: imports are `/`-separated
/// paths relative to a root, in canonical form, so that one file has one
/// name and no import can reach outside the roots.
pub(crate) fn import_problem(import: &str) -> Option<(String, &'static str)> {
    const RELATIVE: &str =
        "imports are paths relative to a root, such as \"acme/common/v1/money.proto\"";
    if import.is_empty() {
        return Some(("import path is empty".to_owned(), RELATIVE));
    }
    if import.starts_with('/') || import.contains(':') {
        return Some((
            format!("import \"{}\" is an absolute path", import.escape_debug()),
            "imports are paths relative to a root, such as \"acme/common/v1/money.proto\"; absolute paths are not allowed",
        ));
    }
    if import.contains('\\') {
        return Some((
            format!("import \"{}\" uses `\\`", import.escape_debug()),
            "separate directories with `/`",
        ));
    }
    let parts: Vec<&str> = import.split('/').collect();
    if parts.contains(&"..") {
        return Some((
            format!(
                "import \"{}\" escapes the input root",
                import.escape_debug()
            ),
            "imports are paths relative to a root, such as \"acme/common/v1/money.proto\"; `..` is not allowed",
        ));
    }
    if parts.iter().any(|p| p.is_empty() || *p == ".") {
        let canonical: Vec<&str> = parts
            .into_iter()
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        return Some((
            format!(
                "import \"{}\" is not in canonical form; write \"{}\"",
                import.escape_debug(),
                canonical.join("/").escape_debug()
            ),
            "a file has one import path: no empty, `.` or trailing path segments",
        ));
    }
    None
}

fn import_diagnostic(
    file: &SourceFile,
    import: &str,
    location: Option<Location>,
) -> Option<Diagnostic> {
    let (message, help) = import_problem(import)?;
    let mut d = Diagnostic::new(COMPILE, file.display_path.clone(), message).with_help(help);
    if let Some(l) = location {
        d = d.with_location(l);
    }
    Some(d)
}

/// A limit exceeded by a file, at the offending text (a byte span) or
/// element (a source-info path of `proto`).
pub(crate) fn limit_diagnostic(
    e: &LimitError,
    path: String,
    text: &str,
    proto: Option<&prost_types::FileDescriptorProto>,
) -> Diagnostic {
    let location = match (e.span, &e.path) {
        (Some((start, end)), _) => Some(Location::from_byte_range(text, start, end)),
        (None, Some(p)) => proto.and_then(|proto| span_of(proto, p)),
        _ => None,
    };
    let mut d = Diagnostic::new(COMPILE, path, e.message.clone()).with_help(e.help.clone());
    if let Some(l) = location {
        d = d.with_location(l);
    }
    d
}

/// Find `import "..."` statements in the text, before parsing, so that an
/// import escaping the root gets this clear message rather than the parser's.
/// Returns whether the file's imports are acceptable.
fn check_import_text(file: &SourceFile, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let bad = bad_imports_in_text(&file.text);
    for (import, location) in &bad {
        diagnostics.extend(import_diagnostic(file, import, Some(*location)));
    }
    bad.is_empty()
}

/// `import "..."` statements of `text` whose path has a problem, with the
/// statement's location. The parser's own message for some of them (an
/// absolute path is "invalid group name") would mislead.
pub(crate) fn bad_imports_in_text(text: &str) -> Vec<(&str, Location)> {
    let mut bad = Vec::new();
    let mut offset = 0;
    let mut index: Option<schemactl_diagnostics::LineIndex> = None;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("import") {
            let rest = rest.trim_start();
            let rest = rest
                .strip_prefix("public")
                .or_else(|| rest.strip_prefix("weak"))
                .unwrap_or(rest)
                .trim_start();
            if let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
                if let Some(end) = rest[1..].find(quote) {
                    let import = &rest[1..=end];
                    if import_problem(import).is_some() {
                        let start = offset + (line.len() - trimmed.len());
                        let stmt_end = line
                            .find(';')
                            .map_or(offset + line.trim_end().len(), |i| offset + i + 1);
                        // Built at the first bad import: locating each one
                        // from the top of the file is quadratic.
                        let index = index
                            .get_or_insert_with(|| schemactl_diagnostics::LineIndex::new(text));
                        bad.push((import, index.location(text, start, stmt_end)));
                    }
                }
            }
        }
        offset += line.len();
    }
    bad
}

/// The same check on the parsed imports, which also catches imports split
/// over several lines.
fn check_imports(file: &SourceFile, parsed: &File, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let proto = parsed.file_descriptor_proto();
    let mut ok = true;
    for (i, import) in proto.dependency.iter().enumerate() {
        if import_problem(import).is_some() {
            ok = false;
            let location = span_of(proto, &[3, i32::try_from(i).unwrap_or(i32::MAX)]);
            diagnostics.extend(import_diagnostic(file, import, location));
        }
    }
    ok
}

pub(crate) fn span_of(proto: &prost_types::FileDescriptorProto, path: &[i32]) -> Option<Location> {
    proto
        .source_code_info
        .as_ref()?
        .location
        .iter()
        .find(|l| l.path == path)
        .and_then(|l| Location::from_span(&l.span))
}

struct Resolver {
    /// Parsed files, taken out as the compiler opens them (it opens each file
    /// once and keeps the result; after an error, such as an import cycle,
    /// it may ask again, and the file is parsed again from `sources`).
    files: Mutex<HashMap<String, File>>,
    sources: HashMap<String, Text>,
    poisoned: HashSet<String>,
    google: GoogleFileResolver,
}

impl FileResolver for Resolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        if self.poisoned.contains(name) {
            return Err(protox::Error::new(ALREADY_REPORTED));
        }
        let taken = self
            .files
            .lock()
            .map_or(None, |mut files| files.remove(name));
        if let Some(file) = taken {
            return Ok(file);
        }
        if let Some(text) = self.sources.get(name) {
            return File::from_source(name, text);
        }
        if let Some(text) = wkt::feature_source(name) {
            return File::from_source(name, text);
        }
        if wkt::is_well_known(name) {
            return self.google.open_file(name);
        }
        Err(protox::Error::file_not_found(name))
    }
}

/// Turn a protox error into a diagnostic at the right file and line.
fn to_diagnostic(err: &protox::Error, files: &BTreeMap<String, SourceFile>) -> Diagnostic {
    let name = err.file().unwrap_or_default();
    let file = files.get(name);
    let path = file.map_or_else(|| name.to_owned(), |f| f.display_path.clone());
    let mut message = err.to_string();
    let mut location = None;
    if let (Some(file), Some(labels)) = (file, err.labels()) {
        // Errors that involve two places ("first defined here" / "defined
        // again here") are reported at the offending one, like protoc.
        let labels: Vec<_> = labels.collect();
        let primary = labels
            .iter()
            .find(|l| matches!(l.label(), Some("found here" | "defined again here")))
            .or_else(|| labels.first());
        if let Some(label) = primary {
            let start = label.offset();
            location = Some(Location::from_byte_range(
                &file.text,
                start,
                start + label.len(),
            ));
        }
    }
    if location.is_none() {
        if let (Some(file), Some(cycle)) = (file, message.strip_prefix("import cycle detected: ")) {
            // The cycle closes at the first import in the chain; point at it.
            let next = cycle.split(" -> ").nth(1).unwrap_or_default();
            location = find_import(&file.text, next);
        }
    }
    if message.starts_with("import '") && message.ends_with("' not found") {
        message.push_str(" in any root");
    }
    let mut d = Diagnostic::new(COMPILE, path, message);
    if let Some(l) = location {
        d = d.with_location(l);
    }
    if let Some(help) = err.help() {
        d = d.with_help(help.to_string());
    } else if d.message.contains("not found") {
        d = d.with_help("check the import path against the roots in the configuration (`roots:` in schemactl.yaml, module `path` in buf.yaml)");
    }
    d
}

/// The files of the import cycle in a protox cycle error, from the stack
/// `x -> a -> b -> a` (`x` leads into the cycle `a -> b`), rotated to start
/// at the smallest name so every way into a cycle names it the same way.
fn cycle_members(err: &protox::Error) -> Option<Vec<String>> {
    let closing = err.file()?;
    let message = err.to_string();
    let stack = message.strip_prefix("import cycle detected: ")?;
    let names: Vec<&str> = stack.split(" -> ").collect();
    let first = names.iter().position(|n| *n == closing)?;
    let mut members: Vec<String> = names[first..names.len() - 1]
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let smallest = (0..members.len()).min_by_key(|i| &members[*i])?;
    members.rotate_left(smallest);
    Some(members)
}

/// One finding for a whole cycle, at its first file's import of the next
/// one, in Buf's words; a huge cycle is listed in part.
fn cycle_diagnostic(cycle: &[String], files: &BTreeMap<String, SourceFile>) -> Option<Diagnostic> {
    let file = files.get(cycle.first()?)?;
    let next = cycle.get(1).unwrap_or(&cycle[0]);
    let mut chain: Vec<String> = cycle.iter().map(|n| format!("\"{n}\"")).collect();
    chain.push(format!("\"{}\"", cycle[0]));
    let mut d = Diagnostic::new(
        COMPILE,
        file.display_path.clone(),
        format!(
            "cycle found in imports: {}",
            schemactl_diagnostics::bounded_list(&chain, " -> ")
        ),
    )
    .with_help(format!(
        "remove one import of the cycle ({} files), for example by moving the shared definitions into a file that imports none of them",
        cycle.len()
    ));
    if let Some(l) = find_import(&file.text, next) {
        d = d.with_location(l);
    }
    Some(d)
}

/// The location of `import "name";` in a file's text.
fn find_import(text: &str, name: &str) -> Option<Location> {
    for quote in ['"', '\''] {
        let needle = format!("{quote}{name}{quote}");
        if let Some(pos) = text.find(&needle) {
            let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
            let stmt = text[line_start..]
                .find("import")
                .map_or(pos, |i| line_start + i);
            let end = text[pos..]
                .find(';')
                .map_or(pos + needle.len(), |i| pos + i + 1);
            return Some(Location::from_byte_range(text, stmt, end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_root() {
        assert!(under("a/b.proto", "."));
        assert!(under("a/b.proto", "a"));
        assert!(!under("ab/b.proto", "a"));
    }
}
