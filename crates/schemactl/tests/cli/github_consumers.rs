//! `schemactl github consumers --release v1.1.0`: the example schemas in a
//! git repository tagged v1.0.0 and, after a new field, v1.1.0; the four
//! example consumers (two servers, two clients) in a fake GitHub, pinned to
//! 1.0.0.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use schemactl_github::fake::{FakeGithub, Fault, Logged};

use crate::common::*;

const USER_CREATED: &str = "schemas/proto/acme/identity/v1/user_created.proto";
const BRANCH: &str = "schemactl/proto-schema";

/// The consumers of schemas/schemactl.yaml: repository, kind, pin file and
/// its text at 1.0.0.
const CONSUMERS: &[(&str, &str, &str, &str)] = &[
    (
        "acme/billing-service",
        "server",
        "go.mod",
        "module github.com/acme/billing-service\n\ngo 1.22\n\nrequire github.com/acme/proto-schema/gen/go v1.0.0\n",
    ),
    (
        "acme/notification-service",
        "server",
        "Cargo.toml",
        "[package]\nname = \"notification-service\"\n\n[dependencies]\nacme-proto-schema = \"=1.0.0\"\n",
    ),
    (
        "acme/crm-sync",
        "client",
        "requirements.txt",
        "requests==2.32.3\nacme-proto-schema==1.0.0\n",
    ),
    (
        "acme/support-console",
        "client",
        "package.json",
        "{\n  \"dependencies\": {\n    \"@acme/proto-schema\": \"^1.0.0\"\n  }\n}\n",
    ),
];

/// The schemas tagged v1.0.0, then a field added to
/// acme.identity.v1.UserCreated (topic identity.user-created.v1) tagged
/// v1.1.0.
fn released_repo() -> tempfile::TempDir {
    let tmp = released_schemas();
    let dir = tmp.path();
    let path = dir.join(USER_CREATED);
    let text = std::fs::read_to_string(&path).expect("read");
    let open = text.find("message UserCreated {").expect("message") + "message UserCreated {".len();
    let added = format!(
        "{}\n  // Where the user signed up from, if known.\n  string signup_country = 99;\n{}",
        &text[..open],
        &text[open..]
    );
    std::fs::write(&path, added).expect("write");
    git(dir, &["commit", "-q", "-am", "add signup_country"]);
    git(dir, &["tag", "-a", "v1.1.0", "-m", "schema release v1.1.0"]);
    tmp
}

fn fake(prefix: &str) -> FakeGithub {
    let fake = FakeGithub::start(prefix);
    fake.add_token("t0k3n", "schemactl-bot", true);
    for (repo, _, file, text) in CONSUMERS {
        fake.add_repo(repo, "main", &[(file, text)]);
    }
    fake
}

/// `schemactl github consumers schemas ARGS` against `fake`.
fn consumers(dir: &Path, fake: &FakeGithub, args: &[&str]) -> Run {
    let mut all = vec!["github", "consumers", "schemas"];
    all.extend_from_slice(args);
    schemactl_env(
        dir,
        &all,
        &[
            ("GITHUB_API_URL", fake.url()),
            ("GITHUB_TOKEN", "t0k3n"),
            ("GITHUB_REPOSITORY", "acme/proto-schema"),
            ("SCHEMACTL_GITHUB_BACKOFF_MS", "10"),
        ],
    )
}

fn is_write(l: &Logged) -> bool {
    l.method != "GET"
}

/// The index in the log of the POST that opened `repo`'s pull request.
fn opened_at(log: &[Logged], repo: &str) -> usize {
    let path = format!("/repos/{repo}/pulls");
    log.iter()
        .position(|l| l.method == "POST" && l.path == path && l.status == 201)
        .unwrap_or_else(|| panic!("no pull request opened in {repo}"))
}

fn servers_opened_before_clients(log: &[Logged]) {
    let at = |kind: &str| -> Vec<usize> {
        CONSUMERS
            .iter()
            .filter(|c| c.1 == kind)
            .map(|c| opened_at(log, c.0))
            .collect()
    };
    let (servers, clients) = (at("server"), at("client"));
    let last_server = servers.iter().max().expect("servers");
    let first_client = clients.iter().min().expect("clients");
    assert!(
        last_server < first_client,
        "servers {servers:?}, clients {clients:?}"
    );
}

fn pinned_on_branch(fake: &FakeGithub, repo: &str, file: &str) -> String {
    fake.file(repo, BRANCH, file)
        .unwrap_or_else(|| panic!("{file} on {BRANCH} of {repo}"))
}

#[test]
fn opens_one_pull_request_per_consumer_servers_first_and_a_second_run_writes_nothing() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = fake("");
    let summary = dir.join("summary.md");
    let run = consumers(
        dir,
        &fake,
        &[
            "--release",
            "v1.1.0",
            "--summary-file",
            summary.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let log = fake.log();
    servers_opened_before_clients(&log);
    assert!(
        pinned_on_branch(&fake, "acme/billing-service", "go.mod")
            .contains("github.com/acme/proto-schema/gen/go v1.1.0\n")
    );
    assert!(
        pinned_on_branch(&fake, "acme/notification-service", "Cargo.toml")
            .contains("acme-proto-schema = \"=1.1.0\"")
    );
    assert_eq!(
        pinned_on_branch(&fake, "acme/crm-sync", "requirements.txt"),
        "requests==2.32.3\nacme-proto-schema==1.1.0\n"
    );
    assert!(
        pinned_on_branch(&fake, "acme/support-console", "package.json")
            .contains("\"@acme/proto-schema\": \"^1.1.0\"")
    );
    // The default branches are untouched.
    assert_eq!(
        fake.file("acme/crm-sync", "main", "requirements.txt")
            .as_deref(),
        Some(CONSUMERS[2].3)
    );
    for (repo, _, _, _) in CONSUMERS {
        let pulls = fake.pulls(repo);
        assert_eq!(pulls.len(), 1, "{repo}");
        assert_eq!(pulls[0].title, "Update proto-schema to v1.1.0");
        assert_eq!(pulls[0].head, BRANCH);
        assert_eq!(pulls[0].labels, ["schemactl", "dependencies"]);
        assert!(
            pulls[0].body.contains("Semver bump: minor"),
            "{}",
            pulls[0].body
        );
        assert!(!pulls[0].body.contains("⚠️"), "{}", pulls[0].body);
    }
    // crm-sync reads identity.user-created.v1, which changed; billing
    // reads only other topics.
    let crm = &fake.pulls("acme/crm-sync")[0].body;
    assert!(
        crm.contains("identity.user-created.v1") && crm.contains("signup_country"),
        "{crm}"
    );
    let billing = &fake.pulls("acme/billing-service")[0].body;
    assert!(!billing.contains("signup_country"), "{billing}");
    assert!(
        billing.contains("No change to the topics you read"),
        "{billing}"
    );
    for (repo, kind, _, _) in CONSUMERS {
        let row = run
            .stdout
            .lines()
            .find(|l| l.starts_with(repo))
            .unwrap_or_else(|| panic!("{repo} in\n{}", run.stdout));
        assert!(
            row.contains(kind) && row.contains("1.0.0") && row.contains("1.1.0"),
            "{row}"
        );
        assert!(row.contains("opened #"), "{row}");
    }
    let markdown = std::fs::read_to_string(&summary).expect("summary file");
    assert!(
        markdown.contains("| `acme/crm-sync` | client | 1.0.0 | 1.1.0 | opened [#"),
        "{markdown}"
    );

    fake.clear_log();
    let again = consumers(dir, &fake, &["--release", "v1.1.0"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let writes: Vec<Logged> = fake.log().into_iter().filter(is_write).collect();
    assert!(writes.is_empty(), "{writes:?}");
    for (repo, _, _, _) in CONSUMERS {
        assert_eq!(fake.pulls(repo).len(), 1, "{repo}");
    }
    assert_eq!(
        again.stdout.matches("unchanged #").count(),
        4,
        "{}",
        again.stdout
    );
}

#[test]
fn a_502_and_a_secondary_rate_limit_are_waited_out() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = fake("");
    fake.inject(Fault {
        method: Some("GET".to_owned()),
        path_contains: "/repos/acme/billing-service/contents/".to_owned(),
        status: 502,
        headers: Vec::new(),
        message: "Server Error".to_owned(),
        times: 1,
    });
    fake.inject(Fault {
        method: Some("POST".to_owned()),
        path_contains: "/repos/acme/crm-sync/pulls".to_owned(),
        status: 403,
        headers: vec![("retry-after".to_owned(), "1".to_owned())],
        message: "You have exceeded a secondary rate limit.".to_owned(),
        times: 1,
    });
    let run = consumers(dir, &fake, &["--release", "v1.1.0"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let log = fake.log();
    let limited = log
        .iter()
        .position(|l| l.status == 403)
        .expect("the rate limit was answered");
    let retried = &log[limited + 1];
    assert_eq!(
        (
            retried.method.as_str(),
            retried.path.as_str(),
            retried.status
        ),
        ("POST", "/repos/acme/crm-sync/pulls", 201)
    );
    assert!(
        retried.at - log[limited].at >= Duration::from_secs(1),
        "waited {:?}",
        retried.at - log[limited].at
    );
    let failed = log.iter().position(|l| l.status == 502).expect("the 502");
    assert_eq!(
        log[failed + 1].path,
        log[failed].path,
        "retried the same request"
    );
    assert!(run.stderr.contains("answered 502"), "{}", run.stderr);
    assert!(
        run.stderr.contains("secondary rate limit"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("retrying in 1.0 s"), "{}", run.stderr);
    for (repo, _, _, _) in CONSUMERS {
        assert_eq!(fake.pulls(repo).len(), 1, "{repo}");
    }
    servers_opened_before_clients(&log);
}

#[test]
fn a_missing_repository_fails_alone_on_github_enterprise() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = fake("/api/v3");
    fake.hide_repo("acme/notification-service");
    let summary = dir.join("summary.md");
    let run = consumers(
        dir,
        &fake,
        &[
            "--release",
            "v1.1.0",
            "--summary-file",
            summary.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    for (repo, _, _, _) in CONSUMERS {
        let expected = usize::from(*repo != "acme/notification-service");
        assert_eq!(fake.pulls(repo).len(), expected, "{repo}");
    }
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("acme/notification-service"))
        .expect("a row");
    assert!(row.contains("failed") && row.contains("404"), "{row}");
    assert!(
        run.stderr.contains("error: acme/notification-service:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 of 4 consumers failed"),
        "{}",
        run.stderr
    );
    let markdown = std::fs::read_to_string(&summary).expect("summary file");
    assert!(
        markdown.contains("| `acme/notification-service` | server | ? | 1.1.0 | ❌ failed"),
        "{markdown}"
    );
    // Every request went under the prefix (the fake logs paths without it,
    // and answers 404 to anything outside it).
    assert!(fake.log().iter().all(|l| l.path.starts_with("/repos/")));
}

#[test]
fn a_dry_run_sends_only_gets() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = fake("");
    let run = consumers(dir, &fake, &["--release", "v1.1.0", "--dry-run"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let log = fake.log();
    assert!(!log.is_empty());
    let writes: Vec<&Logged> = log.iter().filter(|l| is_write(l)).collect();
    assert!(writes.is_empty(), "{writes:?}");
    assert_eq!(
        run.stdout.matches("would open a pull request").count(),
        4,
        "{}",
        run.stdout
    );
    for (repo, _, _, _) in CONSUMERS {
        assert!(fake.pulls(repo).is_empty());
        assert_eq!(fake.branches(repo), ["main"]);
    }
}

#[test]
fn a_pattern_that_does_not_match_fails_and_a_consumer_ahead_is_skipped() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = FakeGithub::start("");
    fake.add_token("t0k3n", "schemactl-bot", true);
    for (repo, _, file, text) in CONSUMERS {
        let text = match *repo {
            "acme/crm-sync" => "requests==2.32.3\nacme-proto-schema>=1.0\n".to_owned(),
            "acme/support-console" => text.replace("1.0.0", "1.2.0"),
            _ => (*text).to_owned(),
        };
        fake.add_repo(repo, "main", &[(file, &text)]);
    }
    let run = consumers(dir, &fake, &["--release", "v1.1.0"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    let row = |repo: &str| {
        run.stdout
            .lines()
            .find(|l| l.starts_with(repo))
            .unwrap_or_else(|| panic!("{repo} in {}", run.stdout))
            .to_owned()
    };
    let crm = row("acme/crm-sync");
    assert!(
        crm.contains("failed: the pattern `acme-proto-schema==(\\d+\\.\\d+\\.\\d+)` matches nothing in requirements.txt of acme/crm-sync"),
        "{crm}"
    );
    assert!(
        run.stdout
            .contains("hint (acme/crm-sync): fix the consumer's `pattern`"),
        "{}",
        run.stdout
    );
    assert!(row("acme/support-console").contains("skipped: already at 1.2.0"));
    assert!(fake.pulls("acme/crm-sync").is_empty());
    assert!(fake.pulls("acme/support-console").is_empty());
    assert_eq!(fake.pulls("acme/billing-service").len(), 1);
}

#[test]
fn an_unknown_release_is_an_error_before_any_request() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = fake("");
    let run = consumers(dir, &fake, &["--release", "v9.9.9"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("error: cannot read the release v9.9.9"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(fake.log().is_empty());
}

#[test]
fn without_a_token_nothing_is_tried_and_a_read_only_token_gets_the_permission_hint() {
    let repo = released_repo();
    let dir = repo.path();
    let fake = fake("");
    let out = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["github", "consumers", "schemas", "--release", "v1.1.0"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("GITHUB_API_URL", fake.url())
        .env_remove("GITHUB_TOKEN")
        .output()
        .expect("run schemactl");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: no GitHub token"), "{stderr}");
    assert!(fake.log().is_empty());

    // A token that may read but not write (the workflow's own token on
    // another repository): every consumer fails with the hint.
    fake.add_token("t0k3n", "github-actions[bot]", false);
    let run = consumers(dir, &fake, &["--release", "v1.1.0"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.matches("failed: GitHub answered 403").count(),
        4,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("the token needs contents: write and pull-requests: write"),
        "{}",
        run.stdout
    );
    for (repo, _, _, _) in CONSUMERS {
        assert!(fake.pulls(repo).is_empty());
    }
}

#[test]
fn a_release_whose_configuration_is_broken_is_an_error_before_any_request() {
    let repo = released_repo();
    let dir = repo.path();
    let config = dir.join("schemas/schemactl.yaml");
    let text = std::fs::read_to_string(&config).expect("read");
    let line = text
        .lines()
        .position(|l| l.trim_start() == "kind: server")
        .expect("a server consumer")
        + 1;
    std::fs::write(&config, text.replacen("kind: server", "kind: database", 1)).expect("write");
    git(
        dir,
        &["commit", "-q", "-am", "a consumer of an unknown kind"],
    );
    git(dir, &["tag", "-a", "v1.2.0", "-m", "broken"]);
    let fake = fake("");
    let run = consumers(dir, &fake, &["--release", "v1.2.0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown consumer kind `database`")
            && run
                .stderr
                .contains(&format!("schemas/schemactl.yaml:{line}")),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(fake.log().is_empty());
}
