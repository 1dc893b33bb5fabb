//! `schemactl build` end to end, and the differential test against protoc.

use std::path::Path;

use crate::common::*;
use prost::Message;

#[test]
fn builds_the_example_repository_with_imports_and_source_info() {
    let root = repo_root();
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out.binpb");
    let run = schemactl(
        &root,
        &["build", "schemas", "-o", out.to_str().expect("utf8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let set = prost_types::FileDescriptorSet::decode(std::fs::read(&out).expect("read").as_slice())
        .expect("decodes as a FileDescriptorSet");
    let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();

    // Every file of schemas/ is there, by its import path under the root.
    let proto_root = root.join("schemas/proto");
    let mut expected = Vec::new();
    collect_protos(&proto_root, &proto_root, &mut expected);
    assert!(
        expected.len() >= 12,
        "the example repository has at least 12 files"
    );
    for name in &expected {
        assert!(
            names.contains(&name.as_str()),
            "{name} missing from the image: {names:?}"
        );
    }
    // Plus the imported well-known types, and nothing else.
    assert!(names.contains(&"google/protobuf/timestamp.proto"));
    for name in &names {
        assert!(
            expected.iter().any(|e| e == name) || name.starts_with("google/protobuf/"),
            "unexpected file {name}"
        );
    }
    // Files come after their imports.
    for (i, file) in set.file.iter().enumerate() {
        for dep in &file.dependency {
            let at = names
                .iter()
                .position(|n| n == dep)
                .expect("dependency present");
            assert!(at < i, "{} before its import {dep}", file.name());
        }
    }
    // Source info (locations and comments) for the input files.
    let user = set
        .file
        .iter()
        .find(|f| f.name() == "acme/identity/v1/user_created.proto")
        .expect("user_created.proto");
    let info = user.source_code_info.as_ref().expect("source info");
    assert!(
        info.location.iter().any(|l| l.leading_comments.is_some()),
        "comments kept"
    );
}

fn collect_protos(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read_dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect_protos(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            let rel = path.strip_prefix(root).expect("rel");
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn build_options_and_stdout() {
    let root = repo_root();
    let run = schemactl(
        &root,
        &[
            "build",
            "schemas",
            "-o",
            "-",
            "--exclude-imports",
            "--exclude-source-info",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let set = prost_types::FileDescriptorSet::decode(run.raw_stdout.as_slice()).expect("decodes");
    assert!(
        set.file
            .iter()
            .all(|f| !f.name().starts_with("google/protobuf/"))
    );
    assert!(set.file.iter().all(|f| f.source_code_info.is_none()));

    // Without -o nothing is written and the exit code says it compiled.
    let run = schemactl(&root, &["build", "schemas"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

#[test]
fn image_input_round_trips() {
    let root = repo_root();
    let tmp = tempfile::tempdir().expect("tmp");
    let first = tmp.path().join("a.binpb");
    let second = tmp.path().join("b.binpb");
    assert_eq!(
        schemactl(
            &root,
            &["build", "schemas", "-o", first.to_str().expect("utf8")]
        )
        .code,
        0
    );
    let run = schemactl(
        &root,
        &[
            "build",
            first.to_str().expect("utf8"),
            "-o",
            second.to_str().expect("utf8"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (a, b) = (
        std::fs::read(&first).expect("first"),
        std::fs::read(&second).expect("second"),
    );
    assert!(
        a == b,
        "building from an image writes the same image ({} vs {} bytes)",
        a.len(),
        b.len()
    );
}

/// protoc and schemactl must produce the same descriptors (files, messages,
/// fields, numbers, types, options) for the same files.
fn differential(proto_root: &Path, files: &[String]) {
    assert!(
        has_command("protoc"),
        "protoc is required (apt-get install protobuf-compiler; .ci/run installs it)"
    );
    let tmp = tempfile::tempdir().expect("tmp");
    let ours = tmp.path().join("schemactl.binpb");
    let theirs = tmp.path().join("protoc.binpb");

    let run = schemactl(
        proto_root,
        &[
            "build",
            ".",
            "--exclude-source-info",
            "-o",
            ours.to_str().expect("utf8"),
        ],
    );
    assert_eq!(run.code, 0, "schemactl failed:\n{}", run.stderr);

    // Pass the file list through a response file: the corpus is too large for
    // one command line on some systems.
    let list = tmp.path().join("files.txt");
    std::fs::write(&list, files.join("\n")).expect("write list");
    let out = format!("--descriptor_set_out={}", theirs.display());
    let at_list = format!("@{}", list.display());
    run_ok(
        proto_root,
        "protoc",
        &["-I", ".", "--include_imports", &out, &at_list],
    );

    let comparison = compare_descriptor_sets(
        &std::fs::read(&ours).expect("ours"),
        &std::fs::read(&theirs).expect("theirs"),
    );
    let diffs = &comparison.differences;
    assert!(
        diffs.is_empty(),
        "{} of {} files differ; first ones:\n{}",
        diffs.len(),
        files.len(),
        diffs.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
    eprintln!(
        "{} files agree; {} of them only differ in an equivalent wire encoding of an option",
        files.len(),
        comparison.encoding_only.len()
    );
}

#[test]
fn agrees_with_protoc_on_the_example_repository() {
    let proto_root = repo_root().join("schemas/proto");
    let mut files = Vec::new();
    collect_protos(&proto_root, &proto_root, &mut files);
    files.sort();
    differential(&proto_root, &files);
}

/// The Google APIs corpus prepared by `bench/corpus.sh` (`.ci/run` sets
/// `SCHEMACTL_GOOGLEAPIS` and `SCHEMACTL_REQUIRE_CORPUS=1`, so in CI a
/// missing corpus is a failure, not a skip).
#[test]
fn agrees_with_protoc_on_the_google_apis_corpus() {
    let Some(corpus) = std::env::var_os("SCHEMACTL_GOOGLEAPIS") else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CORPUS").is_none(),
            "SCHEMACTL_GOOGLEAPIS is not set but the corpus is required"
        );
        eprintln!("skipped: set SCHEMACTL_GOOGLEAPIS to a corpus made by bench/corpus.sh");
        return;
    };
    let corpus = Path::new(&corpus);
    let files: Vec<String> = std::fs::read_to_string(corpus.join(".corpus-files"))
        .expect("corpus file list")
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(files.len() > 1000, "the corpus has {} files", files.len());
    differential(corpus, &files);
}

/// `-o` naming a special file (a FIFO here; `/dev/null` in practice) writes
/// into it instead of replacing it with a regular file.
#[cfg(unix)]
#[test]
fn output_to_a_special_file_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let fifo = tmp.path().join("pipe");
    crate::common::run_ok(tmp.path(), "mkfifo", &[&fifo.display().to_string()]);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read fifo"))
    };
    let run = schemactl(
        &repo_root(),
        &["build", "schemas", "-o", &fifo.display().to_string()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Checked before joining: a replaced FIFO would leave the reader
    // blocked forever.
    assert!(
        std::fs::metadata(&fifo)
            .expect("still there")
            .file_type()
            .is_fifo()
    );
    let bytes = reader.join().expect("reader");
    assert!(!bytes.is_empty());
}
