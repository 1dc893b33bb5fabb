//! Reading schemas from git refs without a checkout, in real repositories
//! built by the tests with the git CLI.

use crate::common::*;
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
    // The repository is still found for the default `--against` and for
    // `release`, which look for it from the input's path.
    let run = schemactl(dir, &["breaking", "schemas", "--ref", "HEAD", "--verbose"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("comparing against v1.0.0"),
        "{}",
        run.stderr
    );
    let run = schemactl(dir, &["release", "schemas", "--dry-run"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("already released as v1.0.0"),
        "{}",
        run.stderr
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

// Ref resolution, one test per form, in repositories where the wrong order
// gives a different answer. Commit k of `history` holds messages M1..Mk, so
// the messages built at a ref say which commit it resolved to.

fn schema_with(count: usize) -> String {
    let mut text = "syntax = \"proto3\";\npackage acme.a.v1;\n".to_owned();
    for k in 1..=count {
        text.push_str(&format!("message M{k} {{\n  string id = 1;\n}}\n"));
    }
    text
}

/// Commit the schema with `count` messages.
fn commit_schema(dir: &std::path::Path, count: usize) {
    write_files(
        dir,
        &[
            ("schemas/acme/a/v1/m.proto", &schema_with(count)),
            ("schemas/schemactl.yaml", "version: v1\n"),
        ],
    );
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", &format!("M{count}")]);
}

/// How many messages the schema has at `reference` (which commit it read).
fn commit_at(dir: &std::path::Path, reference: &str) -> usize {
    let run = schemactl(dir, &["build", "schemas", "--ref", reference, "-o", "-"]);
    assert_eq!(run.code, 0, "--ref {reference}: {}", run.stderr);
    messages(&run.raw_stdout, "acme/a/v1/m.proto").len()
}

/// An origin with commits 1 and 2 on `main` and commit 3 on `feature`, and a
/// clone of it with local commits 4 and 5 on `main`: origin/HEAD is commit 2,
/// HEAD is commit 5, and HEAD's history is 5, 4, 2, 1.
fn clone_ahead_of_origin() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let origin = tmp.path().join("origin");
    std::fs::create_dir_all(&origin).expect("mkdir");
    git(&origin, &["init", "-q"]);
    commit_schema(&origin, 1);
    commit_schema(&origin, 2);
    git(&origin, &["checkout", "-q", "-b", "feature"]);
    commit_schema(&origin, 3);
    git(&origin, &["checkout", "-q", "main"]);
    let url = format!("file://{}", origin.display());
    git(tmp.path(), &["clone", "-q", &url, "clone"]);
    let clone = tmp.path().join("clone");
    commit_schema(&clone, 4);
    commit_schema(&clone, 5);
    assert_eq!(
        git(&clone, &["rev-parse", "origin/HEAD"]),
        git(&origin, &["rev-parse", "main"]),
        "origin/HEAD is origin's main"
    );
    (tmp, clone)
}

#[test]
fn head_is_the_local_head_not_origins() {
    let (_tmp, clone) = clone_ahead_of_origin();
    assert_eq!(commit_at(&clone, "HEAD"), 5);
    // A relative revision counts from the local HEAD too.
    assert_eq!(commit_at(&clone, "HEAD~1"), 4);
    assert_eq!(commit_at(&clone, "HEAD^"), 4);
    assert_eq!(commit_at(&clone, "HEAD~2"), 2);
    // origin's HEAD is still there when asked for by name.
    assert_eq!(commit_at(&clone, "origin/HEAD"), 2);
    assert_eq!(commit_at(&clone, "origin"), 2);

    // `--against HEAD~1` compares with the local parent: only M5 is new.
    let run = schemactl(&clone, &["diff", "schemas", "--from", "HEAD~1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("acme.a.v1.M5"), "{}", run.stdout);
    assert!(!run.stdout.contains("acme.a.v1.M4"), "{}", run.stdout);
}

#[test]
fn default_against_is_the_latest_release_reachable_from_the_local_head() {
    let (_tmp, clone) = clone_ahead_of_origin();
    // Released locally at commit 4: not an ancestor of origin/HEAD, so
    // reading HEAD as origin's would find no release at all.
    git(&clone, &["tag", "-a", "v1.0.0", "-m", "v1.0.0", "HEAD~1"]);
    write_files(&clone, &[("schemas/acme/a/v1/m.proto", &schema_with(3))]);
    let run = schemactl(&clone, &["breaking", "schemas"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("\"M4\" was deleted"), "{}", run.stdout);
    let run = schemactl(&clone, &["check", "schemas"]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(!run.stderr.contains("no release tag"), "{}", run.stderr);
}

#[test]
fn tags_branches_and_commit_ids() {
    let (_tmp, clone) = clone_ahead_of_origin();
    git(&clone, &["tag", "light", "HEAD~2"]);
    git(&clone, &["tag", "-a", "annotated", "-m", "a", "HEAD~1"]);
    git(&clone, &["branch", "old", "HEAD~3"]);
    assert_eq!(commit_at(&clone, "light"), 2);
    assert_eq!(commit_at(&clone, "annotated"), 4);
    assert_eq!(commit_at(&clone, "annotated^{}"), 4);
    assert_eq!(commit_at(&clone, "refs/tags/annotated"), 4);
    assert_eq!(commit_at(&clone, "old"), 1);
    assert_eq!(commit_at(&clone, "main"), 5);
    assert_eq!(commit_at(&clone, "refs/heads/main"), 5);
    let full = git(&clone, &["rev-parse", "HEAD~1"]).trim().to_owned();
    assert_eq!(commit_at(&clone, &full), 4);
    assert_eq!(commit_at(&clone, &full[..8]), 4);
    // A tag and a branch of one name: the tag, as in git.
    git(&clone, &["tag", "twice", "HEAD~3"]);
    git(&clone, &["branch", "twice", "HEAD"]);
    assert_eq!(commit_at(&clone, "twice"), 1);
}

#[test]
fn a_branch_only_on_origin_is_found_but_a_local_one_wins() {
    let (_tmp, clone) = clone_ahead_of_origin();
    // CI checkouts have origin/feature but no local feature.
    assert!(
        git(&clone, &["branch", "--list", "feature"])
            .trim()
            .is_empty()
    );
    assert_eq!(commit_at(&clone, "feature"), 3);
    assert_eq!(commit_at(&clone, "feature~1"), 2);
    assert_eq!(commit_at(&clone, "origin/feature"), 3);
    // git's own lookup comes first: a local `feature` hides origin's.
    git(&clone, &["branch", "feature", "HEAD"]);
    assert_eq!(commit_at(&clone, "feature"), 5);
}

#[test]
fn a_tag_to_a_tree_or_a_blob_is_not_a_commit() {
    let (_tmp, clone) = clone_ahead_of_origin();
    let tree = git(&clone, &["rev-parse", "HEAD^{tree}"]).trim().to_owned();
    let blob = git(&clone, &["rev-parse", "HEAD:schemas/acme/a/v1/m.proto"])
        .trim()
        .to_owned();
    git(&clone, &["tag", "to-tree", &tree]);
    git(&clone, &["tag", "-a", "to-blob", "-m", "blob", &blob]);
    for (reference, kind) in [("to-tree", "tree"), ("to-blob", "blob"), (&tree, "tree")] {
        let run = schemactl(&clone, &["build", "schemas", "--ref", reference]);
        assert_eq!(run.code, 2, "{reference}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "git ref `{reference}` points to a {kind}, not a commit"
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
        assert!(!run.stderr.contains("git fetch"), "{}", run.stderr);
    }
}

#[test]
fn unknown_and_malformed_refs_are_clear_errors() {
    let (_tmp, clone) = clone_ahead_of_origin();
    for reference in ["nope", "HEAD~9", "v1.0.0^{}"] {
        let run = schemactl(&clone, &["build", "schemas", "--ref", reference]);
        assert_eq!(run.code, 2, "{reference}: {}", run.stderr);
        assert!(
            run.stderr
                .contains(&format!("git ref `{reference}` not found")),
            "{reference}: {}",
            run.stderr
        );
        assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    }
    let run = schemactl(&clone, &["build", "schemas", "--ref", "HEAD..main"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`HEAD..main` is not a usable git revision"),
        "{}",
        run.stderr
    );
}

#[test]
fn head_of_a_repository_without_commits_says_to_commit() {
    let tmp = tempfile::tempdir().expect("tmp");
    git(tmp.path(), &["init", "-q"]);
    write_files(tmp.path(), &[("schemas/a.proto", &schema_with(1))]);
    let run = schemactl(tmp.path(), &["build", "schemas", "--ref", "HEAD"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("git ref `HEAD` not found"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("no commit yet"), "{}", run.stderr);
}

/// One resolver: no code outside `GitRepo::resolve` parses revisions, so no
/// command can resolve a ref in its own (different) order again.
#[test]
fn revisions_are_parsed_in_one_place_only() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read");
                if ["revparse", "refs/remotes/"]
                    .iter()
                    .any(|needle| text.contains(needle))
                {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut found = Vec::new();
    for krate in std::fs::read_dir(repo_root().join("crates")).expect("crates") {
        let src = krate.expect("crate").path().join("src");
        if src.is_dir() {
            visit(&src, &mut found);
        }
    }
    assert_eq!(
        found,
        [repo_root()
            .join("crates/schemactl-source/src/git.rs")
            .display()
            .to_string()]
    );
}

/// Without `--against`, `check` says why it skipped the breaking rules, and
/// where the reason is a checkout that lacks the tags, how to fetch them.
#[test]
fn skipped_breaking_checks_say_why() {
    // A shallow clone without tags: the classic CI checkout.
    let origin = repo_with_tag();
    let clones = tempfile::tempdir().expect("tmp");
    let url = format!("file://{}", origin.path().display());
    git(origin.path(), &["add", "."]);
    git(origin.path(), &["commit", "-q", "-m", "second"]);
    git(
        clones.path(),
        &["clone", "-q", "--depth", "1", "--no-tags", &url, "shallow"],
    );
    let shallow = clones.path().join("shallow");
    let run = schemactl(&shallow, &["check", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("shallow clone")
            && run.stderr.contains("fetch-depth: 0")
            && run.stderr.contains("breaking checks skipped"),
        "{}",
        run.stderr
    );

    // No commit yet.
    let fresh = tempfile::tempdir().expect("tmp");
    git(fresh.path(), &["init", "-q"]);
    write_files(fresh.path(), &[("schemas/a.proto", &schema_with(1))]);
    let run = schemactl(fresh.path(), &["check", "schemas"]);
    assert!(run.stderr.contains("no commit yet"), "{}", run.stderr);
    assert!(
        run.stderr.contains("breaking checks skipped"),
        "{}",
        run.stderr
    );

    // Not in git at all: a note for check, an error for breaking (whose only
    // job is the comparison).
    let plain = tempfile::tempdir().expect("tmp");
    write_files(plain.path(), &[("schemas/a.proto", &schema_with(1))]);
    let run = schemactl(plain.path(), &["check", "schemas"]);
    assert!(
        run.stderr.contains("`schemas` is not in a git repository")
            && run.stderr.contains("breaking checks skipped"),
        "{}",
        run.stderr
    );
    let run = schemactl(plain.path(), &["breaking", "schemas"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("not in a git repository") && run.stderr.contains("--against"),
        "{}",
        run.stderr
    );
}

/// `--against NAME` where NAME is both a directory and a branch: refused as
/// ambiguous, as git does, instead of silently picking the directory.
#[test]
fn a_name_that_is_both_a_path_and_a_ref_is_ambiguous() {
    let (_tmp, clone) = clone_ahead_of_origin();
    git(&clone, &["branch", "old", "HEAD~1"]);
    copy_dir(&clone.join("schemas"), &clone.join("old"));
    // The default (the latest release) is never ambiguous: it is a tag.
    git(&clone, &["tag", "-a", "v1.0.0", "-m", "v1.0.0", "HEAD~1"]);
    copy_dir(&clone.join("schemas"), &clone.join("v1.0.0"));
    let run = schemactl(&clone, &["check", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = schemactl(&clone, &["breaking", "schemas", "--against", "old"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("`old` is both a path and a git ref"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("refs/heads/old"), "{}", run.stderr);
    // Either spelled out works.
    for against in ["./old", "refs/heads/old"] {
        let run = schemactl(&clone, &["breaking", "schemas", "--against", against]);
        assert_eq!(run.code, 0, "{against}: {}", run.stderr);
    }
}
