//! Generated code inside `schemactl check`: the committed output must be
//! what generation writes, and on a pull request only the plugins of the
//! trusted base ref run, never those the change adds.

use std::path::Path;
use std::process::Command;

use crate::common::{git, schemactl, write_files};

const USER: &str = r#"syntax = "proto3";

package acme.identity.v1;

option go_package = "example.com/schemas/gen/go/acme/identity/v1;identityv1";

// A user was created.
message UserCreated {
  // The user's id.
  string user_id = 1;
}
"#;

fn config(plugins: &str) -> String {
    format!("version: v1\nlint:\n  use: [MINIMAL]\ngenerate:\n  plugins:\n{plugins}")
}

fn go_plugin(plugin: &str) -> String {
    format!("    - local: [{plugin}]\n      out: gen/go\n      opt: paths=source_relative\n")
}

/// A git repository on `main` with `schemactl.yaml` = `config`.
fn repo(dir: &Path, config: &str) {
    write_files(
        dir,
        &[
            ("acme/identity/v1/user.proto", USER),
            ("schemactl.yaml", config),
        ],
    );
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "base"]);
}

#[test]
fn check_fails_with_the_diff_when_generated_code_is_stale() {
    let Some(plugin) = crate::generate::protoc_gen_go() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    repo(tmp.path(), &config(&go_plugin(&plugin)));
    let run = schemactl(tmp.path(), &["check"]);
    assert_eq!(
        run.code, 1,
        "nothing generated yet: {}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout
            .contains("`gen/go/acme/identity/v1/user.pb.go` is missing"),
        "{}",
        run.stdout
    );
    assert_eq!(schemactl(tmp.path(), &["generate"]).code, 0);
    let run = schemactl(tmp.path(), &["check"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);

    // A schema change without regenerating: the check shows the diff.
    let proto = tmp.path().join("acme/identity/v1/user.proto");
    let text = std::fs::read_to_string(&proto).expect("read");
    std::fs::write(
        &proto,
        text.replace(
            "  string user_id = 1;\n",
            "  string user_id = 1;\n  // The user's email.\n  string email = 2;\n",
        ),
    )
    .expect("write");
    let run = schemactl(tmp.path(), &["check", "--error-format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let findings: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON finding a line"))
        .collect();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    assert_eq!(findings[0]["type"], "GENERATE_STALE");
    assert_eq!(findings[0]["path"], "gen/go/acme/identity/v1/user.pb.go");
    assert!(
        findings[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("\n+\tEmail ") && m.contains("@@ ")),
        "{}",
        run.stdout
    );
    let run = schemactl(tmp.path(), &["check", "--no-generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

/// A pull request whose configuration adds a plugin (here `sh`, which
/// would leave a marker file) does not get it run: generation follows the
/// base branch's section.
#[test]
fn a_pull_request_cannot_add_a_plugin_that_check_runs() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).expect("mkdir");
    let marker = tmp.path().join("ran");
    let base_plugin = "    - topics: go\n      out: gen/topics\n";
    repo(&dir, &config(base_plugin));
    git(&dir, &["checkout", "-q", "-b", "pr"]);
    let added = format!(
        "    - local: [sh, -c, 'touch {}']\n      out: gen/sh\n",
        marker.display()
    );
    std::fs::write(
        dir.join("schemactl.yaml"),
        config(&format!("{base_plugin}{added}")),
    )
    .expect("write");
    git(&dir, &["commit", "-q", "-am", "add a plugin"]);

    for (args, env) in [
        (&["check", "--trusted-ref", "main"][..], None),
        (&["check"][..], Some("main")),
    ] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_schemactl"));
        command.args(args).current_dir(&dir).env("NO_COLOR", "1");
        match env {
            Some(base) => command.env("GITHUB_BASE_REF", base),
            None => command.env_remove("GITHUB_BASE_REF"),
        };
        let out = command.output().expect("run schemactl");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!marker.exists(), "the pull request's plugin ran ({args:?})");
        assert!(
            stderr.contains(&format!(
                "note: `sh -c touch {}` (out: gen/sh) is configured by this change but not on main",
                marker.display()
            )),
            "{args:?}: {stderr}"
        );
    }

    // On the user's own machine their own section is followed: the same
    // plugin does run (so the test above would have seen it).
    let run = schemactl(&dir, &["check"]);
    assert!(marker.exists(), "{}{}", run.stdout, run.stderr);
}

/// A trusted section that runs a program from inside the repository would
/// run the pull request's copy of it: not on pull requests.
#[test]
fn a_plugin_inside_the_repository_is_not_run_on_pull_requests() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    std::fs::create_dir(&dir).expect("mkdir");
    let marker = tmp.path().join("ran");
    repo(
        &dir,
        &config("    - local: [./tools/protoc-gen-acme]\n      out: gen/acme\n"),
    );
    std::fs::create_dir(dir.join("tools")).expect("mkdir");
    std::fs::write(
        dir.join("tools/protoc-gen-acme"),
        format!("#!/bin/sh\ntouch '{}'\n", marker.display()),
    )
    .expect("write");
    git(&dir, &["checkout", "-q", "-b", "pr"]);
    let run = schemactl(&dir, &["check", "--trusted-ref", "main"]);
    assert!(!marker.exists(), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(
            "note: `./tools/protoc-gen-acme` runs `./tools/protoc-gen-acme`, a program inside the repository"
        ),
        "{}",
        run.stderr
    );
}
