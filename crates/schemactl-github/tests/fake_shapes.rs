//! The fake answers with shapes octocrab's models accept, through the real
//! client (paths, pagination, retries, a GitHub Enterprise prefix).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use octocrab::models::issues::Comment;
use octocrab::models::pulls::PullRequest;
use octocrab::models::repos::{Content, FileUpdate, Ref};
use octocrab::models::{Label, Repository};
use schemactl_github::fake::{FakeGithub, Fault};
use schemactl_github::{Client, ClientConfig, Method, RetryPolicy};

fn client(fake: &FakeGithub, read_only: bool) -> Client {
    Client::new(ClientConfig {
        api_url: fake.url().to_owned(),
        token: Some("t0k3n".to_owned()),
        retry: RetryPolicy {
            attempts: 4,
            backoff: Duration::from_millis(20),
            max_wait: Duration::from_secs(5),
        },
        read_only,
    })
    .expect("client")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn every_endpoint_decodes_into_octocrab_models() {
    let fake = FakeGithub::start("/api/v3");
    fake.add_token("t0k3n", "schemactl-bot", true);
    fake.add_repo("acme/svc", "main", &[("go.mod", "require x v1.0.0\n")]);
    fake.add_pull("acme/svc", 7, "feature", "abc123");
    for i in 0..250 {
        fake.add_comment("acme/svc", 7, "someone", &format!("comment {i}"));
    }
    runtime().block_on(async {
        let client = client(&fake, false);
        let repo: Repository = client.get("/repos/acme/svc").await.expect("repo");
        assert_eq!(repo.default_branch.as_deref(), Some("main"));
        let pull: PullRequest = client.get("/repos/acme/svc/pulls/7").await.expect("pull");
        assert_eq!(pull.head.sha, "abc123");
        let comments: Vec<Comment> = client
            .get_all("/repos/acme/svc/issues/7/comments?per_page=100")
            .await
            .expect("comments");
        assert_eq!(comments.len(), 250);
        assert_eq!(comments[249].body.as_deref(), Some("comment 249"));
        let created: Comment = client
            .post(
                "/repos/acme/svc/issues/7/comments",
                &serde_json::json!({"body": "hello"}),
            )
            .await
            .expect("create");
        assert_eq!(created.user.login, "schemactl-bot");
        let updated: Comment = client
            .patch(
                &format!("/repos/acme/svc/issues/comments/{}", created.id),
                &serde_json::json!({"body": "hello again"}),
            )
            .await
            .expect("update");
        assert_eq!(updated.body.as_deref(), Some("hello again"));
        let content: Content = client
            .get("/repos/acme/svc/contents/go.mod?ref=main")
            .await
            .expect("content");
        let main: Ref = client
            .get("/repos/acme/svc/git/ref/heads/main")
            .await
            .expect("ref");
        let octocrab::models::repos::Object::Commit { sha, .. } = &main.object else {
            panic!("a commit: {main:?}");
        };
        let _: Ref = client
            .post(
                "/repos/acme/svc/git/refs",
                &serde_json::json!({"ref": "refs/heads/update", "sha": sha}),
            )
            .await
            .expect("create ref");
        let _: FileUpdate = client
            .put(
                "/repos/acme/svc/contents/go.mod",
                &serde_json::json!({"message": "bump", "content": "cmVxdWlyZSB4IHYxLjEuMAo=", "sha": content.sha, "branch": "update"}),
            )
            .await
            .expect("update file");
        let opened: PullRequest = client
            .post(
                "/repos/acme/svc/pulls",
                &serde_json::json!({"title": "t", "head": "update", "base": "main", "body": "b"}),
            )
            .await
            .expect("open pull");
        let found: Vec<PullRequest> = client
            .get_all("/repos/acme/svc/pulls?head=acme:update&state=open&per_page=100")
            .await
            .expect("list pulls");
        assert_eq!(found.len(), 1);
        let labels: Vec<Label> = client
            .post(
                &format!("/repos/acme/svc/issues/{}/labels", opened.number),
                &serde_json::json!({"labels": ["schemactl"]}),
            )
            .await
            .expect("labels");
        assert_eq!(labels[0].name, "schemactl");
    });
    assert_eq!(
        fake.file("acme/svc", "update", "go.mod").as_deref(),
        Some("require x v1.1.0\n")
    );
    // Three pages of comments, each a request.
    let pages = fake
        .log()
        .iter()
        .filter(|l| l.path.starts_with("/repos/acme/svc/issues/7/comments?"))
        .count();
    assert_eq!(pages, 3);
}

#[test]
fn retries_5xx_and_secondary_limits_and_reports_each_wait() {
    let fake = FakeGithub::start("");
    fake.add_token("t0k3n", "schemactl-bot", true);
    fake.add_repo("acme/svc", "main", &[]);
    fake.inject(Fault {
        method: Some("GET".to_owned()),
        path_contains: "/repos/acme/svc".to_owned(),
        status: 502,
        headers: Vec::new(),
        message: "Server Error".to_owned(),
        times: 1,
    });
    fake.inject(Fault {
        method: Some("GET".to_owned()),
        path_contains: "/repos/acme/svc".to_owned(),
        status: 403,
        headers: vec![("retry-after".to_owned(), "1".to_owned())],
        message: "You have exceeded a secondary rate limit.".to_owned(),
        times: 1,
    });
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    runtime().block_on(async {
        let client = client(&fake, false).observe(move |w| {
            seen.lock().expect("lock").push((w.reason.clone(), w.wait));
        });
        let _: Repository = client.get("/repos/acme/svc").await.expect("after retries");
    });
    let waits = waits.lock().expect("lock").clone();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_eq!(waits[0].0, "502");
    assert_eq!(
        waits[1],
        ("secondary rate limit".to_owned(), Duration::from_secs(1))
    );
    let log = fake.log();
    assert_eq!(
        log.iter().map(|l| l.status).collect::<Vec<_>>(),
        [502, 403, 200]
    );
    assert!(log[2].at - log[1].at >= Duration::from_secs(1));
}

#[test]
fn a_read_only_client_sends_no_write() {
    let fake = FakeGithub::start("");
    fake.add_token("t0k3n", "schemactl-bot", true);
    fake.add_repo("acme/svc", "main", &[]);
    runtime().block_on(async {
        let client = client(&fake, true);
        let refused = client
            .send(Method::Post, "/repos/acme/svc/pulls", None)
            .await;
        assert!(refused.is_err());
    });
    assert!(fake.log().is_empty());
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

fn primary_limit(reset: u64) -> Fault {
    Fault {
        method: None,
        path_contains: "/repos/acme/svc".to_owned(),
        status: 403,
        headers: vec![
            ("x-ratelimit-limit".to_owned(), "5000".to_owned()),
            ("x-ratelimit-remaining".to_owned(), "0".to_owned()),
            ("x-ratelimit-reset".to_owned(), reset.to_string()),
        ],
        message: "API rate limit exceeded for user ID 1.".to_owned(),
        times: 1,
    }
}

#[test]
fn a_primary_rate_limit_waits_for_its_reset_within_the_bound() {
    let fake = FakeGithub::start("");
    fake.add_token("t0k3n", "schemactl-bot", true);
    fake.add_repo("acme/svc", "main", &[]);
    fake.inject(primary_limit(now() + 1));
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    runtime().block_on(async {
        let client = client(&fake, false).observe(move |w| {
            seen.lock().expect("lock").push((w.reason.clone(), w.wait));
        });
        let _: Repository = client
            .get("/repos/acme/svc")
            .await
            .expect("after the reset");
    });
    let waits = waits.lock().expect("lock").clone();
    assert_eq!(waits.len(), 1, "{waits:?}");
    assert_eq!(waits[0].0, "primary rate limit");
    assert!(waits[0].1 >= Duration::from_secs(1) && waits[0].1 <= Duration::from_secs(3));
    let log = fake.log();
    assert!(log[1].at - log[0].at >= Duration::from_secs(1), "{log:?}");

    // A reset an hour away is more than the bound (5 s here): an error at
    // once, not a silent hour.
    fake.inject(primary_limit(now() + 3600));
    let started = std::time::Instant::now();
    let error = runtime().block_on(async {
        client(&fake, false)
            .get::<Repository>("/repos/acme/svc")
            .await
            .expect_err("over the bound")
    });
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        error.to_string().contains("rate limit asks to wait"),
        "{error}"
    );
    assert!(error.hint().is_some());
}
