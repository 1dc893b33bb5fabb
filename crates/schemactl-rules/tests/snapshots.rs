//! Recorded expectations: every case directory in `tests/lint-cases/` and
//! `tests/breaking-cases/` (Buf-compatible and `beyond__*`) holds
//! `expected.txt` and `expected.json`, schemactl's findings rendered exactly
//! as `schemactl lint` / `schemactl breaking` print them on stdout (the text
//! renderer without colour, and `--error-format json`), paths relative to
//! the case (lint) or to `current/` (breaking). This test renders the
//! findings again and compares, byte for byte, listing every case that
//! differs with a line diff. It needs no `buf`, so `cargo test` pins every
//! rule message and location on any machine; with `buf` installed,
//! `buf_lint.rs` and `buf_breaking.rs` also check that the findings in each
//! `expected.json` are Buf's.
//!
//! A missing snapshot file fails. To record new cases, or an intended change
//! of output, run
//!
//! ```text
//! SCHEMACTL_UPDATE_SNAPSHOTS=1 cargo test -p schemactl-rules --test snapshots
//! ```
//!
//! and review the diff of the snapshot files. A clean case records two
//! empty files. Neither tool reads them: both take only `.proto` files and
//! their configuration files from a directory.

mod common;

use common::{all_cases, breaking_case, check_snapshots, line_diff, lint_case};

#[test]
fn lint_cases_match_their_snapshots() {
    check_snapshots("lint-cases", &all_cases("lint-cases"), lint_case);
}

#[test]
fn breaking_cases_match_their_snapshots() {
    check_snapshots(
        "breaking-cases",
        &all_cases("breaking-cases"),
        breaking_case,
    );
}

#[test]
fn the_diff_shows_changed_lines_with_context() {
    let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
    let after = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
    assert_eq!(
        line_diff(before, after),
        "    ...\n    c\n    d\n  - e\n  + E\n    f\n    g\n    h\n  + i"
    );
    assert_eq!(
        line_diff("a\n", "a"),
        "    (the same lines; only line endings or the final newline differ)"
    );
}
