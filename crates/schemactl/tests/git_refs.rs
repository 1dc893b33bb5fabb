//! Reading schemas from git refs without a checkout, in real repositories
//! built by the tests with the git CLI.

mod common;

use common::*;
use prost::Message;

const V1: &str = "syntax = \"proto3\";\npackage acme.a.v1;\nmessage Thing {\n  string id = 1;\n}\n";
const V2: &str = "syntax = \"proto3\";\npackage acme.a.v1;\nmessage Thing {\n  string id = 1;\n  string name = 2;\n}\nmessage Other {}\n";

fn repo_with_tag() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write_files(
        dir,
        &[
            ("schemas/proto/acme/a/v1/thing.proto", V1),
            ("schemas/schemactl.yaml", "version: v1\nroots: [proto]\n"),
        ],
    );
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "first"]);
    git(dir, &["tag", "-a", "v1.0.0", "-m", "release 1.0.0"]);
    // The working tree moves on: different content, uncommitted.
    write_files(dir, &[("schemas/proto/acme/a/v1/thing.proto", V2)]);
    tmp
}

fn messages(bytes: &[u8], file: &str) -> Vec<String> {
    let set = prost_types::FileDescriptorSet::decode(bytes).expect("decode");
    let f = set
        .file
        .iter()
        .find(|f| f.name() == file)
        .expect("file present");
    f.message_type
        .iter()
        .map(|m| {
            let fields: Vec<_> = m.field.iter().map(|f| f.name().to_owned()).collect();
            format!("{}({})", m.name(), fields.join(","))
        })
        .collect()
}

#[test]
fn build_at_a_tag_reads_the_tagged_tree_not_the_working_tree() {
    let repo = repo_with_tag();
    let dir = repo.path();
    let tagged = schemactl(dir, &["build", "schemas", "--ref", "v1.0.0", "-o", "-"]);
    assert_eq!(tagged.code, 0, "{}", tagged.stderr);
    assert_eq!(
        messages(&tagged.raw_stdout, "acme/a/v1/thing.proto"),
        ["Thing(id)"]
    );

    let current = schemactl(dir, &["build", "schemas", "-o", "-"]);
    assert_eq!(current.code, 0, "{}", current.stderr);
    assert_eq!(
        messages(&current.raw_stdout, "acme/a/v1/thing.proto"),
        ["Thing(id,name)", "Other()"]
    );

    // Branches, commits and Buf's `.git#tag=` form all work, from any
    // directory inside the repository.
    let commit = git(dir, &["rev-parse", "v1.0.0^{commit}"])
        .trim()
        .to_owned();
    for args in [
        vec!["build", "schemas", "--ref", "main", "-o", "-"],
        vec!["build", "schemas", "--ref", commit.as_str(), "-o", "-"],
        vec!["build", ".git#tag=v1.0.0,subdir=schemas", "-o", "-"],
    ] {
        let run = schemactl(dir, &args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(
            messages(&run.raw_stdout, "acme/a/v1/thing.proto"),
            ["Thing(id)"],
            "{args:?}"
        );
    }
    let inside = dir.join("schemas");
    let run = schemactl(&inside, &["build", ".", "--ref", "v1.0.0", "-o", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_directory_deleted_from_the_working_tree_is_still_read_at_the_ref() {
    let repo = repo_with_tag();
    let dir = repo.path();
    std::fs::remove_dir_all(dir.join("schemas")).expect("rm");
    let run = schemactl(dir, &["build", "schemas", "--ref", "v1.0.0", "-o", "-"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        messages(&run.raw_stdout, "acme/a/v1/thing.proto"),
        ["Thing(id)"]
    );
}

#[test]
fn compile_errors_at_a_ref_name_the_file_and_line() {
    let repo = repo_with_tag();
    let dir = repo.path();
    write_files(
        dir,
        &[(
            "schemas/proto/acme/a/v1/thing.proto",
            "syntax = \"proto3\";\npackage acme.a.v1;\nmessage Thing {\n  strin id = 1;\n}\n",
        )],
    );
    git(dir, &["commit", "-q", "-am", "broken"]);
    git(dir, &["tag", "v1.0.1"]);
    let run = schemactl(
        dir,
        &[
            "build",
            "schemas",
            "--ref",
            "v1.0.1",
            "--error-format",
            "json",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("\"path\":\"schemas/proto/acme/a/v1/thing.proto\",\"start_line\":4"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_ref_is_a_clear_error() {
    let repo = repo_with_tag();
    let run = schemactl(repo.path(), &["build", "schemas", "--ref", "v9.9.9"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("git ref `v9.9.9` not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[test]
fn a_shallow_clone_without_the_tag_says_how_to_fetch_it() {
    let origin = repo_with_tag();
    let dir = origin.path();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "second"]);
    let clones = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", dir.display());
    git(
        clones.path(),
        &["clone", "-q", "--depth", "1", "--no-tags", &url, "shallow"],
    );
    let shallow = clones.path().join("shallow");
    let run = schemactl(&shallow, &["build", "schemas", "--ref", "v1.0.0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("git ref `v1.0.0` not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    assert!(run.stderr.contains("git fetch --tags"), "{}", run.stderr);
}

#[test]
fn not_a_git_repository() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(tmp.path(), &[("a.proto", "syntax = \"proto3\";\n")]);
    let run = schemactl(tmp.path(), &["build", ".", "--ref", "v1.0.0"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not inside a git repository"),
        "{}",
        run.stderr
    );
}
