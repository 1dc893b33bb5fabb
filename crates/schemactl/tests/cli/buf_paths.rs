//! Differential tests against the real `buf` (SCHEMACTL_BUF) of `lint
//! --path` and `--exclude-path`: the same findings for each selection, and
//! a refusal where Buf refuses (a path outside the input, nothing
//! targeted, an excluded path holding a targeted one).

use crate::buf_streams::{run_buf, run_ours};
use crate::common::*;

fn proto(package: &str, message: &str) -> String {
    format!("syntax = \"proto3\";\npackage {package};\nmessage {message} {{}}\n")
}

#[test]
fn lint_paths_select_files_like_buf() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let (ax, ay, bx) = (
        proto("a.v1", "bad_a"),
        proto("a.v1", "bad_y"),
        proto("b.v1", "bad_b"),
    );
    write_files(
        tmp.path(),
        &[
            ("p/buf.yaml", "version: v2\n"),
            ("p/a/v1/x.proto", &ax),
            ("p/a/v1/y.proto", &ay),
            ("p/ab/v1/z.proto", &bx.replace("b.v1", "ab.v1")),
            ("p/b/v1/x.proto", &bx),
        ],
    );
    // (directory run from, arguments after `lint <input> --error-format json`, refused)
    let cases: &[(&str, &[&str], &str, bool)] = &[
        (".", &["--path", "p/a"], "p", false),
        (".", &["--path", "./p/a/"], "p", false),
        (
            ".",
            &["--path", "p/a/v1/y.proto", "--path", "p/b"],
            "p",
            false,
        ),
        (
            ".",
            &["--path", "p/a", "--exclude-path", "p/a/v1/y.proto"],
            "p",
            false,
        ),
        (".", &["--exclude-path", "p/a"], "p", false),
        (".", &["--exclude-path", "p/nothing"], "p", false),
        ("p", &["--path", "a"], ".", false),
        (
            "p",
            &["--exclude-path", "b", "--exclude-path", "ab"],
            ".",
            false,
        ),
        (".", &["--path", "a"], "p", true),
        (".", &["--path", "p/nothing"], "p", true),
        (
            ".",
            &["--path", "p/a/v1/y.proto", "--exclude-path", "p/a"],
            "p",
            true,
        ),
        (".", &["--exclude-path", "p"], "p", true),
        (".", &["--path", "p/"], "p", true),
        ("p", &["--path", "."], ".", true),
    ];
    for (from, extra, input, refused) in cases {
        let dir = tmp.path().join(from);
        let mut args = vec!["lint", *input, "--error-format", "json"];
        args.extend(extra.iter());
        let theirs = run_buf(&buf, &dir, &args);
        let ours = run_ours(&dir, &args);
        let label = format!("in {from}: {args:?}");
        assert_eq!(ours.stdout, theirs.stdout, "{label}");
        assert_eq!(theirs.code == 1, *refused, "{label}: {}", theirs.stderr);
        if *refused {
            assert_eq!(ours.code, 2, "{label}");
            assert!(
                ours.stderr.starts_with("error: "),
                "{label}: {}",
                ours.stderr
            );
        } else {
            assert_eq!(ours.code, theirs.code, "{label}: {}", ours.stderr);
            assert!(!theirs.stdout.is_empty() || extra.is_empty(), "{label}");
        }
    }
    // Buf's own words for the input given as a path.
    for (flag, words) in [
        ("--path", "given input is equal to a value of --path"),
        ("--exclude-path", "is equal to a value of --exclude-path"),
    ] {
        let args = ["lint", "p", flag, "p"];
        let theirs = run_buf(&buf, tmp.path(), &args);
        assert!(theirs.stderr.contains(words), "{}", theirs.stderr);
        let ours = schemactl(tmp.path(), &args);
        assert!(ours.stderr.contains(words), "{}", ours.stderr);
    }
    // Buf's own words where nothing is left to check.
    let ours = schemactl(tmp.path(), &["lint", "p", "--path", "p/nothing"]);
    let theirs = run_buf(&buf, tmp.path(), &["lint", "p", "--path", "p/nothing"]);
    let words = "no .proto files were targeted";
    assert!(theirs.stderr.contains(words), "{}", theirs.stderr);
    assert!(ours.stderr.contains(words), "{}", ours.stderr);
}

/// The files of an encoded `FileDescriptorSet`, in order. Buf's own
/// extension of each file (module name, whether it is an import) is an
/// unknown field here and is dropped.
fn files_of(bytes: &[u8]) -> Vec<prost_types::FileDescriptorProto> {
    let set = <prost_types::FileDescriptorSet as prost::Message>::decode(bytes).expect("set");
    set.file
}

/// The schemas of the breaking and build tests: a committed version, then
/// a working tree where `a/v1/y.proto` and `b/v1/b.proto` were deleted, a
/// field of `a/v1/x.proto` and one of `c/v1/c.proto` (which `x.proto`
/// imports) renamed, and `n/v1/n.proto` added. Returns the temporary
/// directory (the repository), whose `old.binpb` is Buf's image of the
/// committed version.
fn changed_repo(buf: &std::ffi::OsStr) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let c = "syntax = \"proto3\";\npackage c.v1;\nmessage C { string v = 1; }\n";
    let x = "syntax = \"proto3\";\npackage a.v1;\nimport \"c/v1/c.proto\";\n\
             message X { c.v1.C c = 1; string name = 2; }\n";
    write_files(
        tmp.path(),
        &[
            ("p/buf.yaml", "version: v2\n"),
            ("p/c/v1/c.proto", c),
            ("p/a/v1/x.proto", x),
            ("p/a/v1/y.proto", &proto("a.v1", "Y")),
            ("p/b/v1/b.proto", &proto("b.v1", "B")),
        ],
    );
    git(tmp.path(), &["init", "-q", "."]);
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "v1"]);
    let built = run_buf(buf, tmp.path(), &["build", "p", "-o", "old.binpb"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    copy_dir(&tmp.path().join("p"), &tmp.path().join("old"));
    for deleted in ["p/a/v1/y.proto", "p/b/v1/b.proto"] {
        std::fs::remove_file(tmp.path().join(deleted)).expect("rm");
    }
    write_files(
        tmp.path(),
        &[
            ("p/c/v1/c.proto", &c.replace("v = 1", "w = 1")),
            // A lint finding too, for `check`.
            (
                "p/a/v1/x.proto",
                &format!("{}message bad_x {{}}\n", x.replace("name = 2", "title = 2")),
            ),
            ("p/n/v1/n.proto", &proto("n.v1", "N")),
        ],
    );
    tmp
}

#[test]
fn build_paths_write_the_files_buf_writes() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = changed_repo(&buf);
    // (directory run from, input, selection)
    let cases: &[(&str, &str, &[&str])] = &[
        ("p", ".", &["--path", "a"]),
        ("p", ".", &["--path", "a", "--exclude-imports"]),
        ("p", ".", &["--path", "a/v1/x.proto", "--exclude-imports"]),
        ("p", ".", &["--path", "c"]),
        ("p", ".", &["--exclude-path", "c"]),
        ("p", ".", &["--path", "a", "--path", "n"]),
        (".", "p", &["--path", "p/a"]),
        (".", "p", &["--path", "p/n", "--exclude-path", "p/a"]),
        // An image's paths are its file names.
        (".", "old.binpb", &["--path", "a"]),
        (".", "old.binpb", &["--path", "a/v1/x.proto"]),
        (".", "old.binpb", &["--exclude-path", "c"]),
        // So are those of Buf's git form: paths inside its subdir.
        (".", ".git#subdir=p", &["--path", "a"]),
    ];
    for (from, input, selection) in cases {
        let dir = tmp.path().join(from);
        for source_info in [true, false] {
            let mut args = vec!["build", *input, "-o", "out.binpb"];
            args.extend(selection.iter());
            if !source_info {
                args.push("--exclude-source-info");
            }
            let label = format!("in {from}: {args:?}");
            let theirs = run_buf(&buf, &dir, &args);
            assert_eq!(theirs.code, 0, "{label}: {}", theirs.stderr);
            let theirs = files_of(&std::fs::read(dir.join("out.binpb")).expect("buf's"));
            let ours = schemactl(&dir, &args);
            assert_eq!(ours.code, 0, "{label}: {}", ours.stderr);
            let ours = files_of(&std::fs::read(dir.join("out.binpb")).expect("ours"));
            let names = |files: &[prost_types::FileDescriptorProto]| {
                files
                    .iter()
                    .map(|f| f.name().to_owned())
                    .collect::<Vec<_>>()
            };
            assert_eq!(names(&ours), names(&theirs), "{label}");
            if !source_info {
                assert_eq!(ours, theirs, "{label}");
            }
        }
    }
    // An image input with `--exclude-imports`: Buf still writes the files
    // the selected ones import; schemactl leaves them out, as for a
    // directory (a deliberate difference, docs/buf-compat-output.md).
    let args = [
        "build",
        "old.binpb",
        "-o",
        "out.binpb",
        "--path",
        "a/v1/x.proto",
        "--exclude-imports",
    ];
    let names = |dir: &std::path::Path| -> Vec<String> {
        files_of(&std::fs::read(dir.join("out.binpb")).expect("out"))
            .iter()
            .map(|f| f.name().to_owned())
            .collect()
    };
    assert_eq!(run_buf(&buf, tmp.path(), &args).code, 0);
    assert_eq!(names(tmp.path()), ["c/v1/c.proto", "a/v1/x.proto"]);
    assert_eq!(schemactl(tmp.path(), &args).code, 0);
    assert_eq!(names(tmp.path()), ["a/v1/x.proto"]);

    // Refused as Buf refuses: nothing targeted, a path outside the input.
    for (from, input, selection) in [
        ("p", ".", &["--path", "b"][..]),
        ("p", ".", &["--exclude-path", "."][..]),
        (".", "p", &["--path", "a"][..]),
    ] {
        let mut args = vec!["build", input, "-o", "out.binpb"];
        args.extend(selection);
        let dir = tmp.path().join(from);
        let label = format!("in {from}: {args:?}");
        assert_eq!(run_buf(&buf, &dir, &args).code, 1, "{label}");
        let ours = schemactl(&dir, &args);
        assert_eq!(ours.code, 2, "{label}: {}", ours.stderr);
        assert!(
            ours.stderr.starts_with("error: "),
            "{label}: {}",
            ours.stderr
        );
    }
}

#[test]
fn breaking_paths_apply_to_both_sides_like_buf() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = changed_repo(&buf);
    let inside = tmp.path().join("p");
    // Run from the input, where Buf applies the paths to both sides: the
    // same findings and exit code for each selection.
    let selections: &[&[&str]] = &[
        &[],
        &["--path", "a"],
        &["--path", "a", "--exclude-imports"],
        &["--path", "c"],
        &["--exclude-path", "b"],
        &["--path", "a", "--exclude-path", "a/v1/y.proto"],
        &["--path", "a/v1/x.proto"],
    ];
    for against in ["../.git#subdir=p", "../old.binpb"] {
        for selection in selections {
            let mut args = vec![
                "breaking",
                ".",
                "--against",
                against,
                "--error-format",
                "json",
            ];
            args.extend(selection.iter());
            let label = format!("{args:?}");
            let theirs = run_buf(&buf, &inside, &args);
            let ours = run_ours(&inside, &args);
            assert_eq!(theirs.code, 100, "{label}: {}", theirs.stderr);
            assert_eq!(ours.stdout, theirs.stdout, "{label}: {}", ours.stderr);
            assert_eq!(ours.code, theirs.code, "{label}: {}", ours.stderr);
        }
        // Refused where Buf refuses: the targeted files are all deleted,
        // a path outside the input, an excluded path holding a targeted one.
        for selection in [
            &["--path", "b"][..],
            &["--path", "a/v1/y.proto"][..],
            &["--path", "../p"][..],
            &["--path", "a/v1", "--exclude-path", "a"][..],
        ] {
            let mut args = vec!["breaking", ".", "--against", against];
            args.extend(selection);
            let label = format!("{args:?}");
            assert_eq!(run_buf(&buf, &inside, &args).code, 1, "{label}");
            let ours = schemactl(&inside, &args);
            assert_eq!(ours.code, 2, "{label}: {}", ours.stderr);
        }
    }

    // Run from above the input, Buf applies the paths as written to the
    // side compared against too, where they name nothing (or lie outside
    // it): it refuses. schemactl applies them relative to the input on
    // both sides, which gives Buf's findings from inside the input (a
    // deliberate difference, docs/buf-compat-output.md).
    let from_inside = run_buf(
        &buf,
        &inside,
        &[
            "breaking",
            ".",
            "--against",
            "../.git#subdir=p",
            "--path",
            "a",
            "--error-format",
            "json",
        ],
    );
    let expected = from_inside.stdout.replace("{\"path\":\"", "{\"path\":\"p/");
    for against in [".git#subdir=p", "old.binpb", "old", "HEAD"] {
        let args = [
            "breaking",
            "p",
            "--against",
            against,
            "--path",
            "p/a",
            "--error-format",
            "json",
        ];
        let label = format!("{args:?}");
        if against != "HEAD" {
            assert_eq!(run_buf(&buf, tmp.path(), &args).code, 1, "{label}");
        }
        let ours = run_ours(tmp.path(), &args);
        assert_eq!(ours.stdout, expected, "{label}: {}", ours.stderr);
        assert_eq!(ours.code, 100, "{label}");
    }

    // A directory that is new: Buf refuses (the side compared against has
    // no file under it); schemactl compares nothing, and finds nothing.
    let args = [
        "breaking",
        ".",
        "--against",
        "../.git#subdir=p",
        "--path",
        "n",
    ];
    assert_eq!(run_buf(&buf, &inside, &args).code, 1);
    let ours = run_ours(&inside, &args);
    assert_eq!(
        (ours.code, ours.stdout.as_str()),
        (0, ""),
        "{}",
        ours.stderr
    );
}

#[test]
fn check_paths_restrict_lint_and_breaking_alike() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = changed_repo(&buf);
    let lines = |stdout: &str| {
        let mut lines: Vec<String> = stdout.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    for selection in [&["--path", "p/a"][..], &["--exclude-path", "p/c"][..]] {
        let with = |command: &str, extra: &[&str]| {
            let mut args = vec![command, "p", "--error-format", "json"];
            args.extend(extra);
            args.extend(selection);
            schemactl(tmp.path(), &args)
        };
        let check = with("check", &["--against", "HEAD", "--no-generate"]);
        let lint = with("lint", &[]);
        let breaking = with("breaking", &["--against", "HEAD"]);
        assert_eq!(check.code, 1, "{selection:?}: {}", check.stderr);
        let mut expected = lines(&lint.stdout);
        expected.extend(lines(&breaking.stdout));
        expected.sort();
        assert!(!lint.stdout.is_empty(), "{selection:?}");
        assert_eq!(lines(&check.stdout), expected, "{selection:?}");
    }
}

#[test]
fn workspace_paths_select_inside_modules_like_buf() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let a = "syntax = \"proto3\";\npackage a.v1;\nmessage A { string x = 1; }\n";
    let b = "syntax = \"proto3\";\npackage b.v1;\nmessage B { string y = 1; }\nmessage B2 {}\n";
    write_files(
        tmp.path(),
        &[
            (
                "buf.yaml",
                "version: v2\nmodules:\n  - path: m1\n  - path: m2\n",
            ),
            ("m1/a/v1/a.proto", a),
            ("m2/b/v1/b.proto", b),
        ],
    );
    git(tmp.path(), &["init", "-q", "."]);
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "v1"]);
    git(tmp.path(), &["tag", "v1"]);
    write_files(
        tmp.path(),
        &[
            ("m1/a/v1/a.proto", &a.replace("x = 1", "z = 1")),
            (
                "m2/b/v1/b.proto",
                &b.replace("y = 1", "w = 1").replace("message B2 {}\n", ""),
            ),
        ],
    );
    let run = |selection: &[&str], ours: bool| {
        let mut args = vec![
            "breaking",
            ".",
            "--against",
            ".git#tag=v1",
            "--error-format",
            "json",
        ];
        args.extend(selection);
        if ours {
            run_ours(tmp.path(), &args)
        } else {
            run_buf(&buf, tmp.path(), &args)
        }
    };
    for selection in [
        &["--path", "m1/a"][..],
        &["--path", "m2/b/v1/b.proto"][..],
        &["--path", "m1/a", "--path", "m2/b"][..],
        &["--path", "m2", "--exclude-path", "m2/b/v1/b.proto"][..],
    ] {
        let (ours, theirs) = (run(selection, true), run(selection, false));
        if selection.contains(&"m2") {
            // Buf refuses a module's directory as a path; schemactl,
            // with the one file excluded, has nothing left to check.
            assert_eq!(theirs.code, 1, "{selection:?}");
            assert!(theirs.stderr.contains("was specified with --path"));
            assert_eq!(ours.code, 2, "{selection:?}: {}", ours.stderr);
            continue;
        }
        assert_eq!(theirs.code, 100, "{selection:?}: {}", theirs.stderr);
        assert_eq!(ours.stdout, theirs.stdout, "{selection:?}: {}", ours.stderr);
        assert_eq!(ours.code, theirs.code, "{selection:?}");
    }
    // A module's directory as `--path` or `--exclude-path`: Buf refuses
    // (its own comments call this a limitation); schemactl selects the
    // module's files, as Buf does for the directories inside it (a
    // deliberate difference, docs/buf-compat-output.md).
    for (selection, same_as) in [
        (&["--path", "m1"][..], &["--path", "m1/a"][..]),
        (&["--exclude-path", "m2"][..], &["--path", "m1/a"][..]),
    ] {
        let theirs = run(selection, false);
        assert_eq!(theirs.code, 1, "{selection:?}");
        assert!(theirs.stderr.contains("module \""), "{}", theirs.stderr);
        let expected = run(same_as, false);
        let ours = run(selection, true);
        assert_eq!(
            ours.stdout, expected.stdout,
            "{selection:?}: {}",
            ours.stderr
        );
        assert_eq!(ours.code, 100, "{selection:?}");
    }
}

/// schemactl's TOPIC rules under `--path`: the findings in the selected
/// files are those of a run without paths, and the catalog's topics whose
/// message is outside the paths are not reported as naming nothing.
#[test]
fn topic_rules_follow_the_paths() {
    let tmp = released_schemas();
    let file = tmp
        .path()
        .join("schemas/proto/acme/identity/v1/user_created.proto");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("  string email = 4;\n", "", 1)).expect("write");
    let run = |command: &str, selection: &[&str]| {
        let mut args = vec![command, "schemas", "--error-format", "json"];
        if command != "lint" {
            args.extend(["--against", "v1.0.0"]);
        }
        if command == "check" {
            args.push("--no-generate");
        }
        args.extend(selection);
        let run = schemactl(tmp.path(), &args);
        assert!(run.code < 2, "{args:?}: {}", run.stderr);
        json_findings(&run.stdout)
    };
    let identity = "schemas/proto/acme/identity";
    for command in ["lint", "breaking", "check"] {
        let all = run(command, &[]);
        let inside: Vec<_> = all
            .iter()
            .filter(|f| f.0.starts_with(identity))
            .cloned()
            .collect();
        let selected = run(command, &["--path", identity]);
        assert_eq!(selected, inside, "{command}");
        if command != "lint" {
            assert!(
                selected.iter().any(|f| f.3.starts_with("TOPIC_")),
                "{command}: {selected:?}"
            );
        }
        let elsewhere = run(command, &["--path", "schemas/proto/acme/cdn"]);
        let cdn: Vec<_> = all
            .iter()
            .filter(|f| f.0.starts_with("schemas/proto/acme/cdn"))
            .cloned()
            .collect();
        assert_eq!(elsewhere, cdn, "{command}");
    }
}
