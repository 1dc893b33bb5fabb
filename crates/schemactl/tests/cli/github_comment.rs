//! `schemactl github comment` against the local fake GitHub
//! (schemactl_github::fake): one comment per marker, found on any page,
//! updated with PATCH, not rewritten when unchanged, never overwritten by an
//! older head, cut to GitHub's limit, a fork's read-only token tolerated, a
//! GitHub Enterprise base.

use std::path::Path;

use schemactl_github::fake::{FakeGithub, Logged};

use crate::common::*;

const REPO: &str = "acme/proto-schema";
const TOKEN: &str = "ghs_writer";
const BOT: &str = "github-actions[bot]";
const HEAD: &str = "1111111111111111111111111111111111111111";

fn fake(prefix: &str) -> FakeGithub {
    let fake = FakeGithub::start(prefix);
    fake.add_token(TOKEN, BOT, true);
    fake.add_token("ghs_fork", BOT, false);
    fake.add_repo(REPO, "main", &[]);
    fake.add_pull(REPO, 42, "feature", HEAD);
    fake
}

/// `github comment --body-file` with `body` as the report.
fn comment(fake: &FakeGithub, dir: &Path, body: &str, extra: &[&str], token: &str) -> Run {
    let file = dir.join("comment.md");
    std::fs::write(&file, body).expect("write body");
    let file = file.display().to_string();
    let mut args = vec![
        "github",
        "comment",
        "--body-file",
        &file,
        "--repo",
        REPO,
        "--pr",
        "42",
    ];
    args.extend_from_slice(extra);
    schemactl_env(
        dir,
        &args,
        &[("GITHUB_API_URL", fake.url()), ("GITHUB_TOKEN", token)],
    )
}

fn writes(log: &[Logged]) -> Vec<(String, String)> {
    log.iter()
        .filter(|l| l.method != "GET")
        .map(|l| (l.method.clone(), l.path.clone()))
        .collect()
}

#[test]
fn three_runs_leave_one_comment_updated_with_patch_and_an_unchanged_report_writes_nothing() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    fake.add_comment(REPO, 42, "reviewer", "Looks good, but see the topic.");

    let first = comment(&fake, tmp.path(), "report one", &[], TOKEN);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(
        first.stderr.contains("created the comment"),
        "{}",
        first.stderr
    );
    let second = comment(&fake, tmp.path(), "report two", &[], TOKEN);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("updated the comment"),
        "{}",
        second.stderr
    );
    fake.clear_log();
    let third = comment(&fake, tmp.path(), "report two", &[], TOKEN);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert!(third.stderr.contains("not rewritten"), "{}", third.stderr);
    assert!(writes(&fake.log()).is_empty(), "{:?}", fake.log());

    let comments = fake.comments(REPO, 42);
    let ours: Vec<_> = comments.iter().filter(|c| c.user == BOT).collect();
    assert_eq!(ours.len(), 1, "{comments:?}");
    assert!(ours[0].body.starts_with("<!-- schemactl:schemactl -->\n"));
    assert!(ours[0].body.ends_with("report two"), "{}", ours[0].body);
    // The reviewer's comment is untouched.
    assert_eq!(comments[0].body, "Looks good, but see the topic.");
}

#[test]
fn the_marker_is_found_on_page_three_and_updated_with_patch() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    for i in 0..205 {
        fake.add_comment(REPO, 42, "reviewer", &format!("comment {i}"));
    }
    assert_eq!(comment(&fake, tmp.path(), "first", &[], TOKEN).code, 0);
    for i in 0..30 {
        fake.add_comment(REPO, 42, "reviewer", &format!("later {i}"));
    }
    fake.clear_log();
    let run = comment(&fake, tmp.path(), "second", &[], TOKEN);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = fake.log();
    let pages: Vec<&str> = log
        .iter()
        .filter(|l| l.path.contains("/issues/42/comments"))
        .map(|l| l.path.as_str())
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(
        pages.iter().all(|p| p.contains("per_page=100")),
        "{pages:?}"
    );
    let id = fake
        .comments(REPO, 42)
        .iter()
        .position(|c| c.user == BOT)
        .expect("ours");
    assert!(id >= 200, "ours is the comment at index {id}, on page 3");
    assert_eq!(writes(&log).len(), 1, "{log:?}");
    assert_eq!(writes(&log)[0].0, "PATCH");
    let bodies: Vec<String> = fake
        .comments(REPO, 42)
        .into_iter()
        .filter(|c| c.user == BOT)
        .map(|c| c.body)
        .collect();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].ends_with("second"));
}

#[test]
fn two_markers_keep_two_comments() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    assert_eq!(
        comment(&fake, tmp.path(), "a", &["--marker", "schemas"], TOKEN).code,
        0
    );
    assert_eq!(
        comment(&fake, tmp.path(), "b", &["--marker", "apis"], TOKEN).code,
        0
    );
    assert_eq!(
        comment(&fake, tmp.path(), "c", &["--marker", "schemas"], TOKEN).code,
        0
    );
    let mut bodies: Vec<String> = fake
        .comments(REPO, 42)
        .into_iter()
        .map(|c| c.body)
        .collect();
    bodies.sort();
    assert_eq!(
        bodies,
        [
            "<!-- schemactl:apis -->\nb".to_owned(),
            "<!-- schemactl:schemas -->\nc".to_owned()
        ]
    );
    let bad = comment(&fake, tmp.path(), "d", &["--marker", "x --> <b>"], TOKEN);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("cannot be a marker"), "{}", bad.stderr);
}

#[test]
fn a_seventy_thousand_character_report_is_cut_to_fit() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    let mut report = String::from("## schemactl\n\n```diff\n");
    while report.chars().count() < 70_000 {
        report.push_str("+  string given_name = 2; // é\n");
    }
    report.push_str("```\n");
    let run = comment(&fake, tmp.path(), &report, &[], TOKEN);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ours = &fake.comments(REPO, 42)[0];
    let chars = ours.body.chars().count();
    assert!(chars <= 65_536 && chars > 60_000, "{chars}");
    assert!(ours.body.contains("cut to fit"), "the cut is said");
    let fences = ours.body.lines().filter(|l| l.starts_with("```")).count();
    assert_eq!(fences % 2, 0, "no fence left open");
}

#[test]
fn an_older_head_never_overwrites_a_newer_report() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    let newer = "2222222222222222222222222222222222222222";
    // The run for the old head finishes after the push of a newer one.
    fake.set_pull_head(REPO, 42, newer);
    assert_eq!(
        comment(&fake, tmp.path(), "newer", &["--head-sha", newer], TOKEN).code,
        0
    );
    fake.clear_log();
    let old = comment(&fake, tmp.path(), "older", &["--head-sha", HEAD], TOKEN);
    assert_eq!(old.code, 0, "{}", old.stderr);
    assert!(
        old.stderr.contains("left to the newer run"),
        "{}",
        old.stderr
    );
    assert!(writes(&fake.log()).is_empty(), "{:?}", fake.log());
    let ours = &fake.comments(REPO, 42)[0];
    assert!(ours.body.contains(&format!("schemactl-head:{newer}")));
    assert!(ours.body.ends_with("newer"));
}

#[test]
fn the_head_comes_from_the_pull_request_event() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    let event = tmp.path().join("event.json");
    let stale = "3333333333333333333333333333333333333333";
    std::fs::write(
        &event,
        format!(r#"{{"pull_request": {{"number": 42, "head": {{"sha": "{stale}"}}}}}}"#),
    )
    .expect("event");
    std::fs::write(tmp.path().join("c.md"), "report").expect("body");
    let run = schemactl_env(
        tmp.path(),
        &["github", "comment", "--body-file", "c.md", "--pr", "42"],
        &[
            ("GITHUB_API_URL", fake.url()),
            ("GITHUB_TOKEN", TOKEN),
            ("GITHUB_REPOSITORY", REPO),
            ("GITHUB_EVENT_PATH", event.to_str().expect("utf-8")),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("not {stale}")),
        "{}",
        run.stderr
    );
    assert!(fake.comments(REPO, 42).is_empty());
}

#[test]
fn a_forks_read_only_token_warns_and_passes() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    let run = comment(&fake, tmp.path(), "report", &[], "ghs_fork");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning:"), "{}", run.stderr);
    assert!(run.stderr.contains("fork"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("ghs_fork"),
        "the token is never printed"
    );
    assert!(fake.comments(REPO, 42).is_empty());
    assert!(fake.log().iter().any(|l| l.status == 403));
}

#[test]
fn bad_credentials_and_a_missing_token_fail_clearly() {
    let fake = fake("");
    let tmp = tempfile::tempdir().expect("tmp");
    let run = comment(&fake, tmp.path(), "report", &[], "ghs_revoked");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("401"), "{}", run.stderr);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(!run.stderr.contains("ghs_revoked"));
    std::fs::write(tmp.path().join("c.md"), "report").expect("body");
    let run = schemactl_env(
        tmp.path(),
        &[
            "github",
            "comment",
            "--body-file",
            "c.md",
            "--repo",
            REPO,
            "--pr",
            "42",
        ],
        &[("GITHUB_API_URL", fake.url())],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no GitHub token"), "{}", run.stderr);
    // A token file works instead of GITHUB_TOKEN.
    std::fs::write(tmp.path().join("token"), format!("{TOKEN}\n")).expect("token");
    let run = schemactl_env(
        tmp.path(),
        &[
            "github",
            "comment",
            "--body-file",
            "c.md",
            "--repo",
            REPO,
            "--pr",
            "42",
            "--token-file",
            "token",
        ],
        &[("GITHUB_API_URL", fake.url())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fake.comments(REPO, 42).len(), 1);
}

#[test]
fn a_github_enterprise_base_with_api_v3_works() {
    let fake = fake("/api/v3");
    let tmp = tempfile::tempdir().expect("tmp");
    assert!(fake.url().ends_with("/api/v3"));
    let run = comment(&fake, tmp.path(), "on GHE", &[], TOKEN);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(fake.comments(REPO, 42).len(), 1);
    assert!(
        fake.log().iter().all(|l| l.status < 400),
        "{:?}",
        fake.log()
    );
    // And --github-api-url overrides the environment.
    let file = tmp.path().join("comment.md");
    std::fs::write(&file, "again").expect("body");
    let run = schemactl_env(
        tmp.path(),
        &[
            "github",
            "comment",
            "--body-file",
            "comment.md",
            "--repo",
            REPO,
            "--pr",
            "42",
            "--github-api-url",
            fake.url(),
        ],
        &[
            ("GITHUB_API_URL", "http://127.0.0.1:9/nowhere"),
            ("GITHUB_TOKEN", TOKEN),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fake.comments(REPO, 42)[0].body.ends_with("again"));
}

/// Without --body-file the command runs the check itself: a real repository
/// with a release and a breaking change.
#[test]
fn without_a_body_file_it_runs_the_check_and_links_the_head() {
    let fake = fake("");
    let tmp = released_schemas();
    let file = tmp
        .path()
        .join("schemas/proto/acme/identity/v1/user_created.proto");
    let text = std::fs::read_to_string(&file).expect("read");
    let (head, _) = text.rsplit_once('}').expect("a message");
    let changed = format!(
        "{head}}}\n\n// A new event.\nmessage UserRenamed {{\n  // The user.\n  string user_id = 1;\n}}\n"
    );
    std::fs::write(&file, changed).expect("write");
    git(tmp.path(), &["commit", "-qam", "rename event"]);
    let sha = git(tmp.path(), &["rev-parse", "HEAD"]).trim().to_owned();
    fake.set_pull_head(REPO, 42, &sha);
    let run = schemactl_env(
        tmp.path(),
        &[
            "github",
            "comment",
            "schemas",
            "--repo",
            REPO,
            "--pr",
            "42",
            "--against",
            "v1.0.0",
        ],
        &[("GITHUB_API_URL", fake.url()), ("GITHUB_TOKEN", TOKEN)],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let comments = fake.comments(REPO, 42);
    assert_eq!(comments.len(), 1);
    let body = &comments[0].body;
    assert!(body.contains(&format!("schemactl-head:{sha}")), "{body}");
    assert!(body.contains("| compile |"), "{body}");
    assert!(body.contains("user_created.proto"), "{body}");
    assert!(
        body.contains("minor"),
        "adding a message is a minor bump:\n{body}"
    );
    assert!(
        body.contains("<details>"),
        "the diff of the changed file:\n{body}"
    );
}
