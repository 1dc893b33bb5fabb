//! `--error-format` repeated: one run writes one format on stdout and each
//! `FORMAT=FILE` into its file, every output the same as a run with that
//! format alone prints.

use std::path::Path;

use crate::common::*;

const CONFIG: &str =
    "version: v2\nlint:\n  use: [MESSAGE_PASCAL_CASE]\nbreaking:\n  use: [FIELD_NO_DELETE]\n";
const V1: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string id = 1;\n  int64 total = 2;\n}\n";
/// A field deleted (breaking) and a badly named message (lint).
const V2: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string id = 1;\n}\nmessage bad_name {}\n";

/// A repository tagged v1.0.0, with a working tree that has a lint finding
/// and a breaking change.
fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    write_files(dir, &[("buf.yaml", CONFIG), ("shop.proto", V1)]);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "v1"]);
    git(dir, &["tag", "v1.0.0"]);
    write_files(dir, &[("shop.proto", V2)]);
    tmp
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `command` run once with github-actions on stdout and json, sarif and
/// markdown into files; each output equals the single-format run's
/// `stream` (stdout, or stderr for the compile errors of `build`).
fn assert_one_run_many_outputs(dir: &Path, command: &[&str], expected_code: i32, on_stderr: bool) {
    let out = tempfile::tempdir().expect("tmp");
    let file = |name: &str| out.path().join(name);
    let targets = [
        ("json", file("report.json")),
        ("sarif", file("report.sarif")),
        ("markdown", file("report.md")),
    ];
    let mut args: Vec<String> = command.iter().map(|s| (*s).to_owned()).collect();
    args.extend(["--error-format".to_owned(), "github-actions".to_owned()]);
    for (format, path) in &targets {
        args.push("--error-format".to_owned());
        args.push(format!("{format}={}", path.display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let multi = schemactl(dir, &args);
    assert_eq!(multi.code, expected_code, "{}", multi.stderr);

    let single = |format: &str| {
        let mut args: Vec<&str> = command.to_vec();
        args.extend(["--error-format", format]);
        let run = schemactl(dir, &args);
        assert_eq!(run.code, expected_code, "{format}: {}", run.stderr);
        if on_stderr { run.stderr } else { run.stdout }
    };
    let annotations = single("github-actions");
    assert!(
        annotations.contains("::error file="),
        "no annotations:\n{annotations}"
    );
    if on_stderr {
        assert_eq!(multi.stderr, annotations);
        assert_eq!(multi.stdout, "");
    } else {
        assert_eq!(multi.stdout, annotations);
    }
    for (format, path) in &targets {
        let expected = single(format);
        assert!(!expected.is_empty(), "{format} printed nothing");
        assert_eq!(read(path), expected, "{format} written by the combined run");
    }
}

#[test]
fn one_check_run_writes_every_format() {
    let tmp = repo();
    assert_one_run_many_outputs(tmp.path(), &["check", ".", "--against", "v1.0.0"], 1, false);
    // The report holds both kinds of finding.
    let out = tempfile::tempdir().expect("tmp");
    let json = out.path().join("findings.json");
    schemactl(
        tmp.path(),
        &[
            "check",
            ".",
            "--against",
            "v1.0.0",
            "--error-format",
            &format!("json={}", json.display()),
        ],
    );
    let json = read(&json);
    assert!(json.contains("MESSAGE_PASCAL_CASE"), "{json}");
    assert!(json.contains("FIELD_NO_DELETE"), "{json}");
}

#[test]
fn lint_and_breaking_write_every_format() {
    let tmp = repo();
    assert_one_run_many_outputs(tmp.path(), &["lint", "."], 1, false);
    assert_one_run_many_outputs(
        tmp.path(),
        &["breaking", ".", "--against", "v1.0.0"],
        1,
        false,
    );
}

#[test]
fn compile_errors_go_into_every_file() {
    let tmp = repo();
    write_files(
        tmp.path(),
        &[(
            "broken.proto",
            "syntax = \"proto3\";\nmessage X { int32 }\n",
        )],
    );
    // As in Buf: `build` prints compile errors on stderr in the stdout
    // format; `check`, `lint` and `breaking` print them on stdout like any
    // finding.
    assert_one_run_many_outputs(tmp.path(), &["build", "."], 1, true);
    assert_one_run_many_outputs(tmp.path(), &["check", ".", "--against", "v1.0.0"], 1, false);
    assert_one_run_many_outputs(tmp.path(), &["lint", "."], 1, false);
}

#[test]
fn text_stays_on_stdout_when_only_files_are_named() {
    let tmp = repo();
    let out = tempfile::tempdir().expect("tmp");
    let json = out.path().join("findings.json");
    let run = schemactl(
        tmp.path(),
        &[
            "lint",
            ".",
            "--error-format",
            &format!("json={}", json.display()),
        ],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, schemactl(tmp.path(), &["lint", "."]).stdout);
    assert!(
        run.stdout.contains("error[MESSAGE_PASCAL_CASE]"),
        "{}",
        run.stdout
    );
    assert_eq!(
        read(&json),
        schemactl(tmp.path(), &["lint", ".", "--error-format", "json"]).stdout
    );
}

#[test]
fn unknown_format_lists_the_names() {
    let tmp = repo();
    for value in ["yaml", "yaml=out.yaml"] {
        let run = schemactl(tmp.path(), &["lint", ".", "--error-format", value]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains("unknown format `yaml`"),
            "{}",
            run.stderr
        );
        for name in [
            "text",
            "json",
            "github-actions",
            "sarif",
            "junit",
            "markdown",
        ] {
            assert!(
                run.stderr.contains(name),
                "{name} not listed:\n{}",
                run.stderr
            );
        }
        assert_eq!(run.stdout, "");
    }
    assert!(!tmp.path().join("out.yaml").exists());
}

#[test]
fn unwritable_file_is_named_and_nothing_runs() {
    let tmp = repo();
    let missing = tmp.path().join("no-such-dir").join("report.sarif");
    let run = schemactl(
        tmp.path(),
        &[
            "lint",
            ".",
            "--error-format",
            "json",
            "--error-format",
            &format!("sarif={}", missing.display()),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("error: cannot write"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&missing.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    // Stopped before linting: no findings printed.
    assert_eq!(run.stdout, "");

    // A directory is not a file either.
    let run = schemactl(tmp.path(), &["lint", ".", "--error-format", "json=."]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot write `.`"), "{}", run.stderr);
}

#[test]
fn two_stdout_formats_or_a_file_named_twice_are_refused() {
    let tmp = repo();
    let run = schemactl(
        tmp.path(),
        &[
            "lint",
            ".",
            "--error-format",
            "json",
            "--error-format",
            "sarif",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("two formats on stdout"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("sarif=FILE"), "{}", run.stderr);

    let run = schemactl(
        tmp.path(),
        &[
            "lint",
            ".",
            "--error-format",
            "json=r.out",
            "--error-format",
            "sarif=r.out",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`r.out` twice"), "{}", run.stderr);
}

#[test]
fn formats_on_both_sides_of_the_subcommand_are_refused() {
    let tmp = repo();
    let run = schemactl(
        tmp.path(),
        &[
            "--error-format",
            "json=a.json",
            "lint",
            ".",
            "--error-format",
            "sarif=b.sarif",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("before and after the subcommand"),
        "{}",
        run.stderr
    );
    // All of them before it is fine.
    let run = schemactl(
        tmp.path(),
        &[
            "--error-format",
            "json=a.json",
            "--error-format",
            "sarif=b.sarif",
            "lint",
            ".",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(read(&tmp.path().join("a.json")).contains("MESSAGE_PASCAL_CASE"));
    assert!(read(&tmp.path().join("b.sarif")).contains("MESSAGE_PASCAL_CASE"));
}
