//! Per-module configuration and configuration discovery, differential
//! against the real `buf` (`SCHEMACTL_BUF`): a v1 `buf.work.yaml` workspace
//! whose modules have their own `buf.yaml`, and a v2 `buf.yaml` with
//! `modules:` and per-module `lint`/`breaking` sections. Both tools run
//! `lint` and `breaking` from the workspace root, from inside a module
//! (input `.`), and on a module path from the root, against a directory and
//! against a git ref; the findings (path, line, column, rule, message of
//! `--error-format json`) and the outcome must be the same.

use std::path::Path;
use std::process::Command;

use crate::common::{git, json_findings as findings, schemactl, write_files};
use crate::generate::buf;

/// The `.proto` files of the previous version: module `a` (package
/// `pa.v1`) and module `b` (`pb.v1`, importing `a`, and an unstable
/// `pb.v1beta1`).
const PREVIOUS: &[(&str, &str)] = &[
    (
        "a/pa/v1/x.proto",
        "syntax = \"proto3\";\npackage pa.v1;\nmessage X {\n  string a = 1;\n  string b = 2;\n}\n",
    ),
    (
        "a/pa/v1/ign.proto",
        "syntax = \"proto3\";\npackage pa.v1;\nmessage Y {\n  string a = 1;\n  string b = 2;\n}\n",
    ),
    (
        "a/pa/v1/only.proto",
        "syntax = \"proto3\";\npackage pa.v1;\nmessage W {\n  string a = 1;\n  int32 n = 2;\n}\n",
    ),
    (
        "b/pb/v1/y.proto",
        "syntax = \"proto3\";\npackage pb.v1;\nimport \"pa/v1/x.proto\";\nmessage Z {\n  string a = 1;\n  string b = 2;\n  int32 c = 3;\n  pa.v1.X x = 4;\n}\n",
    ),
    (
        "b/pb/v1beta1/u.proto",
        "syntax = \"proto3\";\npackage pb.v1beta1;\nmessage U {\n  int32 c = 1;\n}\n",
    ),
];

/// The current version: a field deleted in every file, a type changed in
/// some; `badName` fields that only module `b`'s lint rules flag.
const CURRENT: &[(&str, &str)] = &[
    (
        "a/pa/v1/x.proto",
        "syntax = \"proto3\";\npackage pa.v1;\nmessage X {\n  string a = 1;\n  string badName = 3;\n}\n",
    ),
    (
        "a/pa/v1/ign.proto",
        "syntax = \"proto3\";\npackage pa.v1;\nmessage Y {\n  string a = 1;\n}\n",
    ),
    (
        "a/pa/v1/only.proto",
        "syntax = \"proto3\";\npackage pa.v1;\nmessage W {\n  int64 n = 2;\n}\n",
    ),
    (
        "b/pb/v1/y.proto",
        "syntax = \"proto3\";\npackage pb.v1;\nimport \"pa/v1/x.proto\";\nmessage Z {\n  string a = 1;\n  int64 c = 3;\n  pa.v1.X x = 4;\n  string badName = 5;\n}\n",
    ),
    (
        "b/pb/v1beta1/u.proto",
        "syntax = \"proto3\";\npackage pb.v1beta1;\nmessage U {\n  int64 c = 1;\n}\n",
    ),
];

/// A v1 workspace: each module's own `buf.yaml` (paths relative to it).
const V1_WORKSPACE: &[(&str, &str)] = &[
    ("buf.work.yaml", "version: v1\ndirectories:\n  - a\n  - b\n"),
    (
        "a/buf.yaml",
        "version: v1\nlint:\n  use: [STANDARD]\n  except: [FIELD_LOWER_SNAKE_CASE]\nbreaking:\n  use: [FILE]\n  ignore:\n    - pa/v1/ign.proto\n  ignore_only:\n    FIELD_SAME_TYPE:\n      - pa/v1/only.proto\n",
    ),
    (
        "b/buf.yaml",
        "version: v1\nlint:\n  use: [FIELD_LOWER_SNAKE_CASE]\nbreaking:\n  use: [FILE]\n  except: [FIELD_NO_DELETE]\n  ignore_unstable_packages: true\n",
    ),
];

/// A v2 `buf.yaml`: module `a` with its own sections, module `b` with an
/// empty `breaking` (the top-level one applies) and its own `lint`.
const V2_MODULES: &[(&str, &str)] = &[(
    "buf.yaml",
    "version: v2\nmodules:\n  - path: a\n    lint:\n      use: [STANDARD]\n      except: [FIELD_LOWER_SNAKE_CASE]\n    breaking:\n      use: [FILE]\n      ignore:\n        - a/pa/v1/ign.proto\n      ignore_only:\n        FIELD_SAME_TYPE:\n          - a/pa/v1/only.proto\n  - path: b\n    lint:\n      use: [FIELD_LOWER_SNAKE_CASE]\n    breaking: {}\nbreaking:\n  use: [FILE]\n  except: [FIELD_NO_DELETE]\n  ignore_unstable_packages: true\n",
)];

/// Every run: (directory under the test root, arguments). `cur` and
/// `prev` hold the two versions; `repo` is a git repository with the
/// previous version tagged `v1` and the current one in its working tree.
const RUNS: &[(&str, &[&str])] = &[
    ("cur", &["lint", "--error-format", "json"]),
    (
        "cur",
        &["breaking", "--against", "../prev", "--error-format", "json"],
    ),
    ("cur/a", &["lint", "--error-format", "json"]),
    (
        "cur/a",
        &[
            "breaking",
            ".",
            "--against",
            "../../prev/a",
            "--error-format",
            "json",
        ],
    ),
    ("cur/b", &["lint", ".", "--error-format", "json"]),
    (
        "cur/b",
        &[
            "breaking",
            "--against",
            "../../prev/b",
            "--error-format",
            "json",
        ],
    ),
    ("cur", &["lint", "a", "--error-format", "json"]),
    (
        "cur",
        &[
            "breaking",
            "b",
            "--against",
            "../prev/b",
            "--error-format",
            "json",
        ],
    ),
    (
        "repo",
        &[
            "breaking",
            "--against",
            ".git#tag=v1",
            "--error-format",
            "json",
        ],
    ),
    (
        "repo/a",
        &[
            "breaking",
            "--against",
            "../.git#tag=v1,subdir=a",
            "--error-format",
            "json",
        ],
    ),
    (
        "repo",
        &[
            "breaking",
            "b",
            "--against",
            ".git#tag=v1,subdir=b",
            "--error-format",
            "json",
        ],
    ),
];

/// Lay out `config` with both versions, run every run with both tools, and
/// return how many findings buf reported in all.
fn same_as_buf(buf: &std::ffi::OsStr, config: &[(&str, &str)]) -> usize {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    for (dir, files) in [("prev", PREVIOUS), ("cur", CURRENT), ("repo", PREVIOUS)] {
        write_files(&root.join(dir), files);
        write_files(&root.join(dir), config);
    }
    let repo = root.join("repo");
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "previous"]);
    git(&repo, &["tag", "v1"]);
    write_files(&repo, CURRENT);

    RUNS.iter()
        .map(|(dir, args)| compare_run(buf, root, dir, args))
        .sum()
}

/// Run `args` in `root/dir` with both tools: the same findings and the same
/// outcome. Returns how many findings buf reported.
fn compare_run(buf: &std::ffi::OsStr, root: &Path, dir: &str, args: &[&str]) -> usize {
    let cwd = root.join(dir);
    let theirs = Command::new(buf)
        .args(args)
        .current_dir(&cwd)
        .env("BUF_CACHE_DIR", root.join(".buf-cache"))
        .output()
        .expect("run buf");
    let theirs_stdout = String::from_utf8_lossy(&theirs.stdout);
    let theirs_code = theirs.status.code().unwrap_or(-1);
    assert!(
        theirs_code == 0 || theirs_code == 100,
        "buf {args:?} in {dir} failed ({theirs_code}): {}",
        String::from_utf8_lossy(&theirs.stderr)
    );
    let ours = schemactl(&cwd, args);
    let expected = findings(&theirs_stdout);
    assert_eq!(
        findings(&ours.stdout),
        expected,
        "{args:?} in {dir}\nbuf:\n{theirs_stdout}\nschemactl:\n{}{}",
        ours.stdout,
        ours.stderr
    );
    // Findings: buf exits 100, schemactl 1 (a deliberate difference).
    let want = if theirs_code == 100 { 1 } else { 0 };
    assert_eq!(ours.code, want, "{args:?} in {dir}: {}", ours.stderr);
    expected.len()
}

#[test]
fn v1_workspace_modules_configure_their_own_files() {
    let Some(buf) = buf() else { return };
    let total = same_as_buf(&buf, V1_WORKSPACE);
    assert!(total > 0, "the layout produced no finding at all");
}

#[test]
fn v2_modules_configure_their_own_files() {
    let Some(buf) = buf() else { return };
    let total = same_as_buf(&buf, V2_MODULES);
    assert!(total > 0, "the layout produced no finding at all");
}

/// A v2 workspace whose modules lie under `dir/`: the input `dir` holds
/// both modules (Buf checks both, each under its own section).
#[test]
fn an_input_holding_several_modules_checks_each() {
    let Some(buf) = buf() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    let config = V2_MODULES[0]
        .1
        .replace("path: a", "path: dir/a")
        .replace("path: b", "path: dir/b")
        .replace("- a/pa", "- dir/a/pa");
    for (side, files) in [("prev", PREVIOUS), ("cur", CURRENT)] {
        for (path, text) in files {
            write_files(&root.join(side).join("dir"), &[(path, text)]);
        }
        write_files(&root.join(side), &[("buf.yaml", &config)]);
    }
    let mut total = 0;
    for (dir, args) in [
        ("cur", &["lint", "dir", "--error-format", "json"][..]),
        (
            "cur",
            &[
                "breaking",
                "dir",
                "--against",
                "../prev/dir",
                "--error-format",
                "json",
            ],
        ),
        (
            "cur/dir",
            &[
                "breaking",
                "--against",
                "../../prev/dir",
                "--error-format",
                "json",
            ],
        ),
    ] {
        total += compare_run(&buf, root, dir, args);
    }
    assert!(total > 0, "the layout produced no finding at all");
}

/// `-v` names the configuration file found above the input; a directory
/// inside a module is refused, as Buf refuses it.
#[test]
fn verbose_names_the_config_found_above_the_input() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), CURRENT);
    write_files(tmp.path(), V2_MODULES);
    let run = schemactl(&tmp.path().join("a"), &["-v", "lint"]);
    assert!(
        run.stderr.contains("using config ../buf.yaml"),
        "{}",
        run.stderr
    );
    let run = schemactl(tmp.path(), &["-v", "lint", "b"]);
    assert!(
        run.stderr.contains("using config buf.yaml"),
        "{}",
        run.stderr
    );

    let run = schemactl(tmp.path(), &["lint", "a/pa"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: cannot build input `a/pa`: it is a directory inside the module at `a`"
        ),
        "{}",
        run.stderr
    );
    assert!(Path::new(&tmp.path().join("a/pa")).is_dir());
}

/// No workspace, and a v1 `buf.yaml` between the working directory and the
/// input: Buf refuses the input as a directory inside that module, and so
/// does schemactl (exit 2, Buf's message), while from the module's own
/// directory the same input is linted.
#[test]
fn a_directory_inside_a_v1_module_is_refused_like_buf() {
    let Some(buf) = buf() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), &[("buf.yaml", "version: v1\n")]);
    write_files(tmp.path(), &[("proto/sub/pa/v1/x.proto", CURRENT[0].1)]);
    for (dir, input, refused) in [(".", "proto/sub", true), ("proto", "sub", false)] {
        let cwd = tmp.path().join(dir);
        let theirs = Command::new(&buf)
            .args(["lint", input, "--error-format", "json"])
            .current_dir(&cwd)
            .env("BUF_CACHE_DIR", tmp.path().join(".buf-cache"))
            .output()
            .expect("run buf");
        let theirs_stderr = String::from_utf8_lossy(&theirs.stderr);
        let ours = schemactl(&cwd, &["lint", input, "--error-format", "json"]);
        let theirs_message = format!(
            "failed to build input \"{input}\" because it is contained by module at path \".\""
        );
        let ours_message =
            format!("cannot build input `{input}`: it is a directory inside the module at `.`");
        assert_eq!(
            theirs_stderr.contains(&theirs_message),
            refused,
            "{theirs_stderr}"
        );
        assert_eq!(
            ours.stderr.contains(&ours_message),
            refused,
            "{}",
            ours.stderr
        );
        // Buf: 1 for an error, 100 for findings; schemactl: 2 and 1.
        let want = match theirs.status.code() {
            Some(100) => 1,
            Some(0) => 0,
            _ => 2,
        };
        assert_eq!(ours.code, want, "{}", ours.stderr);
        assert_eq!(
            findings(&ours.stdout),
            findings(&String::from_utf8_lossy(&theirs.stdout))
        );
    }
}

/// `schemactl.yaml` is found the same way: its `roots` are its modules, so
/// inside a root its settings apply (here: a rule it turns off).
#[test]
fn schemactl_yaml_above_a_root_applies() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(
        tmp.path(),
        &[
            (
                "schemactl.yaml",
                "version: v1\nroots: [proto]\nlint:\n  use: [STANDARD]\n  except: [FIELD_LOWER_SNAKE_CASE]\n",
            ),
            ("proto/pa/v1/x.proto", CURRENT[0].1),
        ],
    );
    let inside = tmp.path().join("proto");
    let run = schemactl(&inside, &["-v", "lint", "--error-format", "json"]);
    assert!(
        run.stderr.contains("using config ../schemactl.yaml"),
        "{}",
        run.stderr
    );
    assert_eq!(findings(&run.stdout), Vec::new(), "{}", run.stdout);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The same directory with the configuration moved away: Buf's defaults
    // flag the field.
    std::fs::remove_file(tmp.path().join("schemactl.yaml")).expect("remove");
    let run = schemactl(&inside, &["-v", "lint", "--error-format", "json"]);
    assert!(
        run.stderr.contains("using no config file"),
        "{}",
        run.stderr
    );
    assert!(
        findings(&run.stdout)
            .iter()
            .any(|f| f.3 == "FIELD_LOWER_SNAKE_CASE" && f.0 == "pa/v1/x.proto"),
        "{}",
        run.stdout
    );
}
