//! `schemactl breaking` and `schemactl check` end to end, in git
//! repositories built by the test from the example schemas.

use crate::common::*;

const USER_CREATED: &str = "proto/acme/identity/v1/user_created.proto";

fn edit(repo: &std::path::Path, from: &str, to: &str) -> usize {
    let path = repo.join("schemas").join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "fixture changed: `{from}` not found");
    let line = text[..text.find(from).expect("found")]
        .matches('\n')
        .count()
        + 1;
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    line
}

#[test]
fn deleting_a_field_fails_check_against_the_last_release() {
    let repo = released_schemas();
    let dir = repo.path();
    let clean = schemactl(dir, &["check", "schemas"]);
    assert_eq!(
        (clean.code, clean.stdout.as_str()),
        (0, ""),
        "{}",
        clean.stderr
    );

    // Delete the `email` field of UserCreated (uncommitted: check runs before pushing).
    let path = dir.join("schemas").join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let field = text
        .lines()
        .position(|l| l.trim_start().starts_with("string email ="))
        .expect("email field");
    let message_line = text
        .lines()
        .position(|l| l.starts_with("message UserCreated"))
        .expect("message")
        + 1;
    let kept: Vec<&str> = text
        .lines()
        .enumerate()
        .filter(|(i, _)| *i != field)
        .map(|(_, l)| l)
        .collect();
    std::fs::write(&path, kept.join("\n") + "\n").expect("write");

    let run = schemactl(dir, &["check", "schemas", "--error-format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let finding: serde_json::Value = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["type"] == "FIELD_NO_DELETE")
        .unwrap_or_else(|| panic!("no FIELD_NO_DELETE in {}", run.stdout));
    assert_eq!(finding["path"], format!("schemas/{USER_CREATED}"));
    assert_eq!(
        finding["start_line"], message_line,
        "Buf reports a deletion at the enclosing message"
    );
    assert!(
        finding["message"]
            .as_str()
            .expect("msg")
            .contains("\"email\"")
    );

    // `breaking` alone says the same, defaulting to the tag too.
    let run = schemactl(dir, &["breaking", "schemas"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains("error[FIELD_NO_DELETE]"),
        "{}",
        run.stdout
    );
}

#[test]
fn adding_a_field_passes() {
    let repo = released_schemas();
    let dir = repo.path();
    let path = dir.join("schemas").join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let open = text.find("message UserCreated {").expect("message") + "message UserCreated {".len();
    let added = format!(
        "{}\n  // Where the user signed up from, if known.\n  string signup_country = 99;\n{}",
        &text[..open],
        &text[open..]
    );
    std::fs::write(&path, added).expect("write");
    // The generated code under schemas/gen is now stale (the generate
    // tests cover that); this test is about breaking changes.
    let run = schemactl(
        dir,
        &["check", "schemas", "--against", "v1.0.0", "--no-generate"],
    );
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
}

#[test]
fn against_forms_and_errors() {
    let repo = released_schemas();
    let dir = repo.path();
    edit(dir, "message UserCreated", "message UserWasCreated");
    for against in ["v1.0.0", "main", ".git#tag=v1.0.0,subdir=schemas"] {
        let run = schemactl(
            dir,
            &[
                "breaking",
                "schemas",
                "--against",
                against,
                "--error-format",
                "json",
            ],
        );
        assert_eq!(run.code, 1, "{against}: {}", run.stderr);
        assert!(
            run.stdout.contains("MESSAGE_NO_DELETE"),
            "{against}: {}",
            run.stdout
        );
    }
    // A directory and an image work too.
    let old = tempfile::tempdir().expect("tmp");
    copy_dir(&repo_root().join("schemas"), old.path());
    let run = schemactl(
        dir,
        &[
            "breaking",
            "schemas",
            "--against",
            old.path().to_str().expect("utf8"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let image = old.path().join("old.binpb");
    assert_eq!(
        schemactl(old.path(), &["build", ".", "-o", "old.binpb"]).code,
        0
    );
    let run = schemactl(
        dir,
        &[
            "breaking",
            "schemas",
            "--against",
            image.to_str().expect("utf8"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    // A missing ref is a clear error, with the fix.
    let run = schemactl(dir, &["breaking", "schemas", "--against", "v9.9.9"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("git ref `v9.9.9` not found"),
        "{}",
        run.stderr
    );
}

#[test]
fn first_release_has_nothing_to_compare() {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&repo_root().join("schemas"), &tmp.path().join("schemas"));
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "."]);
    git(tmp.path(), &["commit", "-q", "-m", "first"]);
    let run = schemactl(tmp.path(), &["breaking", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("first release"), "{}", run.stderr);
}

#[test]
fn inline_breaking_ignore_needs_a_reason() {
    let repo = released_schemas();
    let dir = repo.path();
    // Delete `email`, with an ignore comment on the message.
    let path = dir.join("schemas").join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let without: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("string email ="))
        .collect();
    let without = without.join("\n") + "\n";
    // The message is a topic's, so the topic rule re-checks the deletion
    // under WIRE_JSON: the ignore names both rules.
    let with_reason = without.replacen(
        "message UserCreated",
        "// schemactl:breaking:ignore FIELD_NO_DELETE TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE -- email moved to UserEmailChanged in v3\nmessage UserCreated",
        1,
    );
    std::fs::write(&path, &with_reason).expect("write");
    let run = schemactl(dir, &["breaking", "schemas", "--against", "v1.0.0"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);

    let no_reason = without.replacen(
        "message UserCreated",
        "// schemactl:breaking:ignore FIELD_NO_DELETE\nmessage UserCreated",
        1,
    );
    std::fs::write(&path, &no_reason).expect("write");
    let run = schemactl(dir, &["breaking", "schemas", "--against", "v1.0.0"]);
    assert_eq!(run.code, 1, "a reason is mandatory");
    assert!(run.stdout.contains("needs a reason"), "{}", run.stdout);
}

#[test]
fn topic_breaking_rules() {
    let repo = released_schemas();
    let dir = repo.path();
    let config_path = dir.join("schemas/schemactl.yaml");
    let config = std::fs::read_to_string(&config_path).expect("config");
    // Retarget a topic to another message, and delete another topic.
    let retargeted = config.replacen(
        "message: acme.identity.v1.UserCreated",
        "message: acme.identity.v2.UserCreated",
        1,
    );
    assert_ne!(retargeted, config);
    std::fs::write(&config_path, &retargeted).expect("write");
    let run = schemactl(dir, &["check", "schemas", "--error-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("\"type\":\"TOPIC_SAME_MESSAGE\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"path\":\"schemas/schemactl.yaml\""),
        "{}",
        run.stdout
    );

    // Renaming a field keeps the wire format, so `breaking: use: [WIRE]`
    // accepts it — but the topic's message must stay WIRE_JSON-compatible.
    std::fs::write(
        &config_path,
        config.replace("  use: [FILE]", "  use: [WIRE]"),
    )
    .expect("write");
    git(dir, &["commit", "-q", "-am", "wire only"]);
    git(dir, &["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
    let line = edit(dir, "string email = ", "string email_address = ");
    let run = schemactl(dir, &["check", "schemas", "--error-format", "json"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let finding: serde_json::Value = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["type"] == "TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE")
        .unwrap_or_else(|| panic!("no TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE in {}", run.stdout));
    assert_eq!(finding["start_line"], line);
    assert!(
        finding["message"]
            .as_str()
            .expect("msg")
            .contains("identity.user-created.v1"),
        "{finding}"
    );
}
