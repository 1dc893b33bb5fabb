//! The resolved features `schemactl_rules::features` gives the rules, on
//! proto2 and proto3 files compiled by schemactl: protobuf's legacy
//! inference (what `protoc` resolves for these files, and what Buf's rules
//! read through protoreflect), now read from the prost-reflect fork's
//! resolved features: the answers the module gave when it inferred them
//! from `syntax`. Editions files are pinned against `buf` by the
//! `editions-*` cases.

mod common;

use prost_reflect::{FieldDescriptor, FileDescriptor};
use schemactl_rules::features::{
    self, CppStringType, FileSyntax, JsonFormat, Presence, Utf8Validation,
};

const PROTO2: &str = r#"syntax = "proto2";
package a.v1;

option java_string_check_utf8 = true;

message M {
  optional int32 opt = 1;
  required int32 req = 2;
  repeated int32 many = 3;
  optional string text = 4 [ctype = CORD];
  optional bytes piece = 5 [ctype = STRING_PIECE];
  optional group G = 6 {
    optional int32 x = 1;
  }
  optional Sub sub = 7;
  oneof choice {
    int32 left = 8;
  }
}

message Sub {}

enum E {
  E_ZERO = 0;
}
"#;

const PROTO3: &str = r#"syntax = "proto3";
package b.v1;

message N {
  int32 plain = 1;
  optional int32 opt = 2;
  string text = 3;
  N child = 4;
  oneof choice {
    int32 left = 5;
  }
}

enum F {
  F_ZERO = 0;
}
"#;

const NO_SYNTAX: &str = "package c.v1;\n\nmessage O {\n  optional string s = 1;\n}\n";

fn compile() -> common::Compiled {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in [
        ("a.proto", PROTO2),
        ("b.proto", PROTO3),
        ("c.proto", NO_SYNTAX),
    ] {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    common::compile(dir.path())
}

fn file(compiled: &common::Compiled, name: &str) -> FileDescriptor {
    compiled
        .image
        .pool()
        .get_file_by_name(name)
        .expect("compiled file")
}

fn field(compiled: &common::Compiled, message: &str, name: &str) -> FieldDescriptor {
    compiled
        .image
        .pool()
        .get_message_by_name(message)
        .and_then(|m| m.get_field_by_name(name))
        .expect("field")
}

#[test]
fn proto2_and_proto3_resolve_to_their_legacy_features() {
    let c = compile();
    assert_eq!(features::syntax(&file(&c, "a.proto")), FileSyntax::Proto2);
    assert_eq!(features::syntax(&file(&c, "b.proto")), FileSyntax::Proto3);
    assert_eq!(features::syntax(&file(&c, "c.proto")), FileSyntax::Proto2);

    let presence = |m: &str, f: &str| features::presence((&field(&c, m, f)).into());
    assert_eq!(presence("a.v1.M", "opt"), Presence::Explicit);
    assert_eq!(presence("a.v1.M", "req"), Presence::LegacyRequired);
    assert_eq!(presence("a.v1.M", "sub"), Presence::Explicit);
    assert_eq!(presence("a.v1.M", "left"), Presence::Explicit);
    assert_eq!(presence("b.v1.N", "plain"), Presence::Implicit);
    assert_eq!(presence("b.v1.N", "opt"), Presence::Explicit);
    assert_eq!(presence("b.v1.N", "text"), Presence::Implicit);
    assert_eq!(presence("b.v1.N", "child"), Presence::Explicit);
    assert_eq!(presence("b.v1.N", "left"), Presence::Explicit);

    let required = |m: &str, f: &str| features::has_required_label((&field(&c, m, f)).into());
    assert!(required("a.v1.M", "req"));
    assert!(!required("a.v1.M", "opt"));

    let utf8 = |m: &str, f: &str| features::utf8_validation((&field(&c, m, f)).into());
    assert_eq!(utf8("a.v1.M", "text"), Utf8Validation::None);
    assert_eq!(utf8("b.v1.N", "text"), Utf8Validation::Verify);
    let java = |m: &str, f: &str| features::java_utf8_validation((&field(&c, m, f)).into());
    assert_eq!(java("a.v1.M", "text"), Utf8Validation::Verify);
    assert_eq!(java("b.v1.N", "text"), Utf8Validation::Verify);
    assert_eq!(java("c.v1.O", "s"), Utf8Validation::None);

    let pool = c.image.pool();
    let closed = |name: &str| features::is_closed(&pool.get_enum_by_name(name).expect("enum"));
    assert!(closed("a.v1.E"));
    assert!(!closed("b.v1.F"));
    let json = |name: &str| {
        features::message_json_format(&pool.get_message_by_name(name).expect("message"))
    };
    assert_eq!(json("a.v1.M"), JsonFormat::LegacyBestEffort);
    assert_eq!(json("b.v1.N"), JsonFormat::Allow);
    let enum_json =
        |name: &str| features::enum_json_format(&pool.get_enum_by_name(name).expect("enum"));
    assert_eq!(enum_json("a.v1.E"), JsonFormat::LegacyBestEffort);
    assert_eq!(enum_json("b.v1.F"), JsonFormat::Allow);

    let delimited = |m: &str, f: &str| features::delimited((&field(&c, m, f)).into());
    assert!(delimited("a.v1.M", "g"));
    assert!(!delimited("a.v1.M", "sub"));
    assert_eq!(features::delimited_type_name(&file(&c, "a.proto")), "group");

    let cpp = |m: &str, f: &str| features::cpp_string_type((&field(&c, m, f)).into());
    assert_eq!(cpp("a.v1.M", "text"), CppStringType::Cord);
    assert_eq!(cpp("a.v1.M", "piece"), CppStringType::StringPiece);
    assert_eq!(cpp("b.v1.N", "text"), CppStringType::String);
}
