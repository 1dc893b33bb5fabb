//! The fast compile path (parallel parse, batch link without source info,
//! options relocated by us) must give exactly the descriptors and source info
//! that compiling file by file with protox gives.

use std::path::{Path, PathBuf};

use prost::Message;
use schemactl_compile::compile_tree;
use schemactl_config::Config;
use schemactl_source::read_dir_tree;

fn protox_reference(root: &Path, names: &[String]) -> prost_types::FileDescriptorSet {
    let mut compiler = protox::Compiler::new([root]).expect("compiler");
    compiler.include_imports(true).include_source_info(true);
    compiler.open_files(names).expect("protox compiles");
    prost_types::FileDescriptorSet::decode(compiler.encode_file_descriptor_set().as_slice())
        .expect("decode")
}

fn check(root: &Path) {
    let tree = read_dir_tree(root).expect("tree");
    let names: Vec<String> = tree.proto_files().map(|(p, _)| p.to_owned()).collect();
    let compilation = compile_tree(&tree, &Config::buf_default(), ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics.first()
    );
    let image = compilation.image.expect("image");
    let ours = prost_types::FileDescriptorSet::decode(image.encode(true, true).as_slice())
        .expect("decode");
    let theirs = protox_reference(root, &names);
    assert_eq!(ours.file.len(), theirs.file.len());
    let mut checked = 0;
    for theirs in &theirs.file {
        let ours = ours
            .file
            .iter()
            .find(|f| f.name() == theirs.name())
            .expect("same files");
        if theirs.name().starts_with("google/protobuf/") {
            continue;
        }
        let (mut a, mut b) = (ours.clone(), theirs.clone());
        let (ia, ib) = (a.source_code_info.take(), b.source_code_info.take());
        assert_eq!(a, b, "{}: descriptors", theirs.name());
        let (ia, ib) = (
            ia.expect("our source info"),
            ib.expect("protox source info"),
        );
        assert_eq!(ia.location.len(), ib.location.len(), "{}", theirs.name());
        for (la, lb) in ia.location.iter().zip(&ib.location) {
            assert_eq!(la, lb, "{}: first differing location", theirs.name());
        }
        checked += 1;
    }
    assert!(checked > 0);
    eprintln!("{checked} files: identical descriptors and source info");
}

#[test]
fn example_repository() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/proto");
    check(&root);
}

#[test]
fn options_of_every_kind_are_relocated_like_protox_does() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = [
        (
            "ext/v1/ext.proto",
            r#"syntax = "proto3";
package ext.v1;
import "google/protobuf/descriptor.proto";
message Rule { string name = 1; repeated string tags = 2; Inner inner = 3; message Inner { int32 depth = 1; } }
extend google.protobuf.FieldOptions { Rule rule = 50001; repeated string labels = 50002; }
extend google.protobuf.MessageOptions { repeated Rule rules = 50003; string owner = 50004; }
extend google.protobuf.FileOptions { string team = 50005; }
extend google.protobuf.EnumValueOptions { bool legacy = 50006; }
extend google.protobuf.MethodOptions { repeated string scopes = 50007; }
extend google.protobuf.ServiceOptions { string host = 50008; }
extend google.protobuf.OneofOptions { bool exclusive = 50009; }
extend google.protobuf.EnumOptions { string prefix = 50010; }
"#,
        ),
        (
            "app/v1/app.proto",
            r#"syntax = "proto3";
package app.v1;
import "ext/v1/ext.proto";
option java_package = "com.app.v1";
option (ext.v1.team) = "core";
option go_package = "example.com/app/v1;appv1";
message Thing {
  option (ext.v1.rules) = { name: "a" tags: ["x", "y"] };
  option (ext.v1.rules) = { name: "b" };
  option (.ext.v1.owner) = "me";
  option deprecated = true;
  string id = 1 [(ext.v1.rule).name = "id", (ext.v1.rule).inner.depth = 2, deprecated = true, (ext.v1.labels) = "l1", (ext.v1.labels) = "l2", json_name = "ID"];
  repeated int32 nums = 2 [packed = false];
  oneof choice {
    option (ext.v1.exclusive) = true;
    string a = 3;
    string b = 4;
  }
  enum Kind { option (ext.v1.prefix) = "KIND_"; KIND_UNSPECIFIED = 0; KIND_OLD = 1 [(ext.v1.legacy) = true, deprecated = true]; }
}
service Things {
  option (ext.v1.host) = "things.example.com";
  rpc Get(Thing) returns (Thing) { option (ext.v1.scopes) = "read"; option (ext.v1.scopes) = "admin"; option idempotency_level = NO_SIDE_EFFECTS; }
}
"#,
        ),
    ];
    for (name, text) in files {
        let path = tmp.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    check(tmp.path());
}

/// The Google APIs corpus (set by scripts/test.sh), when present.
#[test]
fn google_apis_corpus() {
    match std::env::var_os("SCHEMACTL_GOOGLEAPIS") {
        Some(root) => check(Path::new(&root)),
        None => assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CORPUS").is_none(),
            "corpus required"
        ),
    }
}
