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

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Finding, cases, compare_with_buf, compile_dir, finding_of, run_buf};

fn ours(dir: &Path) -> BTreeSet<Finding> {
    let (image, config) = compile_dir(dir);
    let findings = schemactl_rules::lint::lint(&image, &config).expect("rules selected");
    findings.iter().map(finding_of).collect()
}

#[test]
fn identical_findings_to_buf_lint() {
    compare_with_buf(&cases("lint-cases"), ours, |buf, case| {
        run_buf(buf, case, &["lint"])
    });
}
