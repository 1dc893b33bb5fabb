//! Differential tests of PROTOVALIDATE against the real `buf lint`, with
//! the real `buf/validate/validate.proto`.
//!
//! Each directory in `tests/protovalidate-cases/` holds `.proto` files that
//! import `buf/validate/validate.proto`. The case is copied into a
//! temporary directory with protovalidate's `validate.proto` vendored at
//! `buf/validate/validate.proto` (Buf would take it from the BSR, which
//! tests cannot reach) and a `buf.yaml` that enables only PROTOVALIDATE and
//! ignores the vendored directory; then both tools lint it and every
//! finding must be identical: path, rule, line, column and message.
//!
//! `validate.proto` comes from `SCHEMACTL_PROTOVALIDATE_PROTO`, a directory
//! holding `buf/validate/validate.proto` (scripts/test.sh takes it from the
//! `build.buf:protovalidate` jar on Maven Central); `buf` from
//! `SCHEMACTL_BUF`. Without either the test is skipped, loudly, unless
//! `SCHEMACTL_REQUIRE_PROTOVALIDATE` or `SCHEMACTL_REQUIRE_BUF` is set.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{all_cases, buf, lint_case};

/// (path, rule, start line, start column, message).
type Finding = (String, String, u32, u32, String);

const BUF_YAML: &str = "version: v2\nlint:\n  use: [PROTOVALIDATE]\n  ignore: [buf]\n";

fn validate_proto() -> Option<PathBuf> {
    let dir = std::env::var_os("SCHEMACTL_PROTOVALIDATE_PROTO")?;
    let file = Path::new(&dir).join("buf/validate/validate.proto");
    file.is_file().then_some(file)
}

/// The case in a fresh directory, with `validate.proto` and `buf.yaml`.
fn prepare(case: &Path, validate: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_protos(case, dir.path());
    let vendored = dir.path().join("buf/validate");
    std::fs::create_dir_all(&vendored).expect("mkdir");
    std::fs::copy(validate, vendored.join("validate.proto")).expect("copy validate.proto");
    std::fs::write(dir.path().join("buf.yaml"), BUF_YAML).expect("write buf.yaml");
    dir
}

fn copy_protos(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read case") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_protos(&path, &target);
        } else if path.extension().is_some_and(|e| e == "proto") {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

fn ours(dir: &Path) -> BTreeSet<Finding> {
    lint_case(dir)
        .findings
        .iter()
        .map(|d| {
            (
                d.path.clone(),
                d.rule.clone(),
                d.start_line(),
                d.start_column(),
                d.message.clone(),
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
    assert!(
        out.status.success() || out.status.code() == Some(100),
        "buf lint failed in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("buf json");
            let n = |k: &str| u32::try_from(v[k].as_u64().unwrap_or(0)).unwrap_or(0);
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            (
                s("path"),
                s("type"),
                n("start_line"),
                n("start_column"),
                s("message"),
            )
        })
        .collect()
}

#[test]
fn identical_protovalidate_findings_to_buf_lint() {
    let required = std::env::var_os("SCHEMACTL_REQUIRE_PROTOVALIDATE").is_some()
        || std::env::var_os("SCHEMACTL_REQUIRE_BUF").is_some();
    let (Some(buf), Some(validate)) = (buf(), validate_proto()) else {
        assert!(
            !required,
            "buf (SCHEMACTL_BUF) and validate.proto (SCHEMACTL_PROTOVALIDATE_PROTO) are required"
        );
        eprintln!("skipped: buf or validate.proto (SCHEMACTL_PROTOVALIDATE_PROTO) not installed");
        return;
    };
    let cases = all_cases("protovalidate-cases");
    assert!(!cases.is_empty(), "no cases");
    let mut failures = Vec::new();
    let mut total = 0;
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let dir = prepare(case, &validate);
        let (a, b) = (ours(dir.path()), theirs(&buf, dir.path()));
        total += b.len();
        if b.is_empty() && !name.ends_with("clean") {
            failures.push(format!("{name}: buf finds nothing (name it *clean)"));
        }
        if a != b {
            let only_ours: Vec<_> = a.difference(&b).collect();
            let only_buf: Vec<_> = b.difference(&a).collect();
            failures.push(format!(
                "{name}:\n  only schemactl: {only_ours:#?}\n  only buf: {only_buf:#?}"
            ));
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
