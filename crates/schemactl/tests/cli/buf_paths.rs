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
    // Buf's own words where nothing is left to check.
    let ours = schemactl(tmp.path(), &["lint", "p", "--path", "p/nothing"]);
    let theirs = run_buf(&buf, tmp.path(), &["lint", "p", "--path", "p/nothing"]);
    let words = "no .proto files were targeted";
    assert!(theirs.stderr.contains(words), "{}", theirs.stderr);
    assert!(ours.stderr.contains(words), "{}", ours.stderr);
}
