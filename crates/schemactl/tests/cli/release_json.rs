//! `schemactl release --format json`: one JSON object on stdout for a
//! pipeline to chain on, in a git repository built by the test from the
//! example schemas.

use serde_json::Value;

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

/// Run `release` with `args` and parse its stdout: exactly one JSON object,
/// on one line.
fn release_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["release", "schemas", "--format", "json"];
    all.extend_from_slice(args);
    let run = schemactl(dir, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 1, "one line: {}", run.stdout);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn tags(dir: &std::path::Path) -> String {
    git(dir, &["tag", "--list"]).trim().to_owned()
}

#[test]
fn first_release_has_no_previous_and_dry_run_creates_nothing() {
    let repo = repo();
    let dir = repo.path();
    let dry = release_json(dir, &["--dry-run"]);
    assert_eq!(dry["tag"], "v1.0.0", "{dry}");
    assert_eq!(dry["version"], "1.0.0", "{dry}");
    assert_eq!(dry["previous"], Value::Null, "{dry}");
    assert_eq!(dry["bump"], Value::Null, "{dry}");
    assert_eq!(dry["changes"], Value::Null, "{dry}");
    assert_eq!(dry["created"], false, "{dry}");
    assert_eq!(tags(dir), "", "--dry-run tags nothing");

    let real = release_json(dir, &[]);
    assert_eq!(real["tag"], "v1.0.0", "{real}");
    assert_eq!(real["created"], true, "{real}");
    assert_eq!(tags(dir), "v1.0.0");
}

#[test]
fn a_minor_release_names_the_tag_the_bump_and_the_added_field() {
    let repo = repo();
    let dir = repo.path();
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);
    add_field(dir);
    git(dir, &["commit", "-q", "-am", "add signup_country"]);

    let dry = release_json(dir, &["--dry-run"]);
    assert_eq!(dry["tag"], "v1.1.0", "{dry}");
    assert_eq!(dry["version"], "1.1.0", "{dry}");
    assert_eq!(dry["previous"], "v1.0.0", "{dry}");
    assert_eq!(dry["bump"], "minor", "{dry}");
    assert_eq!(dry["created"], false, "{dry}");
    assert_eq!(dry["changes"]["bump"], "minor", "{dry}");
    let added = |changes: &Value| {
        changes.as_array().is_some_and(|changes| {
            changes.iter().any(|c| {
                c["kind"] == "added"
                    && c["element"] == "field"
                    && c["name"] == "acme.identity.v1.UserCreated.signup_country"
            })
        })
    };
    assert!(added(&dry["changes"]["changes"]), "{dry}");
    // The topic that reads the message lists the field among its changes.
    let topic = dry["changes"]["topics"]
        .as_array()
        .and_then(|topics| {
            topics
                .iter()
                .find(|t| t["message"] == "acme.identity.v1.UserCreated")
        })
        .unwrap_or_else(|| panic!("a topic of UserCreated: {dry}"));
    assert!(added(&topic["changes"]), "{topic}");
    assert_eq!(tags(dir), "v1.0.0", "--dry-run tags nothing");

    let real = release_json(dir, &[]);
    assert_eq!(real["tag"], "v1.1.0", "{real}");
    assert_eq!(real["created"], true, "{real}");
    assert_eq!(real["changes"], dry["changes"], "the same summary");
    assert_eq!(tags(dir), "v1.0.0\nv1.1.0");
}

#[test]
fn a_refusal_prints_no_json_and_exits_2() {
    let repo = repo();
    let dir = repo.path();
    assert_eq!(schemactl(dir, &["release", "schemas"]).code, 0);
    let run = schemactl(dir, &["release", "schemas", "--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stdout, "", "errors stay off stdout");
    assert!(
        run.stderr.contains("error:") && run.stderr.contains("already released"),
        "{}",
        run.stderr
    );
}
