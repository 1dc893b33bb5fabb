//! Plugin output: names checked, insertion points applied, files written
//! only when their bytes change, and files an earlier run generated but this
//! one did not removed (found through a manifest, so a file schemactl did
//! not write is never touched).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use prost_types::compiler::code_generator_response::File as ResponseFile;
use schemactl_config::GenerateConfig;
use schemactl_diagnostics::Diagnostic;

use crate::{CodegenError, Report};

/// The file in each output directory that lists what schemactl generated
/// there, one path a line.
pub const MANIFEST: &str = ".schemactl-generated";

const MANIFEST_HEADER: &str =
    "# Files written by `schemactl generate`; it removes those it no longer generates.\n";

/// Every generated file, by output directory and path inside it.
#[derive(Default)]
pub(crate) struct Outputs {
    /// Output directory → path inside it → (plugin index, content).
    dirs: BTreeMap<String, BTreeMap<String, (usize, String)>>,
}

impl Outputs {
    /// Every file generated inside `out` (in it or in an output directory
    /// nested in it), relative to `out`, sorted.
    pub fn under(&self, out: &str) -> Vec<String> {
        let mut names = Vec::new();
        for (dir, files) in &self.dirs {
            let prefix = if dir == out {
                Some(String::new())
            } else if out == "." {
                Some(format!("{dir}/"))
            } else {
                dir.strip_prefix(out)
                    .and_then(|rest| rest.strip_prefix('/'))
                    .map(|rest| format!("{rest}/"))
            };
            if let Some(prefix) = prefix {
                names.extend(files.keys().map(|name| format!("{prefix}{name}")));
            }
        }
        names.sort();
        names
    }

    /// The content of `name`, a path relative to `out` as [`Self::under`]
    /// lists it.
    pub fn content(&self, out: &str, name: &str) -> Option<&str> {
        self.dirs.iter().find_map(|(dir, files)| {
            let rest = if dir == out {
                Some(name)
            } else if out == "." {
                name.strip_prefix(dir.as_str())?.strip_prefix('/')
            } else {
                let inner = dir.strip_prefix(out)?.strip_prefix('/')?;
                name.strip_prefix(inner)?.strip_prefix('/')
            }?;
            files.get(rest).map(|(_, text)| text.as_str())
        })
    }

    /// Add one response's files; an error message for an invalid name, an
    /// insertion point that does not exist, or a file two plugins write.
    pub fn add(
        &mut self,
        plugin: usize,
        out: &str,
        plugin_name: &str,
        files: Vec<ResponseFile>,
    ) -> Result<(), String> {
        let dir = self.dirs.entry(out.to_owned()).or_default();
        let mut previous: Option<String> = None;
        for file in files {
            let content = file.content.unwrap_or_default();
            let name = match file.name.as_deref() {
                // An unnamed file continues the one before it.
                None | Some("") => match &previous {
                    Some(name) => {
                        if let Some((_, text)) = dir.get_mut(name) {
                            text.push_str(&content);
                        }
                        continue;
                    }
                    None => {
                        return Err(format!(
                            "`{plugin_name}` wrote a file without a name as its first file"
                        ));
                    }
                },
                Some(name) => checked_name(name).map_err(|why| {
                    format!("`{plugin_name}` wrote `{name}`, which {why}; nothing was written")
                })?,
            };
            match file.insertion_point.as_deref() {
                Some(point) if !point.is_empty() => {
                    let Some((_, text)) = dir.get_mut(&name) else {
                        return Err(format!(
                            "`{plugin_name}` inserts into `{name}` at `{point}`, but no plugin generated `{name}`"
                        ));
                    };
                    insert(text, point, &content).ok_or_else(|| {
                        format!(
                            "`{plugin_name}` inserts into `{name}` at `{point}`, but `{name}` has no `@@protoc_insertion_point({point})`"
                        )
                    })?;
                }
                _ => {
                    if let Some((other, _)) = dir.get(&name) {
                        let who = if *other == plugin {
                            format!("`{plugin_name}` writes it twice")
                        } else {
                            "two plugins write it".to_owned()
                        };
                        return Err(format!(
                            "`{}` is generated more than once: {who}",
                            join(out, &name)
                        ));
                    }
                    dir.insert(name.clone(), (plugin, content));
                }
            }
            previous = Some(name);
        }
        Ok(())
    }
}

/// A plugin's file name made safe to join to its output directory: relative,
/// without `..`, inside the directory.
fn checked_name(name: &str) -> Result<String, &'static str> {
    if name.starts_with('/') || name.contains('\\') || name.contains(':') {
        return Err("is an absolute path");
    }
    if name.contains('\0') {
        return Err("contains a NUL byte");
    }
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.contains(&"..") {
        return Err("leaves the output directory (`..`)");
    }
    if parts.is_empty() {
        return Err("names no file");
    }
    if parts == [MANIFEST] {
        return Err("is schemactl's own manifest");
    }
    Ok(parts.join("/"))
}

/// Insert `content` before the line holding the insertion point, indented
/// like that line (protoc's rule); `None` when there is no such point.
fn insert(text: &mut String, point: &str, content: &str) -> Option<()> {
    let marker = format!("@@protoc_insertion_point({point})");
    let at = text.find(&marker)?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent: String = text[line_start..at]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let mut inserted = String::with_capacity(content.len());
    for line in content.split_inclusive('\n') {
        if line != "\n" {
            inserted.push_str(&indent);
        }
        inserted.push_str(line);
    }
    text.insert_str(line_start, &inserted);
    Some(())
}

fn join(dir: &str, name: &str) -> String {
    if dir == "." {
        name.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

/// Write every output directory of the configuration.
pub(crate) fn write(
    root: &Path,
    config: &GenerateConfig,
    mut outputs: Outputs,
    report: &mut Report,
) -> Result<(), CodegenError> {
    // Every configured directory, so one whose plugins now generate nothing
    // still loses its stale files.
    for plugin in &config.plugins {
        outputs.dirs.entry(plugin.out.clone()).or_default();
    }
    for (out, files) in outputs.dirs {
        let dir = if out == "." {
            root.to_path_buf()
        } else {
            root.join(&out)
        };
        if config.clean && dir.exists() && out != "." {
            std::fs::remove_dir_all(&dir).map_err(|source| CodegenError::Write {
                path: dir.clone(),
                source,
            })?;
        }
        let before = read_manifest(&dir)?;
        if !files.is_empty() {
            std::fs::create_dir_all(&dir).map_err(|source| CodegenError::Write {
                path: dir.clone(),
                source,
            })?;
        }
        let inside = Inside::new(&dir);
        let (written, unchanged) = write_all(&dir, &inside, &files)?;
        report
            .written
            .extend(written.iter().map(|name| join(&out, name)));
        report
            .unchanged
            .extend(unchanged.iter().map(|name| join(&out, name)));
        for stale in before.iter().filter(|n| !files.contains_key(*n)) {
            let path = dir.join(stale);
            if path.parent().is_some_and(|p| !p.exists()) {
                continue;
            }
            inside.check(&path)?;
            match std::fs::remove_file(&path) {
                Ok(()) => report.removed.push(join(&out, stale)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(CodegenError::Write { path, source }),
            }
            remove_empty_parents(&dir, stale);
        }
        let manifest = dir.join(MANIFEST);
        if files.is_empty() {
            if !before.is_empty() || manifest.exists() {
                let _ = std::fs::remove_file(&manifest);
            }
            continue;
        }
        let mut text = MANIFEST_HEADER.to_owned();
        for name in files.keys() {
            text.push_str(name);
            text.push('\n');
        }
        if std::fs::read_to_string(&manifest).ok().as_deref() != Some(text.as_str()) {
            write_file(&manifest, text.as_bytes())?;
        }
    }
    report.written.sort();
    report.unchanged.sort();
    report.removed.sort();
    Ok(())
}

/// The names of an output directory's files written, and of those left as
/// they were.
type Written<'f> = (Vec<&'f str>, Vec<&'f str>);

/// Write the files of one output directory whose bytes changed; the names
/// written and the names left unchanged. The directories are made and
/// checked once each (a directory of Go code holds many files), then the
/// files are written by one thread per core.
fn write_all<'f>(
    dir: &Path,
    inside: &Inside,
    files: &'f BTreeMap<String, (usize, String)>,
) -> Result<Written<'f>, CodegenError> {
    let parents: BTreeSet<&str> = files
        .keys()
        .map(|name| name.rsplit_once('/').map_or("", |(parent, _)| parent))
        .collect();
    for parent in parents {
        let path = if parent.is_empty() {
            dir.to_path_buf()
        } else {
            dir.join(parent)
        };
        std::fs::create_dir_all(&path).map_err(|source| CodegenError::Write {
            path: path.clone(),
            source,
        })?;
        // `check` looks at the directory a file is in.
        inside.check(&path.join(MANIFEST))?;
    }
    let entries: Vec<(&'f str, &'f str)> = files
        .iter()
        .map(|(name, (_, content))| (name.as_str(), content.as_str()))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, entries.len().max(1));
    let results: Vec<Result<Written<'f>, CodegenError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let (mut written, mut unchanged) = (Vec::new(), Vec::new());
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&(name, content)) = entries.get(i) else {
                            break;
                        };
                        let path = dir.join(name);
                        if std::fs::read(&path).is_ok_and(|old| old == content.as_bytes()) {
                            unchanged.push(name);
                            continue;
                        }
                        write_file(&path, content.as_bytes())?;
                        written.push(name);
                    }
                    Ok((written, unchanged))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let (mut written, mut unchanged) = (Vec::new(), Vec::new());
    for result in results {
        let (w, u) = result?;
        written.extend(w);
        unchanged.extend(u);
    }
    Ok((written, unchanged))
}

/// `generate --check`: compare `outputs` with the files under `root`,
/// writing nothing. One finding per changed, missing or extra file, sorted
/// by path. Extra is a file in an `out` directory that is not generated and
/// that the manifest lists, that `clean` would delete, or that looks
/// generated (an untracked leftover); a user's own files and hidden files
/// are not. The manifest itself is not compared: `generate` rewrites it.
pub(crate) fn compare(
    root: &Path,
    config: &GenerateConfig,
    mut outputs: Outputs,
) -> Result<Vec<Diagnostic>, CodegenError> {
    for plugin in &config.plugins {
        outputs.dirs.entry(plugin.out.clone()).or_default();
    }
    let expected: BTreeMap<String, &str> = outputs
        .dirs
        .iter()
        .flat_map(|(out, files)| {
            files
                .iter()
                .map(|(name, (_, content))| (join(out, name), content.as_str()))
        })
        .collect();
    let hint = "run `schemactl generate` and commit the result";
    let mut findings = Vec::new();
    for (path, content) in &expected {
        let full = root.join(path);
        match std::fs::read(&full) {
            Ok(old) if old == content.as_bytes() => {}
            Ok(old) => {
                let old = String::from_utf8_lossy(&old);
                let diff = similar::TextDiff::from_lines(old.as_ref(), *content)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{path}"), &format!("b/{path}"))
                    .to_string();
                findings.push(
                    Diagnostic::new(
                        STALE,
                        path.clone(),
                        format!(
                            "`{path}` differs from what `schemactl generate` writes:\n{}",
                            diff.trim_end()
                        ),
                    )
                    .with_help(hint),
                );
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => findings.push(
                Diagnostic::new(
                    STALE,
                    path.clone(),
                    format!("`{path}` is missing; `schemactl generate` writes it"),
                )
                .with_help(hint),
            ),
            Err(source) => return Err(CodegenError::Read { path: full, source }),
        }
    }
    // What building an npm package in place writes (`tsc` into `dist/`,
    // `npm install` into `node_modules/`) is not generated code, though
    // it carries the generated files' headers.
    let builds: Vec<String> = config
        .packages
        .iter()
        .filter(|p| p.lang == schemactl_config::PackageLang::TypeScript)
        .flat_map(|p| ["dist", "node_modules"].map(|d| format!("{}/", join(&p.out, d))))
        .collect();
    let mut extra = BTreeSet::new();
    for out in outputs.dirs.keys() {
        let dir = if out == "." {
            root.to_path_buf()
        } else {
            root.join(out)
        };
        let listed = read_manifest(&dir)?;
        for name in files_under(&dir)? {
            let path = join(out, &name);
            if expected.contains_key(&path) || extra.contains(&path) {
                continue;
            }
            let why = if listed.contains(&name) {
                "an earlier `schemactl generate` wrote it and it is no longer generated"
            } else if config.clean && out != "." {
                "`clean` removes it and it is not generated"
            } else if !builds.iter().any(|b| path.starts_with(b.as_str()))
                && looks_generated(&dir.join(&name))
            {
                "it looks generated (`DO NOT EDIT` / `@generated`) and is not generated"
            } else {
                continue;
            };
            findings.push(
                Diagnostic::new(STALE, path.clone(), format!("`{path}` is extra: {why}"))
                    .with_help(format!("{hint}, or delete `{path}`")),
            );
            extra.insert(path);
        }
    }
    findings.sort();
    Ok(findings)
}

/// The rule of `generate --check` findings.
const STALE: &str = "GENERATE_STALE";

/// The files under `dir`, relative to it, skipping hidden entries (the
/// manifest, `.git`, temporary files) and not following symbolic links.
fn files_under(dir: &Path) -> Result<Vec<String>, CodegenError> {
    let mut found = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, rel)) = stack.pop() {
        let entries = match std::fs::read_dir(&path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(CodegenError::Read { path, source }),
        };
        for entry in entries {
            let entry = entry.map_err(|source| CodegenError::Read {
                path: path.clone(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push((entry.path(), rel)),
                Ok(t) if t.is_file() => found.push(rel),
                _ => {}
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Whether a file's first 4 KiB carry a generated-code marker: Go's
/// `Code generated ... DO NOT EDIT.`, protoc's `DO NOT EDIT!`, or the
/// `@generated` of prost, protoc-gen-es and others.
fn looks_generated(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    let read = std::fs::File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    head.contains("DO NOT EDIT") || head.contains("@generated")
}

/// The output directory as the file system resolves it, to check that no
/// symbolic link inside it leads a write or a removal elsewhere.
struct Inside {
    dir: std::path::PathBuf,
    resolved: Option<std::path::PathBuf>,
}

impl Inside {
    fn new(dir: &Path) -> Self {
        Inside {
            dir: dir.to_path_buf(),
            resolved: dir.canonicalize().ok(),
        }
    }

    /// `path`'s directory resolves inside the output directory.
    fn check(&self, path: &Path) -> Result<(), CodegenError> {
        let resolved = match (&self.resolved, path.parent()) {
            (Some(out), Some(parent)) => parent.canonicalize().ok().map(|p| p.starts_with(out)),
            _ => None,
        };
        if resolved == Some(false) {
            return Err(CodegenError::OutsideOutput {
                path: path.to_path_buf(),
                out: self.dir.clone(),
            });
        }
        Ok(())
    }
}

/// The paths an earlier run listed; lines that are not a safe relative path
/// (an edited manifest) are ignored rather than followed.
fn read_manifest(dir: &Path) -> Result<BTreeSet<String>, CodegenError> {
    let path = dir.join(MANIFEST);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeSet::new()),
        Err(source) => return Err(CodegenError::Read { path, source }),
    };
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| checked_name(l).ok())
        .collect())
}

/// Remove the directories a removed file leaves empty, up to (not
/// including) the output directory.
fn remove_empty_parents(dir: &Path, name: &str) {
    let mut parts: Vec<&str> = name.split('/').collect();
    parts.pop();
    while !parts.is_empty() {
        let path = dir.join(parts.join("/"));
        if std::fs::remove_dir(&path).is_err() {
            break;
        }
        parts.pop();
    }
}

/// Write through a temporary file and a rename, so a reader never sees a
/// half-written file.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CodegenError> {
    let fail = |source| CodegenError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_outside_the_output_directory_are_refused() {
        assert_eq!(checked_name("a/./b.go"), Ok("a/b.go".to_owned()));
        assert!(checked_name("../escape.go").is_err());
        assert!(checked_name("a/../../b").is_err());
        assert!(checked_name("/etc/passwd").is_err());
        assert!(checked_name("C:\\x").is_err());
        assert!(checked_name(MANIFEST).is_err());
    }

    /// `compare` against a directory: the same bytes are silent; a changed,
    /// a missing, a listed-stale and a generated-looking file are each one
    /// finding; a user's own file and the manifest are not; nothing is
    /// written.
    #[test]
    fn compare_reports_changed_missing_and_extra_files() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path();
        let mut outputs = Outputs::default();
        let out = outputs.dirs.entry("gen".to_owned()).or_default();
        out.insert("same.go".to_owned(), (0, "package a\n".to_owned()));
        out.insert("a/changed.go".to_owned(), (0, "x\ny\n".to_owned()));
        out.insert("missing.go".to_owned(), (0, "m\n".to_owned()));
        let files = [
            ("gen/same.go", "package a\n"),
            ("gen/a/changed.go", "x\nz\n"),
            ("gen/listed.go", "no marker\n"),
            ("gen/a/looks.go", "// Code generated by x. DO NOT EDIT.\n"),
            ("gen/own.go", "package a\n"),
            ("gen/.schemactl-generated", "# header\nlisted.go\nsame.go\n"),
        ];
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let config = GenerateConfig::default();
        let findings = compare(root, &config, outputs).expect("compare");
        let shown: Vec<(&str, &str)> = findings
            .iter()
            .map(|d| {
                assert_eq!(d.rule, STALE);
                (d.path.as_str(), d.message.as_str())
            })
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "gen/a/changed.go",
                    "`gen/a/changed.go` differs from what `schemactl generate` writes:\n\
                     --- a/gen/a/changed.go\n+++ b/gen/a/changed.go\n@@ -1,2 +1,2 @@\n x\n-z\n+y"
                ),
                (
                    "gen/a/looks.go",
                    "`gen/a/looks.go` is extra: it looks generated (`DO NOT EDIT` / `@generated`) and is not generated"
                ),
                (
                    "gen/listed.go",
                    "`gen/listed.go` is extra: an earlier `schemactl generate` wrote it and it is no longer generated"
                ),
                (
                    "gen/missing.go",
                    "`gen/missing.go` is missing; `schemactl generate` writes it"
                ),
            ]
        );
        assert_eq!(
            std::fs::read_to_string(root.join("gen/a/changed.go")).expect("kept"),
            "x\nz\n"
        );
        assert!(!root.join("gen/missing.go").exists());
    }

    /// Many files over nested directories, written by several threads:
    /// every file lands with its bytes, and a second run finds them all
    /// unchanged and rewrites none (their modification times stay).
    #[test]
    fn write_all_writes_changed_files_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("gen");
        std::fs::create_dir(&dir).expect("mkdir");
        let mut files = BTreeMap::new();
        for i in 0..200 {
            files.insert(
                format!("d{}/e{}/f{i}.go", i % 7, i % 3),
                (0, format!("package p{i}\n")),
            );
        }
        files.insert("top.go".to_owned(), (0, "package top\n".to_owned()));
        let inside = Inside::new(&dir);
        let (written, unchanged) = write_all(&dir, &inside, &files).expect("write");
        assert_eq!((written.len(), unchanged.len()), (201, 0));
        for (name, (_, content)) in &files {
            assert_eq!(
                &std::fs::read_to_string(dir.join(name)).expect("read"),
                content
            );
        }
        let mtime = |name: &str| {
            std::fs::metadata(dir.join(name))
                .and_then(|m| m.modified())
                .expect("mtime")
        };
        let before = mtime("d1/e1/f1.go");
        files.insert("top.go".to_owned(), (0, "package changed\n".to_owned()));
        let (written, unchanged) = write_all(&dir, &inside, &files).expect("write");
        assert_eq!(written, ["top.go"]);
        assert_eq!(unchanged.len(), 200);
        assert_eq!(mtime("d1/e1/f1.go"), before);
        assert_eq!(
            std::fs::read_to_string(dir.join("top.go")).expect("read"),
            "package changed\n"
        );
    }

    #[test]
    fn insertion_points_indent_like_their_line() {
        let mut text = "class A {\n  // @@protoc_insertion_point(body)\n}\n".to_owned();
        insert(&mut text, "body", "int x;\n\nint y;\n").expect("point exists");
        assert_eq!(
            text,
            "class A {\n  int x;\n\n  int y;\n  // @@protoc_insertion_point(body)\n}\n"
        );
        assert!(insert(&mut text, "missing", "x").is_none());
    }
}
