//! The action's check and comment steps, run as GitHub runs them (`bash
//! --noprofile --norc -eo pipefail`, the step's `env`, the runner's files)
//! with a stand-in `schemactl` on PATH that records how it is called: one
//! `check` writes the annotations and the comment body, the body becomes the
//! job summary, the comment step posts it, and a failed check still fails.
#![cfg(unix)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// A `schemactl` that appends its arguments (one line per call) and whether
/// it got a token to `$FAKE_LOG`; as `check`, it prints an annotation,
/// writes a body into the `--comment` file and exits with `$FAKE_STATUS`.
const FAKE: &str = r#"#!/usr/bin/env bash
set -euo pipefail
printf '%s\n' "$*" >> "$FAKE_LOG"
if [[ -n ${GITHUB_TOKEN:-} ]]; then echo "token=$GITHUB_TOKEN" >> "$FAKE_LOG"; fi
if [[ $1 == check ]]; then
  while [[ $# -gt 0 ]]; do
    if [[ $1 == --comment ]]; then printf '## schemactl\n\nthe report\n' > "$2"; fi
    shift
  done
  echo "::error file=schemas/a.proto,line=1::a finding"
  exit "${FAKE_STATUS:-0}"
fi
"#;

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
        let fake = bin.join("schemactl");
        std::fs::write(&fake, FAKE).expect("write fake");
        run_ok(tmp.path(), "chmod", &["+x", &fake.display().to_string()]);
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
            .env_clear()
            .env("PATH", path)
            .env("RUNNER_TEMP", &self.temp)
            .env("GITHUB_STEP_SUMMARY", &self.summary)
            .env("GITHUB_OUTPUT", &self.output)
            .env("GITHUB_REPOSITORY", "acme/proto-schema")
            .env("FAKE_LOG", &self.log);
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
    ("steps.against.outputs.against", "0123abcd"),
    ("steps.against.outputs.trusted", "0123abcd"),
];

#[test]
fn one_check_run_writes_the_annotations_the_comment_body_and_the_summary() {
    let runner = Runner::new();
    let check = step("schemactl check");
    let mut values = CHECK_VALUES.to_vec();
    values.push(("steps.against.outputs.allow-breaking", "false"));
    let (code, stdout, stderr) = runner.run(&check, &values, &[("FAKE_STATUS", "1")]);

    // Findings fail the step, and so the job.
    assert_eq!(code, 1, "{stderr}");
    let body = runner.temp.join("schemactl-comment.md");
    assert_eq!(
        runner.calls(),
        [format!(
            "check schemas --against 0123abcd --trusted-ref 0123abcd --error-format github-actions --comment {}",
            body.display()
        )],
        "exactly one schemactl run"
    );
    assert!(stdout.contains("::error file=schemas/a.proto"), "{stdout}");
    // The job summary is the comment body.
    assert_eq!(read(&runner.summary), read(&body));
    assert!(read(&runner.output).contains(&format!("body={}", body.display())));
}

#[test]
fn the_allow_breaking_label_reaches_check() {
    let runner = Runner::new();
    let check = step("schemactl check");
    let mut values = CHECK_VALUES.to_vec();
    values.push(("steps.against.outputs.allow-breaking", "true"));
    let (code, _, stderr) = runner.run(&check, &values, &[("FAKE_STATUS", "0")]);
    assert_eq!(code, 0, "{stderr}");
    let calls = runner.calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(calls[0].contains(" --allow-breaking "), "{calls:?}");
}

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

    let runner = Runner::new();
    let check = step("schemactl check");
    let mut values = CHECK_VALUES.to_vec();
    values.push(("steps.against.outputs.allow-breaking", "false"));
    let (code, _, _) = runner.run(&check, &values, &[("FAKE_STATUS", "1")]);
    assert_eq!(code, 1);

    let body = runner.temp.join("schemactl-comment.md");
    let body_path = body.display().to_string();
    let values = [
        ("inputs.github-token", "ghs_test_token"),
        ("steps.check.outputs.body", body_path.as_str()),
        ("github.event.pull_request.number", "42"),
        ("github.event.pull_request.head.sha", "feedbeef"),
        ("inputs.comment-marker", "schemactl"),
    ];
    let (code, _, stderr) = runner.run(&comment, &values, &[]);
    assert_eq!(code, 0, "{stderr}");
    let calls = runner.calls();
    assert_eq!(
        calls[1..],
        [
            format!(
                "github comment --body-file {body_path} --repo acme/proto-schema --pr 42 --head-sha feedbeef --marker schemactl"
            ),
            "token=ghs_test_token".to_owned(),
        ]
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
    let (code, stdout, stderr) = runner.run(&comment, &values, &[]);
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
