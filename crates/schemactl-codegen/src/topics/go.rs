//! `topics: go`: one Go file declaring the generic `Topic[M]` and one
//! exported value per topic of the catalog, typed by the topic's message,
//! so producing another message type to a topic does not compile.
//!
//! The values carry the Confluent schema ids of the generated release:
//! `Encode` writes the Confluent wire format without asking a registry and
//! `Decode` accepts exactly the ids of the topic's versions. The output is
//! gofmt-clean as written (the CLI tests run `gofmt -l` on it).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use prost_types::compiler::code_generator_response::File as ResponseFile;

use super::{one_line, pascal_case as value_name};
use crate::catalog::TopicBinding;
use crate::inprocess::{Input, file};

/// The file written, relative to the plugin's `out`.
const FILE_NAME: &str = "topics.go";

/// The runtime part of the file: everything but the header, the imports and
/// the topic values. `proto`, `binary`, `errors`, `fmt` and `slices` are
/// imported; the identifiers below are reserved against import aliases
/// and topic names (see [`RESERVED`]).
const RUNTIME: &str = r#"// Topic is a Kafka topic that carries exactly one message type, M. The
// values declared in this package are the only usable Topics: the zero
// Topic refuses to encode and decode, and no function pairs another name
// with another type.
type Topic[M proto.Message] struct {
	name     string
	versions []schemaVersion
	header   []byte
}

// schemaVersion is one version of a topic's value subject: its Confluent
// schema id and the message's indexes in its file.
type schemaVersion struct {
	id    uint32
	index []int32
}

// newTopic is the only way to a usable Topic; versions are oldest first,
// the one Encode writes last.
func newTopic[M proto.Message](name string, versions []schemaVersion) Topic[M] {
	current := versions[len(versions)-1]
	header := binary.BigEndian.AppendUint32([]byte{0}, current.id)
	header = appendIndexes(header, current.index)
	return Topic[M]{name: name, versions: versions, header: header}
}

// Name is the topic's name.
func (t Topic[M]) Name() string { return t.name }

// SchemaID is the Confluent schema id Encode writes: the id of the topic's
// schema at the release this package was generated from. It is 0 for the
// zero Topic.
func (t Topic[M]) SchemaID() uint32 {
	if len(t.versions) == 0 {
		return 0
	}
	return t.versions[len(t.versions)-1].id
}

// Encode returns msg in the Confluent wire format: the magic byte 0, the
// schema id (big-endian), the message indexes, then the message's Protobuf
// encoding (deterministic). No schema registry is asked.
func (t Topic[M]) Encode(msg M) ([]byte, error) {
	if t.header == nil {
		return nil, errors.New("topics: Encode on a zero Topic: use one of the values of this package")
	}
	if !msg.ProtoReflect().IsValid() {
		return nil, fmt.Errorf("topics: %s: cannot encode a nil message", t.name)
	}
	out := make([]byte, len(t.header), len(t.header)+proto.Size(msg))
	copy(out, t.header)
	out, err := proto.MarshalOptions{Deterministic: true}.MarshalAppend(out, msg)
	if err != nil {
		return nil, fmt.Errorf("topics: %s: %w", t.name, err)
	}
	return out, nil
}

// Decode reads a record in the Confluent wire format. It refuses a record
// without the magic byte 0, a record too short to hold the header, and a
// schema id that is not one of the topic's versions (or message indexes
// that do not name the topic's message in it).
func (t Topic[M]) Decode(b []byte) (M, error) {
	var msg M
	if t.header == nil {
		return msg, errors.New("topics: Decode on a zero Topic: use one of the values of this package")
	}
	if len(b) < 6 {
		return msg, fmt.Errorf("topics: %s: a record of %d bytes is too short for the Confluent wire format", t.name, len(b))
	}
	if b[0] != 0 {
		return msg, fmt.Errorf("topics: %s: magic byte %d, want 0 (not the Confluent wire format)", t.name, b[0])
	}
	id := binary.BigEndian.Uint32(b[1:5])
	k := slices.IndexFunc(t.versions, func(v schemaVersion) bool { return v.id == id })
	if k < 0 {
		ids := make([]uint32, len(t.versions))
		for i, v := range t.versions {
			ids[i] = v.id
		}
		return msg, fmt.Errorf("topics: %s: schema id %d is not one of the topic's %v", t.name, id, ids)
	}
	index, payload, err := readIndexes(b[5:])
	if err != nil {
		return msg, fmt.Errorf("topics: %s: %w", t.name, err)
	}
	if !slices.Equal(index, t.versions[k].index) {
		return msg, fmt.Errorf("topics: %s: message indexes %v, want %v for schema id %d", t.name, index, t.versions[k].index, id)
	}
	decoded, ok := msg.ProtoReflect().Type().New().Interface().(M)
	if !ok {
		return msg, fmt.Errorf("topics: %s: cannot make a new %T", t.name, msg)
	}
	if err := proto.Unmarshal(payload, decoded); err != nil {
		return msg, fmt.Errorf("topics: %s: %w", t.name, err)
	}
	return decoded, nil
}

// appendIndexes writes Confluent's message indexes: a zigzag varint count
// then each index as a zigzag varint, with [0] (the first message of the
// file, the usual case) as the single byte 0.
func appendIndexes(b []byte, index []int32) []byte {
	if len(index) == 1 && index[0] == 0 {
		return append(b, 0)
	}
	b = appendZigzag(b, int32(len(index)))
	for _, i := range index {
		b = appendZigzag(b, i)
	}
	return b
}

// readIndexes reads what appendIndexes writes and returns the rest of b.
func readIndexes(b []byte) ([]int32, []byte, error) {
	n, b, err := readZigzag(b)
	if err != nil {
		return nil, nil, err
	}
	if n == 0 {
		return []int32{0}, b, nil
	}
	if n < 0 || int(n) > len(b) {
		return nil, nil, fmt.Errorf("invalid message index count %d", n)
	}
	index := make([]int32, n)
	for i := range index {
		if index[i], b, err = readZigzag(b); err != nil {
			return nil, nil, err
		}
	}
	return index, b, nil
}

func appendZigzag(b []byte, v int32) []byte {
	return binary.AppendUvarint(b, uint64(uint32(v<<1)^uint32(v>>31)))
}

func readZigzag(b []byte) (int32, []byte, error) {
	v, n := binary.Uvarint(b)
	if n <= 0 || v > 1<<32-1 {
		return 0, nil, errors.New("truncated or overlong varint in the message indexes")
	}
	return int32(uint32(v)>>1) ^ -int32(uint32(v)&1), b[n:], nil
}
"#;

/// Names an import alias or a topic value may not take: the file's own
/// identifiers, its standard imports and Go's keywords and predeclared
/// identifiers that would be shadowed.
const RESERVED: &[&str] = &[
    "Topic",
    "schemaVersion",
    "newTopic",
    "appendIndexes",
    "readIndexes",
    "appendZigzag",
    "readZigzag",
    "proto",
    "binary",
    "errors",
    "fmt",
    "slices",
    "break",
    "case",
    "chan",
    "const",
    "continue",
    "default",
    "defer",
    "else",
    "fallthrough",
    "for",
    "func",
    "go",
    "goto",
    "if",
    "import",
    "interface",
    "map",
    "package",
    "range",
    "return",
    "select",
    "struct",
    "switch",
    "type",
    "var",
    "any",
    "bool",
    "byte",
    "error",
    "int",
    "int32",
    "string",
    "uint32",
    "uint64",
    "len",
    "make",
    "append",
    "copy",
    "new",
    "nil",
    "true",
    "false",
];

const STD_IMPORTS: &[&str] = &["encoding/binary", "errors", "fmt", "slices"];
const PROTO_IMPORT: &str = "google.golang.org/protobuf/proto";

pub(crate) fn generate(input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    let package = package_name(input.parameter)?;
    let catalog = input.catalog;

    // Each topic's message as Go sees it: import path and type name.
    let mut resolved = Vec::with_capacity(catalog.topics.len());
    for topic in &catalog.topics {
        resolved.push(resolve(input, topic)?);
    }

    // Import aliases: the Go package name, deduplicated in import path
    // order by a numeric suffix.
    let paths: BTreeMap<&str, &str> = resolved
        .iter()
        .map(|r| (r.import.as_str(), r.package.as_str()))
        .collect();
    let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
    taken.insert(package.clone());
    let mut aliases: BTreeMap<&str, String> = BTreeMap::new();
    for (path, name) in &paths {
        let mut alias = (*name).to_owned();
        let mut n = 2;
        while taken.contains(&alias) {
            alias = format!("{name}{n}");
            n += 1;
        }
        taken.insert(alias.clone());
        aliases.insert(path, alias);
    }

    let mut values: BTreeMap<String, &str> = BTreeMap::new();
    for topic in &catalog.topics {
        let value = value_name(&topic.name);
        if taken.contains(&value) {
            return Err(format!(
                "topic `{}` would be the Go value `{value}`, a name the generated file already uses; rename the topic",
                topic.name
            ));
        }
        if let Some(other) = values.insert(value.clone(), &topic.name) {
            return Err(format!(
                "topics `{other}` and `{}` would both be the Go value `{value}`",
                topic.name
            ));
        }
    }

    let mut out = String::new();
    out.push_str("// Code generated by schemactl. DO NOT EDIT.\n");
    if !catalog.release.is_empty() {
        let _ = writeln!(out, "// release: {}", one_line(&catalog.release));
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "// Package {package} ties each Kafka topic of the schema catalog to its one\n\
         // message type, and encodes and decodes its records in the Confluent wire\n\
         // format with the schema ids of the release it was generated from."
    );
    let _ = writeln!(out, "package {package}\n");
    out.push_str("import (\n");
    for path in STD_IMPORTS {
        let _ = writeln!(out, "\t{}", go_string(path));
    }
    out.push('\n');
    let mut third_party: Vec<(&str, Option<&str>)> = aliases
        .iter()
        .map(|(path, alias)| (*path, Some(alias.as_str())))
        .collect();
    third_party.push((PROTO_IMPORT, None));
    third_party.sort_unstable();
    for (path, alias) in third_party {
        match alias {
            Some(alias) => {
                let _ = writeln!(out, "\t{alias} {}", go_string(path));
            }
            None => {
                let _ = writeln!(out, "\t{}", go_string(path));
            }
        }
    }
    out.push_str(")\n\n");
    out.push_str(RUNTIME);

    for (topic, r) in catalog.topics.iter().zip(&resolved) {
        out.push('\n');
        let value = value_name(&topic.name);
        let ty = format!("*{}.{}", aliases[r.import.as_str()], r.go_name);
        doc_comment(&mut out, &value, topic, &catalog.release);
        let _ = writeln!(
            out,
            "var {value} = newTopic[{ty}]({}, []schemaVersion{{",
            go_string(&topic.name)
        );
        let versions = if topic.versions.is_empty() {
            std::slice::from_ref(&topic.current)
        } else {
            &topic.versions[..]
        };
        for v in versions {
            let index: Vec<String> = v.index.iter().map(i32::to_string).collect();
            let _ = writeln!(
                out,
                "\t{{id: {}, index: []int32{{{}}}}},",
                v.id,
                index.join(", ")
            );
        }
        out.push_str("})\n");
    }
    Ok(vec![file(FILE_NAME, out)])
}

/// The `package=NAME` option (default `topics`); any other option is an
/// error, so a typo is not silently ignored.
fn package_name(parameter: &str) -> Result<String, String> {
    let mut package = "topics".to_owned();
    for opt in parameter.split(',').filter(|o| !o.is_empty()) {
        match opt.split_once('=') {
            Some(("package", name)) if is_identifier(name) => package = name.to_owned(),
            Some(("package", name)) => {
                return Err(format!(
                    "`topics: go`: `package={name}` is not a Go package name"
                ));
            }
            _ => {
                return Err(format!(
                    "`topics: go`: unknown option `{opt}` (the one option is `package=NAME`)"
                ));
            }
        }
    }
    Ok(package)
}

/// A topic's message as the Go code names it.
struct Resolved {
    /// The Go import path of the message's file.
    import: String,
    /// The Go package name of that file.
    package: String,
    /// The message's Go type name (`Outer_Inner` for a nested message).
    go_name: String,
}

fn resolve(input: &Input<'_>, topic: &TopicBinding) -> Result<Resolved, String> {
    let descriptor = input.topic_file(topic)?;
    let go_package = descriptor
        .options
        .as_ref()
        .and_then(|o| o.go_package.as_deref())
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            format!(
                "topic `{}`: `{}` (the file of `{}`) has no `go_package` option, so its Go import path is unknown: \
                 set one for every file with `managed: {{enabled: true, override: [{{file_option: go_package_prefix, value: MODULE/PATH}}]}}` \
                 under `generate:`, or write `option go_package` in the file",
                topic.name, topic.file, topic.message
            )
        })?;
    let (import, package) = match go_package.split_once(';') {
        Some((path, name)) => (path.to_owned(), name.to_owned()),
        None => {
            let last = go_package.rsplit('/').next().unwrap_or(go_package);
            (go_package.to_owned(), sanitize_package(last))
        }
    };
    if import.is_empty() || !is_identifier(&package) {
        return Err(format!(
            "topic `{}`: `go_package = \"{go_package}\"` in `{}` is not an import path with a package name",
            topic.name, topic.file
        ));
    }
    let proto_package = descriptor.package();
    let relative = if proto_package.is_empty() {
        Some(topic.message.as_str())
    } else {
        topic
            .message
            .strip_prefix(proto_package)
            .and_then(|m| m.strip_prefix('.'))
    }
    .ok_or_else(|| {
        format!(
            "topic `{}`: message `{}` is not in package `{proto_package}` of `{}`",
            topic.name, topic.message, topic.file
        )
    })?;
    Ok(Resolved {
        import,
        package,
        go_name: go_camel_case(relative),
    })
}

/// protoc-gen-go's name for a message, from its name relative to the
/// package (`Outer.Inner` is `Outer_Inner`), as protobuf-go's
/// `strs.GoCamelCase` computes it.
fn go_camel_case(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next_lower = b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
        if c == b'.' && next_lower {
            // ".x" drops the dot (the letter is upper-cased below).
        } else if c == b'.' {
            out.push('_');
        } else if c == b'_' && (i == 0 || b[i - 1] == b'.') {
            out.push('X');
        } else if c == b'_' && next_lower {
            // "_x" drops the underscore.
        } else if c.is_ascii_digit() {
            out.push(char::from(c));
        } else {
            out.push(char::from(c.to_ascii_uppercase()));
            while b.get(i + 1).is_some_and(u8::is_ascii_lowercase) {
                i += 1;
                out.push(char::from(b[i]));
            }
        }
        i += 1;
    }
    out
}

/// protoc-gen-go's package name from the last element of an import path:
/// characters that cannot be in an identifier become `_`.
fn sanitize_package(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        out.insert(0, '_');
    }
    out
}

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The doc comment of a topic's value. Every line starts with a label or the
/// value's name, so gofmt's doc comment reformatting (lists, headings, code
/// blocks) never applies.
fn doc_comment(out: &mut String, value: &str, topic: &TopicBinding, release: &str) {
    let _ = writeln!(
        out,
        "// {value} is the topic {}, carrying {}.",
        one_line(&topic.name),
        one_line(&topic.message)
    );
    if !topic.description.trim().is_empty() {
        out.push_str("//\n");
        let _ = writeln!(out, "// Description: {}", one_line(&topic.description));
    }
    out.push_str("//\n");
    if !topic.owners.is_empty() {
        let _ = writeln!(out, "// Owners: {}.", one_line(&topic.owners.join(", ")));
    }
    if !topic.producers.is_empty() {
        let _ = writeln!(
            out,
            "// Producers: {}.",
            one_line(&topic.producers.join(", "))
        );
    }
    if let Some(partitions) = topic.partitions {
        let _ = writeln!(out, "// Partitions: {partitions}.");
    }
    if let Some(retention) = &topic.retention {
        let _ = writeln!(out, "// Retention: {}.", one_line(retention));
    }
    let at = if release.is_empty() {
        String::new()
    } else {
        format!(" at release {}", one_line(release))
    };
    let _ = writeln!(
        out,
        "// Schema: id {}, version {} of subject {}-value{at}.",
        topic.current.id,
        topic.current.version,
        one_line(&topic.name)
    );
}

/// A Go interpreted string literal.
fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::catalog::{BindingVersion, Catalog};
    use crate::request;

    const USER: &str = "syntax = \"proto3\";\npackage acme.identity.v1;\noption go_package = \"example.com/gen/acme/identity/v1;identityv1\";\nmessage UserCreated {\n  string user_id = 1;\n  message Address { string city = 1; }\n}\n";
    const OTHER: &str = "syntax = \"proto3\";\npackage other.identity.v1;\noption go_package = \"example.com/other/identity/v1;identityv1\";\nmessage Moved {}\n";
    const BARE: &str = "syntax = \"proto3\";\npackage bare.v1;\nmessage Bare {}\n";

    fn files() -> Vec<request::File> {
        crate::test_support::files(&[
            ("acme/identity/v1/user.proto", USER),
            ("other/identity/v1/moved.proto", OTHER),
            ("bare/v1/bare.proto", BARE),
        ])
    }

    fn topic(name: &str, message: &str, file: &str, versions: &[(u32, &[i32])]) -> TopicBinding {
        let versions: Vec<BindingVersion> = versions
            .iter()
            .enumerate()
            .map(|(k, (id, index))| BindingVersion {
                version: u32::try_from(k + 1).expect("small"),
                id: *id,
                index: index.to_vec(),
            })
            .collect();
        TopicBinding {
            name: name.to_owned(),
            message: message.to_owned(),
            file: file.to_owned(),
            owners: vec!["team-identity".to_owned()],
            producers: vec!["identity-service".to_owned()],
            description: "A user was\n  created.".to_owned(),
            partitions: Some(12),
            retention: Some("7d".to_owned()),
            current: versions.last().cloned().unwrap_or_default(),
            versions,
        }
    }

    fn run(catalog: &Catalog, parameter: &str) -> Result<String, String> {
        let files = files();
        let all: Vec<usize> = (0..files.len()).collect();
        let input = Input {
            files: &files,
            generate: &all,
            parameter,
            catalog,
        };
        let mut out = generate(&input)?;
        assert_eq!(out.len(), 1);
        let file = out.remove(0);
        assert_eq!(file.name(), "topics.go");
        Ok(file.content().to_owned())
    }

    #[test]
    fn one_value_per_topic_with_its_ids_and_catalog_entry() {
        let catalog = Catalog {
            release: "1.1.0".to_owned(),
            topics: vec![
                topic(
                    "identity.user-created.v1",
                    "acme.identity.v1.UserCreated",
                    "acme/identity/v1/user.proto",
                    &[(3, &[0]), (9, &[0])],
                ),
                topic(
                    "identity.user-address.v1",
                    "acme.identity.v1.UserCreated.Address",
                    "acme/identity/v1/user.proto",
                    &[(4, &[0, 0])],
                ),
                topic(
                    "other.moved.v1",
                    "other.identity.v1.Moved",
                    "other/identity/v1/moved.proto",
                    &[(5, &[0])],
                ),
            ],
        };
        let go = run(&catalog, "package=events").expect("generates");
        assert!(
            go.starts_with("// Code generated by schemactl. DO NOT EDIT.\n// release: 1.1.0\n"),
            "{go}"
        );
        assert!(go.contains("\npackage events\n"), "{go}");
        // Two Go packages named identityv1: the second import gets a suffix.
        assert!(
            go.contains("\tidentityv1 \"example.com/gen/acme/identity/v1\"\n"),
            "{go}"
        );
        assert!(
            go.contains("\tidentityv12 \"example.com/other/identity/v1\"\n"),
            "{go}"
        );
        assert!(go.contains("var IdentityUserCreatedV1 = newTopic[*identityv1.UserCreated](\"identity.user-created.v1\", []schemaVersion{\n\t{id: 3, index: []int32{0}},\n\t{id: 9, index: []int32{0}},\n})\n"), "{go}");
        assert!(go.contains("newTopic[*identityv1.UserCreated_Address](\"identity.user-address.v1\", []schemaVersion{\n\t{id: 4, index: []int32{0, 0}},\n})"), "{go}");
        assert!(
            go.contains("var OtherMovedV1 = newTopic[*identityv12.Moved]"),
            "{go}"
        );
        assert!(go.contains("// Description: A user was created.\n"), "{go}");
        assert!(go.contains("// Owners: team-identity.\n// Producers: identity-service.\n// Partitions: 12.\n// Retention: 7d.\n"), "{go}");
        assert!(go.contains("// Schema: id 9, version 2 of subject identity.user-created.v1-value at release 1.1.0.\n"), "{go}");
        assert!(!go.contains("\r") && !go.contains("/work/"), "{go}");
        // Deterministic.
        assert_eq!(run(&catalog, "package=events").expect("generates"), go);
    }

    #[test]
    fn a_message_without_go_package_is_a_finding_with_a_hint() {
        let catalog = Catalog {
            release: "1.0.0".to_owned(),
            topics: vec![topic(
                "bare.bare.v1",
                "bare.v1.Bare",
                "bare/v1/bare.proto",
                &[(1, &[0])],
            )],
        };
        let err = run(&catalog, "").expect_err("no go_package");
        assert!(
            err.contains("no `go_package`") && err.contains("go_package_prefix"),
            "{err}"
        );
    }

    #[test]
    fn clashing_value_names_are_refused() {
        let catalog = Catalog {
            release: "1.0.0".to_owned(),
            topics: vec![
                topic(
                    "a.b-c.v1",
                    "other.identity.v1.Moved",
                    "other/identity/v1/moved.proto",
                    &[(1, &[0])],
                ),
                topic(
                    "a-b.c.v1",
                    "other.identity.v1.Moved",
                    "other/identity/v1/moved.proto",
                    &[(2, &[0])],
                ),
            ],
        };
        let err = run(&catalog, "").expect_err("clash");
        assert!(err.contains("`ABCV1`"), "{err}");
    }

    #[test]
    fn value_names_are_pascal_case() {
        assert_eq!(
            value_name("identity.user-created.v1"),
            "IdentityUserCreatedV1"
        );
        assert_eq!(
            value_name("billing.invoice_issued.v2"),
            "BillingInvoiceIssuedV2"
        );
        assert_eq!(value_name("2fa.enabled.v1"), "Topic2faEnabledV1");
    }

    #[test]
    fn message_names_are_protoc_gen_go_names() {
        assert_eq!(go_camel_case("UserCreated"), "UserCreated");
        assert_eq!(go_camel_case("UserCreated.Address"), "UserCreated_Address");
        assert_eq!(go_camel_case("user_created"), "UserCreated");
        assert_eq!(go_camel_case("_x"), "XX");
        assert_eq!(go_camel_case("Outer.inner"), "OuterInner");
        assert_eq!(go_camel_case("a1b"), "A1B");
    }

    #[test]
    fn go_strings_escape() {
        assert_eq!(go_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }

    #[test]
    fn options() {
        assert_eq!(package_name("").as_deref(), Ok("topics"));
        assert_eq!(package_name("package=events").as_deref(), Ok("events"));
        assert!(package_name("package=a-b").is_err());
        assert!(package_name("paths=source_relative").is_err());
    }
}
