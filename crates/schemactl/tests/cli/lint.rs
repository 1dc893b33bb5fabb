//! `schemactl lint` end to end: the example repository is clean, TOPIC
//! rules, severities, baselines, bad rule IDs, `rules` and `explain`.

use crate::common::*;

#[test]
fn the_example_repository_is_clean() {
    let run = schemactl(&repo_root(), &["lint", "schemas"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

const MESSAGE: &str = "syntax = \"proto3\";\n\npackage acme.identity.v1;\n\n// A user signed up.\nmessage UserCreated {\n  // The user.\n  string user_id = 1;\n}\n\n// Nested events are not topics.\nmessage Envelope {\n  // Inner.\n  message Inner {\n    // Id.\n    string id = 1;\n  }\n}\n";

fn topic_repo(topics: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(
        tmp.path(),
        &[
            (
                "schemactl.yaml",
                &format!(
                    "version: v1\nroots: [proto]\nlint:\n  use: [STANDARD]\ntopics:\n{topics}"
                ),
            ),
            ("proto/acme/identity/v1/user_created.proto", MESSAGE),
        ],
    );
    tmp
}

fn rules_of(run: &Run) -> Vec<String> {
    run.stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).expect("json")["type"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[test]
fn topic_rules() {
    let repo = topic_repo(
        "  identity.user-created.v1:\n    message: acme.identity.v1.UserCreated\n\
         \x20 identity.user-created-again.v1:\n    message: acme.identity.v1.UserCreated\n\
         \x20 identity.user-created.v2:\n    message: acme.identity.v1.UserCreated\n\
         \x20 UserDeleted:\n    message: acme.identity.v1.UserDeleted\n\
         \x20 identity.inner.v1:\n    message: acme.identity.v1.Envelope.Inner\n",
    );
    let run = schemactl(repo.path(), &["lint", ".", "--error-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut rules = rules_of(&run);
    rules.sort();
    assert_eq!(
        rules,
        [
            "TOPIC_MESSAGE_EXISTS",  // UserDeleted does not exist
            "TOPIC_NAME_PATTERN",    // UserDeleted is not domain.event.vN
            "TOPIC_ONE_PER_MESSAGE", // UserCreated on three topics: two findings
            "TOPIC_ONE_PER_MESSAGE",
            "TOPIC_TOP_LEVEL_MESSAGE",       // Envelope.Inner
            "TOPIC_VERSION_MATCHES_PACKAGE", // .v2 carrying a v1 message
        ]
    );
    // Findings point into schemactl.yaml at the topic.
    assert!(
        run.stdout
            .contains("\"path\":\"schemactl.yaml\",\"start_line\":12"),
        "{}",
        run.stdout
    );

    // A clean catalog has no findings.
    let clean =
        topic_repo("  identity.user-created.v1:\n    message: acme.identity.v1.UserCreated\n");
    let run = schemactl(clean.path(), &["lint", "."]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);

    // `except: [TOPIC]` turns them all off, `except: [RULE]` one of them.
    let config = std::fs::read_to_string(repo.path().join("schemactl.yaml")).expect("config");
    let off = config.replace(
        "  use: [STANDARD]\n",
        "  use: [STANDARD]\n  except: [TOPIC]\n",
    );
    write_files(repo.path(), &[("schemactl.yaml", &off)]);
    let run = schemactl(repo.path(), &["lint", "."]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    let one_off = config.replace(
        "  use: [STANDARD]\n",
        "  use: [STANDARD]\n  except: [TOPIC_ONE_PER_MESSAGE]\n",
    );
    write_files(repo.path(), &[("schemactl.yaml", &one_off)]);
    let run = schemactl(repo.path(), &["lint", ".", "--error-format", "json"]);
    assert_eq!(rules_of(&run).len(), 4, "{}", run.stdout);
}

#[test]
fn topic_name_pattern_is_configurable() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(
        tmp.path(),
        &[
            (
                "schemactl.yaml",
                "version: v1\nroots: [proto]\nlint:\n  topic_name_pattern: '^acme\\.[a-z.-]+\\.v[0-9]+$'\ntopics:\n  identity.user-created.v1:\n    message: acme.identity.v1.UserCreated\n",
            ),
            ("proto/acme/identity/v1/user_created.proto", MESSAGE),
        ],
    );
    let run = schemactl(tmp.path(), &["lint", ".", "--error-format", "json"]);
    assert_eq!(rules_of(&run), ["TOPIC_NAME_PATTERN"], "{}", run.stderr);
}

#[test]
fn severity_warn_prints_but_passes_and_baseline_suppresses() {
    let tmp = tempfile::tempdir().expect("tmp");
    let bad = "syntax = \"proto3\";\npackage acme.x.v1;\nmessage bad_name {}\n";
    write_files(
        tmp.path(),
        &[
            (
                "schemactl.yaml",
                "version: v1\nroots: [proto]\nlint:\n  use: [MESSAGE_PASCAL_CASE]\n  severity:\n    MESSAGE_PASCAL_CASE: warn\n",
            ),
            ("proto/acme/x/v1/x.proto", bad),
        ],
    );
    let run = schemactl(tmp.path(), &["lint", "."]);
    assert_eq!(run.code, 0, "warnings do not fail: {}", run.stderr);
    assert!(
        run.stdout.contains("warning[MESSAGE_PASCAL_CASE]"),
        "{}",
        run.stdout
    );

    // Without the override it fails; a baseline of the current findings makes
    // it pass, and a new finding still fails.
    write_files(
        tmp.path(),
        &[(
            "schemactl.yaml",
            "version: v1\nroots: [proto]\nlint:\n  use: [MESSAGE_PASCAL_CASE]\n",
        )],
    );
    let run = schemactl(tmp.path(), &["lint", ".", "--error-format", "json"]);
    assert_eq!(run.code, 1);
    std::fs::write(tmp.path().join("baseline.json"), &run.stdout).expect("baseline");
    let run = schemactl(tmp.path(), &["lint", ".", "--baseline", "baseline.json"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    write_files(
        tmp.path(),
        &[(
            "proto/acme/x/v1/x.proto",
            &format!("{bad}message another_bad {{}}\n"),
        )],
    );
    let run = schemactl(
        tmp.path(),
        &[
            "lint",
            ".",
            "--baseline",
            "baseline.json",
            "--error-format",
            "json",
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.lines().count(),
        1,
        "only the new finding: {}",
        run.stdout
    );
    assert!(run.stdout.contains("another_bad"));
}

#[test]
fn unknown_rule_ids_are_config_errors() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(
        tmp.path(),
        &[
            (
                "buf.yaml",
                "version: v2\nlint:\n  use: [MESAGE_PASCAL_CASE]\n",
            ),
            ("a.proto", "syntax = \"proto3\";\npackage a;\n"),
        ],
    );
    let run = schemactl(tmp.path(), &["lint", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown lint rule or category `MESAGE_PASCAL_CASE`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `MESSAGE_PASCAL_CASE`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn compile_errors_stop_lint_with_exit_1() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(
        tmp.path(),
        &[("a.proto", "syntax = \"proto3\";\nmessage {\n")],
    );
    let run = schemactl(tmp.path(), &["lint", "."]);
    assert_eq!(run.code, 1);
    // On stdout, like every finding (Buf prints them there too).
    assert!(run.stdout.contains("a.proto:2:"), "{}", run.stdout);
    assert_eq!(run.stderr, "");
}

#[test]
fn rules_and_explain() {
    let root = repo_root();
    let run = schemactl(&root, &["rules"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("ID"))
    );
    assert!(run.stdout.contains("FIELD_LOWER_SNAKE_CASE"));
    assert!(run.stdout.contains("TOPIC_NAME_PATTERN"));
    let run = schemactl(&root, &["explain", "field_lower_snake_case"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("# FIELD_LOWER_SNAKE_CASE"));
    assert!(run.stdout.contains("## Why it matters"));
    let run = schemactl(&root, &["explain", "FIELD_LOWER_SNAKE_CAS"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("did you mean `FIELD_LOWER_SNAKE_CASE`?"),
        "{}",
        run.stderr
    );
}

/// `docs/rules/` is generated by `schemactl rules --write-docs docs/rules`
/// and must match what the binary writes now.
#[test]
fn rules_reference_is_fresh() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("rules");
    let run = schemactl(
        &repo_root(),
        &["rules", "--write-docs", out.to_str().expect("utf8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let committed = repo_root().join("docs/rules");
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(&out).expect("generated") {
        let entry = entry.expect("entry");
        let fresh = std::fs::read_to_string(entry.path()).expect("read");
        let old = std::fs::read_to_string(committed.join(entry.file_name())).unwrap_or_default();
        if fresh != old {
            stale.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    let generated = std::fs::read_dir(&out).expect("generated").count();
    let committed_count = std::fs::read_dir(&committed)
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(
        stale.is_empty() && generated == committed_count,
        "docs/rules is stale ({stale:?}); run `cargo run -p schemactl -- rules --write-docs docs/rules`"
    );
}
