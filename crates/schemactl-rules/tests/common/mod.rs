//! What the differential tests share: finding `buf`, compiling a case
//! directory, reading Buf's JSON findings, and comparing case by case.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl_compile::{Image, compile_tree};
use schemactl_config::Config;
use schemactl_diagnostics::Diagnostic;
use schemactl_source::read_dir_tree;

/// (path, rule, start line, start column): what the differential tests
/// compare.
pub type Finding = (String, String, u32, u32);

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

/// Compile a directory with its own configuration; it must compile.
pub fn compile_dir(dir: &Path) -> (Image, Config) {
    let tree = read_dir_tree(dir).expect("read case");
    let read = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
    let config = schemactl_config::discover(&read, ".").expect("config");
    let compilation = compile_tree(&tree, &config, ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "{}: does not compile: {:?}",
        dir.display(),
        compilation.diagnostics
    );
    (compilation.image.expect("image"), config)
}

pub fn finding_of(d: &Diagnostic) -> Finding {
    (
        d.path.clone(),
        d.rule.clone(),
        d.start_line(),
        d.start_column(),
    )
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
    String::from_utf8_lossy(&out.stdout)
        .lines()
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

/// The case directories under `tests/<dir>`, sorted; `beyond__*` cases
/// (intended differences, tested on their own) left out.
pub fn cases(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|d| d.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default();
    cases.retain(|p| {
        p.is_dir()
            && !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("beyond__"))
    });
    cases.sort();
    cases
}

/// Compare every case with both tools; fail listing every difference. Skips
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
        let (a, b) = (ours(case), theirs(&buf, case));
        total += b.len();
        if a != b {
            let only_ours: Vec<_> = a.difference(&b).collect();
            let only_buf: Vec<_> = b.difference(&a).collect();
            failures.push(format!(
                "{}:\n  only schemactl: {only_ours:?}\n  only buf: {only_buf:?}",
                case.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    eprintln!("{} cases, {total} buf findings compared", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
