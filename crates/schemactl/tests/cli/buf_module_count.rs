//! Differential tests against the real `buf` (SCHEMACTL_BUF): breaking
//! compares module by module, and refuses two sides with different numbers
//! of modules as Buf does (the same message; schemactl exits 2, a run that
//! could not happen, and adds a hint).

use std::path::Path;

use crate::buf_streams::{run_buf, run_ours};
use crate::common::*;

/// A module directory `module` under `dir` holding `module/x.proto`.
fn module(dir: &Path, module: &str) {
    let proto = format!("syntax = \"proto3\";\npackage {module};\nmessage M {{ string a = 1; }}\n");
    write_files(dir, &[(&format!("{module}/{module}/x.proto"), &proto)]);
}

/// A v2 `buf.yaml` listing `modules` (the last with breaking settings of
/// its own when `own` is set), or a v1 `buf.work.yaml` listing them.
fn layout(dir: &Path, modules: &[&str], v1: bool, own: bool) {
    for m in modules {
        module(dir, m);
    }
    if v1 {
        let mut work = "version: v1\ndirectories:\n".to_owned();
        for m in modules {
            work.push_str(&format!("  - {m}\n"));
            let config = if own && Some(m) == modules.last() {
                "version: v1\nbreaking:\n  use: [WIRE]\n"
            } else {
                "version: v1\n"
            };
            write_files(dir, &[(&format!("{m}/buf.yaml"), config)]);
        }
        write_files(dir, &[("buf.work.yaml", &work)]);
    } else {
        let mut config = "version: v2\nmodules:\n".to_owned();
        for m in modules {
            config.push_str(&format!("  - path: {m}\n"));
            if own && Some(m) == modules.last() {
                config.push_str("    breaking:\n      use: [WIRE]\n");
            }
        }
        write_files(dir, &[("buf.yaml", &config)]);
    }
}

#[test]
fn different_module_counts_are_refused_like_buf() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    // (input modules, own settings on its last, against modules, refused)
    let cases: [(&[&str], bool, &[&str], bool); 5] = [
        (&["a"], false, &["a", "b"], true),
        (&["a", "b"], false, &["a"], false),
        (&["a", "b"], true, &["a"], true),
        (&["a", "b"], false, &["c"], true),
        (&["a", "b"], false, &["a", "b"], false),
    ];
    for v1 in [false, true] {
        for (input, own, against, refused) in cases {
            let tmp = tempfile::tempdir().expect("tmp");
            let (new, old) = (tmp.path().join("new"), tmp.path().join("old"));
            layout(&new, input, v1, own);
            layout(&old, against, v1, false);
            let label =
                format!("v1={v1} input {input:?} (own settings: {own}) against {against:?}");
            let args = ["breaking", "--against", "../old", "--error-format", "json"];
            let theirs = run_buf(&buf, &new, &args);
            let ours = run_ours(&new, &args);
            assert_eq!(ours.stdout, theirs.stdout, "{label}");
            let message = format!(
                "input contained {} images, whereas against contained {} images",
                input.len(),
                against.len()
            );
            assert_eq!(
                theirs.stderr.contains(&message),
                refused,
                "{label}: {}",
                theirs.stderr
            );
            if refused {
                assert_eq!(theirs.code, 1, "{label}");
                assert_eq!(ours.code, 2, "{label}");
                assert!(
                    ours.stderr
                        .starts_with(&format!("error: {message}\nhint: ")),
                    "{label}: {}",
                    ours.stderr
                );
            } else {
                assert_eq!(ours.code, theirs.code, "{label}: {}", ours.stderr);
            }
            // `check` compares the same way.
            let check = schemactl(&new, &["check", "--against", "../old"]);
            assert_eq!(
                check.stderr.contains(&message),
                refused,
                "{label} (check): {}",
                check.stderr
            );
        }
    }
}
