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

/// The `kafka:` section and a topic's `configs:`/`readers:` are checked
/// like every other key: located, with what to write instead.
#[test]
fn kafka_catalog_mistakes_are_located_errors() {
    let topic = "topics:\n  shop.order-placed.v1:\n    message: shop.v1.Order\n";
    for (yaml, expected) in [
        (
            format!("version: v1\n{topic}    configs:\n      retention.mss: 5\n"),
            "error[CONFIG]: `retention.mss` in `topics.shop.order-placed.v1.configs` is not a Kafka topic config\n --> schemactl.yaml:6:7\n",
        ),
        (
            format!("version: v1\n{topic}    configs:\n      cleanup.policy: forever\n"),
            "error[CONFIG]: `cleanup.policy` must be `delete`, `compact` or `delete,compact`, found `forever`\n --> schemactl.yaml:6:23\n",
        ),
        (
            format!(
                "version: v1\n{topic}    retention: 7d\n    configs:\n      retention.ms: 100\n"
            ),
            "error[CONFIG]: topic `shop.order-placed.v1` sets both `retention` (line 5) and `configs.retention.ms`\n --> schemactl.yaml:7:7\n",
        ),
        (
            format!("version: v1\n{topic}    readers: [\"billing service\"]\n"),
            "error[CONFIG]: `billing service` in `readers` is not a service name: use letters, digits, `.`, `_` and `-`\n",
        ),
        (
            format!("version: v1\n{topic}kafka:\n  principal: \"User:svc\"\n"),
            "error[CONFIG]: `principal` must be a Kafka principal with `{service}` in it, found `User:svc`\n --> schemactl.yaml:6:14\n",
        ),
        (
            format!("version: v1\n{topic}kafka:\n  replicas: 3\n"),
            "error[CONFIG]: unknown key `replicas` in `kafka`\n --> schemactl.yaml:6:3\n",
        ),
    ] {
        let tmp = tempfile::tempdir().expect("tmp");
        write_files(
            tmp.path(),
            &[("schemactl.yaml", &yaml), ("shop/v1/shop.proto", PROTO)],
        );
        let run = schemactl(tmp.path(), &["kafka", "export", "--format", "json"]);
        assert_eq!(run.code, 2, "{yaml}\n{}", run.stderr);
        assert!(run.stderr.starts_with(expected), "{yaml}\n{}", run.stderr);
        assert_eq!(run.stdout, "");
    }
}
