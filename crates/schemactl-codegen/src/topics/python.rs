//! `topics: python`: `topics.py` and `topics.pyi`, one module-level
//! `Topic[M]` value per topic of the catalog.
//!
//! Python has no compiler to refuse the wrong message, so the binding
//! refuses it twice: `encode` raises `TypeError` on the first call with
//! anything but the topic's exact message class, and the stub types each
//! value as `Topic[UserCreated]`, so mypy (or an IDE) flags the call before
//! it runs. The wire format is computed by the module itself from the
//! schema ids written into it, so producing asks no registry.
//!
//! The `_pb2` modules are imported by protoc's python naming
//! (`acme/identity/v1/user.proto` → `acme.identity.v1.user_pb2`), absolute
//! from the package root: the directory the `python` and `pyi` generators
//! write to, which must be on `sys.path` (the Python package puts it there).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use prost_types::compiler::code_generator_response::File as ResponseFile;

use super::constant_name;
use crate::catalog::TopicBinding;
use crate::inprocess::{Input, file};

/// The runtime half of `topics.py`: the `Topic` class and the Confluent
/// wire format, the same for every catalog.
const RUNTIME: &str = r#"
class WireFormatError(ValueError):
    """A record that is not in the Confluent wire format its topic expects."""


def _varint(n):
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _zigzag(n):
    return n * 2 if n >= 0 else -n * 2 - 1


def _header(schema_id, indexes):
    # Confluent's wire format: the magic byte 0, the schema id as a big-endian
    # u32, then the message's path in its file as zigzag varints (a count,
    # then the indexes), with the first message's [0] written as one byte 0.
    head = b"\x00" + schema_id.to_bytes(4, "big")
    if tuple(indexes) == (0,):
        return head + b"\x00"
    return head + b"".join(_varint(_zigzag(i)) for i in (len(indexes), *indexes))


def _read_varint(data, pos):
    value = shift = 0
    while True:
        if pos >= len(data):
            raise WireFormatError("record ends inside its message indexes")
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return (value >> 1) ^ -(value & 1), pos
        shift += 7
        if shift > 63:
            raise WireFormatError("record has a message index longer than 10 bytes")


def _read_indexes(data, pos):
    count, pos = _read_varint(data, pos)
    if count == 0:
        return (0,), pos
    if count < 0:
        raise WireFormatError("record has a negative count of message indexes (%d)" % count)
    if count > len(data) - pos:
        raise WireFormatError("record ends inside its message indexes")
    indexes = []
    for _ in range(count):
        index, pos = _read_varint(data, pos)
        indexes.append(index)
    return tuple(indexes), pos


def _describe(value):
    descriptor = getattr(type(value), "DESCRIPTOR", None)
    full_name = getattr(descriptor, "full_name", None)
    if isinstance(full_name, str):
        return full_name
    return "%s.%s" % (type(value).__module__, type(value).__qualname__)


class Topic:
    """A Kafka topic and the one message type it carries.

    The values of this module are the only topics: a ``Topic`` cannot be
    made from an arbitrary name and message type.
    """

    __slots__ = ("_name", "_message_type", "_schema_id", "_version", "_header", "_indexes")

    def __init__(self, *args, **kwargs):
        raise TypeError(
            "topics are generated from the topic catalog by schemactl: "
            "use the values of this module"
        )

    @classmethod
    def _make(cls, name, message_type, full_name, versions):
        actual = message_type.DESCRIPTOR.full_name
        if actual != full_name:
            raise ImportError(
                "topic %s carries %s, but the generated class is %s: "
                "regenerate the bindings with the messages" % (name, full_name, actual)
            )
        self = object.__new__(cls)
        self._name = name
        self._message_type = message_type
        self._version, self._schema_id, indexes = versions[-1]
        self._header = _header(self._schema_id, indexes)
        self._indexes = {schema_id: tuple(idx) for _, schema_id, idx in versions}
        return self

    @property
    def name(self):
        """The topic's name."""
        return self._name

    @property
    def message_type(self):
        """The message class the topic carries."""
        return self._message_type

    @property
    def schema_id(self):
        """The Confluent schema id ``encode`` writes."""
        return self._schema_id

    @property
    def version(self):
        """The subject version of ``schema_id``."""
        return self._version

    @property
    def schema_ids(self):
        """The schema ids ``decode`` accepts: every version of the topic."""
        return frozenset(self._indexes)

    def encode(self, msg):
        """``msg`` in the Confluent wire format, with this topic's schema id.

        Raises ``TypeError`` when ``msg`` is not exactly the topic's message
        class.
        """
        if type(msg) is not self._message_type:
            raise TypeError(
                "topic %s carries %s, not %s"
                % (self._name, self._message_type.DESCRIPTOR.full_name, _describe(msg))
            )
        return self._header + msg.SerializeToString()

    def decode(self, data):
        """The message in ``data``, a record in the Confluent wire format.

        Raises ``WireFormatError`` when ``data`` is not in the wire format,
        or was written with a schema id that is not one of the topic's
        versions; protobuf's ``DecodeError`` when the message does not parse.
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError("a record is bytes, not %s" % _describe(data))
        data = bytes(data)
        if len(data) < 6:
            raise WireFormatError(
                "record of %d bytes on topic %s: the Confluent wire format needs at least 6"
                % (len(data), self._name)
            )
        if data[0] != 0:
            raise WireFormatError(
                "record on topic %s starts with byte 0x%02x, not the magic byte 0: "
                "it is not in the Confluent wire format" % (self._name, data[0])
            )
        schema_id = int.from_bytes(data[1:5], "big")
        expected = self._indexes.get(schema_id)
        if expected is None:
            raise WireFormatError(
                "record on topic %s has schema id %d, which is not a version of the topic "
                "(its schema ids: %s)"
                % (self._name, schema_id, ", ".join(str(i) for i in sorted(self._indexes)))
            )
        indexes, start = _read_indexes(data, 5)
        if indexes != expected:
            raise WireFormatError(
                "record on topic %s points at message indexes %s of schema id %d, not at %s %s"
                % (
                    self._name,
                    list(indexes),
                    schema_id,
                    self._message_type.DESCRIPTOR.full_name,
                    list(expected),
                )
            )
        msg = self._message_type()
        msg.ParseFromString(data[start:])
        return msg

    def __repr__(self):
        return "<Topic %s: %s, schema id %d>" % (
            self._name,
            self._message_type.DESCRIPTOR.full_name,
            self._schema_id,
        )
"#;

/// The typed half of `topics.pyi`, the same for every catalog.
const STUB: &str = r#"
_M = TypeVar("_M", bound=_message.Message)

class WireFormatError(ValueError):
    """A record that is not in the Confluent wire format its topic expects."""

@final
class Topic(Generic[_M]):
    """A Kafka topic and the one message type it carries.

    The values of this module are the only topics: a ``Topic`` cannot be
    made from an arbitrary name and message type.
    """

    @property
    def name(self) -> str:
        """The topic's name."""
    @property
    def message_type(self) -> type[_M]:
        """The message class the topic carries."""
    @property
    def schema_id(self) -> int:
        """The Confluent schema id ``encode`` writes."""
    @property
    def version(self) -> int:
        """The subject version of ``schema_id``."""
    @property
    def schema_ids(self) -> frozenset[int]:
        """The schema ids ``decode`` accepts: every version of the topic."""
    def encode(self, msg: _M) -> bytes:
        """``msg`` in the Confluent wire format, with this topic's schema id.

        Raises ``TypeError`` when ``msg`` is not exactly the topic's message
        class.
        """
    def decode(self, data: bytes) -> _M:
        """The message in ``data``, a record in the Confluent wire format.

        Raises ``WireFormatError`` when ``data`` is not in the wire format,
        or was written with a schema id that is not one of the topic's
        versions; protobuf's ``DecodeError`` when the message does not parse.
        """
"#;

/// Python's keywords: a module path holding one cannot be imported by name.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// One topic, resolved: its constant and where its message class lives.
struct Binding<'a> {
    topic: &'a TopicBinding,
    constant: String,
    /// The alias of the `_pb2` module in the generated files.
    module_alias: String,
    /// The class inside the module: `UserCreated`, `Outer.Inner`.
    class: String,
}

pub(crate) fn generate(input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    if !input.parameter.is_empty() {
        return Err(format!(
            "`topics: python` takes no `opt` (got `{}`)",
            input.parameter
        ));
    }
    let mut bindings = Vec::new();
    let mut modules = BTreeMap::new();
    let mut constants: BTreeMap<String, &str> = BTreeMap::new();
    for topic in &input.catalog.topics {
        let constant = constant_name(&topic.name);
        if let Some(other) = constants.insert(constant.clone(), &topic.name) {
            return Err(format!(
                "topics `{other}` and `{}` would both be the Python value `{constant}`: rename one",
                topic.name
            ));
        }
        let class = class_path(input, topic)?;
        let module = module_name(&topic.file);
        if let Some(keyword) = module.split('.').find(|part| KEYWORDS.contains(part)) {
            // protoc's own imports of such a module go through importlib;
            // a stub cannot name it at all, so the binding could not be typed.
            return Err(format!(
                "topic `{}`: its message's module `{module}` has the Python keyword `{keyword}` \
                 in its path, so it cannot be imported by name: rename the directory or file",
                topic.name
            ));
        }
        let module_alias = module_alias(&module);
        modules.insert(module, module_alias.clone());
        bindings.push(Binding {
            topic,
            constant,
            module_alias,
            class,
        });
    }
    let release = &input.catalog.release;
    Ok(vec![
        file("topics.py", source(release, &modules, &bindings)),
        file("topics.pyi", stub(release, &modules, &bindings)),
    ])
}

fn header(out: &mut String, release: &str) {
    out.push_str("# Code generated by schemactl. DO NOT EDIT.\n");
    let _ = writeln!(out, "# source: the topic catalog at {}", comment(release));
    let _ = writeln!(
        out,
        "\"\"\"Kafka topic bindings: one value per topic of the catalog at {}.\n\n\
         Each value is typed by the topic's one message: ``encode`` accepts only that\n\
         message class (anything else raises ``TypeError``) and writes the Confluent\n\
         wire format with the topic's schema id, so producing needs no registry;\n\
         ``decode`` accepts only records written with one of the topic's schema ids.\n\
         \"\"\"",
        docstring(release)
    );
}

fn all(out: &mut String, bindings: &[Binding<'_>]) {
    out.push_str("\n__all__ = [\n    \"Topic\",\n    \"WireFormatError\",\n");
    for b in bindings {
        let _ = writeln!(out, "    \"{}\",", b.constant);
    }
    out.push_str("]\n");
}

fn imports(out: &mut String, modules: &BTreeMap<String, String>) {
    for (module, alias) in modules {
        let _ = writeln!(out, "import {module} as {alias}");
    }
}

/// `topics.py`.
fn source(release: &str, modules: &BTreeMap<String, String>, bindings: &[Binding<'_>]) -> String {
    let mut out = String::new();
    header(&mut out, release);
    all(&mut out, bindings);
    if !modules.is_empty() {
        out.push('\n');
        imports(&mut out, modules);
    }
    out.push('\n');
    out.push_str(RUNTIME);
    for b in bindings {
        let t = b.topic;
        // The catalog lists the current version last; a topic without its
        // history still decodes its current id.
        let history = if t.versions.is_empty() {
            std::slice::from_ref(&t.current)
        } else {
            t.versions.as_slice()
        };
        let versions: Vec<String> = history
            .iter()
            .map(|v| {
                let index: Vec<String> = v.index.iter().map(i32::to_string).collect();
                // A one-element tuple needs its comma.
                let comma = if index.len() == 1 { "," } else { "" };
                format!("({}, {}, ({}{comma}))", v.version, v.id, index.join(", "))
            })
            .collect();
        let _ = write!(
            out,
            "\n\n{} = Topic._make(\n    {},\n    {}.{},\n    {},\n    # (subject version, schema id, message indexes), oldest first\n    ({}{}),\n)\n",
            b.constant,
            py_str(&t.name),
            b.module_alias,
            b.class,
            py_str(&t.message),
            versions.join(", "),
            if versions.len() == 1 { "," } else { "" },
        );
        let _ = writeln!(out, "{}", doc(release, t));
    }
    out
}

/// `topics.pyi`.
fn stub(release: &str, modules: &BTreeMap<String, String>, bindings: &[Binding<'_>]) -> String {
    let mut out = String::new();
    header(&mut out, release);
    out.push_str("\nfrom typing import Final, Generic, TypeVar, final\n\n");
    out.push_str("import google.protobuf.message as _message\n");
    imports(&mut out, modules);
    all(&mut out, bindings);
    out.push_str(STUB);
    for b in bindings {
        let _ = write!(
            out,
            "\n{}: Final[Topic[{}.{}]]\n{}\n",
            b.constant,
            b.module_alias,
            b.class,
            doc(release, b.topic)
        );
    }
    out
}

/// The docstring of one topic's value: its catalog entry.
fn doc(release: &str, t: &TopicBinding) -> String {
    let mut text = format!("Topic ``{}``", t.name);
    if t.description.is_empty() {
        text.push_str(".\n");
    } else {
        let _ = writeln!(text, ": {}", t.description);
    }
    let _ = write!(text, "\nMessage: ``{}``", t.message);
    let _ = write!(
        text,
        "\nSchema id: {} (version {} of subject ``{}-value`` at {release})",
        t.current.id, t.current.version, t.name
    );
    let ids: BTreeSet<u32> = t
        .versions
        .iter()
        .map(|v| v.id)
        .chain([t.current.id])
        .collect();
    let ids: Vec<String> = ids.iter().map(u32::to_string).collect();
    let _ = write!(text, "\nDecodes schema ids: {}", ids.join(", "));
    if !t.owners.is_empty() {
        let _ = write!(text, "\nOwners: {}", t.owners.join(", "));
    }
    if !t.producers.is_empty() {
        let _ = write!(text, "\nProducers: {}", t.producers.join(", "));
    }
    if let Some(p) = t.partitions {
        let _ = write!(text, "\nPartitions: {p}");
    }
    if let Some(r) = &t.retention {
        let _ = write!(text, "\nRetention: {r}");
    }
    format!("\"\"\"{}\n\"\"\"", docstring(&text))
}

/// protoc's python module of a file: `acme/identity/v1/user.proto` →
/// `acme.identity.v1.user_pb2`.
fn module_name(file: &str) -> String {
    let stem = file
        .strip_suffix(".protodevel")
        .or_else(|| file.strip_suffix(".proto"))
        .unwrap_or(file);
    format!("{}_pb2", stem.replace('-', "_").replace('/', "."))
}

/// protoc's alias of an imported module: `acme.identity.v1.user_pb2` →
/// `acme_dot_identity_dot_v1_dot_user__pb2` (unique per module).
fn module_alias(module: &str) -> String {
    module.replace('_', "__").replace('.', "_dot_")
}

/// The class of the topic's message inside its `_pb2` module, checked
/// against the file's descriptor.
fn class_path(input: &Input<'_>, topic: &TopicBinding) -> Result<String, String> {
    let missing = || {
        format!(
            "topic `{}`: message `{}` is not in `{}`",
            topic.name, topic.message, topic.file
        )
    };
    let file = input.topic_file(topic)?;
    let relative = match file.package() {
        "" => Some(topic.message.as_str()),
        package => topic
            .message
            .strip_prefix(package)
            .and_then(|m| m.strip_prefix('.')),
    }
    .ok_or_else(missing)?;
    let mut messages = &file.message_type;
    for part in relative.split('.') {
        let found = messages
            .iter()
            .find(|m| m.name() == part)
            .ok_or_else(missing)?;
        messages = &found.nested_type;
    }
    Ok(relative.to_owned())
}

/// A one-line Python string literal.
fn py_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` inside a triple-quoted docstring: backslashes and quotes escaped,
/// control characters but newlines too.
fn docstring(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push('\n'),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// `s` on one comment line.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::catalog::{BindingVersion, Catalog};
    use crate::request;

    const USER: &str = "syntax = \"proto3\";\npackage acme.identity.v1;\nmessage UserCreated {\n  string id = 1;\n  message Address { string city = 1; }\n}\n";
    const INVOICE: &str = "syntax = \"proto3\";\npackage acme.billing.v1;\nmessage InvoiceIssued { string id = 1; }\n";
    const FIRED: &str = "syntax = \"proto3\";\npackage acme.ops.v1;\nmessage Fired {}\n";

    fn files() -> Vec<request::File> {
        crate::test_support::files(&[
            ("acme/identity/v1/user.proto", USER),
            ("acme/billing/v1/invoice-issued.proto", INVOICE),
            ("acme/lambda/v1/fired.proto", FIRED),
        ])
    }

    fn topic(name: &str, message: &str, file: &str, ids: &[u32]) -> TopicBinding {
        let versions: Vec<BindingVersion> = ids
            .iter()
            .enumerate()
            .map(|(i, &id)| BindingVersion {
                version: u32::try_from(i + 1).unwrap_or(0),
                id,
                index: vec![0],
            })
            .collect();
        TopicBinding {
            name: name.to_owned(),
            message: message.to_owned(),
            file: file.to_owned(),
            owners: vec!["team-identity".to_owned()],
            producers: vec!["identity-service".to_owned()],
            description: "A user was created; \"quoted\" \\ and\ttabbed.".to_owned(),
            partitions: Some(12),
            retention: Some("7d".to_owned()),
            current: versions.last().cloned().unwrap_or_default(),
            versions,
        }
    }

    fn run(catalog: &Catalog) -> Result<Vec<(String, String)>, String> {
        let files = files();
        let to_generate: Vec<usize> = (0..files.len()).filter(|&i| !files[i].is_import).collect();
        let input = Input {
            files: &files,
            generate: &to_generate,
            parameter: "",
            catalog,
        };
        generate(&input).map(|files| {
            files
                .into_iter()
                .map(|f| (f.name.unwrap_or_default(), f.content.unwrap_or_default()))
                .collect()
        })
    }

    #[test]
    fn one_typed_value_per_topic_with_its_catalog_entry() {
        let catalog = Catalog {
            release: "1.4.0".to_owned(),
            topics: vec![
                topic(
                    "billing.invoice-issued.v1",
                    "acme.billing.v1.InvoiceIssued",
                    "acme/billing/v1/invoice-issued.proto",
                    &[7],
                ),
                topic(
                    "identity.user-created.v1",
                    "acme.identity.v1.UserCreated",
                    "acme/identity/v1/user.proto",
                    &[3, 9],
                ),
                topic(
                    "identity.address.v1",
                    "acme.identity.v1.UserCreated.Address",
                    "acme/identity/v1/user.proto",
                    &[4],
                ),
            ],
        };
        let out = run(&catalog).expect("generates");
        let names: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["topics.py", "topics.pyi"]);
        let (py, pyi) = (&out[0].1, &out[1].1);
        for text in [py, pyi] {
            assert!(text.starts_with("# Code generated by schemactl. DO NOT EDIT.\n"));
            assert!(text.contains(
                "import acme.billing.v1.invoice_issued_pb2 as acme_dot_billing_dot_v1_dot_invoice__issued__pb2\n"
            ));
            assert!(text.contains(
                "import acme.identity.v1.user_pb2 as acme_dot_identity_dot_v1_dot_user__pb2\n"
            ));
            assert!(text.contains("    \"IDENTITY_USER_CREATED_V1\",\n"));
            assert!(text.contains("Topic ``identity.user-created.v1``: A user was created; \\\"quoted\\\" \\\\ and\\u0009tabbed.\n"));
            assert!(text.contains(
                "Schema id: 9 (version 2 of subject ``identity.user-created.v1-value`` at 1.4.0)\nDecodes schema ids: 3, 9\nOwners: team-identity\nProducers: identity-service\nPartitions: 12\nRetention: 7d\n"
            ));
        }
        assert!(py.contains(
            "IDENTITY_USER_CREATED_V1 = Topic._make(\n    \"identity.user-created.v1\",\n    acme_dot_identity_dot_v1_dot_user__pb2.UserCreated,\n    \"acme.identity.v1.UserCreated\",\n    # (subject version, schema id, message indexes), oldest first\n    ((1, 3, (0,)), (2, 9, (0,))),\n)\n"
        ));
        assert!(py.contains("acme_dot_identity_dot_v1_dot_user__pb2.UserCreated.Address,\n"));
        assert!(pyi.contains(
            "\nIDENTITY_USER_CREATED_V1: Final[Topic[acme_dot_identity_dot_v1_dot_user__pb2.UserCreated]]\n"
        ));
        assert!(pyi.contains(
            "\nIDENTITY_ADDRESS_V1: Final[Topic[acme_dot_identity_dot_v1_dot_user__pb2.UserCreated.Address]]\n"
        ));
        // Deterministic.
        assert_eq!(run(&catalog).expect("generates"), out);
    }

    #[test]
    fn topics_that_cannot_be_bound_are_refused() {
        let missing = Catalog {
            release: "working-tree".to_owned(),
            topics: vec![topic(
                "identity.user-created.v1",
                "acme.identity.v1.UserDeleted",
                "acme/identity/v1/user.proto",
                &[1],
            )],
        };
        assert_eq!(
            run(&missing).expect_err("refused"),
            "topic `identity.user-created.v1`: message `acme.identity.v1.UserDeleted` is not in `acme/identity/v1/user.proto`"
        );
        let clash = Catalog {
            release: "working-tree".to_owned(),
            topics: ["a.b-c.v1", "a.b.c.v1"]
                .into_iter()
                .map(|n| {
                    topic(
                        n,
                        "acme.identity.v1.UserCreated",
                        "acme/identity/v1/user.proto",
                        &[1],
                    )
                })
                .collect(),
        };
        let keyword = Catalog {
            release: "working-tree".to_owned(),
            topics: vec![topic(
                "ops.fired.v1",
                "acme.ops.v1.Fired",
                "acme/lambda/v1/fired.proto",
                &[1],
            )],
        };
        assert_eq!(
            run(&keyword).expect_err("refused"),
            "topic `ops.fired.v1`: its message's module `acme.lambda.v1.fired_pb2` has the Python \
             keyword `lambda` in its path, so it cannot be imported by name: rename the directory or file"
        );
        assert_eq!(
            run(&clash).expect_err("refused"),
            "topics `a.b-c.v1` and `a.b.c.v1` would both be the Python value `A_B_C_V1`: rename one"
        );
    }

    #[test]
    fn names_follow_protoc_and_python() {
        assert_eq!(
            constant_name("identity.user-created.v1"),
            "IDENTITY_USER_CREATED_V1"
        );
        assert_eq!(constant_name("3d.scans.v1"), "TOPIC_3D_SCANS_V1");
        assert_eq!(module_name("a/b-c/d-e.proto"), "a.b_c.d_e_pb2");
        assert_eq!(module_alias("a.b_c.d_pb2"), "a_dot_b__c_dot_d__pb2");
        assert_eq!(py_str("a\"b\\c\nd\u{7}"), "\"a\\\"b\\\\c\\nd\\u0007\"");
    }
}
