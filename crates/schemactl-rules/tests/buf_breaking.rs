//! Differential tests against the real `buf breaking`: every case directory
//! in `tests/breaking-cases/` has a `previous/` and a `current/` tree (each a
//! Buf module with the same `buf.yaml`); both tools compare current against
//! previous and the sets of (path, rule, line, column) findings must be
//! identical. Cases named `beyond__*` document intended differences and are
//! tested on their own. The `editions-*` cases (issue #15) run here like
//! the others; `buf_editions.rs` checks that they cover the issue.
//!
//! Each case also records schemactl's rendered output (`expected.txt`,
//! `expected.json`, beside `previous/` and `current/`, checked by
//! `snapshots.rs` with or without buf); here the findings in `expected.json`
//! must equal buf's too, so a snapshot regenerated after schemactl drifted
//! from Buf fails.
//!
//! `buf` comes from `SCHEMACTL_BUF` (scripts/test.sh installs it) or `PATH`.

mod common;

use common::{breaking_case, cases, compare_with_buf, run_buf};

#[test]
fn identical_findings_to_buf_breaking() {
    let ours = |case: &std::path::Path| breaking_case(case).finding_set();
    compare_with_buf(&cases("breaking-cases"), ours, |buf, case| {
        run_buf(
            buf,
            &case.join("current"),
            &["breaking", ".", "--against", "../previous"],
        )
    });
}
