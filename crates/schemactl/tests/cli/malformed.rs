//! Bad input gets a clear error naming the file and line, a non-zero exit
//! code, and never a panic.

use crate::common::*;

/// Build `files` and return the run, expecting `code`.
fn build(files: &[(&str, &str)], extra: &[&str], code: i32) -> Run {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(tmp.path(), files);
    let mut args = vec!["build", "."];
    args.extend_from_slice(extra);
    let run = schemactl(tmp.path(), &args);
    assert_eq!(
        run.code, code,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    run
}

/// The JSON finding (Buf's shape) for a compile error.
fn json_finding(run: &Run) -> serde_json::Value {
    let line = run.stderr.lines().next().expect("one finding");
    serde_json::from_str(line).expect("json")
}

fn assert_at(files: &[(&str, &str)], path: &str, line: u64, message: &str) {
    let run = build(files, &["--error-format", "json"], 1);
    let finding = json_finding(&run);
    assert_eq!(finding["path"], path, "{}", run.stderr);
    assert_eq!(finding["start_line"], line, "{}", run.stderr);
    assert_eq!(finding["type"], "COMPILE");
    let got = finding["message"].as_str().expect("message");
    assert!(got.contains(message), "expected `{message}` in `{got}`");
    // The text format shows the same place with a snippet and caret.
    let text = build(files, &[], 1);
    assert!(
        text.stderr.contains(&format!("--> {path}:{line}:")),
        "{}",
        text.stderr
    );
    assert!(text.stderr.contains('^'), "{}", text.stderr);
}

const HEADER: &str = "syntax = \"proto3\";\npackage acme.x.v1;\n";

#[test]
fn syntax_error() {
    let src = format!("{HEADER}message A {{\n  int32 x = 1\n}}\n");
    assert_at(&[("a.proto", &src)], "a.proto", 5, "expected ';'");
}

#[test]
fn unknown_import() {
    let src = format!("{HEADER}\nimport \"acme/missing.proto\";\n");
    let src = src.replacen("package acme.x.v1;\n\n", "package acme.x.v1;\n", 1);
    assert_at(
        &[("a.proto", &src)],
        "a.proto",
        3,
        "import 'acme/missing.proto' not found",
    );
}

#[test]
fn duplicate_field_number() {
    let src = format!("{HEADER}message A {{\n  int32 x = 1;\n  int32 y = 1;\n}}\n");
    assert_at(
        &[("a.proto", &src)],
        "a.proto",
        5,
        "field number '1' is already used",
    );
}

#[test]
fn unresolved_type() {
    let src = format!("{HEADER}message A {{\n  Missing x = 1;\n}}\n");
    assert_at(&[("a.proto", &src)], "a.proto", 4, "Missing");
}

#[test]
fn error_in_an_imported_file_is_reported_once_at_that_file() {
    let a = format!("{HEADER}import \"b.proto\";\nmessage A {{ B b = 1; }}\n");
    let b = format!("{HEADER}message B {{\n  int32 x = 1\n}}\n");
    let run = build(
        &[("a.proto", &a), ("b.proto", &b)],
        &["--error-format", "json"],
        1,
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(json_finding(&run)["path"], "b.proto");
}

#[test]
fn import_cycle() {
    let a = format!("{HEADER}import \"b.proto\";\n");
    let b = format!("{HEADER}import \"a.proto\";\n");
    let run = build(
        &[("a.proto", &a), ("b.proto", &b)],
        &["--error-format", "json"],
        1,
    );
    let finding = json_finding(&run);
    assert!(
        finding["message"].as_str().expect("msg").contains("cycle"),
        "{}",
        run.stderr
    );
    assert_eq!(
        finding["start_line"], 3,
        "points at the import: {}",
        run.stderr
    );
}

#[test]
fn import_escaping_the_root() {
    for (import, message) in [
        ("../outside.proto", "escapes the input root"),
        ("acme/../../x.proto", "escapes the input root"),
        ("/etc/passwd", "is an absolute path"),
        ("C:/x.proto", "is an absolute path"),
        ("", "import path is empty"),
        (
            "a//v1/b.proto",
            "is not in canonical form; write \"a/v1/b.proto\"",
        ),
        (
            "./a/v1/b.proto",
            "is not in canonical form; write \"a/v1/b.proto\"",
        ),
    ] {
        let src = format!("{HEADER}import \"{import}\";\n");
        assert_at(
            &[
                ("in/a.proto", &src),
                ("outside.proto", HEADER),
                ("in/a/v1/b.proto", HEADER),
            ],
            "in/a.proto",
            3,
            message,
        );
    }
}

/// Input that would make the parser recurse without bound, or the linker
/// allocate quadratically, is refused at its place before it reaches them.
#[test]
fn limits_on_nesting_and_names() {
    let options = "import \"google/protobuf/descriptor.proto\";\n\
        message R { R r = 1; int32 v = 2; }\n\
        extend google.protobuf.MessageOptions { R ro = 50000; }\n";
    for (open, close) in [("{ r: ", " }"), ("{ r ", " }"), ("< r ", " >")] {
        let aggregate = format!("{}{{ v: 1 }}{}", open.repeat(5000), close.repeat(5000));
        let src = format!("{HEADER}{options}message M {{ option (ro) = {aggregate}; }}\n");
        assert_at(
            &[("a.proto", &src)],
            "a.proto",
            6,
            "nesting deeper than 64 levels",
        );
    }
    let nested = format!(
        "{HEADER}{}{}\n",
        "message M { ".repeat(3000),
        "}".repeat(3000)
    );
    assert_at(
        &[("a.proto", &nested)],
        "a.proto",
        3,
        "nesting deeper than 64 levels",
    );

    let package = vec!["a"; 30_000].join(".");
    let long = format!("syntax = \"proto3\";\npackage {package};\nmessage M {{ int32 x = 1; }}\n");
    assert_at(
        &[("a.proto", &long)],
        "a.proto",
        2,
        "package name is 59999 bytes, more than 512",
    );
    // Spaces between the parts do not get around it.
    let spaced = long.replace("a.a", "a . a");
    assert_at(&[("a.proto", &spaced)], "a.proto", 2, "more than 512");
    let ident = "x".repeat(5000);
    let src = format!("{HEADER}message {ident} {{}}\n");
    assert_at(
        &[("a.proto", &src)],
        "a.proto",
        3,
        "identifier longer than 1024 bytes",
    );
}

/// A leading byte order mark is skipped, as protoc and buf do.
#[test]
fn byte_order_mark_is_accepted() {
    let src = format!("\u{feff}{HEADER}message A {{ int32 x = 1; }}\n");
    build(&[("a.proto", &src)], &[], 0);
    // Positions on the first line do not count the mark.
    let bad = "\u{feff}syntax = \"proto3\" package x;\n";
    let run = build(&[("a.proto", bad)], &["--error-format", "json"], 1);
    let finding = json_finding(&run);
    assert_eq!(finding["start_line"], 1, "{}", run.stderr);
    assert_eq!(finding["start_column"], 19, "{}", run.stderr);
}

/// An editions image (edition 2023 and 2024 files written by protoc 33.5,
/// `SCHEMACTL_PROTOC_JAVA`) builds; one whose features break a rule is
/// refused with protoc's message, not a panic.
#[test]
fn editions_images_build() {
    let protoc = match std::env::var("SCHEMACTL_PROTOC_JAVA") {
        Ok(path) if !path.is_empty() => path,
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_PROTOC_JAVA").is_none(),
                "SCHEMACTL_PROTOC_JAVA is not set and SCHEMACTL_REQUIRE_PROTOC_JAVA is"
            );
            eprintln!("note: skipping: SCHEMACTL_PROTOC_JAVA is not set");
            return;
        }
    };
    let inputs = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../schemactl-compile/tests/editions_features");
    let tmp = tempfile::tempdir().expect("tmp");
    let run = std::process::Command::new(&protoc)
        .arg(format!("-I{}", inputs.display()))
        .arg(format!(
            "--descriptor_set_out={}",
            tmp.path().join("x.binpb").display()
        ))
        .args(["--include_imports", "editions_2024.proto"])
        .output()
        .expect("run protoc");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let run = schemactl(tmp.path(), &["build", "x.binpb"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    use prost::Message as _;
    let mut set = prost_types::FileDescriptorSet::decode(
        std::fs::read(tmp.path().join("x.binpb"))
            .expect("read")
            .as_slice(),
    )
    .expect("decode");
    // Presence on a repeated field: protoc's "Repeated fields can't specify
    // field presence."
    let field = &mut set.file[0].message_type[0].field[1];
    assert_eq!(field.name(), "packed_by_default");
    field.options.get_or_insert_with(Default::default).features =
        Some(Box::new(prost_types::FeatureSet {
            field_presence: Some(prost_types::feature_set::FieldPresence::Explicit as i32),
            ..Default::default()
        }));
    std::fs::write(tmp.path().join("x.binpb"), set.encode_to_vec()).expect("write");
    let run = schemactl(tmp.path(), &["build", "x.binpb"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Repeated fields can't specify field presence."),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

/// Images whose descriptors prost-reflect would panic on are refused with
/// a clear error.
#[test]
fn malformed_image_descriptors() {
    use prost::Message as _;
    let file = |syntax: &str| prost_types::FileDescriptorProto {
        name: Some("a.proto".into()),
        package: Some("acme.x.v1".into()),
        syntax: Some(syntax.into()),
        ..Default::default()
    };
    for (syntax, message) in [
        (
            "proto9",
            "declares syntax \"proto9\", which is not \"proto2\" or \"proto3\"",
        ),
        (
            "editions",
            "is an editions file of edition EDITION_UNKNOWN, which is not 2023 or 2024",
        ),
    ] {
        let set = prost_types::FileDescriptorSet {
            file: vec![file(syntax)],
        };
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("x.binpb"), set.encode_to_vec()).expect("write");
        let run = schemactl(tmp.path(), &["build", "x.binpb"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(message), "{}", run.stderr);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    // A chain of public imports that prost-reflect would follow recursively.
    let chain: Vec<_> = (0..20_000)
        .map(|i| prost_types::FileDescriptorProto {
            name: Some(format!("f{i}.proto")),
            dependency: if i + 1 < 20_000 {
                vec![format!("f{}.proto", i + 1)]
            } else {
                vec![]
            },
            public_dependency: if i + 1 < 20_000 { vec![0] } else { vec![] },
            syntax: Some("proto3".into()),
            ..Default::default()
        })
        .rev()
        .collect();
    let set = prost_types::FileDescriptorSet { file: chain };
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("x.binpb"), set.encode_to_vec()).expect("write");
    let run = schemactl(tmp.path(), &["build", "x.binpb"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("deeper than 256 files"),
        "{}",
        run.stderr
    );

    let mut long = file("proto3");
    long.package = Some("a.".repeat(2000) + "a");
    let set = prost_types::FileDescriptorSet { file: vec![long] };
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("x.binpb"), set.encode_to_vec()).expect("write");
    let run = schemactl(tmp.path(), &["build", "x.binpb"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("more than 512"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_pointing_out_of_the_input_is_not_followed() {
    let outside = tempfile::tempdir().expect("tmp");
    std::fs::write(outside.path().join("secret.proto"), HEADER).expect("write");
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(tmp.path(), &[("a.proto", HEADER)]);
    std::os::unix::fs::symlink(
        outside.path().join("secret.proto"),
        tmp.path().join("link.proto"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), tmp.path().join("linkdir")).expect("symlink");
    let run = schemactl(tmp.path(), &["build", ".", "--error-format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("\"path\":\"link.proto\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("\"path\":\"linkdir\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("symlink points outside the input root"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_edition_names_the_known_ones() {
    let src = "// Editions are here.\nedition = \"2025\";\npackage acme.x.v1;\n";
    assert_at(
        &[("e.proto", src)],
        "e.proto",
        2,
        "unknown edition \"2025\"",
    );
    let run = build(&[("e.proto", src)], &[], 1);
    assert!(
        run.stderr.contains("\"2023\" and \"2024\""),
        "{}",
        run.stderr
    );
}

#[test]
fn editions_file_compiles() {
    let src = "// Editions are here.\nedition = \"2023\";\npackage acme.x.v1;\n\
               message A { int32 x = 1 [features.field_presence = IMPLICIT]; }\n";
    build(&[("e.proto", src)], &[], 0);
}

#[test]
fn invalid_config_key_names_file_line_and_suggestion() {
    let run = build(
        &[
            (
                "schemactl.yaml",
                "version: v1\nroots: [proto]\nlint:\n  usee: [STANDARD]\n",
            ),
            ("proto/a.proto", HEADER),
        ],
        &[],
        2,
    );
    assert!(
        run.stderr.contains("unknown key `usee` in `lint`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> schemactl.yaml:4:3"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("did you mean `use`?"), "{}", run.stderr);

    let run = build(
        &[
            ("buf.yaml", "version: v2\nmodule:\n  - path: proto\n"),
            ("proto/a.proto", HEADER),
        ],
        &[],
        2,
    );
    assert!(run.stderr.contains("--> buf.yaml:2:1"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `modules`?"),
        "{}",
        run.stderr
    );

    let run = build(
        &[
            ("schemactl.yaml", "version: v1\nlint: [\n"),
            ("a.proto", HEADER),
        ],
        &[],
        2,
    );
    assert!(run.stderr.contains("schemactl.yaml:"), "{}", run.stderr);
}

#[test]
fn not_utf8_and_binary_garbage() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("bad.proto"), [0xff, 0xfe, 0x00, 0x80]).expect("write");
    let run = schemactl(tmp.path(), &["build", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("bad.proto") && run.stderr.contains("not valid UTF-8"),
        "{}",
        run.stderr
    );

    std::fs::write(
        tmp.path().join("garbage.binpb"),
        b"this is not a descriptor set",
    )
    .expect("write");
    let run = schemactl(tmp.path(), &["build", "garbage.binpb"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("garbage.binpb")
            && run.stderr.contains("not a valid FileDescriptorSet"),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_input_and_empty_input() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = schemactl(tmp.path(), &["build", "nope"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("input `nope` does not exist"),
        "{}",
        run.stderr
    );
    let run = schemactl(tmp.path(), &["build", "."]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no .proto files found"),
        "{}",
        run.stderr
    );
    let run = schemactl(tmp.path(), &["build", ".", "--error-format", "yaml"]);
    assert_eq!(run.code, 2, "bad flags exit 2");
}

#[test]
fn proto2_and_proto3_optional_compile() {
    let p2 = "syntax = \"proto2\";\npackage acme.x.v1;\nmessage A {\n  optional int32 x = 1 [default = 5];\n  required string y = 2;\n  extensions 100 to 200;\n}\nextend A {\n  optional string z = 100;\n}\n";
    let p3 = "syntax = \"proto3\";\npackage acme.y.v1;\nmessage B {\n  optional int32 x = 1;\n}\n";
    build(&[("a.proto", p2), ("b.proto", p3)], &[], 0);
}

#[test]
fn output_is_written_atomically_and_errors_leave_old_output_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(tmp.path(), &[("src/a.proto", HEADER)]);
    let run = schemactl(tmp.path(), &["build", "src", "-o", "out.binpb"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = std::fs::read(tmp.path().join("out.binpb")).expect("written");
    write_files(
        tmp.path(),
        &[("src/a.proto", "syntax = \"proto3\";\nmessage {")],
    );
    let run = schemactl(tmp.path(), &["build", "src", "-o", "out.binpb"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        std::fs::read(tmp.path().join("out.binpb")).expect("still there"),
        before
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    let run = schemactl(tmp.path(), &["build", "src", "-o", "no/such/dir/out.binpb"]);
    assert_eq!(run.code, 1, "compile error first: {}", run.stderr);
}
