//! The web UI of `schemactl serve` in a real browser: headless Chromium,
//! driven by playwright-core (tests/clients/ui.cjs), follows the links from
//! the topic list to a topic, its two versions and their diff, and checks
//! what each page shows. Chromium and playwright-core are installed by
//! `scripts/test.sh`.

use std::process::Command;

use crate::common::repo_root;
use crate::common::serve::{Server, fixture_repo};

/// `(SCHEMACTL_CLIENTS_NODE, SCHEMACTL_CHROMIUM)`, or `None` to skip.
fn browser() -> Option<(String, String)> {
    match (
        std::env::var("SCHEMACTL_CLIENTS_NODE"),
        std::env::var("SCHEMACTL_CHROMIUM"),
    ) {
        (Ok(node), Ok(chromium)) => Some((node, chromium)),
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
                "SCHEMACTL_CLIENTS_NODE / SCHEMACTL_CHROMIUM are not set: run scripts/test.sh, which installs playwright-core and Chromium"
            );
            eprintln!(
                "skipped: playwright-core and Chromium are not installed (run scripts/test.sh)"
            );
            None
        }
    }
}

/// The fixture's v1.1.0 adds `card_nickname` to `PaymentCaptured`: topic
/// `billing.payment-captured.v1` has versions 1 and 2, and the diff is a
/// minor bump with that one added field.
#[test]
fn web_ui_in_headless_chromium() {
    let Some((node_dir, chromium)) = browser() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);
    let screenshot = tmp.path().join("diff.png");
    let out = Command::new("node")
        .arg(repo_root().join("tests/clients/ui.cjs"))
        .args(["--base", &server.url])
        .args(["--topic", "billing.payment-captured.v1"])
        .args(["--owner", "team-payments"])
        .args(["--added-field", "card_nickname"])
        .args(["--from", "1", "--to", "2"])
        .arg("--screenshot")
        .arg(&screenshot)
        .env("SCHEMACTL_CLIENTS_NODE", &node_dir)
        .env("SCHEMACTL_CHROMIUM", &chromium)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node tests/clients/ui.cjs: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "ui.cjs failed ({}):\n{stdout}\n{stderr}\nserver log:\n{}",
        out.status,
        server.log_text()
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("ui.cjs printed no JSON summary ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(summary["ok"], true, "{stdout}");
    assert_eq!(summary["bump"], "minor", "{stdout}");
    let png = std::fs::read(&screenshot).expect("ui.cjs wrote the screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "the screenshot is not a plausible PNG ({} bytes)",
        png.len()
    );
    eprintln!("{}", stdout.trim());
    // Keep the screenshot where it can be looked at.
    if let Ok(dir) = std::env::var("SCHEMACTL_UI_SCREENSHOT_DIR") {
        let to = std::path::Path::new(&dir).join("serve_ui-diff.png");
        std::fs::copy(&screenshot, &to).expect("copy the screenshot");
        eprintln!("screenshot: {}", to.display());
    }
}
