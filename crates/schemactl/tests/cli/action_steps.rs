//! The action's check and comment steps, run as GitHub runs them (`bash
//! --noprofile --norc -eo pipefail`, the step's `env`, the runner's files)
//! with the `schemactl` under test on PATH (behind a wrapper that records
//! how it is called), in a real repository with a breaking change, and the
//! fake GitHub: one `check` writes the annotations and the comment body, the
//! body becomes the job summary, the comment step posts it, and a failed
//! check still fails.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use schemactl_github::fake::FakeGithub;

use crate::common::*;

struct Step {
    condition: String,
    env: BTreeMap<String, String>,
    run: String,
}

/// The step called `name` in action.yml. A small reader of the action's own
/// layout (steps at 4 spaces, their keys at 6, `env` entries and `run: |`
/// lines at 8), since YAML parsing belongs to schemactl-config alone.
fn step(name: &str) -> Step {
    let path = repo_root().join(".github/actions/schemactl/action.yml");
    let text = std::fs::read_to_string(&path).expect("read action.yml");
    let indent = |line: &str| line.len() - line.trim_start().len();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| indent(l) == 4 && l.trim_start() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step `{name}` in action.yml"));
    let body: Vec<&str> = lines[start + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > 4)
        .copied()
        .collect();
    let mut step = Step {
        condition: String::new(),
        env: BTreeMap::new(),
        run: String::new(),
    };
    let mut shell = None;
    let mut i = 0;
    while i < body.len() {
        let line = body[i];
        i += 1;
        if indent(line) != 6 {
            continue;
        }
        let (key, value) = line.trim().split_once(':').expect("key: value");
        let value = value.trim();
        match key {
            "if" => step.condition = value.to_owned(),
            "shell" => shell = Some(value.to_owned()),
            "env" => {
                while i < body.len() && indent(body[i]) == 8 {
                    let (k, v) = body[i].trim().split_once(": ").expect("env entry");
                    step.env.insert(k.to_owned(), v.to_owned());
                    i += 1;
                }
            }
            "run" if value == "|" => {
                while i < body.len() && (body[i].trim().is_empty() || indent(body[i]) >= 8) {
                    step.run.push_str(body[i].get(8..).unwrap_or(""));
                    step.run.push('\n');
                    i += 1;
                }
            }
            "run" => step.run = format!("{value}\n"),
            _ => {}
        }
    }
    assert_eq!(shell.as_deref(), Some("bash"), "{name}: shell");
    assert!(!step.run.is_empty(), "{name}: no run");
    step
}

/// `schemactl` on the step's PATH: the binary under test, behind a wrapper
/// that appends each call's arguments (one line per call) to `$CALLS_LOG`,
/// so a test can count the runs.
const WRAPPER: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >> "$CALLS_LOG"
exec "$SCHEMACTL_UNDER_TEST" "$@"
"#;

/// The example schemas under `schemas/` released as v1.0.0, then a field
/// deleted from UserCreated (a breaking change) and committed: the pull
/// request's head. Returns the directory and the head commit.
fn pull_request() -> (tempfile::TempDir, String) {
    let tmp = released_schemas();
    let file = tmp
        .path()
        .join("schemas/proto/acme/identity/v1/user_created.proto");
    let text = std::fs::read_to_string(&file).expect("read");
    let edited: String = text
        .lines()
        .filter(|l| !l.contains("organization_id = 3;"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(edited, text, "the field is there to delete");
    std::fs::write(&file, edited).expect("write");
    git(tmp.path(), &["commit", "-qam", "delete organization_id"]);
    let head = git(tmp.path(), &["rev-parse", "HEAD"]).trim().to_owned();
    (tmp, head)
}

struct Runner {
    _tmp: tempfile::TempDir,
    temp: PathBuf,
    log: PathBuf,
    summary: PathBuf,
    output: PathBuf,
    bin: PathBuf,
}

impl Runner {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tmp");
        let temp = tmp.path().join("runner-temp");
        let bin = tmp.path().join("bin");
        std::fs::create_dir(&temp).expect("mkdir");
        std::fs::create_dir(&bin).expect("mkdir");
        let wrapper = bin.join("schemactl");
        std::fs::write(&wrapper, WRAPPER).expect("write the wrapper");
        run_ok(tmp.path(), "chmod", &["+x", &wrapper.display().to_string()]);
        Runner {
            log: tmp.path().join("calls.log"),
            summary: tmp.path().join("step-summary.md"),
            output: tmp.path().join("github-output"),
            temp,
            bin,
            _tmp: tmp,
        }
    }

    /// Run `step` with its env, each `${{ ... }}` value given by `values`
    /// (an expression not there is empty, as Actions makes a missing one).
    fn run(
        &self,
        dir: &Path,
        step: &Step,
        values: &[(&str, &str)],
        extra: &[(&str, &str)],
    ) -> (i32, String, String) {
        let script = self.temp.join("step.sh");
        std::fs::write(&script, &step.run).expect("write step");
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .current_dir(dir)
            .env_clear()
            .env("PATH", path)
            .env("RUNNER_TEMP", &self.temp)
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("GITHUB_OUTPUT", &self.output)
            .env("GITHUB_REPOSITORY", "acme/proto-schema")
            .env("HOME", std::env::var("HOME").unwrap_or_default())
            .env("NO_COLOR", "1")
            .env("SCHEMACTL_NO_CACHE", "1")
            .env("SCHEMACTL_UNDER_TEST", env!("CARGO_BIN_EXE_schemactl"))
            .env("CALLS_LOG", &self.log);
        for (name, expression) in &step.env {
            let inner = expression
                .trim()
                .strip_prefix("${{")
                .and_then(|e| e.strip_suffix("}}"))
                .unwrap_or_else(|| panic!("{name}: not an expression: {expression}"))
                .trim();
            let value = values
                .iter()
                .find(|(e, _)| *e == inner)
                .map_or("", |(_, v)| *v);
            command.env(name, value);
        }
        for (name, value) in extra {
            command.env(name, value);
        }
        let out = command.output().expect("run bash");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn calls(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

const CHECK_VALUES: &[(&str, &str)] = &[
    ("inputs.input", "schemas"),
    ("steps.against.outputs.against", "v1.0.0"),
    ("steps.against.outputs.trusted", "v1.0.0"),
];

#[test]
fn one_check_run_writes_the_annotations_the_comment_body_and_the_summary() {
    let (repo, _) = pull_request();
    let runner = Runner::new();
    let check = step("schemactl check");
    let mut values = CHECK_VALUES.to_vec();
    values.push(("steps.against.outputs.allow-breaking", "false"));
    let (code, stdout, stderr) = runner.run(repo.path(), &check, &values, &[]);

    // Findings fail the step, and so the job.
    assert_eq!(code, 1, "{stderr}");
    let body = runner.temp.join("schemactl-comment.md");
    assert_eq!(
        runner.calls(),
        [format!(
            "check schemas --against v1.0.0 --trusted-ref v1.0.0 --error-format github-actions --comment {}",
            body.display()
        )],
        "exactly one schemactl run"
    );
    // The annotation of the deleted field, at its line.
    assert!(
        stdout.lines().any(|l| l
            .starts_with("::error file=schemas/proto/acme/identity/v1/user_created.proto,line=")
            && l.contains("FIELD_NO_DELETE")),
        "{stdout}"
    );
    // The job summary is the comment body: the table, the change, the diff.
    let body_text = read(&body);
    assert_eq!(read(&runner.summary), body_text);
    assert!(body_text.contains("| breaking | ❌"), "{body_text}");
    assert!(body_text.contains("Semver bump: major"), "{body_text}");
    assert!(
        body_text.contains("-  int64 organization_id = 3;"),
        "{body_text}"
    );
    assert!(read(&runner.output).contains(&format!("body={}", body.display())));
}

#[test]
fn the_allow_breaking_label_reaches_check() {
    let (repo, _) = pull_request();
    let runner = Runner::new();
    let check = step("schemactl check");
    let mut values = CHECK_VALUES.to_vec();
    values.push(("steps.against.outputs.allow-breaking", "true"));
    let (_, stdout, stderr) = runner.run(repo.path(), &check, &values, &[]);
    let calls = runner.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].contains(" --allow-breaking "), "{calls:?}");
    // The reviewed breaking change is a warning, not an error.
    let deleted: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("FIELD_NO_DELETE"))
        .collect();
    assert!(!deleted.is_empty(), "{stdout}\n{stderr}");
    assert!(
        deleted.iter().all(|l| l.starts_with("::warning")),
        "{deleted:?}"
    );
}

/// The check step, then the comment step with the real `github comment`
/// against the fake GitHub: the body the check wrote is the comment.
#[test]
fn the_comment_step_posts_the_body_even_after_a_failed_check() {
    let comment = step("Comment on the pull request");
    assert!(
        comment.condition.starts_with("always() &&"),
        "runs when the check failed: {}",
        comment.condition
    );
    assert!(
        comment
            .condition
            .contains("github.event_name == 'pull_request'"),
        "{}",
        comment.condition
    );
    assert!(comment.condition.contains("inputs.comment == 'true'"));

    let (repo, head) = pull_request();
    let runner = Runner::new();
    let check = step("schemactl check");
    let mut values = CHECK_VALUES.to_vec();
    values.push(("steps.against.outputs.allow-breaking", "false"));
    let (code, _, stderr) = runner.run(repo.path(), &check, &values, &[]);
    assert_eq!(code, 1, "{stderr}");

    let github = FakeGithub::start("");
    github.add_token("ghs_test_token", "github-actions[bot]", true);
    github.add_repo("acme/proto-schema", "main", &[]);
    github.add_pull("acme/proto-schema", 42, "feature", &head);
    let body = runner.temp.join("schemactl-comment.md");
    let body_path = body.display().to_string();
    let values = [
        ("inputs.github-token", "ghs_test_token"),
        ("steps.check.outputs.body", body_path.as_str()),
        ("github.event.pull_request.number", "42"),
        ("github.event.pull_request.head.sha", head.as_str()),
        ("inputs.comment-marker", "schemactl"),
    ];
    let (code, _, stderr) = runner.run(
        repo.path(),
        &comment,
        &values,
        &[("GITHUB_API_URL", github.url())],
    );
    assert_eq!(code, 0, "{stderr}");
    let calls = runner.calls();
    assert_eq!(
        calls[1..],
        [format!(
            "github comment --body-file {body_path} --repo acme/proto-schema --pr 42 --head-sha {head} --marker schemactl"
        )]
    );
    let comments = github.comments("acme/proto-schema", 42);
    assert_eq!(comments.len(), 1, "{comments:?}");
    assert_eq!(comments[0].user, "github-actions[bot]");
    assert_eq!(
        comments[0].body,
        format!(
            "<!-- schemactl:schemactl -->\n<!-- schemactl-head:{head} -->\n{}",
            read(&body)
        )
    );
}

#[test]
fn no_body_means_a_warning_and_no_comment() {
    let runner = Runner::new();
    let comment = step("Comment on the pull request");
    let missing = runner.temp.join("schemactl-comment.md");
    let missing = missing.display().to_string();
    let values = [
        ("inputs.github-token", "ghs_test_token"),
        ("steps.check.outputs.body", missing.as_str()),
        ("github.event.pull_request.number", "42"),
    ];
    let tmp = tempfile::tempdir().expect("tmp");
    let (code, stdout, stderr) = runner.run(tmp.path(), &comment, &values, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("::warning"), "{stdout}");
    assert!(stdout.contains("no comment posted"), "{stdout}");
    assert_eq!(runner.calls(), Vec::<String>::new());
}

/// The download step gives install.sh the variables action_install.rs
/// tests it with, from the `version` and `download-url` inputs.
#[test]
fn the_download_step_runs_install_sh_with_the_inputs() {
    let download = step("Download schemactl");
    assert_eq!(download.condition, "inputs.version != ''");
    assert!(
        download.run.contains("\"$GITHUB_ACTION_PATH/install.sh\""),
        "{}",
        download.run
    );
    let env: Vec<(&str, &str)> = download
        .env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        env,
        [
            ("SCHEMACTL_DOWNLOAD_URL", "${{ inputs.download-url }}"),
            ("SCHEMACTL_VERSION", "${{ inputs.version }}"),
        ]
    );
    // Without a version, the build from source runs instead.
    assert_eq!(
        step("Build schemactl").condition,
        "inputs.version == '' && steps.source.outputs.on-path != 'true'"
    );
}
