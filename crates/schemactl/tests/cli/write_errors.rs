//! A report that cannot be written is a failure (exit 2 with an `error:`),
//! never a panic and never an exit code that says it was written. A reader
//! that goes away (a broken pipe) ends the output quietly.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;

const CONFIG: &str =
    "version: v2\nlint:\n  use: [MESSAGE_PASCAL_CASE]\nbreaking:\n  use: [FIELD_NO_DELETE]\n";
const V1: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string id = 1;\n  int64 total = 2;\n}\n";
const V2: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string id = 1;\n  int64 total = 2;\n  string note = 3;\n}\n";
/// Uncommitted: a field deleted (breaking) and a badly named message (lint).
const WORKING: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string id = 1;\n}\nmessage bad_name {}\n";

/// A repository tagged v1.0.0, one clean commit after it, and a working
/// tree with findings.
fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    write_files(dir, &[("buf.yaml", CONFIG), ("shop.proto", V1)]);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "v1"]);
    git(dir, &["tag", "v1.0.0"]);
    write_files(dir, &[("shop.proto", V2)]);
    git(dir, &["commit", "-q", "-am", "v2"]);
    write_files(dir, &[("shop.proto", WORKING)]);
    tmp
}

/// Every subcommand that prints data, with what it prints.
const COMMANDS: &[&[&str]] = &[
    &["build", ".", "-o", "-"],
    &["lint", "."],
    &["lint", ".", "--error-format", "json"],
    &["breaking", ".", "--against", "v1.0.0"],
    &[
        "breaking",
        ".",
        "--against",
        "v1.0.0",
        "--error-format",
        "json",
    ],
    &["check", ".", "--against", "v1.0.0"],
    &["diff", ".", "--from", "v1.0.0"],
    &["diff", ".", "--from", "v1.0.0", "--format", "json"],
    &["rules"],
    &["rules", "--json"],
    &["explain", "FIELD_NO_DELETE"],
    &["release", ".", "--dry-run"],
    &["--help"],
    &["lint", "--help"],
    &["--version"],
];

fn run_with_stdout(dir: &Path, args: &[&str], stdout: Stdio) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(stdout)
        .output()
        .expect("run schemactl")
}

#[test]
fn every_data_command_prints_its_report_normally() {
    let repo = repo();
    for args in COMMANDS {
        let run = run_with_stdout(repo.path(), args, Stdio::piped());
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.stdout.is_empty(), "{args:?} printed nothing: {stderr}");
        assert!(
            matches!(run.status.code(), Some(0 | 1)),
            "{args:?}: {:?} {stderr}",
            run.status
        );
    }
}

#[test]
fn a_full_disk_on_stdout_is_an_error() {
    let repo = repo();
    for args in COMMANDS {
        let full = File::options()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let run = run_with_stdout(repo.path(), args, Stdio::from(full));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to stdout: No space left on device")
                || stderr.contains("error: cannot write the output: No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("internal error"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn release_does_not_tag_when_its_report_cannot_be_written() {
    let repo = repo();
    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let run = run_with_stdout(repo.path(), &["release", "."], Stdio::from(full));
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(git(repo.path(), &["tag", "--list"]).trim(), "v1.0.0");
}

#[test]
fn a_full_disk_on_stderr_is_an_error_too() {
    let repo = repo();
    let full = File::options()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    // `build` reports compile errors on stderr.
    write_files(
        repo.path(),
        &[("broken.proto", "syntax = \"proto3\";\nmessage {")],
    );
    let run = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["build", "."])
        .current_dir(repo.path())
        .stderr(Stdio::from(full))
        .output()
        .expect("run schemactl");
    assert_eq!(run.status.code(), Some(2));
}

/// `schemactl lint | head -0`: the reader is gone before the report is
/// written. No error message, and the exit code is still lint's own.
#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let repo = repo();
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(["lint", "."])
        .current_dir(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let run = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}
