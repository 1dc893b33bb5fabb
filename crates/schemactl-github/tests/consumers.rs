//! Consumer update pull requests against the fake GitHub.

use std::time::Duration;

use schemactl_config::{Consumer, ConsumerKind};
use schemactl_github::consumers::{
    self, Bump, Options, Outcome, Release, Report, TopicChange, update_all,
};
use schemactl_github::fake::FakeGithub;
use schemactl_github::{Client, ClientConfig, RetryPolicy};
use semver::Version;

fn consumer(
    repo: &str,
    kind: ConsumerKind,
    file: &str,
    pattern: &str,
    topics: &[&str],
) -> Consumer {
    Consumer {
        repo: repo.to_owned(),
        kind,
        file: file.to_owned(),
        pattern: pattern.to_owned(),
        topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        line: 1,
    }
}

/// A client first, then two servers: the order of the configuration is not
/// the order of the pull requests.
fn setup(fake: &FakeGithub) -> Vec<Consumer> {
    fake.add_token("t0k3n", "schemactl-bot", true);
    fake.add_repo(
        "acme/web",
        "main",
        &[("package.json", "{\"@acme/schema\": \"^1.0.0\"}\n")],
    );
    fake.add_repo(
        "acme/billing",
        "main",
        &[("go.mod", "require github.com/acme/schema v1.0.0\n")],
    );
    fake.add_repo(
        "acme/notify",
        "trunk",
        &[("Cargo.toml", "acme-schema = \"=1.0.0\"\n")],
    );
    vec![
        consumer(
            "acme/web",
            ConsumerKind::Client,
            "package.json",
            r#""@acme/schema": "\^?(\d+\.\d+\.\d+)""#,
            &["b.two.v1"],
        ),
        consumer(
            "acme/billing",
            ConsumerKind::Server,
            "go.mod",
            r"github.com/acme/schema v(\d+\.\d+\.\d+)",
            &["a.one.v1"],
        ),
        consumer(
            "acme/notify",
            ConsumerKind::Server,
            "Cargo.toml",
            r#"acme-schema = "=?(\d+\.\d+\.\d+)""#,
            &["c.three.v1"],
        ),
    ]
}

fn release(minor: u64, bump: Bump) -> Release {
    Release {
        name: "schema".to_owned(),
        tag: format!("v1.{minor}.0"),
        version: Version::new(1, minor, 0),
        previous: Some(format!("v1.{}.0", minor - 1)),
        bump: Some(bump),
        topics: vec![TopicChange {
            topic: "a.one.v1".to_owned(),
            changes: vec!["+ field a.v1.One.at".to_owned()],
        }],
    }
}

fn run(fake: &FakeGithub, consumers: &[Consumer], release: &Release, dry_run: bool) -> Vec<Report> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let client = Client::new(ClientConfig {
            api_url: fake.url().to_owned(),
            token: Some("t0k3n".to_owned()),
            retry: RetryPolicy {
                attempts: 4,
                backoff: Duration::from_millis(10),
                max_wait: Duration::from_secs(5),
            },
            read_only: dry_run,
        })
        .expect("client");
        update_all(
            &client,
            consumers,
            release,
            &Options::new("schema", dry_run),
        )
        .await
    })
}

fn writes(fake: &FakeGithub) -> Vec<String> {
    fake.log()
        .iter()
        .filter(|l| l.method != "GET")
        .map(|l| format!("{} {}", l.method, l.path))
        .collect()
}

#[test]
fn servers_first_then_idempotent_then_updated_by_the_next_release() {
    let fake = FakeGithub::start("");
    let consumers = setup(&fake);
    let reports = run(&fake, &consumers, &release(1, Bump::Minor), false);
    assert_eq!(
        reports.iter().map(|r| r.repo.as_str()).collect::<Vec<_>>(),
        ["acme/billing", "acme/notify", "acme/web"]
    );
    assert!(
        reports
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Opened { .. })),
        "{reports:?}"
    );
    let created: Vec<String> = writes(&fake)
        .into_iter()
        .filter(|w| w.starts_with("POST") && w.ends_with("/pulls"))
        .collect();
    assert_eq!(
        created,
        [
            "POST /repos/acme/billing/pulls",
            "POST /repos/acme/notify/pulls",
            "POST /repos/acme/web/pulls"
        ]
    );
    assert_eq!(
        fake.file("acme/notify", "schemactl/schema", "Cargo.toml")
            .as_deref(),
        Some("acme-schema = \"=1.1.0\"\n")
    );
    assert_eq!(
        fake.file("acme/web", "schemactl/schema", "package.json")
            .as_deref(),
        Some("{\"@acme/schema\": \"^1.1.0\"}\n")
    );
    let billing = &fake.pulls("acme/billing")[0];
    assert_eq!(billing.title, "Update schema to v1.1.0");
    assert_eq!(billing.base, "main");
    assert!(billing.body.contains("a.v1.One.at"), "{}", billing.body);
    assert_eq!(billing.labels, ["schemactl", "dependencies"]);
    let web = &fake.pulls("acme/web")[0];
    assert!(
        web.body.contains("No change to the topics you read"),
        "{}",
        web.body
    );
    assert_eq!(fake.pulls("acme/notify")[0].base, "trunk");

    fake.clear_log();
    let again = run(&fake, &consumers, &release(1, Bump::Minor), false);
    assert!(
        again
            .iter()
            .all(|r| matches!(r.outcome, Outcome::Unchanged { .. })),
        "{again:?}"
    );
    assert_eq!(writes(&fake), Vec::<String>::new());

    // The next release updates the same pull requests on the same branch.
    fake.clear_log();
    let next = run(&fake, &consumers, &release(2, Bump::Minor), false);
    assert!(
        next.iter()
            .all(|r| matches!(r.outcome, Outcome::Updated { .. })),
        "{next:?}"
    );
    assert!(
        !writes(&fake)
            .iter()
            .any(|w| w.starts_with("POST") && w.ends_with("/pulls"))
    );
    assert_eq!(fake.pulls("acme/billing").len(), 1);
    assert_eq!(
        fake.pulls("acme/billing")[0].title,
        "Update schema to v1.2.0"
    );
    assert_eq!(
        fake.file("acme/billing", "schemactl/schema", "go.mod")
            .as_deref(),
        Some("require github.com/acme/schema v1.2.0\n")
    );
}

#[test]
fn failures_and_skips_do_not_stop_the_others() {
    let fake = FakeGithub::start("/api/v3");
    let mut consumers = setup(&fake);
    fake.hide_repo("acme/notify");
    consumers[0].pattern = r"nowhere (\d+)".to_owned();
    fake.add_repo(
        "acme/ahead",
        "main",
        &[("go.mod", "require github.com/acme/schema v1.5.0\n")],
    );
    consumers.push(consumer(
        "acme/ahead",
        ConsumerKind::Server,
        "go.mod",
        r"schema v(\d+\.\d+\.\d+)",
        &[],
    ));
    let reports = run(&fake, &consumers, &release(1, Bump::Major), false);
    assert!(consumers::any_failed(&reports));
    let by = |repo: &str| {
        &reports
            .iter()
            .find(|r| r.repo == repo)
            .expect("reported")
            .outcome
    };
    assert!(matches!(by("acme/billing"), Outcome::Opened { .. }));
    assert!(matches!(by("acme/notify"), Outcome::Failed(e) if e.to_string().contains("404")));
    match by("acme/web") {
        Outcome::Failed(e) => {
            let text = e.to_string();
            assert!(
                text.contains("acme/web")
                    && text.contains("package.json")
                    && text.contains("nowhere"),
                "{text}"
            );
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(
        matches!(by("acme/ahead"), Outcome::Skipped { reason } if reason == "already at 1.5.0")
    );
    assert!(fake.pulls("acme/billing")[0].body.contains("⚠️"));
    let table = consumers::text_table(&reports);
    assert!(
        table.contains("acme/notify") && table.contains("failed"),
        "{table}"
    );
    let markdown = consumers::markdown_table(&release(1, Bump::Major), &reports, false);
    assert!(
        markdown.contains("| `acme/web` | client | ? | 1.1.0 | ❌ failed"),
        "{markdown}"
    );
}

#[test]
fn a_dry_run_sends_only_gets_and_says_what_it_would_do() {
    let fake = FakeGithub::start("");
    let consumers = setup(&fake);
    let reports = run(&fake, &consumers, &release(1, Bump::Minor), true);
    assert!(
        reports
            .iter()
            .all(|r| matches!(r.outcome, Outcome::WouldOpen)),
        "{reports:?}"
    );
    assert!(!fake.log().is_empty());
    assert_eq!(writes(&fake), Vec::<String>::new());
    run(&fake, &consumers, &release(1, Bump::Minor), false);
    let dry = run(&fake, &consumers, &release(2, Bump::Minor), true);
    assert!(
        dry.iter()
            .all(|r| matches!(r.outcome, Outcome::WouldUpdate { .. })),
        "{dry:?}"
    );
}

#[test]
fn a_refused_pull_request_fails_that_consumer_with_githubs_message() {
    let fake = FakeGithub::start("");
    let consumers = setup(&fake);
    fake.inject(schemactl_github::fake::Fault {
        method: Some("POST".to_owned()),
        path_contains: "/repos/acme/notify/pulls".to_owned(),
        status: 422,
        headers: Vec::new(),
        message: "Validation Failed: base is protected".to_owned(),
        times: 1,
    });
    let reports = run(&fake, &consumers, &release(1, Bump::Minor), false);
    let notify = reports
        .iter()
        .find(|r| r.repo == "acme/notify")
        .expect("reported");
    match &notify.outcome {
        Outcome::Failed(e) => assert!(e.to_string().contains("base is protected"), "{e}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    // It looked for a pull request opened meanwhile before giving up.
    let lists = fake
        .log()
        .iter()
        .filter(|l| l.method == "GET" && l.path.starts_with("/repos/acme/notify/pulls?"))
        .count();
    assert_eq!(lists, 2);
    assert!(
        reports
            .iter()
            .filter(|r| r.repo != "acme/notify")
            .all(|r| matches!(r.outcome, Outcome::Opened { .. }))
    );
}
