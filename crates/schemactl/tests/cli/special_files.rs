//! Only regular files are read from an input, as git only tracks those:
//! FIFOs (which block the reader), symlinks to them, and submodule entries of
//! a git tree are skipped. Each run has a deadline, so a regression fails
//! instead of hanging the test suite.

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use prost::Message;

const A: &str = "syntax = \"proto3\";\npackage acme.a.v1;\nmessage A {\n  string id = 1;\n}\n";

/// Run schemactl in `dir`; kill it and fail if it has not finished in 60 s.
fn schemactl_with_deadline(dir: &Path, args: &[&str]) -> (i32, Vec<u8>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run schemactl");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("schemactl {args:?} still running after 60 s: it blocked on a special file");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code().unwrap_or(-1), out.stdout, stderr)
}

fn built_files(image: &[u8]) -> Vec<String> {
    let set = prost_types::FileDescriptorSet::decode(image).expect("decode");
    set.file
        .iter()
        .map(|f| f.name().to_owned())
        .filter(|n| !n.starts_with("google/"))
        .collect()
}

#[test]
fn a_fifo_named_like_a_schema_is_skipped_not_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    write_files(dir, &[("schemas/acme/a/v1/a.proto", A)]);
    for fifo in ["schemas/acme/a/v1/x.proto", "schemas/buf.yaml"] {
        run_ok(dir, "mkfifo", &[fifo]);
    }
    // A symlink inside the input that leads to a FIFO is no different.
    std::os::unix::fs::symlink("x.proto", dir.join("schemas/acme/a/v1/link.proto"))
        .expect("symlink");
    for command in ["build", "lint"] {
        let args = if command == "build" {
            vec!["build", "schemas", "-o", "-"]
        } else {
            vec!["lint", "schemas"]
        };
        let (code, stdout, stderr) = schemactl_with_deadline(dir, &args);
        assert_eq!(code, 0, "{command}: {stderr}");
        if command == "build" {
            assert_eq!(built_files(&stdout), ["acme/a/v1/a.proto"]);
        }
    }
}

/// Submodules are gitlink entries (mode 160000, a commit id) in a git tree:
/// not files to read, whatever their name.
#[test]
fn submodule_entries_of_a_git_tree_are_skipped() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write_files(dir, &[("schemas/acme/a/v1/a.proto", A)]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "a"]);
    let commit = git(dir, &["rev-parse", "HEAD"]).trim().to_owned();
    for path in ["schemas/vendor", "schemas/acme/a/v1/sub.proto"] {
        git(
            dir,
            &[
                "update-index",
                "--add",
                "--cacheinfo",
                &format!("160000,{commit},{path}"),
            ],
        );
    }
    git(dir, &["commit", "-q", "-m", "submodules"]);
    let listing = git(dir, &["ls-tree", "-r", "HEAD"]);
    assert!(listing.contains("160000 commit"), "{listing}");
    let (code, stdout, stderr) =
        schemactl_with_deadline(dir, &["build", "schemas", "--ref", "HEAD", "-o", "-"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(built_files(&stdout), ["acme/a/v1/a.proto"]);
    // Naming the submodule as the input says it is not there.
    let (code, _, stderr) = schemactl_with_deadline(
        dir,
        &["build", ".git#ref=HEAD,subdir=schemas/vendor", "-o", "-"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("directory `schemas/vendor` does not exist at git ref `HEAD`"),
        "{stderr}"
    );
}

/// A file far larger than any schema is refused by its size, from a
/// directory and from a git tree, without being loaded into memory.
#[test]
fn a_huge_file_is_refused_unread() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write_files(dir, &[("schemas/acme/a/v1/a.proto", A)]);
    // Sparse: 100 MiB of zeros that take no disk space.
    let big = std::fs::File::create(dir.join("schemas/acme/a/v1/big.proto")).expect("create");
    big.set_len(100 << 20).expect("set_len");
    drop(big);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "big"]);
    for args in [
        vec!["build", "schemas"],
        vec!["build", "schemas", "--ref", "HEAD"],
    ] {
        let (code, _, stderr) = schemactl_with_deadline(dir, &args);
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains("`acme/a/v1/big.proto` was not read: it is larger than 64 MiB"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains("split the file"), "{args:?}: {stderr}");
    }
}
