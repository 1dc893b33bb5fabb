//! What the case tests share: finding `buf`, compiling a case directory,
//! running schemactl on it, rendering and checking the recorded snapshots
//! (`expected.txt`, `expected.json`), reading Buf's JSON findings, and
//! comparing case by case.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl_compile::{Image, Sources, compile_tree};
use schemactl_config::Config;
use schemactl_diagnostics::render::render_to_string;
use schemactl_diagnostics::{Diagnostic, ErrorFormat, RenderOptions};
use schemactl_source::read_dir_tree;

/// (path, rule, start line, start column): what the differential tests
/// compare.
pub type Finding = (String, String, u32, u32);

/// The recorded expectation of a case, beside its inputs: the text rendering
/// and the JSON-lines rendering of schemactl's findings.
pub const SNAPSHOT_FILES: [(&str, ErrorFormat); 2] = [
    ("expected.txt", ErrorFormat::Text),
    ("expected.json", ErrorFormat::Json),
];

/// Set (to anything but empty or `0`) to rewrite the snapshots instead of
/// checking them.
pub const UPDATE_VAR: &str = "SCHEMACTL_UPDATE_SNAPSHOTS";

/// `buf` from `SCHEMACTL_BUF` (scripts/test.sh installs it) or `PATH`.
pub fn buf() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SCHEMACTL_BUF") {
        return Some(PathBuf::from(p));
    }
    Command::new("buf")
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from("buf"))
}

/// A case directory compiled with its own configuration.
pub struct Compiled {
    pub image: Image,
    pub config: Config,
    /// The texts the text renderer quotes, keyed by display path.
    pub sources: Sources,
}

/// Compile a directory with its own configuration; it must compile.
pub fn compile(dir: &Path) -> Compiled {
    let tree = read_dir_tree(dir).expect("read case");
    // The snapshots sit inside the lint cases' module roots: they must never
    // become an input, or recording them would change what is checked.
    let snapshots: Vec<&str> = tree
        .files()
        .map(|(path, _)| path)
        .filter(|path| SNAPSHOT_FILES.iter().any(|(name, _)| path.ends_with(name)))
        .collect();
    assert!(
        snapshots.is_empty(),
        "{}: snapshot files read as input: {snapshots:?}",
        dir.display()
    );
    let read = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
    let config = schemactl_config::discover(&read, ".").expect("config");
    let compilation = compile_tree(&tree, &config, ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "{}: does not compile: {:?}",
        dir.display(),
        compilation.diagnostics
    );
    Compiled {
        image: compilation.image.expect("image"),
        config,
        sources: compilation.sources,
    }
}

/// Compile a directory with its own configuration; it must compile.
pub fn compile_dir(dir: &Path) -> (Image, Config) {
    let compiled = compile(dir);
    (compiled.image, compiled.config)
}

/// schemactl's findings on one case, in the engine's order, with the texts
/// of the files they point into.
pub struct Report {
    pub findings: Vec<Diagnostic>,
    pub sources: Sources,
}

impl Report {
    /// The findings as the differential tests compare them.
    pub fn finding_set(&self) -> BTreeSet<Finding> {
        self.findings.iter().map(finding_of).collect()
    }
}

/// `schemactl lint` on a lint case (the case directory is the input).
pub fn lint_case(case: &Path) -> Report {
    let compiled = compile(case);
    let findings = schemactl_rules::lint::lint(&schemactl_rules::Subject {
        image: &compiled.image,
        config: &compiled.config,
        config_path: "schemactl.yaml",
    })
    .expect("rules selected");
    Report {
        findings,
        sources: compiled.sources,
    }
}

/// Breaking findings of `current` against `previous`, both with `config`.
pub fn breaking_with(
    previous: &Image,
    current: &Image,
    config: &Config,
) -> Result<Vec<Diagnostic>, schemactl_rules::SelectError> {
    let subject = |image| schemactl_rules::Subject {
        image,
        config,
        config_path: "schemactl.yaml",
    };
    schemactl_rules::breaking::breaking(&subject(previous), &subject(current))
}

/// `schemactl breaking` on a breaking case: `current/` against `previous/`,
/// with current's configuration and snippets from current, as the CLI does.
pub fn breaking_case(case: &Path) -> Report {
    let previous = compile(&case.join("previous"));
    let current = compile(&case.join("current"));
    let findings = schemactl_rules::breaking::breaking_with(
        &schemactl_rules::Subject {
            image: &previous.image,
            config: &current.config,
            config_path: "schemactl.yaml",
        },
        &schemactl_rules::Subject {
            image: &current.image,
            config: &current.config,
            config_path: "schemactl.yaml",
        },
        // As `schemactl breaking` and `buf breaking` by default.
        schemactl_rules::breaking::Imports::Compare,
    )
    .expect("rules selected");
    Report {
        findings,
        sources: current.sources,
    }
}

pub fn finding_of(d: &Diagnostic) -> Finding {
    (
        d.path.clone(),
        d.rule.clone(),
        d.start_line(),
        d.start_column(),
    )
}

/// The findings of Buf-shaped JSON lines (`buf --error-format json`, or a
/// recorded `expected.json`).
pub fn parse_json_findings(text: &str) -> BTreeSet<Finding> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("buf json");
            let n = |k: &str| u32::try_from(v[k].as_u64().unwrap_or(0)).unwrap_or(0);
            (
                v["path"].as_str().unwrap_or_default().to_owned(),
                v["type"].as_str().unwrap_or_default().to_owned(),
                n("start_line"),
                n("start_column"),
            )
        })
        .collect()
}

/// Run `buf ARGS --error-format json` in `dir` and read its findings.
pub fn run_buf(buf: &Path, dir: &Path, args: &[&str]) -> BTreeSet<Finding> {
    let out = Command::new(buf)
        .args(args)
        .args(["--error-format", "json"])
        .current_dir(dir)
        .env(
            "BUF_CACHE_DIR",
            std::env::temp_dir().join("schemactl-buf-cache"),
        )
        .output()
        .expect("run buf");
    assert!(
        out.status.success() || out.status.code() == Some(100),
        "buf {args:?} failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    parse_json_findings(&String::from_utf8_lossy(&out.stdout))
}

/// The prefix of the editions cases (issue #15): `editions-<rule or
/// topic>__<what>`, in the same directories and layout as the others.
pub const EDITIONS_PREFIX: &str = "editions-";

/// Every case directory under `tests/<dir>`, sorted, `beyond__*` and
/// `editions-*` included.
pub fn all_cases(dir: &str) -> Vec<PathBuf> {
    every_case_dir(dir)
}

/// The editions case directories under `tests/<dir>`, sorted.
pub fn editions_cases(dir: &str) -> Vec<PathBuf> {
    let mut cases = every_case_dir(dir);
    cases.retain(|p| case_name(p).starts_with(EDITIONS_PREFIX));
    cases
}

fn every_case_dir(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|d| d.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default();
    cases.retain(|p| p.is_dir());
    cases.sort();
    cases
}

/// The case directories under `tests/<dir>`, sorted; `beyond__*` cases
/// (intended differences, tested on their own) left out.
pub fn cases(dir: &str) -> Vec<PathBuf> {
    let mut cases = all_cases(dir);
    cases.retain(|p| !case_name(p).starts_with("beyond__"));
    cases
}

pub fn case_name(case: &Path) -> String {
    case.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Compare every case with both tools, and buf's findings with the case's
/// recorded `expected.json` (so a snapshot regenerated from a drifted
/// schemactl still fails here); fail listing every difference. Skips
/// (loudly) when buf is not installed, unless `SCHEMACTL_REQUIRE_BUF` is set.
pub fn compare_with_buf(
    cases: &[PathBuf],
    ours: impl Fn(&Path) -> BTreeSet<Finding>,
    theirs: impl Fn(&Path, &Path) -> BTreeSet<Finding>,
) {
    let Some(buf) = buf() else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_BUF").is_none(),
            "buf is required (SCHEMACTL_BUF)"
        );
        eprintln!("skipped: buf not installed");
        return;
    };
    assert!(!cases.is_empty(), "no cases");
    let mut failures = Vec::new();
    let mut total = 0;
    for case in cases {
        let name = case_name(case);
        let (a, b) = (ours(case), theirs(&buf, case));
        total += b.len();
        if a != b {
            let only_ours: Vec<_> = a.difference(&b).collect();
            let only_buf: Vec<_> = b.difference(&a).collect();
            failures.push(format!(
                "{name}:\n  only schemactl: {only_ours:?}\n  only buf: {only_buf:?}"
            ));
        }
        match std::fs::read_to_string(case.join("expected.json")) {
            Ok(text) => {
                let recorded = parse_json_findings(&text);
                if recorded != b {
                    let only_recorded: Vec<_> = recorded.difference(&b).collect();
                    let only_buf: Vec<_> = b.difference(&recorded).collect();
                    failures.push(format!(
                        "{name}/expected.json:\n  only recorded: {only_recorded:?}\n  only buf: {only_buf:?}"
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}/expected.json: cannot read: {e}")),
        }
    }
    eprintln!("{} cases, {total} buf findings compared", cases.len());
    assert!(
        failures.is_empty(),
        "{} differences with buf in {} cases:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Render a report as the CLI prints it on stdout when that is not a
/// terminal (no colour), once per snapshot file.
pub fn render(report: &Report) -> Vec<(&'static str, String)> {
    let options = RenderOptions::default();
    SNAPSHOT_FILES
        .iter()
        .map(|&(name, format)| {
            let text = render_to_string(format, &report.findings, &report.sources, &options);
            (name, text)
        })
        .collect()
}

/// Check every case's rendered findings against its recorded snapshot files,
/// or rewrite them when [`UPDATE_VAR`] is set; fail listing every case that
/// differs or has no snapshot, with a line diff of each file.
pub fn check_snapshots(kind: &str, cases: &[PathBuf], ours: impl Fn(&Path) -> Report) {
    let update = std::env::var(UPDATE_VAR).is_ok_and(|v| !v.is_empty() && v != "0");
    assert!(!cases.is_empty(), "no cases in {kind}");
    let mut failures = Vec::new();
    let mut written = 0;
    for case in cases {
        let name = format!("{kind}/{}", case_name(case));
        for (file, actual) in render(&ours(case)) {
            let path = case.join(file);
            let recorded = match std::fs::read_to_string(&path) {
                Ok(text) => Some(text),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => panic!("{}: {e}", path.display()),
            };
            if recorded.as_deref() == Some(actual.as_str()) {
                continue;
            }
            if update {
                std::fs::write(&path, &actual)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                written += 1;
                continue;
            }
            failures.push(match recorded {
                None => format!("{name}/{file}: missing"),
                Some(recorded) => format!(
                    "{name}/{file}: differs (- recorded, + schemactl now)\n{}",
                    line_diff(&recorded, &actual)
                ),
            });
        }
    }
    if update {
        eprintln!("{kind}: {written} snapshot files written");
    }
    assert!(
        failures.is_empty(),
        "{} snapshot files of {} cases do not match schemactl's output:\n\n{}\n\n\
         If the new output is intended, record it with\n  \
         {UPDATE_VAR}=1 cargo test -p schemactl-rules --test snapshots\n\
         and review the change to the snapshot files.",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// A line diff, `-` for `before` and `+` for `after`, with two lines of
/// context around each change and `...` for what is left out.
pub fn line_diff(before: &str, after: &str) -> String {
    const CONTEXT: usize = 2;
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    // Longest common subsequence of the suffixes a[i..] and b[j..]; the
    // files are small, so the quadratic table is fine.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let mut shown = vec![false; ops.len()];
    for (k, _) in ops.iter().enumerate().filter(|(_, (op, _))| *op != ' ') {
        let end = (k + CONTEXT + 1).min(ops.len());
        shown[k.saturating_sub(CONTEXT)..end].fill(true);
    }
    if !shown.contains(&true) {
        return "    (the same lines; only line endings or the final newline differ)".to_owned();
    }
    let mut out = String::new();
    let mut skipped = false;
    for ((op, line), shown) in ops.iter().zip(&shown) {
        if !shown {
            skipped = true;
            continue;
        }
        if skipped {
            out.push_str("    ...\n");
            skipped = false;
        }
        let _ = writeln!(out, "  {op} {line}");
    }
    if skipped {
        out.push_str("    ...\n");
    }
    out.trim_end().to_owned()
}
