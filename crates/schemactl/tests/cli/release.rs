//! `schemactl diff` and `schemactl release` in git repositories built by the
//! test from the example schemas.

use crate::common::*;

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

/// A second `release` on the same commit would tag the same schemas v1.0.1.
#[test]
fn a_released_commit_is_not_released_again() {
    let repo = repo();
    let dir = repo.path();
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);
    for args in [
        vec!["release", "schemas"],
        vec!["release", "schemas", "--dry-run"],
    ] {
        let run = schemactl(dir, &args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr
                .contains("is already released as v1.0.0: nothing was tagged"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "no version printed: {}", run.stdout);
    }
    assert_eq!(git(dir, &["tag", "--list"]).trim(), "v1.0.0");
}

#[test]
fn nothing_changed_under_the_input_is_not_a_release() {
    let repo = repo();
    let dir = repo.path();
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);
    // New commits, but not in the schemas: nothing to release.
    write_files(
        dir,
        &[
            ("README.md", "docs\n"),
            ("schemas/NOTES.txt", "not a schema\n"),
        ],
    );
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "docs"]);
    let run = schemactl(dir, &["release", "schemas"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("nothing under `schemas` changed since v1.0.0"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("hint:") && run.stderr.contains("not schema releases"),
        "{}",
        run.stderr
    );
    assert_eq!(git(dir, &["tag", "--list"]).trim(), "v1.0.0");
    // A comment is a change (a patch release).
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("// Reviewed.\n{text}")).expect("write");
    git(dir, &["commit", "-q", "-am", "comment"]);
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v1.0.1"), "{}", run.stdout);
}

/// A release candidate is not the latest release: the next version after
/// v1.0.0 plus a field is v1.1.0, and breaking compares against v1.0.0.
#[test]
fn pre_release_tags_are_not_releases() {
    let repo = repo();
    let dir = repo.path();
    git(dir, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    add_field(dir);
    git(dir, &["commit", "-q", "-am", "add signup_country"]);
    git(dir, &["tag", "-a", "v2.0.0-rc.1", "-m", "rc"]);
    add_field_named(dir, "referrer");
    git(dir, &["commit", "-q", "-am", "add referrer"]);
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v1.1.0"), "{}", run.stdout);
    // Both fields are new since the release, not only the one since the rc.
    assert!(run.stdout.contains("signup_country"), "{}", run.stdout);
    assert!(run.stdout.contains("referrer"), "{}", run.stdout);
    let run = schemactl(dir, &["breaking", "schemas", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("comparing against v1.0.0"),
        "{}",
        run.stderr
    );
    // Releasing the rc's own commit as a final version is allowed.
    git(dir, &["checkout", "-q", "v2.0.0-rc.1"]);
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v1.1.0"), "{}", run.stdout);
}

/// In a clone with local commits, `release` tags the local HEAD it checked,
/// not origin's.
#[test]
fn release_in_a_clone_tags_the_local_head() {
    let origin = repo();
    let clones = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", origin.path().display());
    git(clones.path(), &["clone", "-q", &url, "clone"]);
    let dir = clones.path().join("clone");
    assert_eq!(schemactl(&dir, &["release", "schemas"]).code, 0);
    add_field(&dir);
    git(&dir, &["commit", "-q", "-am", "add signup_country"]);
    let run = schemactl(&dir, &["release", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("v1.1.0"), "{}", run.stdout);
    assert_eq!(
        git(&dir, &["rev-parse", "v1.1.0^{commit}"]),
        git(&dir, &["rev-parse", "HEAD"])
    );
    assert_ne!(
        git(&dir, &["rev-parse", "v1.1.0^{commit}"]),
        git(&dir, &["rev-parse", "origin/HEAD"])
    );
}

/// The next version is already taken on another branch: refuse, instead of a
/// raw git error.
#[test]
fn a_next_version_taken_elsewhere_is_refused() {
    let repo = repo();
    let dir = repo.path();
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);
    git(dir, &["checkout", "-q", "-b", "other"]);
    add_field(dir);
    git(dir, &["commit", "-q", "-am", "add signup_country"]);
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);
    git(dir, &["checkout", "-q", "main"]);
    add_field_named(dir, "referrer");
    git(dir, &["commit", "-q", "-am", "add referrer"]);
    let run = schemactl(dir, &["release", "schemas"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("v1.1.0, is already a tag on"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

fn add_field_named(dir: &std::path::Path, name: &str) {
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let open = text.find("message UserCreated {").expect("message") + "message UserCreated {".len();
    let added = format!(
        "{}\n  // Added by the test.\n  string {name} = 98;\n{}",
        &text[..open],
        &text[open..]
    );
    std::fs::write(&path, added).expect("write");
}
