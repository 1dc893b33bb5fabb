//! Before pushing: the pre-commit framework's `.pre-commit-hooks.yaml` at
//! the top of this repository, and `schemactl hook install`, tried with real
//! `git push`es to a local bare remote.

use std::path::Path;
use std::process::Command;

use schemactl_config::yaml::{self, Node};

use crate::common::*;

const MARKER: &str = "# schemactl-hook: written by `schemactl hook install`";

/// A mapping's value for `key`.
fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match node {
        Node::Map { entries, .. } => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A scalar's text.
fn scalar<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    match get(node, key)? {
        Node::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

#[test]
fn pre_commit_hooks_yaml_has_the_framework_shape() {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml"))
        .expect(".pre-commit-hooks.yaml");
    let Node::Seq { items: hooks, .. } = yaml::parse(&text).expect("valid YAML") else {
        panic!("a list of hooks");
    };
    let mut ids = Vec::new();
    for hook in &hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(
                scalar(hook, key).is_some_and(|v| !v.is_empty()),
                "a hook lacks `{key}`: {hook:?}"
            );
        }
        let id = scalar(hook, "id").expect("id");
        assert!(
            scalar(hook, "entry").is_some_and(|e| e.starts_with("schemactl ")),
            "{id}: the entry runs schemactl"
        );
        assert_eq!(
            scalar(hook, "language"),
            Some("system"),
            "{id}: schemactl on PATH"
        );
        // schemactl reads whole directories: file names must not be appended.
        assert_eq!(scalar(hook, "pass_filenames"), Some("false"), "{id}");
        let Some(Node::Seq { items: stages, .. }) = get(hook, "stages") else {
            panic!("{id}: stages");
        };
        for stage in stages {
            assert!(
                matches!(stage, Node::Scalar { value, .. } if ["pre-commit", "pre-push"].contains(&value.as_str())),
                "{id}: stage {stage:?}"
            );
        }
        let files = scalar(hook, "files").expect("files");
        assert!(
            files.contains(r"\.proto$") && files.contains("schemactl"),
            "{id}"
        );
        ids.push(id.to_owned());
    }
    assert_eq!(ids, ["schemactl-check", "schemactl-lint"]);
}

const BAD: &str = "syntax = \"proto3\";\n\npackage acme.v1;\n\n// A thing.\nmessage Thing {\n  // Id.\n  string ThingId = 1;\n}\n";

/// A clone-like working repository with `origin`, a local bare remote; the
/// schemas live in `schemas/`.
fn repo_with_remote() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    git(tmp.path(), &["init", "-q", "--bare", "remote.git"]);
    git(tmp.path(), &["init", "-q", "work"]);
    let work = tmp.path().join("work");
    write_files(
        &work,
        &[
            (
                "schemas/schemactl.yaml",
                "version: v1\nroots: [proto]\nlint:\n  use: [STANDARD]\n",
            ),
            ("schemas/proto/acme/v1/thing.proto", BAD),
        ],
    );
    git(&work, &["remote", "add", "origin", "../remote.git"]);
    tmp
}

/// `git push origin main`, which may fail.
fn push(work: &Path) -> Run {
    let out = Command::new("git")
        .args(["push", "-q", "origin", "main"])
        .current_dir(work)
        .env("NO_COLOR", "1")
        .env("SCHEMACTL_NO_CACHE", "1")
        .env_remove("GITHUB_BASE_REF")
        .output()
        .expect("run git push");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    }
}

#[test]
fn the_hook_refuses_a_failing_push_and_lets_the_fix_through() {
    let tmp = repo_with_remote();
    let work = tmp.path().join("work");
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "a thing"]);

    let run = schemactl(&work, &["hook", "install", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "installed pre-push hook `.git/hooks/pre-push`: `git push` now runs \
         `schemactl check schemas` first\n"
    );
    let hook = work.join(".git/hooks/pre-push");
    let script = std::fs::read_to_string(&hook).expect("the hook");
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(script.lines().any(|l| l == MARKER), "{script}");
    assert!(script.contains("latest release tag"), "{script}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&hook).expect("stat").permissions().mode();
        assert_eq!(mode & 0o111, 0o111, "executable: {mode:o}");
    }

    let refused = push(&work);
    assert_ne!(
        refused.code, 0,
        "the push went through:\n{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("FIELD_LOWER_SNAKE_CASE")
            && refused.stderr.contains("schemas/proto/acme/v1/thing.proto")
            && refused
                .stderr
                .contains("error: schemactl check failed on refs/heads/main: push refused"),
        "{}",
        refused.stderr
    );
    let remote = tmp.path().join("remote.git");
    assert_eq!(
        git(&remote, &["branch", "--list"]),
        "",
        "nothing was pushed"
    );

    // The fix is committed; an uncommitted bad edit does not matter, since
    // the hook checks the commits being pushed.
    write_files(
        &work,
        &[(
            "schemas/proto/acme/v1/thing.proto",
            &BAD.replace("ThingId", "thing_id"),
        )],
    );
    git(&work, &["commit", "-q", "-am", "fix the field name"]);
    write_files(&work, &[("schemas/proto/acme/v1/thing.proto", BAD)]);
    let pushed = push(&work);
    assert_eq!(pushed.code, 0, "{}", pushed.stderr);
    assert_eq!(
        git(&remote, &["rev-parse", "main"]),
        git(&work, &["rev-parse", "HEAD"])
    );

    // Installing again replaces schemactl's own hook with the same script.
    let again = schemactl(&work, &["hook", "install", "schemas"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.starts_with("updated pre-push hook"),
        "{}",
        again.stderr
    );
    assert_eq!(std::fs::read_to_string(&hook).expect("the hook"), script);
}

#[test]
fn a_hook_schemactl_did_not_write_is_kept_without_force() {
    let tmp = repo_with_remote();
    let work = tmp.path().join("work");
    let hook = work.join(".git/hooks/pre-push");
    let foreign = "#!/bin/sh\n# the team's own checks\nexit 0\n";
    write_files(&work, &[(".git/hooks/pre-push", foreign)]);

    let run = schemactl(&work, &["hook", "install", "schemas"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: `.git/hooks/pre-push` exists and was not written by schemactl: not replaced\n\
         hint: add `schemactl check schemas` to that hook yourself, or run \
         `schemactl hook install --force` to replace it\n"
    );
    assert_eq!(std::fs::read_to_string(&hook).expect("the hook"), foreign);

    let forced = schemactl(&work, &["hook", "install", "schemas", "--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stderr.starts_with("replaced pre-push hook"),
        "{}",
        forced.stderr
    );
    let script = std::fs::read_to_string(&hook).expect("the hook");
    assert!(script.lines().any(|l| l == MARKER), "{script}");
}

#[test]
fn core_hooks_path_is_respected() {
    let tmp = repo_with_remote();
    let work = tmp.path().join("work");
    git(&work, &["config", "core.hooksPath", ".githooks"]);
    // From the schema directory: the hook still names it from the top.
    let run = schemactl(&work.join("schemas"), &["hook", "install"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "installed pre-push hook `.githooks/pre-push`: `git push` now runs \
         `schemactl check schemas` first\n"
    );
    assert!(work.join(".githooks/pre-push").is_file());
    assert!(!work.join(".git/hooks/pre-push").exists());

    // git runs it from there.
    git(&work, &["add", "schemas"]);
    git(&work, &["commit", "-q", "-m", "a thing"]);
    let refused = push(&work);
    assert_ne!(
        refused.code, 0,
        "the push went through:\n{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("FIELD_LOWER_SNAKE_CASE"),
        "{}",
        refused.stderr
    );
}

#[test]
fn a_linked_worktree_shares_the_repository_hooks() {
    let tmp = repo_with_remote();
    let work = tmp.path().join("work");
    git(&work, &["add", "-A"]);
    git(&work, &["commit", "-q", "-m", "a thing"]);
    git(&work, &["worktree", "add", "-q", "-b", "side", "../side"]);
    let run = schemactl(&tmp.path().join("side"), &["hook", "install", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(work.join(".git/hooks/pre-push").is_file(), "{}", run.stderr);
}

#[test]
fn input_must_be_a_directory_in_a_git_repository() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = schemactl(tmp.path(), &["hook", "install"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: ") && run.stderr.contains("not inside a git repository"),
        "{}",
        run.stderr
    );
    let missing = schemactl(tmp.path(), &["hook", "install", "nope"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing
            .stderr
            .starts_with("error: input `nope` is not a directory\nhint: "),
        "{}",
        missing.stderr
    );
}
