//! Editions' resolved features in the workspace's prost-reflect fork
//! (`third_party/prost-reflect`), against protobuf itself.
//!
//! The inputs are the `.proto` files in `editions_features/`, compiled by
//! protoc 33.5 (`SCHEMACTL_PROTOC_JAVA`) into a descriptor set and loaded
//! with `DescriptorPool::decode`. The expected answers are protobuf's, asked
//! at test time:
//!
//! - the resolved `FeatureSet`, presence, packing, required, group encoding
//!   and enum closedness of every element: protobuf's Python runtime (upb)
//!   over the same descriptor set (`resolved_features.py`, run with
//!   `SCHEMACTL_CLIENTS_PYTHON`, whose protobuf resolves editions);
//! - the wire format: `protoc --encode` of text-format messages, compared
//!   byte for byte with what a `DynamicMessage` encodes;
//! - validation: protoc's error for the same mistake written in a `.proto`.

use std::{
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use prost::Message;
use prost_reflect::{
    DescriptorPool, DynamicMessage, EnumDescriptor, FieldDescriptor, MessageDescriptor, Value,
};

const FILES: [&str; 4] = [
    "editions_2023.proto",
    "editions_2024.proto",
    "legacy_proto2.proto",
    "legacy_proto3.proto",
];

/// The path in `SCHEMACTL_<name>`, or `None` (with a note) when it is unset
/// and `SCHEMACTL_REQUIRE_<name>` is not.
fn tool(name: &str, require: &str) -> Option<PathBuf> {
    let var = format!("SCHEMACTL_{name}");
    match std::env::var(&var) {
        Ok(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(path.exists(), "{var}={} does not exist", path.display());
            Some(path)
        }
        _ => {
            assert!(
                std::env::var_os(format!("SCHEMACTL_REQUIRE_{require}")).is_none(),
                "{var} is not set and SCHEMACTL_REQUIRE_{require} is: scripts/test.sh installs it"
            );
            eprintln!("note: skipping: {var} is not set (scripts/test.sh installs it)");
            None
        }
    }
}

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/editions_features")
}

/// protoc and an include directory holding `java_features.proto` and the
/// `descriptor.proto` it imports (from the protobuf-java jar of the same
/// release).
struct Protoc {
    protoc: PathBuf,
    include: tempfile::TempDir,
}

impl Protoc {
    fn new() -> Option<Protoc> {
        let protoc = tool("PROTOC_JAVA", "PROTOC_JAVA")?;
        let jar = tool("PROTOBUF_JAVA_JAR", "PROTOBUF_JAVA_JAR")?;
        let include = tempfile::tempdir().expect("tmp");
        let unzip = Command::new("unzip")
            .args(["-q", "-o"])
            .arg(&jar)
            .arg("google/protobuf/java_features.proto")
            .arg("google/protobuf/descriptor.proto")
            .arg("-d")
            .arg(include.path())
            .status()
            .expect("run unzip");
        assert!(unzip.success(), "unzip java_features.proto from {jar:?}");
        Some(Protoc { protoc, include })
    }

    fn command(&self, root: &Path) -> Command {
        let mut command = Command::new(&self.protoc);
        command
            .arg(format!("-I{}", root.display()))
            .arg(format!("-I{}", self.include.path().display()));
        command
    }

    /// The descriptor set of `files` under `root`, imports included.
    fn descriptor_set(&self, root: &Path, files: &[&str]) -> Result<Vec<u8>, String> {
        let out = tempfile::tempdir().expect("tmp");
        let set = out.path().join("set.binpb");
        let run = self
            .command(root)
            .arg(format!("--descriptor_set_out={}", set.display()))
            .args(["--include_imports", "--include_source_info"])
            .args(files)
            .output()
            .expect("run protoc");
        if run.status.success() {
            Ok(std::fs::read(set).expect("protoc's descriptor set"))
        } else {
            Err(String::from_utf8_lossy(&run.stderr).into_owned())
        }
    }

    /// `protoc --encode=message` of `text`.
    fn encode(&self, file: &str, message: &str, text: &str) -> Vec<u8> {
        let mut child = self
            .command(&inputs())
            .arg(format!("--encode={message}"))
            .arg(file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run protoc");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write text");
        let run = child.wait_with_output().expect("protoc");
        assert!(
            run.status.success(),
            "protoc --encode={message}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        run.stdout
    }
}

fn pool(protoc: &Protoc) -> (Vec<u8>, DescriptorPool) {
    let set = protoc
        .descriptor_set(&inputs(), &FILES)
        .expect("the inputs compile");
    let pool = DescriptorPool::decode(set.as_slice()).expect("prost-reflect builds the pool");
    (set, pool)
}

fn hex(features: &prost_types::FeatureSet) -> String {
    features
        .encode_to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn field_line(kind: &str, full_name: &str, field: &FieldLike) -> String {
    format!(
        "{kind} {full_name} {} presence={} packed={} required={} type={}",
        hex(&field.features),
        if field.presence { "True" } else { "False" },
        if field.packed { "True" } else { "False" },
        if field.required { "True" } else { "False" },
        field.ty,
    )
}

/// What the oracle prints of a field or extension.
struct FieldLike {
    features: prost_types::FeatureSet,
    presence: bool,
    packed: bool,
    required: bool,
    ty: i32,
}

fn field_like(field: &FieldDescriptor) -> FieldLike {
    FieldLike {
        features: *field.features(),
        presence: field.supports_presence(),
        packed: field.is_packed(),
        required: field.is_required(),
        ty: if field.is_group() {
            prost_types::field_descriptor_proto::Type::Group as i32
        } else {
            field.field_descriptor_proto().r#type.unwrap_or_default()
        },
    }
}

fn walk_message(message: &MessageDescriptor, out: &mut Vec<String>) {
    out.push(format!(
        "message {} {}",
        message.full_name(),
        hex(message.features())
    ));
    for oneof in message.oneofs() {
        out.push(format!(
            "oneof {} {}",
            oneof.full_name(),
            hex(oneof.features())
        ));
    }
    for field in message.fields() {
        out.push(field_line("field", field.full_name(), &field_like(&field)));
    }
    for extension in message.child_extensions() {
        let like = FieldLike {
            features: *extension.features(),
            presence: extension.supports_presence(),
            packed: extension.is_packed(),
            required: extension.cardinality() == prost_reflect::Cardinality::Required,
            ty: if extension.is_group() {
                prost_types::field_descriptor_proto::Type::Group as i32
            } else {
                extension
                    .field_descriptor_proto()
                    .r#type
                    .unwrap_or_default()
            },
        };
        out.push(field_line("extension", extension.full_name(), &like));
    }
    for nested in message.child_messages() {
        walk_message(&nested, out);
    }
    for enum_ in message.child_enums() {
        walk_enum(&enum_, out);
    }
}

fn walk_enum(enum_: &EnumDescriptor, out: &mut Vec<String>) {
    out.push(format!(
        "enum {} {} closed={}",
        enum_.full_name(),
        hex(enum_.features()),
        if enum_.is_closed() { "True" } else { "False" }
    ));
    for value in enum_.values() {
        // protobuf names enum values in their enum's scope here.
        out.push(format!(
            "value {}.{} {}",
            enum_.full_name(),
            value.name(),
            hex(value.features())
        ));
    }
}

fn prost_reflect_lines(pool: &DescriptorPool) -> Vec<String> {
    let mut out = Vec::new();
    for name in FILES {
        let file = pool.get_file_by_name(name).expect("file in pool");
        out.push(format!("file {name} {}", hex(file.features())));
        for message in file.messages() {
            walk_message(&message, &mut out);
        }
        for enum_ in file.enums() {
            walk_enum(&enum_, &mut out);
        }
        for extension in file.extensions() {
            let like = FieldLike {
                features: *extension.features(),
                presence: extension.supports_presence(),
                packed: extension.is_packed(),
                required: extension.cardinality() == prost_reflect::Cardinality::Required,
                ty: if extension.is_group() {
                    prost_types::field_descriptor_proto::Type::Group as i32
                } else {
                    extension
                        .field_descriptor_proto()
                        .r#type
                        .unwrap_or_default()
                },
            };
            out.push(field_line("extension", extension.full_name(), &like));
        }
        for service in file.services() {
            out.push(format!(
                "service {} {}",
                service.full_name(),
                hex(service.features())
            ));
            for method in service.methods() {
                out.push(format!(
                    "method {} {}",
                    method.full_name(),
                    hex(method.features())
                ));
            }
        }
    }
    out.sort();
    out
}

/// Every element's resolved features and the semantics read from them, as
/// protobuf's runtime resolves them.
#[test]
fn resolved_features_match_protobuf() {
    let Some(protoc) = Protoc::new() else { return };
    let Some(python) = tool("CLIENTS_PYTHON", "CLIENTS") else {
        return;
    };
    let (set, pool) = pool(&protoc);
    let dir = tempfile::tempdir().expect("tmp");
    let set_path = dir.path().join("set.binpb");
    std::fs::write(&set_path, &set).expect("write set");
    let run = Command::new(python)
        .arg(inputs().join("resolved_features.py"))
        .arg(&set_path)
        .args(FILES)
        .output()
        .expect("run python");
    assert!(
        run.status.success(),
        "resolved_features.py: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let expected: Vec<String> = String::from_utf8(run.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect();
    let actual = prost_reflect_lines(&pool);
    assert!(
        expected.len() > 80,
        "the oracle walked {} elements",
        expected.len()
    );
    let missing: Vec<_> = expected.iter().filter(|l| !actual.contains(l)).collect();
    let extra: Vec<_> = actual.iter().filter(|l| !expected.contains(l)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "protobuf says (missing from prost-reflect):\n{}\nprost-reflect says (not protobuf):\n{}",
        missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        extra
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Text-format messages touching every feature's wire behaviour: presence
/// (a zero written or not), packed or expanded lists, delimited or
/// length-prefixed messages, required fields, closed enums, extensions.
const WIRE_CASES: [(&str, &str, &str); 5] = [
    (
        "editions_2023.proto",
        "ed2023.Fields",
        r#"
        implicit: 0
        explicit: 0
        delimited { a: 1 }
        prefixed { a: 2 }
        required: 3
        message_in_oneof { a: 4 }
        closed: CLOSED_TWO
        open: OPEN_ZERO
        expanded: [1, 2]
        packed: [-1, 2]
        closed_list: [CLOSED_ONE, CLOSED_TWO]
        delimited_list { a: 5 }
        delimited_list { a: 6 }
        map { key: "k" value { a: 7 } }
        unchecked: "u"
        checked: "c"
        nested { inherited: [1, 2] group { a: 8 } nested_enum: NESTED_ZERO }
        [ed2023.Fields.scoped_extension] { a: 9 }
        [ed2023.file_extension]: [1, 2]
        [ed2023.file_extension_single]: 0
        "#,
    ),
    (
        "editions_2023.proto",
        "ed2023.Fields",
        "implicit: 1 in_oneof: 0 required: 0 open: OPEN_ONE",
    ),
    (
        "editions_2024.proto",
        "ed2024.Plain",
        r#"explicit_by_default: 0 packed_by_default: [1, 2] verified: "v"
           child { implicit: 0 explicit_by_default: 1 } implicit: 0"#,
    ),
    (
        "legacy_proto2.proto",
        "leg2.Proto2",
        r#"
        req: 1
        opt: 0
        unpacked: [1, 2]
        packed: [3, 4]
        not_packed: [5]
        Group { x: 1 }
        List { y: "a" }
        List { y: "b" }
        legacy: LEGACY_TWO
        legacy_list: [LEGACY_ONE]
        text: "t"
        in_oneof: 0
        map { key: 1 value: "v" }
        [leg2.extended] { z: 1 }
        [leg2.packed_extension]: [1, 2]
        "#,
    ),
    (
        "legacy_proto3.proto",
        "leg3.Proto3",
        r#"
        implicit: 0
        explicit: 0
        packed: [1, 2]
        expanded: [3, 4]
        packed_explicitly: [5]
        text: ""
        open: OPEN_ZERO
        child { implicit: 1 }
        in_oneof: ""
        map { key: "a" value: OPEN_ONE }
        proto2 { req: 1 }
        "#,
    ),
];

/// A `DynamicMessage` encodes and decodes each case exactly as protoc does.
#[test]
fn dynamic_messages_encode_like_protoc() {
    let Some(protoc) = Protoc::new() else { return };
    let (_, pool) = pool(&protoc);
    for (file, name, text) in WIRE_CASES {
        let expected = protoc.encode(file, name, text);
        let desc = pool.get_message_by_name(name).expect("message");
        let parsed = DynamicMessage::parse_text_format(desc.clone(), text)
            .unwrap_or_else(|e| panic!("{name}: parse {text}: {e}"));
        assert_eq!(
            parsed.encode_to_vec(),
            expected,
            "{name}: encoding of {text}"
        );
        let decoded = DynamicMessage::decode(desc, expected.as_slice())
            .unwrap_or_else(|e| panic!("{name}: decode protoc's bytes: {e}"));
        // (Not `decoded == parsed`: a parsed `implicit: 0` counts as set,
        // a decoded one cannot.)
        assert_eq!(decoded.unknown_fields().count(), 0, "{name}: {text}");
        assert_eq!(decoded.encode_to_vec(), expected, "{name}: re-encoding");
    }
}

/// A field written with a `DynamicMessage` set to its default: present on
/// the wire exactly when protobuf says the field has presence.
#[test]
fn presence_decides_whether_a_default_is_written() {
    let Some(protoc) = Protoc::new() else { return };
    let (_, pool) = pool(&protoc);
    for (file, name, field, value) in [
        ("editions_2023.proto", "ed2023.Fields", "implicit", "0"),
        ("editions_2023.proto", "ed2023.Fields", "explicit", "0"),
        ("editions_2023.proto", "ed2023.Fields", "unchecked", "\"\""),
        (
            "editions_2024.proto",
            "ed2024.Plain",
            "explicit_by_default",
            "0",
        ),
        ("editions_2024.proto", "ed2024.Plain", "implicit", "0"),
        ("legacy_proto3.proto", "leg3.Proto3", "implicit", "0"),
        ("legacy_proto3.proto", "leg3.Proto3", "explicit", "0"),
        ("legacy_proto2.proto", "leg2.Proto2", "opt", "0"),
    ] {
        let desc = pool.get_message_by_name(name).expect("message");
        let field_desc = desc.get_field_by_name(field).expect("field");
        let mut message = DynamicMessage::new(desc);
        message.set_field(&field_desc, Value::default_value_for_field(&field_desc));
        let mut text = format!("{field}: {value}");
        if name == "leg2.Proto2" {
            // Its required field, so that protoc encodes the message.
            message.set_field_by_name("req", Value::I32(1));
            text.push_str(" req: 1");
        }
        assert_eq!(
            message.encode_to_vec(),
            protoc.encode(file, name, &text),
            "{name}.{field}"
        );
    }
}

/// Descriptors that break a rule of editions, each written as a text-format
/// `FileDescriptorSet` holding `v.proto` (inputs, encoded by protoc), with,
/// where protoc checks the rule only when it compiles source, the same
/// mistake as `.proto` source.
const INVALID: &[(&str, &str, Option<&str>)] = &[
    (
        "features in a proto2 file",
        r#"syntax: "proto2"
           message_type { name: "M" options { features { field_presence: EXPLICIT } }
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 } }"#,
        None,
    ),
    (
        "presence on a repeated field",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_REPEATED type: TYPE_INT32
                     options { features { field_presence: EXPLICIT } } } }"#,
        None,
    ),
    (
        "a default under implicit presence",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 default_value: "3"
                     options { features { field_presence: IMPLICIT } } } }"#,
        None,
    ),
    (
        "implicit presence on a message field",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_MESSAGE type_name: ".M"
                     options { features { field_presence: IMPLICIT } } } }"#,
        None,
    ),
    (
        "message encoding on a scalar",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32
                     options { features { message_encoding: DELIMITED } } } }"#,
        None,
    ),
    (
        "UTF-8 validation on a scalar",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32
                     options { features { utf8_validation: NONE } } } }"#,
        None,
    ),
    (
        "packed on a singular field",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32
                     options { features { repeated_field_encoding: PACKED } } } }"#,
        None,
    ),
    (
        "packed on a repeated message",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_REPEATED type: TYPE_MESSAGE type_name: ".M"
                     options { features { repeated_field_encoding: PACKED } } } }"#,
        None,
    ),
    (
        "a closed enum under implicit presence",
        r#"syntax: "editions" edition: EDITION_2023
           enum_type { name: "E" options { features { enum_type: CLOSED } }
             value { name: "E1" number: 1 } }
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_ENUM type_name: ".E"
                     options { features { field_presence: IMPLICIT } } } }"#,
        None,
    ),
    (
        "an open enum not starting at zero",
        r#"syntax: "editions" edition: EDITION_2023
           enum_type { name: "E" value { name: "E1" number: 1 } }"#,
        None,
    ),
    (
        "a required extension",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M" extension_range { start: 1 end: 10 } }
           extension { name: "x" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 extendee: ".M"
                       options { features { field_presence: LEGACY_REQUIRED } } }"#,
        None,
    ),
    (
        "presence on an extension",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M" extension_range { start: 1 end: 10 } }
           extension { name: "x" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 extendee: ".M"
                       options { features { field_presence: IMPLICIT } } }"#,
        None,
    ),
    (
        "presence in a oneof",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M" oneof_decl { name: "o" }
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 oneof_index: 0
                     options { features { field_presence: EXPLICIT } } } }"#,
        None,
    ),
    (
        "the required label under editions",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_REQUIRED type: TYPE_INT32 } }"#,
        None,
    ),
    (
        "a group under editions",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "g" number: 1 label: LABEL_OPTIONAL type: TYPE_GROUP type_name: ".M.G" }
             nested_type { name: "G" } }"#,
        None,
    ),
    (
        "the packed option under editions",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_REPEATED type: TYPE_INT32
                     options { packed: true } } }"#,
        None,
    ),
    (
        "a feature value of UNKNOWN",
        r#"syntax: "editions" edition: EDITION_2023
           options { features { json_format: JSON_FORMAT_UNKNOWN } }"#,
        None,
    ),
    (
        "a feature from a later edition",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M"
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32
                     options { features { enforce_naming_style: STYLE2024 } } } }"#,
        None,
    ),
    (
        "an edition after the newest",
        r#"syntax: "editions" edition: EDITION_99997_TEST_ONLY"#,
        None,
    ),
    (
        "a feature on a target it does not apply to",
        r#"syntax: "editions" edition: EDITION_2023
           message_type { name: "M" options { features { field_presence: IMPLICIT } }
             field { name: "a" number: 1 label: LABEL_OPTIONAL type: TYPE_INT32 } }"#,
        Some(
            r#"edition = "2023";
               message M { option features.field_presence = IMPLICIT; int32 a = 1; }"#,
        ),
    ),
];

/// The message of protoc's first error, without its `file:line:col: `.
fn protoc_message(stderr: &str) -> String {
    let line = stderr.lines().next().unwrap_or_default();
    let rest = line.split_once("v.proto").map_or(line, |(_, rest)| rest);
    let rest = rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
    rest.trim().to_owned()
}

/// Each broken descriptor is refused with protoc's message for it.
#[test]
fn invalid_features_are_refused_like_protoc() {
    let Some(protoc) = Protoc::new() else { return };
    for (what, descriptor, source) in INVALID {
        let dir = tempfile::tempdir().expect("tmp");
        let text = format!("file {{ name: \"v.proto\" {descriptor} }}");
        let set = protoc_encode_set(&protoc, &text);
        let set_path = dir.path().join("set.binpb");
        std::fs::write(&set_path, &set).expect("write");
        let run = match source {
            Some(source) => {
                std::fs::write(dir.path().join("v.proto"), source).expect("write");
                protoc
                    .command(dir.path())
                    .args(["v.proto", "-o"])
                    .arg(dir.path().join("out.binpb"))
                    .output()
            }
            None => Command::new(&protoc.protoc)
                .arg(format!("--descriptor_set_in={}", set_path.display()))
                .args(["v.proto", "-o"])
                .arg(dir.path().join("out.binpb"))
                .current_dir(dir.path())
                .output(),
        }
        .expect("run protoc");
        assert!(!run.status.success(), "{what}: protoc accepts it");
        let expected = protoc_message(&String::from_utf8_lossy(&run.stderr));
        let error = DescriptorPool::decode(set.as_slice())
            .err()
            .unwrap_or_else(|| panic!("{what}: prost-reflect accepts it; protoc: {expected}"));
        assert_eq!(error.to_string(), expected, "{what}");
    }
}

fn protoc_encode_set(protoc: &Protoc, text: &str) -> Vec<u8> {
    let mut child = Command::new(&protoc.protoc)
        .arg(format!("-I{}", protoc.include.path().display()))
        .arg("--encode=google.protobuf.FileDescriptorSet")
        .arg("google/protobuf/descriptor.proto")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run protoc");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let run = child.wait_with_output().expect("protoc");
    assert!(
        run.status.success(),
        "encode {text}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    run.stdout
}

/// `(pb.java).utf8_validation`, an extension feature: set on the file,
/// overridden on a field, and elsewhere the default that
/// `java_features.proto` itself declares for the edition (read from
/// protoc's descriptor of it, not through prost-reflect).
#[test]
fn extension_features_resolve_from_the_options_bytes() {
    let Some(protoc) = Protoc::new() else { return };
    let (set, pool) = pool(&protoc);
    let set = prost_types::FileDescriptorSet::decode(set.as_slice()).expect("set");
    let java = set
        .file
        .iter()
        .find(|f| f.name() == "google/protobuf/java_features.proto")
        .expect("java_features.proto");
    let utf8 = java
        .message_type
        .iter()
        .find(|m| m.name() == "JavaFeatures")
        .and_then(|m| m.field.iter().find(|f| f.name() == "utf8_validation"))
        .expect("JavaFeatures.utf8_validation");
    let utf8_enum = java
        .message_type
        .iter()
        .find(|m| m.name() == "JavaFeatures")
        .and_then(|m| m.enum_type.iter().find(|e| e.name() == "Utf8Validation"))
        .expect("JavaFeatures.Utf8Validation");
    let number_of = |name: &str| {
        utf8_enum
            .value
            .iter()
            .find(|v| v.name() == name)
            .map(|v| v.number())
            .expect("value")
    };
    // The declared default for an edition: its latest `edition_defaults`
    // entry at or before it.
    let declared_default = |edition: prost_types::Edition| {
        let defaults = &utf8.options.as_ref().expect("options").edition_defaults;
        let entry = defaults
            .iter()
            .filter(|d| d.edition() as i32 <= edition as i32)
            .max_by_key(|d| d.edition() as i32)
            .expect("a default");
        Value::EnumNumber(number_of(entry.value()))
    };

    let fields = pool.get_message_by_name("ed2023.Fields").expect("Fields");
    let feature = |field: &str| {
        fields
            .get_field_by_name(field)
            .expect("field")
            .feature_extension("pb.java", "utf8_validation")
    };
    // The file sets VERIFY; `unchecked` inherits it, `java_checked` sets
    // DEFAULT.
    assert_eq!(
        feature("unchecked"),
        Some(Value::EnumNumber(number_of("VERIFY")))
    );
    assert_eq!(
        feature("java_checked"),
        Some(Value::EnumNumber(number_of("DEFAULT")))
    );
    let file = pool.get_file_by_name("editions_2023.proto").expect("file");
    assert_eq!(
        file.feature_extension("pb.java", "utf8_validation"),
        Some(Value::EnumNumber(number_of("VERIFY")))
    );
    // Files that set nothing: the declared default of their edition.
    let plain = pool.get_message_by_name("ed2024.Plain").expect("Plain");
    assert_eq!(
        plain.feature_extension("pb.java", "utf8_validation"),
        Some(declared_default(prost_types::Edition::Edition2024))
    );
    let proto3 = pool.get_message_by_name("leg3.Proto3").expect("Proto3");
    assert_eq!(
        proto3
            .get_field_by_name("text")
            .expect("text")
            .feature_extension("pb.java", "utf8_validation"),
        Some(declared_default(prost_types::Edition::Proto3))
    );
    // Unknown extensions and features are `None`.
    assert_eq!(plain.feature_extension("pb.cpp", "string_type"), None);
    assert_eq!(plain.feature_extension("pb.java", "no_such_feature"), None);
}

/// `features.X = VALUE` options a parser leaves uninterpreted (protox hands
/// prost-reflect `uninterpreted_option`s to interpret) resolve as the same
/// features interpreted by protoc do.
#[test]
fn uninterpreted_features_resolve_like_interpreted_ones() {
    use prost_types::feature_set::{
        EnumType, FieldPresence, JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
    };
    use prost_types::uninterpreted_option::NamePart;

    let Some(protoc) = Protoc::new() else { return };
    let (set, _) = pool(&protoc);
    // prost-types drops the options' extension features; both pools are
    // built from this same round trip.
    let interpreted = prost_types::FileDescriptorSet::decode(set.as_slice()).expect("set");

    fn uninterpret(
        features: &mut Option<Box<prost_types::FeatureSet>>,
        uninterpreted: &mut Vec<prost_types::UninterpretedOption>,
    ) -> usize {
        let Some(set) = features.take() else { return 0 };
        let mut names: Vec<(&str, String)> = Vec::new();
        let mut name = |field: &'static str, value: Option<&str>| {
            if let Some(value) = value {
                names.push((field, value.to_owned()));
            }
        };
        name(
            "field_presence",
            set.field_presence
                .and_then(|v| FieldPresence::try_from(v).ok())
                .map(|v| v.as_str_name()),
        );
        name(
            "enum_type",
            set.enum_type
                .and_then(|v| EnumType::try_from(v).ok())
                .map(|v| v.as_str_name()),
        );
        name(
            "repeated_field_encoding",
            set.repeated_field_encoding
                .and_then(|v| RepeatedFieldEncoding::try_from(v).ok())
                .map(|v| v.as_str_name()),
        );
        name(
            "utf8_validation",
            set.utf8_validation
                .and_then(|v| Utf8Validation::try_from(v).ok())
                .map(|v| v.as_str_name()),
        );
        name(
            "message_encoding",
            set.message_encoding
                .and_then(|v| MessageEncoding::try_from(v).ok())
                .map(|v| v.as_str_name()),
        );
        name(
            "json_format",
            set.json_format
                .and_then(|v| JsonFormat::try_from(v).ok())
                .map(|v| v.as_str_name()),
        );
        // Two features or more: one aggregate `features = { ... }` (the
        // other spelling protoc accepts); else the dotted form.
        if names.len() >= 2 {
            let text: Vec<String> = names.iter().map(|(f, v)| format!("{f}: {v}")).collect();
            uninterpreted.push(prost_types::UninterpretedOption {
                name: vec![NamePart {
                    name_part: "features".to_owned(),
                    is_extension: false,
                }],
                aggregate_value: Some(text.join(" ")),
                ..Default::default()
            });
            return names.len();
        }
        for (field, value) in &names {
            uninterpreted.push(prost_types::UninterpretedOption {
                name: vec![
                    NamePart {
                        name_part: "features".to_owned(),
                        is_extension: false,
                    },
                    NamePart {
                        name_part: (*field).to_owned(),
                        is_extension: false,
                    },
                ],
                identifier_value: Some(value.clone()),
                ..Default::default()
            });
        }
        names.len()
    }

    let mut moved = 0;
    let mut uninterpreted = interpreted.clone();
    for file in &mut uninterpreted.file {
        if file.syntax() != "editions" {
            continue;
        }
        if let Some(options) = &mut file.options {
            moved += uninterpret(&mut options.features, &mut options.uninterpreted_option);
        }
        for message in &mut file.message_type {
            if let Some(options) = &mut message.options {
                moved += uninterpret(&mut options.features, &mut options.uninterpreted_option);
            }
            for field in &mut message.field {
                if let Some(options) = &mut field.options {
                    moved += uninterpret(&mut options.features, &mut options.uninterpreted_option);
                }
            }
        }
        for enum_ in &mut file.enum_type {
            if let Some(options) = &mut enum_.options {
                moved += uninterpret(&mut options.features, &mut options.uninterpreted_option);
            }
        }
    }
    assert!(
        moved > 10,
        "moved {moved} features into uninterpreted options"
    );
    let expected = prost_reflect_lines(
        &DescriptorPool::from_file_descriptor_set(interpreted).expect("interpreted pool"),
    );
    let actual = prost_reflect_lines(
        &DescriptorPool::from_file_descriptor_set(uninterpreted).expect("uninterpreted pool"),
    );
    assert_eq!(actual, expected);
}
