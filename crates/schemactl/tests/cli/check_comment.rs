//! `schemactl check --comment FILE`: the pull request comment's body,
//! written in the same run as the findings, in a real git repository with
//! the schemas in a subdirectory.

use std::path::Path;

use crate::common::*;

const USER_CREATED: &str = "schemas/proto/acme/identity/v1/user_created.proto";

/// The status table's row for `check`.
fn row<'a>(body: &'a str, check: &str) -> &'a str {
    body.lines()
        .find(|l| l.starts_with(&format!("| {check} |")))
        .unwrap_or_else(|| panic!("no row for {check}:\n{body}"))
}

/// `field` deleted from UserCreated (breaking, and a change to its topic)
/// and an undocumented message added (a lint finding), committed.
fn breaking_change(dir: &Path) {
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let text = text.replace("  string email = 4;\n", "") + "\nmessage Undocumented {}\n";
    std::fs::write(&path, text).expect("write");
    git(dir, &["commit", "-q", "-am", "drop email"]);
}

#[test]
fn the_comment_has_the_table_links_at_the_head_commit_the_bump_and_the_diff() {
    let repo = released_schemas();
    let dir = repo.path();
    breaking_change(dir);
    let head = git(dir, &["rev-parse", "HEAD"]).trim().to_owned();

    let plain = schemactl(dir, &["check", "schemas", "--no-generate"]);
    let json = schemactl(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--error-format",
            "json",
        ],
    );
    let findings: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON finding"))
        .collect();
    let count = |pred: &dyn Fn(&str) -> bool| {
        findings
            .iter()
            .filter(|f| pred(f["type"].as_str().expect("type")))
            .count()
    };
    let topic = count(&|t| t.starts_with("TOPIC_"));
    let lint = count(&|t| t.starts_with("COMMENT_"));
    let breaking = count(&|t| t.starts_with("FIELD_"));
    assert!(topic > 0 && lint > 0 && breaking > 0, "{}", json.stdout);
    assert_eq!(topic + lint + breaking, findings.len(), "{}", json.stdout);

    // In GitHub Actions: links at the pull request's head commit from the
    // event payload, on the configured server.
    let event_sha = "ab".repeat(20);
    let event = dir.join("event.json");
    std::fs::write(
        &event,
        format!(r#"{{"pull_request": {{"number": 7, "head": {{"sha": "{event_sha}"}}}}}}"#),
    )
    .expect("write");
    let body_file = dir.join("comment.md");
    let run = schemactl_env(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--comment",
            body_file.to_str().expect("utf-8"),
        ],
        &[
            ("GITHUB_REPOSITORY", "acme/schemas"),
            ("GITHUB_SERVER_URL", "https://ghe.example"),
            ("GITHUB_EVENT_PATH", event.to_str().expect("utf-8")),
        ],
    );
    assert_eq!(run.code, plain.code, "exit code unchanged: {}", run.stderr);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, plain.stdout, "stdout unchanged");
    let body = std::fs::read_to_string(&body_file).expect("the body");

    let errors = findings.len();
    assert!(
        body.starts_with(&format!("### ❌ schemactl check: {errors} errors\n")),
        "{body}"
    );
    assert!(body.contains("Compared with `refs/tags/v1.0.0`"), "{body}");
    assert_eq!(row(&body, "compile"), "| compile | ✅ passed | 0 | 0 |");
    assert_eq!(
        row(&body, "lint"),
        format!("| lint | ❌ failed | {lint} | 0 |")
    );
    assert_eq!(
        row(&body, "TOPIC"),
        format!("| TOPIC | ❌ failed | {topic} | 0 |")
    );
    assert_eq!(
        row(&body, "breaking"),
        format!("| breaking | ❌ failed | {breaking} | 0 |")
    );
    assert!(row(&body, "generated code").contains("skipped"), "{body}");

    // Every finding links to its line at the head commit, under `schemas/`.
    for finding in &findings {
        let line = finding["start_line"].as_u64().expect("a line");
        let link =
            format!("https://ghe.example/acme/schemas/blob/{event_sha}/{USER_CREATED}#L{line}");
        assert!(body.contains(&format!("]({link})")), "{link}\n{body}");
    }
    assert!(body.contains("**Semver bump: major**"), "{body}");
    assert!(
        body.contains("#### Topic `identity.user-created.v1`"),
        "{body}"
    );
    // The changed file's diff, and no other file's.
    assert_eq!(body.matches("<details>").count(), 1, "{body}");
    assert!(
        body.contains(&format!("<summary>{USER_CREATED} (+2 −1)</summary>")),
        "{body}"
    );
    assert!(body.contains("\n-  string email = 4;\n"), "{body}");
    assert!(body.contains("\n+message Undocumented {}\n"), "{body}");
    assert!(!body.contains("shortened"), "{body}");

    // Without the event payload the links point at HEAD; outside GitHub
    // Actions there are none.
    let run = schemactl_env(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--comment",
            "comment.md",
        ],
        &[("GITHUB_REPOSITORY", "acme/schemas")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let body = std::fs::read_to_string(&body_file).expect("the body");
    assert!(
        body.contains(&format!(
            "https://github.com/acme/schemas/blob/{head}/{USER_CREATED}#L"
        )),
        "{body}"
    );
    let run = schemactl_env(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--comment",
            "comment.md",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let body = std::fs::read_to_string(&body_file).expect("the body");
    assert!(!body.contains("https://"), "{body}");
    assert!(body.contains("| lint | ❌ failed |"), "{body}");
}

/// With the freshness check of generated code (the example's plugins): a
/// schema change without regenerating fails the generated code row.
#[test]
fn stale_generated_code_fails_its_row() {
    let repo = released_schemas();
    let dir = repo.path();
    breaking_change(dir);
    let json = schemactl(dir, &["check", "schemas", "--error-format", "json"]);
    let stale = json
        .stdout
        .lines()
        .filter(|l| l.contains(r#""type":"GENERATE_STALE""#))
        .count();
    assert!(stale > 0, "{}\n{}", json.stdout, json.stderr);
    let run = schemactl(dir, &["check", "schemas", "--comment", "comment.md"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let body = std::fs::read_to_string(dir.join("comment.md")).expect("the body");
    assert_eq!(
        row(&body, "generated code"),
        format!("| generated code | ❌ failed | {stale} | 0 |"),
        "{body}"
    );
    // The finding names the generated file, not its whole diff.
    let line = body
        .lines()
        .find(|l| l.contains("`GENERATE_STALE`"))
        .expect("a stale finding");
    assert!(
        line.ends_with("differs from what \\`schemactl generate\\` writes\\:…"),
        "{line}"
    );

    // Regenerated: the row passes.
    let generate = schemactl(dir, &["generate", "schemas"]);
    assert_eq!(generate.code, 0, "{}", generate.stderr);
    schemactl(dir, &["check", "schemas", "--comment", "comment.md"]);
    let body = std::fs::read_to_string(dir.join("comment.md")).expect("the body");
    assert_eq!(
        row(&body, "generated code"),
        "| generated code | ✅ passed | 0 | 0 |",
        "{body}"
    );
}

#[test]
fn a_compile_failure_still_writes_the_comment() {
    let repo = released_schemas();
    let dir = repo.path();
    write_files(
        dir,
        &[(
            "schemas/proto/acme/broken.proto",
            "syntax = \"proto3\";\npackage acme;\nmessage {\n",
        )],
    );
    let run = schemactl(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--comment",
            "comment.md",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let body = std::fs::read_to_string(dir.join("comment.md")).expect("the body");
    assert!(
        body.starts_with("### ❌ schemactl check: the schemas do not compile"),
        "{body}"
    );
    assert!(
        row(&body, "compile").starts_with("| compile | ❌ failed | "),
        "{body}"
    );
    assert!(row(&body, "lint").contains("skipped"), "{body}");
    assert!(body.contains("### Compile errors"), "{body}");
    assert!(body.contains("schemas/proto/acme/broken.proto"), "{body}");
    assert!(body.contains("`3:"), "the error's position: {body}");
}

#[test]
fn a_big_change_is_cut_to_fit_with_a_note() {
    let repo = released_schemas();
    let dir = repo.path();
    // 1,500 undocumented messages: 3,000 lint findings and a 1,500-line
    // diff, far over GitHub's limit.
    let mut text = String::from("syntax = \"proto3\";\n\npackage acme.bulk.v1;\n\n");
    for n in 0..1_500 {
        text.push_str(&format!("message Bulk{n} {{\n  string value = 1;\n}}\n"));
    }
    write_files(dir, &[("schemas/proto/acme/bulk/v1/bulk.proto", &text)]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "bulk"]);
    let run = schemactl(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--comment",
            "comment.md",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stdout.len() > 70_000, "the findings alone are big");
    let body = std::fs::read_to_string(dir.join("comment.md")).expect("the body");
    let chars = body.chars().count();
    assert!(chars <= 65_536 - 1_024, "{chars}");
    assert!(chars > 20_000, "only what does not fit is cut: {chars}");
    assert!(body.contains("shortened to fit"), "{body}");
    assert!(body.contains("1 of 1 file diffs"), "{body}");
    assert!(body.contains("schemactl check` locally"), "{body}");
    assert!(row(&body, "lint").contains("| 3000 |"), "{body}");
    assert!(body.contains("**Semver bump: minor**"), "{body}");
    assert_eq!(
        body.matches("<details>").count(),
        body.matches("</details>").count()
    );
}

#[test]
fn an_unwritable_comment_file_is_an_error_naming_it() {
    let repo = released_schemas();
    let dir = repo.path();
    let run = schemactl(
        dir,
        &[
            "check",
            "schemas",
            "--no-generate",
            "--comment",
            "missing/dir/comment.md",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: cannot write the comment to `missing/dir/comment.md`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}
