//! Refresh under load: `schemactl serve` keeps answering a numbered topic
//! version with status 200 and the very same body while new release tags
//! (good and bad) are pushed and refreshes are triggered through the signed
//! GitHub webhook.
//!
//! The load comes from the real `wrk` (Debian package `wrk`, installed by
//! scripts/test.sh), with a Lua script that checks every response against
//! the body fetched before the load. Without `wrk` the test is skipped with a
//! notice, unless SCHEMACTL_REQUIRE_CLIENTS is set (as scripts/test.sh does),
//! when it fails.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::git;
use crate::common::serve::{HttpResponse, Server, add_field, fixture_repo, github_hook};

const TOPIC_PATH: &str = "/api/v1/topics/billing.payment-captured.v1/versions/1";
const SECRET: &str = "serve-load-test-secret";
/// Seconds of load; every push and refresh must happen within it.
const LOAD_SECONDS: u64 = 8;
const CONNECTIONS: u32 = 16;

/// Counts, per wrk thread, the responses whose status is not 200 and those
/// whose body differs from the expected one (read from the file named by the
/// script's argument), and prints the totals on one line at the end.
const CHECK_LUA: &str = r#"
local expected = nil
good, bad_status, bad_body = 0, 0, 0

function init(args)
  -- args[0] is the URL; the last argument is the expected body's file
  local f = assert(io.open(args[#args], "rb"))
  expected = f:read("*a")
  f:close()
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif body ~= expected then
    bad_body = bad_body + 1
  else
    good = good + 1
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local g, s, b = 0, 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    s = s + t:get("bad_status")
    b = b + t:get("bad_body")
  end
  local e = summary.errors
  io.write(string.format(
    "LOADCHECK requests=%d good=%d bad_status=%d bad_body=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d p99_us=%d\n",
    summary.requests, g, s, b, e.connect, e.read, e.write, e.timeout, latency:percentile(99)))
end
"#;

#[test]
fn refresh_under_load_serves_every_request_unchanged() {
    // `wrk --version` exits 1: found is enough.
    if Command::new("wrk").arg("--version").output().is_err() {
        if std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_some() {
            panic!(
                "wrk is not installed (Debian: apt-get install wrk) and SCHEMACTL_REQUIRE_CLIENTS is set"
            );
        }
        eprintln!(
            "NOTICE: skipping refresh_under_load_serves_every_request_unchanged: wrk is not installed (Debian: apt-get install wrk)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(dir.path());
    let secret_file = dir.path().join("webhook-secret");
    std::fs::write(&secret_file, format!("{SECRET}\n")).expect("write secret");
    let secret_arg = secret_file.display().to_string();
    let server = Server::start(
        &repo,
        &["--poll", "0", "--webhook-secret-file", &secret_arg],
    );

    // The expected body, fetched before the load.
    let expected = server.get(TOPIC_PATH);
    assert_eq!(expected.status, 200, "{}", expected.text());
    assert_eq!(expected.json()["version"], 1);
    assert_eq!(expected.json()["release"], "v1.0.0");
    let body_file = dir.path().join("expected.body");
    std::fs::write(&body_file, &expected.body).expect("write expected body");
    let script = dir.path().join("check.lua");
    std::fs::write(&script, CHECK_LUA).expect("write lua script");

    let started = Instant::now();
    let wrk = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{CONNECTIONS}"),
            &format!("-d{LOAD_SECONDS}s"),
            "--timeout",
            "5s",
            "-s",
        ])
        .arg(&script)
        .arg(format!("{}{TOPIC_PATH}", server.url))
        .arg(&body_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start wrk");

    // While the load runs: two good tags, one bad one, several refreshes.
    std::thread::sleep(Duration::from_millis(1000));
    let file = "proto/acme/billing/v1/payment_captured.proto";
    add_field(
        &repo,
        file,
        "PaymentCaptured",
        "  // The card network, as the provider reports it.\n  string card_brand = 100;",
    );
    git(
        &repo,
        &["commit", "-q", "-am", "PaymentCaptured.card_brand"],
    );
    git(&repo, &["tag", "v1.2.0"]);
    webhook(&server, 1);
    wait_for(&server, "v1.2.0 served", |s| {
        release_names(s).contains(&"v1.2.0".to_owned())
    });

    // A tag that does not compile: skipped, reported, the rest keeps serving.
    let broken = "proto/acme/billing/v1/payment_failed.proto";
    let original = std::fs::read_to_string(repo.join(broken)).expect("read proto");
    std::fs::write(
        repo.join(broken),
        format!("{original}\nmessage Broken {{\n  string oops = 1\n"),
    )
    .expect("write proto");
    git(&repo, &["commit", "-q", "-am", "a syntax error"]);
    git(&repo, &["tag", "v1.2.1"]);
    webhook(&server, 2);
    wait_for(&server, "v1.2.1 reported as not served", |s| {
        release_errors(s).iter().any(|e| e == "v1.2.1")
    });

    std::fs::write(repo.join(broken), &original).expect("restore proto");
    add_field(
        &repo,
        file,
        "PaymentCaptured",
        "  // The last four digits of the card.\n  string card_last4 = 101;",
    );
    git(
        &repo,
        &[
            "commit",
            "-q",
            "-am",
            "fix the syntax error; PaymentCaptured.card_last4",
        ],
    );
    git(&repo, &["tag", "v1.3.0"]);
    webhook(&server, 3);
    webhook(&server, 4);
    wait_for(&server, "v1.3.0 served", |s| {
        release_names(s).contains(&"v1.3.0".to_owned())
    });
    // More refreshes with nothing new.
    for i in 5..8 {
        webhook(&server, i);
        std::thread::sleep(Duration::from_millis(200));
    }
    let pushes_done = started.elapsed();

    let out = wrk.wait_with_output().expect("wait for wrk");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "wrk failed: {stdout}\n{stderr}");
    assert!(
        pushes_done < Duration::from_secs(LOAD_SECONDS),
        "the pushes and refreshes took {pushes_done:?}, longer than the {LOAD_SECONDS} s of load: they were not all under load\n{}",
        server.log_text()
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("LOADCHECK "))
        .unwrap_or_else(|| panic!("no LOADCHECK line in wrk's output:\n{stdout}\n{stderr}"));
    let count = |key: &str| -> u64 {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in `{line}`"))
    };
    eprintln!("serve_load: {line}; pushes and refreshes done {pushes_done:?} into the load");
    assert_eq!(
        count("bad_status"),
        0,
        "responses other than 200: {line}\n{stdout}"
    );
    assert_eq!(
        count("bad_body"),
        0,
        "responses with another body: {line}\n{stdout}"
    );
    for key in ["connect_errors", "read_errors", "write_errors", "timeouts"] {
        assert_eq!(count(key), 0, "{key}: {line}\n{stdout}");
    }
    assert!(
        count("requests") >= 1000,
        "wrk made too few requests for a load test: {line}"
    );
    assert_eq!(count("good"), count("requests"), "{line}");

    // After the load: the bad tag is reported, the good ones are served.
    let ready = server.get("/readyz");
    assert_eq!(ready.status, 200, "{}", ready.text());
    let ready = ready.json();
    assert_eq!(ready["status"], "degraded", "{ready}");
    let errors = ready["release_errors"].as_array().expect("release_errors");
    assert_eq!(errors.len(), 1, "{ready}");
    assert_eq!(errors[0]["release"], "v1.2.1", "{ready}");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("payment_failed.proto")),
        "{ready}"
    );
    assert_eq!(ready["releases"], 4, "{ready}");
    assert_eq!(ready["latest_release"], "v1.3.0", "{ready}");

    assert_eq!(
        release_names(&server),
        ["v1.0.0", "v1.1.0", "v1.2.0", "v1.3.0"],
        "{}",
        server.get("/api/v1/releases").text()
    );
    let versions = server.get("/api/v1/topics/billing.payment-captured.v1/versions");
    assert_eq!(versions.status, 200, "{}", versions.text());
    let versions = versions.json();
    let list: Vec<(u64, String)> = versions["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().expect("version"),
                v["release"].as_str().expect("release").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        list,
        [
            (1, "v1.0.0".to_owned()),
            (2, "v1.1.0".to_owned()),
            (3, "v1.2.0".to_owned()),
            (4, "v1.3.0".to_owned()),
        ],
        "{versions}"
    );
    let latest = server.get("/api/v1/topics/billing.payment-captured.v1/versions/latest");
    assert_eq!(latest.status, 200, "{}", latest.text());
    assert_eq!(latest.json()["version"], 4);
    assert!(latest.text().contains("card_last4"), "{}", latest.text());
    // And version 1 is still the same, byte for byte.
    assert_eq!(server.get(TOPIC_PATH).body, expected.body);
}

/// A signed `push` webhook; the server answers 202 (refresh scheduled).
fn webhook(server: &Server, n: u32) {
    let body = format!(
        r#"{{"ref":"refs/tags/load-{n}","after":"0000000000000000000000000000000000000000"}}"#
    );
    let r = github_hook(server, "push", SECRET, body.as_bytes());
    assert_eq!(r.status, 202, "webhook {n}: {}", r.text());
    assert_eq!(
        r.json()["refresh"],
        "scheduled",
        "webhook {n}: {}",
        r.text()
    );
}

fn releases(server: &Server) -> serde_json::Value {
    let r: HttpResponse = server.get("/api/v1/releases");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

fn release_names(server: &Server) -> Vec<String> {
    releases(server)["releases"]
        .as_array()
        .expect("releases")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_owned())
        .collect()
}

fn release_errors(server: &Server) -> Vec<String> {
    releases(server)["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|r| r["release"].as_str().expect("release").to_owned())
        .collect()
}

fn wait_for(server: &Server, what: &str, done: impl Fn(&Server) -> bool) {
    let started = Instant::now();
    while !done(server) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not {what} after 30 s:\n{}",
            server.log_text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
