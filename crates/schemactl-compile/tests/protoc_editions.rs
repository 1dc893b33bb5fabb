//! The differential test against protoc 33.5 over editions files (#15).
//!
//! `tests/protoc-editions/good/<case>/` holds editions 2023 and 2024 files
//! (features at every level, delimited messages, LEGACY_REQUIRED, closed
//! enums, `export`/`local`, reserved identifiers, comments, proto2 and
//! proto3 files importing editions files and the reverse). Each case is
//! compiled by schemactl and by protoc (`--include_imports
//! --include_source_info --retain_options`), and the FileDescriptorSets must agree file by
//! file: the same bytes, or a readable field-by-field diff. The well-known
//! files are left out of the comparison (each compiler bundles its own).
//!
//! `tests/protoc-editions/bad/*.proto` are files protoc refuses, one
//! forbidden construct each; schemactl must refuse each in every compile
//! path, at protoc's line, with a message that shares protoc's gist (a
//! significant word), except where [`OWN_WORDING`] says why not.
//!
//! protoc comes from `SCHEMACTL_PROTOC_JAVA` (protoc 33.5 from Maven
//! Central; `scripts/test.sh` installs it); the test skips loudly when it
//! is unset, unless `SCHEMACTL_REQUIRE_PROTOC_JAVA` is set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use prost::Message as _;
use schemactl_compile::{Incremental, compile_text, compile_tree};
use schemactl_config::Config;
use schemactl_source::{FileEntry, Tree};

/// Bad cases whose schemactl message does not share protoc's words, and
/// why.
const OWN_WORDING: &[(&str, &str)] = &[
    (
        "export_2023",
        "protoc says only \"Expected top-level statement\"; schemactl names the modifier and the edition that allows it",
    ),
    (
        "json_default_conflict",
        "the linker's (prost-reflect's) message for two fields with one JSON name",
    ),
    (
        "json_custom_conflict",
        "the same, for two custom JSON names",
    ),
    (
        "edition_max",
        "protoc knows the name (an `Edition` value past 2024); schemactl calls every edition but 2023 and 2024 unknown",
    ),
];

fn protoc() -> Option<PathBuf> {
    match std::env::var("SCHEMACTL_PROTOC_JAVA") {
        Ok(path) if !path.is_empty() => Some(PathBuf::from(path)),
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_PROTOC_JAVA").is_none(),
                "SCHEMACTL_PROTOC_JAVA is not set and SCHEMACTL_REQUIRE_PROTOC_JAVA is: scripts/test.sh installs it"
            );
            eprintln!(
                "note: skipping: SCHEMACTL_PROTOC_JAVA is not set (scripts/test.sh installs it)"
            );
            None
        }
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/protoc-editions")
}

/// protobuf 33.5's `descriptor.proto` and friends, and the language feature
/// files schemactl bundles, for protoc's `-I`.
fn wkt_includes() -> [PathBuf; 2] {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../third_party");
    [root.join("prost-types/proto"), root.join("wkt-features")]
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The `.proto` files of a case directory: (name, text).
fn files_of(case: &Path) -> Vec<(String, String)> {
    sorted_entries(case)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "proto"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read case file");
            (name_of(&p), text)
        })
        .collect()
}

fn tree_of(files: &[(String, String)]) -> Tree {
    let mut tree = Tree::new("case");
    for (name, text) in files {
        tree.insert(name.clone(), FileEntry::new(text.clone().into_bytes()));
    }
    tree
}

/// Run protoc over `files` in `dir`; its set, or its stderr.
fn run_protoc(protoc: &Path, dir: &Path, files: &[String]) -> Result<Vec<u8>, String> {
    let out_dir = tempfile::tempdir().expect("tempdir");
    let out = out_dir.path().join("set.binpb");
    let run = Command::new(protoc)
        .arg("-I")
        .arg(dir)
        .args(wkt_includes().iter().flat_map(|d| [Path::new("-I"), d]))
        .arg("--include_imports")
        .arg("--include_source_info")
        // schemactl, like buf, keeps source-retention options (the
        // `enforce_naming_style` and `default_symbol_visibility` features
        // among them); protoc strips them from its output without this.
        .arg("--retain_options")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .args(files)
        .output()
        .expect("run protoc");
    if run.status.success() {
        Ok(std::fs::read(&out).expect("protoc's set"))
    } else {
        Err(String::from_utf8_lossy(&run.stderr).into_owned())
    }
}

/// The files of an encoded set by name, as encoded.
fn split(set: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let decoded = prost_types::FileDescriptorSet::decode(set).expect("set decodes");
    decoded
        .file
        .into_iter()
        .map(|f| (f.name().to_owned(), f.encode_to_vec()))
        .collect()
}

/// The raw bytes of each file as written in the set (prost re-encoding
/// would drop unknown fields such as extension features).
fn split_raw(mut set: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    while !set.is_empty() {
        let key = prost::encoding::decode_varint(&mut set).expect("key");
        assert_eq!(key, (1 << 3) | 2, "a FileDescriptorSet holds only files");
        let len = usize::try_from(prost::encoding::decode_varint(&mut set).expect("len"))
            .expect("length fits");
        let (file, rest) = set.split_at(len);
        let name = prost_types::FileDescriptorProto::decode(file)
            .expect("file decodes")
            .name()
            .to_owned();
        files.insert(name, file.to_vec());
        set = rest;
    }
    files
}

/// A file decoded, its source locations in path order: protox records
/// them sorted by path, protoc in the order of the text (for proto2 and
/// proto3 files too); the set of locations is what must agree.
fn normalized(bytes: &[u8]) -> prost_types::FileDescriptorProto {
    let mut file = prost_types::FileDescriptorProto::decode(bytes).expect("file decodes");
    if let Some(info) = &mut file.source_code_info {
        info.location
            .sort_by(|a, b| (&a.path, &a.span).cmp(&(&b.path, &b.span)));
    }
    file
}

/// A file decoded through `pool` (protoc's own set, so custom options and
/// extension features are known fields), without its source info: option
/// values compare by value, as protobuf merges them (protoc writes
/// `(o) = {...}` and `(o).f = ...` as two chunks, protox as one).
fn dynamic(pool: &prost_reflect::DescriptorPool, bytes: &[u8]) -> prost_reflect::DynamicMessage {
    let file = pool
        .get_message_by_name("google.protobuf.FileDescriptorProto")
        .expect("descriptor.proto in the pool");
    let mut message = prost_reflect::DynamicMessage::decode(file, bytes).expect("file decodes");
    message.clear_field_by_number(9);
    message
}

/// How two encodings of one file differ: `None` when they agree field for
/// field (source locations in any order, option values by value), else
/// the differing lines of their pretty-printed forms, with some context.
fn diff(pool: &prost_reflect::DescriptorPool, ours: &[u8], theirs: &[u8]) -> Option<String> {
    let (a, b) = (normalized(ours), normalized(theirs));
    let (da, db) = (dynamic(pool, ours), dynamic(pool, theirs));
    if a == b && da == db {
        return None;
    }
    if a == b {
        return Some(format!(
            "the descriptors differ in options or extension features:\n  schemactl| {da:?}\n  protoc   | {db:?}"
        ));
    }
    let (a, b) = (format!("{a:#?}"), format!("{b:#?}"));
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = first.saturating_sub(8);
    let mut out = String::new();
    for line in &a[from..(first + 4).min(a.len())] {
        out.push_str(&format!("  schemactl| {line}\n"));
    }
    for line in &b[from..(first + 4).min(b.len())] {
        out.push_str(&format!("  protoc   | {line}\n"));
    }
    Some(out)
}

/// What the compile paths other than the batch one say about a good case:
/// the file-by-file path (forced by an unrelated broken file beside it),
/// the incremental compiler and `compile_text` of each file.
fn other_paths_refuse(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut with_broken = tree_of(files);
    with_broken.insert(
        "zz_broken.proto",
        FileEntry::new(b"syntax = \"proto3\";\nmessage {\n".to_vec()),
    );
    let file_by_file = compile_tree(&with_broken, &Config::buf_default(), ".").diagnostics;
    if let Some(d) = file_by_file.iter().find(|d| !d.path.contains("zz_broken")) {
        problems.push(format!(
            "file-by-file path refuses: {}:{}: {}",
            d.path,
            d.start_line(),
            d.message
        ));
    }
    let incremental = Incremental::new().compile(&tree_of(files), &Config::buf_default(), ".");
    if incremental.files.is_none() {
        problems.push(format!(
            "incremental compile refuses: {:?}",
            incremental.diagnostics.first().map(|d| &d.message)
        ));
    }
    for (name, text) in files {
        let others = files.to_vec();
        let read = Arc::new(move |n: &str| {
            others
                .iter()
                .find(|(name, _)| name == n)
                .map(|(_, t)| t.clone())
        });
        if let Err(e) = compile_text(name, text, read) {
            problems.push(format!("compile_text refuses {name}: {e}"));
        }
    }
    problems
}

#[test]
fn editions_descriptors_match_protoc() {
    let Some(protoc) = protoc() else { return };
    let cases: Vec<Case> = sorted_entries(&corpus().join("good"))
        .into_iter()
        .filter(|p| p.is_dir())
        .map(|case| (name_of(&case), files_of(&case), case))
        .collect();
    assert!(cases.len() >= 5, "only {} cases", cases.len());
    compare_with_protoc(&protoc, &cases, true);
}

/// Every side of the Buf differential harness's editions cases
/// (`crates/schemactl-rules/tests/{lint,breaking}-cases/editions-*`, 2023
/// and 2024, proto2/proto3 mixes) compiles to protoc 33.5's descriptors.
#[test]
fn buf_editions_cases_match_protoc() {
    let Some(protoc) = protoc() else { return };
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemactl-rules/tests");
    let mut cases = Vec::new();
    for kind in ["lint-cases", "breaking-cases"] {
        for case in sorted_entries(&rules.join(kind)) {
            let name = name_of(&case);
            if !name.starts_with("editions-") {
                continue;
            }
            let sides = if kind == "lint-cases" {
                vec![case.clone()]
            } else {
                vec![case.join("previous"), case.join("current")]
            };
            for side in sides {
                let mut files = Vec::new();
                proto_files(&side, &side, &mut files);
                files.sort();
                cases.push((format!("{kind}/{name}/{}", name_of(&side)), files, side));
            }
        }
    }
    assert!(cases.len() >= 150, "only {} case sides", cases.len());
    compare_with_protoc(&protoc, &cases, false);
}

/// A case to compile: its name, its `.proto` files (name, text) and its
/// directory.
type Case = (String, Vec<(String, String)>, PathBuf);

/// The `.proto` files below `dir`, named relative to `root`.
fn proto_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for path in sorted_entries(dir) {
        if path.is_dir() {
            proto_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            let name = path
                .strip_prefix(root)
                .expect("below the root")
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).expect("read case file");
            out.push((name, text));
        }
    }
}

/// Compile each case (name, files, directory) with schemactl and protoc and
/// compare the descriptor sets file by file; `every_path` also compiles
/// each case on the other compile paths.
fn compare_with_protoc(protoc: &Path, cases: &[Case], every_path: bool) {
    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, files, dir) in cases {
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let theirs = match run_protoc(protoc, dir, &names) {
            Ok(set) => set,
            Err(stderr) => panic!("protoc refuses the good case {name}: {stderr}"),
        };
        let compiled = compile_tree(&tree_of(files), &Config::buf_default(), ".");
        let Some(image) = compiled.image.filter(|_| compiled.diagnostics.is_empty()) else {
            failures.push(format!(
                "{name}: schemactl refuses: {:?}",
                compiled
                    .diagnostics
                    .iter()
                    .map(|d| format!("{}:{}: {}", d.path, d.start_line(), d.message))
                    .collect::<Vec<_>>()
            ));
            continue;
        };
        if every_path {
            // Every other compile path accepts the case too.
            failures.extend(
                other_paths_refuse(files)
                    .into_iter()
                    .map(|p| format!("{name}: {p}")),
            );
        }
        let ours = image.encode(true, true);
        let (ours_raw, theirs_raw) = (split_raw(&ours), split_raw(&theirs));
        let pool = prost_reflect::DescriptorPool::decode(theirs.as_slice())
            .ok()
            .filter(|p| {
                p.get_message_by_name("google.protobuf.FileDescriptorProto")
                    .is_some()
            })
            .unwrap_or_else(prost_reflect::DescriptorPool::global);
        assert_eq!(split(&ours).len(), ours_raw.len());
        let all: std::collections::BTreeSet<&String> =
            ours_raw.keys().chain(theirs_raw.keys()).collect();
        for file in all {
            if file.starts_with("google/protobuf/") {
                continue;
            }
            compared += 1;
            match (ours_raw.get(file), theirs_raw.get(file)) {
                (Some(a), Some(b)) if a == b => {}
                (Some(a), Some(b)) => {
                    if let Some(d) = diff(&pool, a, b) {
                        failures.push(format!("{name}/{file}: differs:\n{d}"));
                    }
                }
                (Some(_), None) => failures.push(format!("{name}/{file}: only in schemactl's set")),
                (None, _) => failures.push(format!("{name}/{file}: only in protoc's set")),
            }
        }
    }
    assert!(compared >= cases.len());
    eprintln!(
        "{compared} files of {} cases identical to protoc's",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {compared} files differ from protoc's:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// protoc's first error: (line, message); line 0 when it names no line.
fn first_error(stderr: &str, file: &str) -> (u32, String) {
    let needle = format!("{file}:");
    let Some(rest) = stderr
        .lines()
        .filter(|l| !l.contains("warning:"))
        .find_map(|l| l.find(&needle).map(|i| &l[i + needle.len()..]))
    else {
        return (0, stderr.trim().to_owned());
    };
    let mut parts = rest.splitn(3, ':');
    match parts.next().unwrap_or_default().trim().parse::<u32>() {
        Ok(n) => (n, parts.nth(1).unwrap_or_default().trim().to_owned()),
        Err(_) => (0, rest.trim().to_owned()),
    }
}

/// The significant words of a message: lowercase, five letters or more.
fn words(message: &str) -> std::collections::BTreeSet<String> {
    message
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| w.len() >= 5)
        .map(str::to_ascii_lowercase)
        .filter(|w| !matches!(w.as_str(), "field" | "fields" | "editions" | "edition"))
        .collect()
}

#[test]
fn editions_refusals_match_protoc() {
    let Some(protoc) = protoc() else { return };
    let dir = corpus().join("bad");
    // A case is one file, or a directory of files whose last one (by name)
    // is the refused one.
    let cases: Vec<PathBuf> = sorted_entries(&dir)
        .into_iter()
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "proto"))
        .collect();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let mut rows = Vec::new();
    let mut failures = 0;
    for case in &cases {
        let stem = name_of(case).trim_end_matches(".proto").to_owned();
        let (case_dir, files) = if case.is_dir() {
            (case.clone(), files_of(case))
        } else {
            let text = std::fs::read_to_string(case).expect("read case");
            (dir.clone(), vec![(name_of(case), text)])
        };
        let (file, text) = files.last().cloned().expect("a case has files");
        let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
        let stderr = match run_protoc(&protoc, &case_dir, &names) {
            Ok(_) => panic!("protoc accepts the bad case {stem}"),
            Err(stderr) => stderr,
        };
        let (line, theirs) = first_error(&stderr, &file);

        let mut problems = Vec::new();
        let batch = compile_tree(&tree_of(&files), &Config::buf_default(), ".").diagnostics;
        let incremental = Incremental::new().compile(&tree_of(&files), &Config::buf_default(), ".");
        if incremental.files.is_some() {
            problems.push("incremental compile accepted".to_owned());
        }
        let others = files.clone();
        let read = Arc::new(move |n: &str| {
            others
                .iter()
                .find(|(name, _)| name == n)
                .map(|(_, t)| t.clone())
        });
        if compile_text(&file, &text, read).is_ok() {
            problems.push("compile_text accepted".to_owned());
        }
        let ours = batch.iter().find(|d| d.start_line() > 0 && d.path == file);
        match ours {
            None => problems.push(format!("batch compile: no located error ({batch:?})")),
            Some(d) => {
                if line > 0 && d.start_line() != line {
                    problems.push(format!(
                        "line {} instead of protoc's {line}",
                        d.start_line()
                    ));
                }
                let own = OWN_WORDING.iter().any(|(n, _)| *n == stem);
                if !own && words(&d.message).is_disjoint(&words(&theirs)) {
                    problems.push("the message shares no word with protoc's".to_owned());
                }
            }
        }
        if !problems.is_empty() {
            failures += 1;
        }
        rows.push(format!(
            "{:4} {stem:28} protoc {line}: {theirs}\n     schemactl {}: {}{}",
            if problems.is_empty() { "ok" } else { "FAIL" },
            ours.map_or(0, |d| d.start_line()),
            ours.map_or("", |d| d.message.as_str()),
            if problems.is_empty() {
                String::new()
            } else {
                format!("\n     problems: {}", problems.join("; "))
            }
        ));
    }
    eprintln!("{}", rows.join("\n"));
    assert_eq!(
        failures,
        0,
        "{failures} of {} bad cases fail:\n{}",
        cases.len(),
        rows.join("\n")
    );
}
