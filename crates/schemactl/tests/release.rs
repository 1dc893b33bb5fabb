//! `schemactl diff` and `schemactl release` in git repositories built by the
//! test from the example schemas.

mod common;

use common::*;

const USER_CREATED: &str = "schemas/proto/acme/identity/v1/user_created.proto";

fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&repo_root().join("schemas"), &tmp.path().join("schemas"));
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "."]);
    git(tmp.path(), &["commit", "-q", "-m", "schemas"]);
    tmp
}

fn add_field(dir: &std::path::Path) {
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let open = text.find("message UserCreated {").expect("message") + "message UserCreated {".len();
    let added = format!(
        "{}\n  // Where the user signed up from, if known.\n  string signup_country = 99;\n{}",
        &text[..open],
        &text[open..]
    );
    std::fs::write(&path, added).expect("write");
}

#[test]
fn first_release_then_minor_then_major_refused() {
    let repo = repo();
    let dir = repo.path();
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v1.0.0"));
    let run = schemactl(dir, &["release", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(git(dir, &["tag", "--list"]).trim(), "v1.0.0");
    assert!(
        git(dir, &["cat-file", "-t", "v1.0.0"]).trim() == "tag",
        "annotated tag"
    );

    // Adding a field is a minor release.
    add_field(dir);
    git(dir, &["commit", "-q", "-am", "add signup_country"]);
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v1.1.0"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("+ field acme.identity.v1.UserCreated.signup_country"),
        "{}",
        run.stdout
    );
    assert_eq!(
        git(dir, &["tag", "--list"]).trim(),
        "v1.0.0",
        "dry run tags nothing"
    );
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);

    // Deleting a field is breaking: refused without --allow-breaking, major with it.
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("string signup_country"))
        .collect();
    std::fs::write(&path, kept.join("\n") + "\n").expect("write");
    git(dir, &["commit", "-q", "-am", "remove signup_country"]);
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("FIELD_NO_DELETE") && run.stderr.contains("nothing was tagged"),
        "{}",
        run.stderr
    );
    let run = schemactl(
        dir,
        &["release", "schemas", "--dry-run", "--allow-breaking"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v2.0.0"));
}

#[test]
fn diff_per_topic_in_every_format() {
    let repo = repo();
    let dir = repo.path();
    git(dir, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    add_field(dir);
    let run = schemactl(dir, &["diff", "schemas", "--from", "v1.0.0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("semver bump: minor"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("topic identity.user-created.v1 (acme.identity.v1.UserCreated):"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("+ field acme.identity.v1.UserCreated.signup_country = 99 (string)"),
        "{}",
        run.stdout
    );

    let run = schemactl(
        dir,
        &[
            "diff", "schemas", "--from", "v1.0.0", "--format", "markdown",
        ],
    );
    assert!(
        run.stdout.contains("#### Topic `identity.user-created.v1`"),
        "{}",
        run.stdout
    );
    let run = schemactl(
        dir,
        &["diff", "schemas", "--from", "v1.0.0", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["bump"], "minor");
    assert_eq!(json["topics"][0]["changes"][0]["kind"], "added");

    // A changed field type, old → new.
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read").replacen(
        "string signup_country = 99;",
        "int64 signup_country = 99;",
        1,
    );
    std::fs::write(&path, text).expect("write");
    git(dir, &["commit", "-q", "-am", "country as int"]);
    let run = schemactl(
        dir,
        &["diff", "schemas", "--from", "v1.0.0", "--to", "HEAD"],
    );
    assert!(run.stdout.contains("int64"), "{}", run.stdout);
}
