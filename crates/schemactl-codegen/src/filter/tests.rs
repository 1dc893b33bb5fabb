use prost_types::source_code_info::Location;

use super::*;

use crate::test_support::files;

fn filter(sources: &[(&str, &str)], types: &[&str], exclude: &[&str]) -> Vec<File> {
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    apply(&files(sources), &own(types), &own(exclude)).expect("filters")
}

fn errors(sources: &[(&str, &str)], types: &[&str], exclude: &[&str]) -> Vec<FilterError> {
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match apply(&files(sources), &own(types), &own(exclude)) {
        Ok(_) => panic!("{types:?} / {exclude:?}: accepted"),
        Err(errors) => errors,
    }
}

fn descriptor(files: &[File], name: &str) -> FileDescriptorProto {
    files
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .descriptor()
}

fn names(files: &[File]) -> Vec<&str> {
    files.iter().map(|f| f.name.as_str()).collect()
}

fn location<'a>(file: &'a FileDescriptorProto, path: &[i32]) -> Option<&'a Location> {
    file.source_code_info
        .as_ref()?
        .location
        .iter()
        .find(|l| l.path == path)
}

fn comment(file: &FileDescriptorProto, path: &[i32]) -> Option<String> {
    location(file, path)?.leading_comments.clone()
}

const B: &str = "syntax = \"proto3\";\npackage b;\nmessage B {}\n";
const C: &str = "syntax = \"proto3\";\npackage c;\nmessage C {}\n";
const A: &str = r#"syntax = "proto3";
package a;
import "b.proto";
import "c.proto";
import "google/protobuf/timestamp.proto";
// Skipped.
message Skip {
  c.C c = 1;
}
// A thing.
message A {
  // Its b.
  b.B b = 1;
  google.protobuf.Timestamp at = 2;
}
"#;

#[test]
fn types_keep_what_they_need_and_nothing_else() {
    let kept = filter(
        &[("a.proto", A), ("b.proto", B), ("c.proto", C)],
        &["a.A"],
        &[],
    );
    assert_eq!(
        names(&kept),
        ["google/protobuf/timestamp.proto", "b.proto", "a.proto"]
    );
    let a = descriptor(&kept, "a.proto");
    let messages: Vec<&str> = a.message_type.iter().map(|m| m.name()).collect();
    assert_eq!(messages, ["A"]);
    assert_eq!(a.message_type[0].field.len(), 2);
    // c.proto is no longer imported, so a plugin emits no import for it.
    assert_eq!(a.dependency, ["b.proto", "google/protobuf/timestamp.proto"]);
    assert_eq!(
        kept.iter().find(|f| f.name == "a.proto").expect("a").deps,
        a.dependency
    );
    // Comments moved with A from index 1 to 0; Skip's are gone.
    assert_eq!(comment(&a, &[4, 0]).as_deref(), Some(" A thing.\n"));
    assert_eq!(comment(&a, &[4, 0, 2, 0]).as_deref(), Some(" Its b.\n"));
    assert!(location(&a, &[4, 1]).is_none());
    // The import of c.proto was the second; its location is gone, and the
    // timestamp import's moved up.
    assert!(location(&a, &[3, 2]).is_none());
    assert!(location(&a, &[3, 1]).is_some());
}

#[test]
fn exclude_types_alone_keeps_everything_else() {
    let sources = [("a.proto", A), ("b.proto", B), ("c.proto", C)];
    let kept = filter(&sources, &[], &["c.C"]);
    // Skip loses its field; c.proto, an input file, stays (empty), as with
    // Buf.
    assert_eq!(
        names(&kept),
        [
            "google/protobuf/timestamp.proto",
            "b.proto",
            "c.proto",
            "a.proto"
        ]
    );
    assert!(descriptor(&kept, "c.proto").message_type.is_empty());
    let a = descriptor(&kept, "a.proto");
    assert_eq!(a.message_type.len(), 2);
    assert!(a.message_type[0].field.is_empty());
    assert_eq!(a.dependency, ["b.proto", "google/protobuf/timestamp.proto"]);
    // Excluding the package excludes the file.
    let kept = filter(&sources, &[], &["c"]);
    assert_eq!(
        names(&kept),
        ["google/protobuf/timestamp.proto", "b.proto", "a.proto"]
    );
}

#[test]
fn an_enclosing_message_keeps_only_its_name() {
    let source = r#"syntax = "proto3";
package n;
// Outer's comment.
message Outer {
  // Inner's comment.
  message Inner { int32 x = 1; }
  message Unused {}
  string name = 1;
  reserved 5;
}
message Uses {
  Outer.Inner inner = 1;
}
"#;
    let kept = filter(&[("n.proto", source)], &["n.Uses"], &[]);
    let n = descriptor(&kept, "n.proto");
    let outer = &n.message_type[0];
    assert_eq!(outer.name(), "Outer");
    assert!(outer.field.is_empty() && outer.reserved_range.is_empty());
    let nested: Vec<&str> = outer.nested_type.iter().map(|m| m.name()).collect();
    assert_eq!(nested, ["Inner"]);
    assert_eq!(outer.nested_type[0].field.len(), 1);
    assert!(comment(&n, &[4, 0]).is_none());
    assert!(location(&n, &[4, 0]).is_some());
    assert_eq!(
        comment(&n, &[4, 0, 3, 0]).as_deref(),
        Some(" Inner's comment.\n")
    );
    assert!(location(&n, &[4, 0, 2, 0]).is_none());
    // `.**` keeps a message's nested types too.
    let kept = filter(&[("n.proto", source)], &["n.Outer.**"], &[]);
    let n = descriptor(&kept, "n.proto");
    assert_eq!(n.message_type.len(), 1);
    assert_eq!(n.message_type[0].nested_type.len(), 2);
    assert_eq!(n.message_type[0].field.len(), 1);
}

#[test]
fn excluded_field_types_take_their_fields_and_empty_oneofs_with_them() {
    let source = r#"syntax = "proto3";
package o;
message X {}
message M {
  oneof first {
    X x = 1;
  }
  oneof second {
    string s = 2;
    // The int.
    int32 i = 3;
  }
}
"#;
    let kept = filter(&[("o.proto", source)], &["o.M"], &["o.X"]);
    let o = descriptor(&kept, "o.proto");
    assert_eq!(o.message_type.len(), 1);
    let m = &o.message_type[0];
    let oneofs: Vec<&str> = m.oneof_decl.iter().map(|o| o.name()).collect();
    assert_eq!(oneofs, ["second"]);
    let fields: Vec<(&str, Option<i32>)> =
        m.field.iter().map(|f| (f.name(), f.oneof_index)).collect();
    assert_eq!(fields, [("s", Some(0)), ("i", Some(0))]);
    // M moved from 1 to 0, i from 2 to 1.
    assert_eq!(comment(&o, &[4, 0, 2, 1]).as_deref(), Some(" The int.\n"));
}

#[test]
fn a_type_reached_through_a_public_import_is_imported_directly() {
    let money = "syntax = \"proto3\";\npackage m;\nmessage Money {}\n";
    let invoice = "syntax = \"proto3\";\npackage i;\nimport public \"money.proto\";\nmessage Invoice { m.Money total = 1; }\n";
    let refund = "syntax = \"proto3\";\npackage r;\nimport \"invoice.proto\";\nmessage Refund { m.Money amount = 1; }\n";
    let kept = filter(
        &[
            ("money.proto", money),
            ("invoice.proto", invoice),
            ("refund.proto", refund),
        ],
        &["r.Refund"],
        &[],
    );
    assert_eq!(names(&kept), ["money.proto", "refund.proto"]);
    let r = descriptor(&kept, "refund.proto");
    assert_eq!(r.dependency, ["money.proto"]);
    assert!(r.public_dependency.is_empty());
}

#[test]
fn custom_options_keep_their_definitions_unless_excluded() {
    let options = r#"syntax = "proto3";
package opt;
import "google/protobuf/descriptor.proto";
extend google.protobuf.FieldOptions {
  bool secret = 50001;
  string label = 50002;
}
message Unused {}
"#;
    let user = r#"syntax = "proto3";
package u;
import "options.proto";
message U {
  string name = 1 [(opt.secret) = true, (opt.label) = "n"];
}
"#;
    let sources = [("options.proto", options), ("u.proto", user)];
    let kept = filter(&sources, &["u.U"], &[]);
    assert_eq!(
        names(&kept),
        [
            "google/protobuf/descriptor.proto",
            "options.proto",
            "u.proto"
        ]
    );
    let o = descriptor(&kept, "options.proto");
    assert!(o.message_type.is_empty());
    assert_eq!(o.extension.len(), 2);
    assert_eq!(descriptor(&kept, "u.proto").dependency, ["options.proto"]);
    // Excluding one option removes its value from the options that set it.
    let kept = filter(&sources, &["u.U"], &["opt.secret"]);
    let o = descriptor(&kept, "options.proto");
    let extensions: Vec<&str> = o.extension.iter().map(|e| e.name()).collect();
    assert_eq!(extensions, ["label"]);
    let u = kept.iter().find(|f| f.name == "u.proto").expect("u");
    let options = nth(&u.bytes, 4, 0)
        .and_then(|m| nth(m, 2, 0))
        .and_then(|f| nth(f, 8, 0))
        .expect("field options");
    let numbers: Vec<u32> = wire::fields(options)
        .expect("valid")
        .iter()
        .map(|f| f.number)
        .collect();
    assert_eq!(numbers, [50002]);
}

#[test]
fn services_methods_and_packages() {
    let source = r#"syntax = "proto3";
package s.v1;
message Req {}
message Res {}
message Other {}
service Svc {
  rpc Other(s.v1.Other) returns (s.v1.Other);
  // Gets.
  rpc Get(Req) returns (Res);
}
"#;
    let extra = "syntax = \"proto3\";\npackage s.v1.sub;\nmessage Deep {}\n";
    let sources = [("s.proto", source), ("sub.proto", extra)];
    let kept = filter(&sources, &["s.v1.Svc.Get"], &[]);
    let s = descriptor(&kept, "s.proto");
    let messages: Vec<&str> = s.message_type.iter().map(|m| m.name()).collect();
    assert_eq!(messages, ["Req", "Res"]);
    let methods: Vec<&str> = s.service[0].method.iter().map(|m| m.name()).collect();
    assert_eq!(methods, ["Get"]);
    assert_eq!(comment(&s, &[6, 0, 2, 0]).as_deref(), Some(" Gets.\n"));
    // A package keeps its own files; `.**` its subpackages too.
    assert_eq!(names(&filter(&sources, &["s.v1"], &[])), ["s.proto"]);
    assert_eq!(
        names(&filter(&sources, &["s.v1.**"], &[])),
        ["s.proto", "sub.proto"]
    );
    // Excluding a method's input while keeping the method is refused.
    let e = errors(&sources, &[], &["s.v1.Other"]);
    assert_eq!(
        e[0].message,
        "the method `s.v1.Svc.Other` is kept, but its input type `s.v1.Other` is excluded by `exclude_types`"
    );
}

#[test]
fn names_that_match_nothing_are_refused_with_a_hint() {
    let sources = [("a.proto", A), ("b.proto", B), ("c.proto", C)];
    let e = errors(&sources, &["a.AA", "b"], &[]);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].message, "`types` names `a.AA`, which no file declares");
    assert_eq!(e[0].hint.as_deref(), Some("did you mean `a.A`?"));
    let e = errors(&sources, &[], &["zzz.Qqq"]);
    assert_eq!(
        e[0].message,
        "`exclude_types` names `zzz.Qqq`, which no file declares"
    );
    assert_eq!(e[0].hint, None);
    let e = errors(&sources, &[".a.A"], &[]);
    assert!(
        e[0].message.contains("not a fully qualified type name"),
        "{e:?}"
    );
}

#[test]
fn a_map_whose_value_type_is_excluded_goes_with_it() {
    let source = r#"syntax = "proto3";
package m;
message V {}
message M {
  map<string, V> by_name = 1;
  map<string, string> labels = 2;
}
"#;
    let kept = filter(&[("m.proto", source)], &[], &["m.V"]);
    let m = descriptor(&kept, "m.proto");
    assert_eq!(m.message_type.len(), 1);
    let fields: Vec<&str> = m.message_type[0].field.iter().map(|f| f.name()).collect();
    assert_eq!(fields, ["labels"]);
    let entries: Vec<&str> = m.message_type[0]
        .nested_type
        .iter()
        .map(|n| n.name())
        .collect();
    assert_eq!(entries, ["LabelsEntry"]);
}

#[test]
fn a_message_an_any_option_value_names_is_kept() {
    let options = r#"syntax = "proto3";
package opt;
import "google/protobuf/any.proto";
import "google/protobuf/descriptor.proto";
message Example {
  google.protobuf.Any value = 1;
}
extend google.protobuf.MessageOptions {
  Example example = 50010;
}
"#;
    let user = r#"syntax = "proto3";
package u;
import "options.proto";
message Sample {
  string id = 1;
}
message Unused {}
message U {
  option (opt.example) = {
    value: {
      [type.googleapis.com/u.Sample] { id: "x" }
    }
  };
  string name = 1;
}
"#;
    let kept = filter(
        &[("options.proto", options), ("u.proto", user)],
        &["u.U"],
        &[],
    );
    let u = descriptor(&kept, "u.proto");
    let messages: Vec<&str> = u.message_type.iter().map(|m| m.name()).collect();
    assert_eq!(messages, ["Sample", "U"]);
}
