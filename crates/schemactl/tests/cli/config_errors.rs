//! Configuration mistakes end the run with a located `error:` (exit 2),
//! never an abort and never silence.

use crate::common::*;

const PROTO: &str =
    "syntax = \"proto3\";\npackage shop.v1;\nmessage Order {\n  string id = 1;\n}\n";

#[test]
fn deeply_nested_block_sequences_are_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let yaml = format!("{}x\n", "- ".repeat(50_000));
    write_files(
        tmp.path(),
        &[("schemactl.yaml", &yaml), ("shop/v1/shop.proto", PROTO)],
    );
    // `schemactl` asserts no panic and an exit code in 0..=2 (a signal
    // would be -1).
    let run = schemactl(tmp.path(), &["lint", "."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error[CONFIG]: lists and mappings nest more than 64 levels deep here\n --> schemactl.yaml:1:129\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("hint: no configuration key nests this deep"),
        "{}",
        run.stderr
    );
    // The snippet of the one long line is clipped.
    assert!(run.stderr.len() < 1_000, "{}", run.stderr.len());
}

/// A misspelled rule ID under a key that names rules stops the run at its
/// line, like one under `use`.
#[test]
fn a_misspelled_severity_rule_is_a_located_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(
        tmp.path(),
        &[
            (
                "schemactl.yaml",
                "version: v1\nlint:\n  use: [STANDARD]\n  severity:\n    FIELD_LOWER_SNAKE_CAS: warn\n",
            ),
            ("shop/v1/shop.proto", PROTO),
        ],
    );
    for command in ["lint", "check"] {
        let run = schemactl(tmp.path(), &[command, "."]);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(
                "error[CONFIG]: unknown lint rule `FIELD_LOWER_SNAKE_CAS` in `lint.severity`\n --> schemactl.yaml:5:5\n"
            ),
            "{command}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("hint: did you mean `FIELD_LOWER_SNAKE_CASE`?"),
            "{}",
            run.stderr
        );
    }
}
