//! Differential tests against the real `buf lint`: every case directory in
//! `tests/lint-cases/` is linted by both tools and the sets of
//! (path, rule, line, column) findings must be identical.
//!
//! A case is a directory with `.proto` files and optionally a `buf.yaml`
//! (v1 or v2); with none, both tools apply Buf's no-config defaults. Cases
//! are named `<rule or topic>__<what>`; a case whose name starts with
//! `beyond__` is skipped here (it documents an intended difference and is
//! tested on its own). The `editions-*` cases (issue #15) run here like the
//! others; `buf_editions.rs` checks that they cover the issue.
//!
//! Each case also records schemactl's rendered output (`expected.txt`,
//! `expected.json`, checked by `snapshots.rs` with or without buf); here the
//! findings in `expected.json` must equal buf's too, so a snapshot
//! regenerated after schemactl drifted from Buf fails.
//!
//! `buf` comes from `SCHEMACTL_BUF` (scripts/test.sh installs it from npm) or
//! `PATH`.

mod common;

use common::{cases, compare_with_buf, lint_case, run_buf};

#[test]
fn identical_findings_to_buf_lint() {
    let ours = |case: &std::path::Path| lint_case(case).finding_set();
    compare_with_buf(&cases("lint-cases"), ours, |buf, case| {
        run_buf(buf, case, &["lint"])
    });
}
