//! The incremental compiler gives, for every tree of a history, exactly the
//! descriptors and source info that compiling the tree from scratch gives,
//! while parsing only new blobs and linking only files whose key changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use prost::Message;
use schemactl_compile::{Incremental, compile_tree};
use schemactl_config::Config;
use schemactl_source::{FileEntry, Tree, read_dir_tree};

/// Every file of an encoded set, by name (source info included).
fn by_name(set: &[u8]) -> BTreeMap<String, prost_types::FileDescriptorProto> {
    prost_types::FileDescriptorSet::decode(set)
        .expect("set")
        .file
        .into_iter()
        .filter(|f| !f.name().starts_with("google/protobuf/"))
        .map(|f| (f.name().to_owned(), f))
        .collect()
}

fn from_scratch(tree: &Tree) -> BTreeMap<String, prost_types::FileDescriptorProto> {
    let c = compile_tree(tree, &Config::buf_default(), ".");
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics.first());
    by_name(&c.image.expect("image").encode(true, true))
}

fn check(inc: &mut Incremental, tree: &Tree) -> schemactl_compile::CompileStats {
    let compiled = inc.compile(tree, &Config::buf_default(), ".");
    let stats = compiled.stats;
    let set = compiled
        .files
        .unwrap_or_else(|| panic!("{:?}", compiled.diagnostics.first()));
    let ours = by_name(&set.image_all().expect("image").encode(true, true));
    let theirs = from_scratch(tree);
    assert_eq!(
        ours.keys().collect::<Vec<_>>(),
        theirs.keys().collect::<Vec<_>>()
    );
    for (name, file) in &theirs {
        assert_eq!(&ours[name], file, "{name}");
    }
    stats
}

fn edit(tree: &Tree, path: &str, f: impl Fn(&str) -> String) -> Tree {
    let mut out = tree.clone();
    let text = tree.get(path).and_then(FileEntry::text).expect("file");
    out.insert(path, FileEntry::new(f(text).into_bytes()));
    out
}

/// Insert `line` before the last `}` of the file (inside its last
/// top-level message or enum, which is where the tests want it).
fn before_first_message_end(text: &str, line: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    let end = lines.iter().position(|l| *l == "}").expect("a top-level }");
    lines.insert(end, line);
    lines.join("\n") + "\n"
}

#[test]
fn history_of_the_example_repository() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/proto");
    let t0 = read_dir_tree(&root).expect("tree");
    let mut inc = Incremental::new();

    let s0 = check(&mut inc, &t0);
    assert_eq!((s0.parsed, s0.linked), (s0.files, s0.files));

    // Nothing changed: nothing parsed or linked.
    let same = check(&mut inc, &t0);
    assert_eq!((same.parsed, same.linked), (0, 0));

    // A leaf changed: one file parsed, one linked.
    let t1 = edit(&t0, "acme/billing/v1/payment_captured.proto", |t| {
        before_first_message_end(t, "  string card_nickname = 99;")
    });
    let s1 = check(&mut inc, &t1);
    assert_eq!((s1.parsed, s1.linked), (1, 1));

    // A dependency changed: it and everything importing it is linked
    // again (imports resolve through it), but only it is parsed.
    let t2 = edit(&t1, "acme/common/v1/money.proto", |t| {
        before_first_message_end(t, "  string display = 9;")
    });
    let s2 = check(&mut inc, &t2);
    assert_eq!(s2.parsed, 1);
    let importers = t2
        .proto_files()
        .filter(|(_, e)| {
            e.text()
                .is_some_and(|t| t.contains("acme/common/v1/money.proto"))
        })
        .count();
    assert!(importers >= 3);
    assert_eq!(s2.linked, importers + 1);

    // A file removed and one added.
    let mut t3 = t2.clone();
    let mut files: Tree = Tree::new("t3");
    for (p, e) in t3.files() {
        if p != "acme/cdn/v1/cache_purged.proto" {
            files.insert(p, e.clone());
        }
    }
    files.insert(
        "acme/cdn/v1/origin_added.proto",
        FileEntry::new(
            b"syntax = \"proto3\";\npackage acme.cdn.v1;\nimport \"acme/common/v1/money.proto\";\nmessage OriginAdded { acme.common.v1.Money cost = 1; }\n".to_vec(),
        ),
    );
    t3 = files;
    let s3 = check(&mut inc, &t3);
    assert_eq!((s3.parsed, s3.linked), (1, 1));

    // Back to the first tree: every file is already linked.
    let back = check(&mut inc, &t0);
    assert_eq!(back.linked, 0);
}

/// The Google APIs corpus (set by scripts/test.sh): a few files changed,
/// the result equals a compile from scratch.
#[test]
fn google_apis_corpus_with_a_few_changes() {
    let Some(root) = std::env::var_os("SCHEMACTL_GOOGLEAPIS") else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CORPUS").is_none(),
            "corpus required"
        );
        return;
    };
    let t0 = read_dir_tree(Path::new(&root)).expect("tree");
    let mut inc = Incremental::new();
    let compiled = inc.compile(&t0, &Config::buf_default(), ".");
    assert!(
        compiled.files.is_some(),
        "{:?}",
        compiled.diagnostics.first()
    );
    let mut t1 = t0.clone();
    for path in [
        "google/type/money.proto",
        "google/pubsub/v1/pubsub.proto",
        "google/api/field_behavior.proto",
    ] {
        t1 = edit(&t1, path, |t| {
            format!("{t}\n// changed\nmessage SchemactlAdded{{ string x = 1; }}\n")
        });
    }
    let stats = check(&mut inc, &t1);
    assert_eq!(stats.parsed, 3);
    // field_behavior.proto is imported by thousands of files: they are
    // linked again; an unrelated file is not.
    assert!(stats.linked > 3 && stats.linked < stats.files, "{stats:?}");
}
