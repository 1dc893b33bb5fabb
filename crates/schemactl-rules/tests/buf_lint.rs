//! Differential tests against the real `buf lint`: every case directory in
//! `tests/lint-cases/` is linted by both tools and the sets of
//! (path, rule, line, column) findings must be identical.
//!
//! A case is a directory with `.proto` files and optionally a `buf.yaml`
//! (v1 or v2); with none, both tools apply Buf's no-config defaults. Cases
//! are named `<rule or topic>__<what>`; a case whose name starts with
//! `beyond__` is skipped here (it documents an intended difference and is
//! tested on its own).
//!
//! `buf` comes from `SCHEMACTL_BUF` (scripts/test.sh installs it from npm) or
//! `PATH`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl_compile::compile_tree;
use schemactl_source::read_dir_tree;

type Finding = (String, String, u32, u32);

fn buf() -> Option<PathBuf> {
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

fn ours(dir: &Path) -> BTreeSet<Finding> {
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
    let image = compilation.image.expect("image");
    let findings = schemactl_rules::lint::lint(&image, &config).expect("rules selected");
    findings
        .into_iter()
        .map(|d| {
            (
                d.path.clone(),
                d.rule.clone(),
                d.start_line(),
                d.start_column(),
            )
        })
        .collect()
}

fn theirs(buf: &Path, dir: &Path) -> BTreeSet<Finding> {
    let out = Command::new(buf)
        .args(["lint", "--error-format", "json"])
        .current_dir(dir)
        .env(
            "BUF_CACHE_DIR",
            std::env::temp_dir().join("schemactl-buf-cache"),
        )
        .output()
        .expect("run buf");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() || out.status.code() == Some(100),
        "buf lint failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
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

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint-cases");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("cases")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("beyond__"))
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn identical_findings_to_buf_lint() {
    let Some(buf) = buf() else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_BUF").is_none(),
            "buf is required (SCHEMACTL_BUF)"
        );
        eprintln!("skipped: buf not installed");
        return;
    };
    let cases = cases();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    let mut total = 0;
    for case in &cases {
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
