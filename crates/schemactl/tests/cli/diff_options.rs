//! `schemactl diff` lists option changes, so its bump is never shown beside
//! "no changes": a changed `java_package` is breaking under Buf's default
//! `FILE` rules (major), and a patch under `WIRE_JSON`.

use crate::common::*;

const V1: &str = "syntax = \"proto3\";\npackage shop.v1;\noption java_package = \"com.shop.v1\";\nmessage Order {\n  string id = 1;\n}\n";

/// A repository with `shop.proto` tagged v1.0.0 and v1.0.1, where only
/// `option java_package` changed between the tags.
fn repo(config: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    write_files(dir, &[("shop/v1/shop.proto", V1)]);
    if let Some(config) = config {
        write_files(dir, &[("buf.yaml", config)]);
    }
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "v1"]);
    git(dir, &["tag", "v1.0.0"]);
    write_files(
        dir,
        &[(
            "shop/v1/shop.proto",
            &V1.replace("com.shop.v1", "com.acme.shop.v1"),
        )],
    );
    git(dir, &["commit", "-q", "-am", "java package"]);
    git(dir, &["tag", "v1.0.1"]);
    tmp
}

const CHANGE: &str =
    "~ file shop/v1/shop.proto option java_package \"com.shop.v1\" → \"com.acme.shop.v1\"";

#[test]
fn a_changed_java_package_is_listed_and_major_under_the_default_rules() {
    let repo = repo(None);
    let run = schemactl(
        repo.path(),
        &["diff", ".", "--from", "v1.0.0", "--to", "v1.0.1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("semver bump: major (1 breaking findings)\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(CHANGE), "{}", run.stdout);
    assert!(!run.stdout.contains("no change"), "{}", run.stdout);
}

#[test]
fn a_changed_java_package_is_a_patch_when_no_rule_flags_it() {
    let repo = repo(Some("version: v2\nbreaking:\n  use: [WIRE_JSON]\n"));
    let run = schemactl(
        repo.path(),
        &["diff", ".", "--from", "v1.0.0", "--to", "v1.0.1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("semver bump: patch (0 breaking findings)\n\nall changes:\n  {CHANGE}\n")
    );
    let run = schemactl(
        repo.path(),
        &[
            "diff", ".", "--from", "v1.0.0", "--to", "v1.0.1", "--format", "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["bump"], "patch");
    assert_eq!(json["changes"][0]["element"], "file");
}
