//! The differential test against protoc over definitions it refuses.
//!
//! `tests/protoc-invalid/` holds one small directory per validation rule of
//! protoc's `DescriptorBuilder` (and of its parser where a descriptor could
//! carry the same mistake), named after the rule; `*_valid` cases are
//! controls that must compile. For every case the real `protoc` decides:
//! where it refuses, schemactl must refuse too, with a diagnostic located
//! at a line, in every compile path (the batch fast path, the file-by-file
//! path, the incremental compiler and `compile_text`); where it accepts,
//! schemactl must accept, except for the few listed in [`STRICTER`].
//!
//! Skips (loudly) when protoc is not installed, unless
//! `SCHEMACTL_REQUIRE_PROTOC` is set (scripts/test.sh installs it).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use schemactl_compile::{Incremental, compile_text, compile_tree};
use schemactl_config::Config;
use schemactl_diagnostics::Diagnostic;
use schemactl_source::{FileEntry, Tree};

/// Cases protoc 3.21 accepts that schemactl refuses on purpose, and why.
const STRICTER: &[(&str, &str)] = &[
    (
        "extend_dup_number_two_files",
        "protoc only warns when two files use one extension number; the two cannot be loaded together (Buf refuses too)",
    ),
    (
        "extend_dup_option_two_files",
        "the same, for two custom options with one number",
    ),
    (
        "reserved_range_reversed",
        "protoc 3.21 lets a reversed message reserved range through (it refuses reversed extension and enum ranges); Buf refuses",
    ),
    (
        "reserved_number_too_large",
        "protox refuses reserved numbers above 536870911, which can never be field numbers",
    ),
    (
        "custom_json_name_conflict",
        "prost-reflect refuses two fields with one JSON name; newer protoc versions do too",
    ),
    ("custom_json_name_conflict_proto2", "the same, in proto2"),
    (
        "custom_json_name_vs_default",
        "the same, a custom JSON name against another field's default one",
    ),
    (
        "proto2_json_conflict_valid",
        "the same, two default JSON names in proto2",
    ),
    (
        "proto3_json_name_vs_field_name",
        "the same, a custom JSON name against another field's default one in proto3",
    ),
    (
        "reserved_name_not_identifier",
        "protox refuses a reserved name that is not an identifier (protoc 3.21 lets it through; newer protoc refuses it)",
    ),
    (
        "message_set_large_range_valid",
        "a known false refusal: protox limits extension ranges to 536870911 even for a MessageSet, which may go to 2147483646",
    ),
];

fn protoc_installed() -> bool {
    Command::new("protoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/protoc-invalid");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/protoc-invalid")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The `.proto` files of a case: (name, text), sorted by name.
fn files_of(case: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(case)
        .expect("case dir")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path()).ok()?;
            name.ends_with(".proto").then_some((name, text))
        })
        .collect();
    files.sort();
    files
}

fn tree_of(files: &[(String, String)]) -> Tree {
    let mut tree = Tree::new("case");
    for (name, text) in files {
        tree.insert(name.clone(), FileEntry::new(text.clone().into_bytes()));
    }
    tree
}

/// protoc's verdict and its first lines of output.
fn protoc(case: &Path, files: &[(String, String)]) -> (bool, String) {
    let out = Command::new("protoc")
        .arg("-I")
        .arg(case)
        .arg("--descriptor_set_out=/dev/null")
        .args(files.iter().map(|(n, _)| n))
        .output()
        .expect("run protoc");
    let stderr = String::from_utf8_lossy(&out.stderr);
    (
        out.status.success(),
        stderr.lines().next().unwrap_or_default().to_owned(),
    )
}

fn located(diagnostics: &[Diagnostic]) -> bool {
    !diagnostics.is_empty() && diagnostics.iter().any(|d| d.start_line() > 0)
}

fn first(diagnostics: &[Diagnostic]) -> String {
    diagnostics.first().map_or_else(String::new, |d| {
        format!("{}:{}: {}", d.path, d.start_line(), d.message)
    })
}

/// What schemactl said about one case, path by path.
struct Ours {
    /// Batch compile (the fast path when protox links it).
    batch: Vec<Diagnostic>,
    /// The same files with an unrelated broken file beside them, which
    /// sends the compile down the file-by-file path: the case's own
    /// findings, without the broken file's.
    file_by_file: Vec<Diagnostic>,
    /// `Incremental::compile`: accepted, or its diagnostics.
    incremental: Result<(), Vec<Diagnostic>>,
    /// `compile_text` of the case's last file (the others importable).
    text: Result<(), String>,
}

fn ours(files: &[(String, String)]) -> Ours {
    let config = Config::buf_default();
    let tree = tree_of(files);
    let batch = compile_tree(&tree, &config, ".").diagnostics;

    let mut with_broken = tree_of(files);
    with_broken.insert(
        "zz_broken.proto",
        FileEntry::new(b"syntax = \"proto3\";\nmessage {\n".to_vec()),
    );
    let file_by_file = compile_tree(&with_broken, &config, ".")
        .diagnostics
        .into_iter()
        .filter(|d| !d.path.contains("zz_broken"))
        .collect();

    let compiled = Incremental::new().compile(&tree, &config, ".");
    let incremental = match compiled.files {
        Some(_) => Ok(()),
        None => Err(compiled.diagnostics),
    };

    let (name, text) = files.last().expect("a case has files");
    let others: Vec<(String, String)> = files.to_vec();
    let read = Arc::new(move |n: &str| {
        others
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, t)| t.clone())
    });
    let text = compile_text(name, text, read)
        .map(|_| ())
        .map_err(|e| e.to_string());
    Ours {
        batch,
        file_by_file,
        incremental,
        text,
    }
}

#[test]
fn schemactl_refuses_what_protoc_refuses() {
    if !protoc_installed() {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_PROTOC").is_none(),
            "protoc is required (apt-get install protobuf-compiler; scripts/test.sh installs it)"
        );
        eprintln!("skipped: protoc not installed");
        return;
    }
    let cases = cases();
    assert!(cases.len() > 100, "only {} cases", cases.len());
    let mut rows = Vec::new();
    let mut failures = 0;
    let (mut refused, mut accepted) = (0, 0);
    for case in &cases {
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let files = files_of(case);
        let (protoc_ok, protoc_says) = protoc(case, &files);
        let ours = ours(&files);
        let stricter = STRICTER.iter().any(|(n, _)| *n == name);
        let must_refuse = !protoc_ok || stricter;
        if must_refuse {
            refused += 1;
        } else {
            accepted += 1;
        }
        let mut problems = Vec::new();
        if must_refuse {
            if !located(&ours.batch) {
                problems.push("batch compile: no located error".to_owned());
            }
            if !located(&ours.file_by_file) {
                problems.push("file-by-file compile: no located error".to_owned());
            }
            if !ours.incremental.as_ref().is_err_and(|d| located(d)) {
                problems.push("incremental compile: no located error".to_owned());
            }
        } else {
            if !ours.batch.is_empty() {
                problems.push(format!("batch compile refused: {}", first(&ours.batch)));
            }
            if !ours.file_by_file.is_empty() {
                problems.push(format!(
                    "file-by-file compile refused: {}",
                    first(&ours.file_by_file)
                ));
            }
            if let Err(d) = &ours.incremental {
                problems.push(format!("incremental compile refused: {}", first(d)));
            }
            if let Err(e) = &ours.text {
                problems.push(format!("compile_text refused: {e}"));
            }
        }
        // compile_text sees the last file and what it imports: it must
        // refuse when the finding is in that file.
        if must_refuse && files.len() == 1 && ours.text.is_ok() {
            problems.push("compile_text accepted".to_owned());
        }
        let verdict = if problems.is_empty() { "ok" } else { "FAIL" };
        if !problems.is_empty() {
            failures += 1;
        }
        rows.push(format!(
            "{verdict:4} {name:42} protoc={:6} schemactl={:6} {}\n       protoc: {protoc_says}\n       schemactl: {}{}",
            if protoc_ok { "ok" } else { "refuse" },
            if ours.batch.is_empty() { "ok" } else { "refuse" },
            if stricter { "(stricter on purpose)" } else { "" },
            first(&ours.batch),
            problems
                .iter()
                .map(|p| format!("\n       problem: {p}"))
                .collect::<String>(),
        ));
    }
    assert!(
        failures == 0,
        "{failures} of {} cases differ from protoc:\n{}",
        cases.len(),
        rows.join("\n")
    );
    eprintln!(
        "{} cases agree with protoc ({refused} refused, {accepted} accepted)",
        cases.len()
    );
}

/// Thousands of findings in one file: each is located by one lookup, so the
/// compile stays linear (a scan of the file's locations per finding took
/// minutes here).
#[test]
fn many_findings_in_one_file_are_each_reported_once() {
    const PAIRS: usize = 10_000;
    let mut text = String::from("syntax = \"proto3\";\nenum Foo {\n  FOO_UNSPECIFIED = 0;\n");
    for i in 0..PAIRS {
        // `FOO_V1` and `V1` are both `V1` once the prefix is stripped.
        text.push_str(&format!(
            "  FOO_V{i} = {};\n  V{i} = {};\n",
            2 * i + 1,
            2 * i + 2
        ));
    }
    text.push_str("}\n");
    let files = vec![("a.proto".to_owned(), text)];
    let started = std::time::Instant::now();
    let diagnostics = compile_tree(&tree_of(&files), &Config::buf_default(), ".").diagnostics;
    eprintln!("{} findings in {:?}", diagnostics.len(), started.elapsed());
    assert_eq!(diagnostics.len(), PAIRS);
    assert!(diagnostics.iter().all(|d| d.start_line() > 2));
    // Each is reported at the second name of its pair, on its own line.
    let lines: std::collections::BTreeSet<u32> =
        diagnostics.iter().map(Diagnostic::start_line).collect();
    assert_eq!(lines.len(), PAIRS);
}

/// A tree large enough to be checked on several threads: every finding is
/// still reported, once, at its file and line.
#[test]
fn findings_in_a_large_tree_are_all_reported() {
    let files: Vec<(String, String)> = (0..600)
        .map(|i| {
            let body = if i % 50 == 7 {
                "  reserved \"x\";\n  int32 x = 1;\n"
            } else {
                "  int32 x = 1;\n"
            };
            (
                format!("f{i:03}.proto"),
                format!("syntax = \"proto3\";\npackage p{i};\nmessage M {{\n{body}}}\n"),
            )
        })
        .collect();
    let diagnostics = compile_tree(&tree_of(&files), &Config::buf_default(), ".").diagnostics;
    let found: Vec<(String, u32)> = diagnostics
        .iter()
        .map(|d| (d.path.clone(), d.start_line()))
        .collect();
    let expected: Vec<(String, u32)> = (0..600)
        .filter(|i| i % 50 == 7)
        .map(|i| (format!("f{i:03}.proto"), 5))
        .collect();
    assert_eq!(found, expected);
}

/// The incremental compiler links only what changed: an extension number
/// taken by a file linked in an earlier tree, which the new file does not
/// import, is still refused.
#[test]
fn incremental_refuses_an_extension_number_taken_in_an_earlier_tree() {
    let a = (
        "a.proto".to_owned(),
        "syntax = \"proto2\";\nmessage A { extensions 10 to 20; }\n".to_owned(),
    );
    let b = (
        "b.proto".to_owned(),
        "syntax = \"proto2\";\nimport \"a.proto\";\nextend A { optional int32 x = 10; }\n"
            .to_owned(),
    );
    let c = (
        "c.proto".to_owned(),
        "syntax = \"proto2\";\nimport \"a.proto\";\nextend A { optional int32 y = 10; }\n"
            .to_owned(),
    );
    let config = Config::buf_default();
    let mut inc = Incremental::new();
    let first = inc.compile(&tree_of(&[a.clone(), b.clone()]), &config, ".");
    assert!(first.files.is_some(), "{:?}", first.diagnostics);
    let second = inc.compile(&tree_of(&[a, b, c]), &config, ".");
    let diagnostics = second.diagnostics;
    assert!(
        diagnostics.iter().any(|d| d.path == "c.proto"
            && d.start_line() == 3
            && d.message.contains("Extension number 10")),
        "{diagnostics:?}"
    );
}
