//! Differential tests against the real `buf breaking`: every case directory
//! in `tests/breaking-cases/` has a `previous/` and a `current/` tree (each a
//! Buf module with the same `buf.yaml`); both tools compare current against
//! previous and the sets of (path, rule, line, column) findings must be
//! identical. Cases named `beyond__*` document intended differences and are
//! tested on their own.
//!
//! `buf` comes from `SCHEMACTL_BUF` (scripts/test.sh installs it) or `PATH`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{Finding, cases, compare_with_buf, compile_dir, finding_of, run_buf};

fn ours(case: &Path) -> BTreeSet<Finding> {
    let (previous, _) = compile_dir(&case.join("previous"));
    let (current, config) = compile_dir(&case.join("current"));
    schemactl_rules::breaking::breaking(&previous, &current, &config)
        .expect("rules selected")
        .iter()
        .map(finding_of)
        .collect()
}

#[test]
fn identical_findings_to_buf_breaking() {
    compare_with_buf(&cases("breaking-cases"), ours, |buf, case| {
        run_buf(
            buf,
            &case.join("current"),
            &["breaking", ".", "--against", "../previous"],
        )
    });
}
