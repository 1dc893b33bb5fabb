//! Differential tests against the real `buf breaking`: every case directory
//! in `tests/breaking-cases/` has a `previous/` and a `current/` tree (each a
//! Buf module with the same `buf.yaml`); both tools compare current against
//! previous and the sets of (path, rule, line, column) findings must be
//! identical. Cases named `beyond__*` document intended differences and are
//! tested on their own.
//!
//! `buf` comes from `SCHEMACTL_BUF` (scripts/test.sh installs it) or `PATH`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl_compile::{Image, compile_tree};
use schemactl_config::Config;
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

fn compile(dir: &Path) -> (Image, Config) {
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

pub fn ours(case: &Path) -> BTreeSet<Finding> {
    let (previous, _) = compile(&case.join("previous"));
    let (current, config) = compile(&case.join("current"));
    schemactl_rules::breaking::breaking(&previous, &current, &config)
        .expect("rules selected")
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

fn theirs(buf: &Path, case: &Path) -> BTreeSet<Finding> {
    let out = Command::new(buf)
        .args([
            "breaking",
            ".",
            "--against",
            "../previous",
            "--error-format",
            "json",
        ])
        .current_dir(case.join("current"))
        .env(
            "BUF_CACHE_DIR",
            std::env::temp_dir().join("schemactl-buf-cache"),
        )
        .output()
        .expect("run buf");
    assert!(
        out.status.success() || out.status.code() == Some(100),
        "buf breaking failed in {}: {}",
        case.display(),
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

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/breaking-cases");
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

#[test]
fn identical_findings_to_buf_breaking() {
    let Some(buf) = buf() else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_BUF").is_none(),
            "buf is required (SCHEMACTL_BUF)"
        );
        eprintln!("skipped: buf not installed");
        return;
    };
    let cases = cases();
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
