//! Topic bindings for TypeScript (`topics: typescript`): `topics.ts`, one
//! exported `Topic<T>` per topic, typed by the message protoc-gen-es (v2)
//! generates, so `encode` of another message does not type-check.
//!
//! The messages come from protoc-gen-es' output: by default the `_pb.ts`
//! files sit next to `topics.ts` (the same `out`); `import_path=DIR` says
//! where they are relative to it, and `import_extension` is protoc-gen-es'
//! own option (`js`, the default here, as Node's ES modules need).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use prost_types::compiler::code_generator_response::File as ResponseFile;
use prost_types::{DescriptorProto, FileDescriptorProto};

use super::{one_line, pascal_case};
use crate::catalog::{BindingVersion, TopicBinding};
use crate::inprocess::{Input, file};

/// Options of `topics: typescript`.
struct Params {
    /// Where protoc-gen-es' files are, relative to `topics.ts`, ending in `/`.
    import_path: String,
    /// Added to import paths (`.js`), or nothing.
    extension: &'static str,
}

fn params(parameter: &str) -> Result<Params, String> {
    let mut params = Params {
        import_path: "./".to_owned(),
        extension: ".js",
    };
    for opt in parameter.split(',').filter(|o| !o.is_empty()) {
        match opt.split_once('=') {
            Some(("import_extension", value)) => {
                params.extension = match value {
                    "js" => ".js",
                    "ts" => ".ts",
                    "none" => "",
                    _ => {
                        return Err(format!(
                            "`topics: typescript`: `import_extension` must be `js`, `ts` or `none`, not `{value}`"
                        ));
                    }
                }
            }
            Some(("import_path", value)) => {
                let value = value.trim_end_matches('/');
                let valid = !value.is_empty()
                    && !value.starts_with('/')
                    && value
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_./@".contains(c));
                if !valid {
                    return Err(format!(
                        "`topics: typescript`: `import_path` must be a relative directory such as `..`, not `{value}`"
                    ));
                }
                params.import_path = if value == "."
                    || value == ".."
                    || value.starts_with("./")
                    || value.starts_with("../")
                {
                    format!("{value}/")
                } else {
                    format!("./{value}/")
                };
            }
            _ => {
                return Err(format!(
                    "`topics: typescript` has no option `{opt}`; it takes `import_path=DIR` and `import_extension=js|ts|none`"
                ));
            }
        }
    }
    Ok(params)
}

/// A topic's message as TypeScript names it.
struct Resolved<'a> {
    topic: &'a TopicBinding,
    /// The identifier of the exported constant (`IdentityUserCreatedV1`).
    constant: String,
    /// The namespace the message's `_pb` module is imported as.
    module: String,
    /// protoc-gen-es' names for the message type and its schema.
    shape: String,
    schema: String,
}

pub(crate) fn generate(input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    let params = params(input.parameter)?;
    let catalog = input.catalog;
    // Import path of each `_pb` module → the namespace it is imported as.
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    let mut namespaces: BTreeSet<String> = BTreeSet::new();
    let mut constants: BTreeMap<String, &str> = BTreeMap::new();
    let mut resolved = Vec::new();
    for topic in &catalog.topics {
        let descriptor = input.topic_file(topic)?;
        let (shape, schema) = es_names(&descriptor, &topic.message).ok_or_else(|| {
            format!(
                "topic \"{}\": message `{}` is not in `{}`",
                topic.name, topic.message, topic.file
            )
        })?;
        let constant = pascal_case(&topic.name);
        if TAKEN.contains(&constant.as_str()) {
            return Err(format!(
                "topic \"{}\" becomes `{constant}` in TypeScript, a name `topics.ts` already uses; rename the topic",
                topic.name
            ));
        }
        if let Some(other) = constants.insert(constant.clone(), &topic.name) {
            return Err(format!(
                "topics \"{other}\" and \"{}\" both become `{constant}` in TypeScript; rename one",
                topic.name
            ));
        }
        let stem = topic.file.strip_suffix(".proto").unwrap_or(&topic.file);
        let path = format!("{}{stem}_pb{}", params.import_path, params.extension);
        let module = match modules.get(&path) {
            Some(m) => m.clone(),
            None => {
                let base: String = format!("{stem}_pb")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                let mut name = base.clone();
                let mut n = 1;
                while namespaces.contains(&name) {
                    n += 1;
                    name = format!("{base}{n}");
                }
                namespaces.insert(name.clone());
                modules.insert(path, name.clone());
                name
            }
        };
        resolved.push(Resolved {
            topic,
            constant,
            module,
            shape,
            schema,
        });
    }

    let mut out = String::new();
    let _ = write!(
        out,
        "// Code generated by schemactl from the topic catalog at release {}. DO NOT EDIT.\n\
         // @generated\n\
         /* eslint-disable */\n\
         \n\
         import {{ fromBinary, toBinary }} from \"@bufbuild/protobuf\";\n\
         import type {{ DescMessage, Message }} from \"@bufbuild/protobuf\";\n\
         import type {{ GenMessage }} from \"@bufbuild/protobuf/codegenv2\";\n",
        one_line(&catalog.release)
    );
    // Sorted by namespace, so the order does not depend on topic names.
    let mut imports: Vec<(&String, &String)> = modules.iter().map(|(p, m)| (m, p)).collect();
    imports.sort();
    for (module, path) in imports {
        let _ = writeln!(out, "import * as {module} from \"{path}\";");
    }
    out.push_str(RUNTIME);
    for r in &resolved {
        out.push('\n');
        out.push_str(&doc(r.topic, &catalog.release));
        let _ = writeln!(
            out,
            "export const {}: Topic<{}.{}> = create(\n  \"{}\",\n  {}.{},\n  {},\n  [{}],\n);",
            r.constant,
            r.module,
            r.shape,
            r.topic.name,
            r.module,
            r.schema,
            version_literal(&r.topic.current),
            r.topic
                .versions
                .iter()
                .map(version_literal)
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    Ok(vec![file("topics.ts", out)])
}

/// The names `topics.ts` declares or uses besides the topics' constants.
const TAKEN: &[&str] = &[
    "Array",
    "DataView",
    "DescMessage",
    "Error",
    "GenMessage",
    "Message",
    "Topic",
    "TopicVersion",
    "TypeError",
    "Uint8Array",
    "WireFormatError",
];

/// The class and helpers every `topics.ts` carries.
const RUNTIME: &str = r#"
/** One version of a topic's schema. */
export interface TopicVersion {
  /** The subject version (`<topic>-value`), from 1. */
  readonly version: number;
  /** The Confluent schema id the registry gives this version. */
  readonly schemaId: number;
  /** Confluent's message indexes: the message's path in its file. */
  readonly messageIndexes: readonly number[];
}

/** Bytes that are not a record of the topic in the Confluent wire format. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WireFormatError";
  }
}

let create!: <T extends Message>(
  name: string,
  schema: GenMessage<T>,
  current: TopicVersion,
  versions: readonly TopicVersion[],
) => Topic<T>;

/**
 * A Kafka topic and the one message type it carries: `encode` takes only
 * that type and writes the Confluent wire format (magic byte 0, the schema
 * id as a big-endian u32, the message indexes, the message) with the
 * schema id of the generated release, without asking the registry;
 * `decode` reads it back and refuses a record whose schema id is not one
 * of the topic's versions. The only instances are the constants below.
 */
export class Topic<T extends Message> {
  /** The topic's name. */
  readonly name: string;
  /** The schema id `encode` writes: the topic's version at the generated release. */
  readonly schemaId: number;
  /** Every version of the topic up to the generated release, oldest first. */
  readonly versions: readonly TopicVersion[];
  readonly #schema: GenMessage<T>;
  readonly #header: Uint8Array;

  static {
    create = (name, schema, current, versions) => new Topic(name, schema, current, versions);
  }

  private constructor(
    name: string,
    schema: GenMessage<T>,
    current: TopicVersion,
    versions: readonly TopicVersion[],
  ) {
    this.name = name;
    this.schemaId = current.schemaId;
    this.versions = versions;
    this.#schema = schema;
    const indexes = current.messageIndexes;
    const header = [0, ...[24, 16, 8, 0].map((shift) => (current.schemaId >>> shift) & 0xff)];
    if (indexes.length === 1 && indexes[0] === 0) {
      header.push(0);
    } else {
      for (const value of [indexes.length, ...indexes]) {
        let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
        while (zigzag > 0x7f) {
          header.push((zigzag & 0x7f) | 0x80);
          zigzag >>>= 7;
        }
        header.push(zigzag);
      }
    }
    this.#header = Uint8Array.from(header);
  }

  /** The record value for `message`, in the Confluent wire format. */
  encode(message: T): Uint8Array {
    if (message.$typeName !== this.#schema.typeName) {
      throw new TypeError(
        `topic "${this.name}" carries ${this.#schema.typeName}, not ${message.$typeName}`,
      );
    }
    const payload = toBinary(this.#schema as DescMessage, message);
    const record = new Uint8Array(this.#header.length + payload.length);
    record.set(this.#header);
    record.set(payload, this.#header.length);
    return record;
  }

  /** The message in a record value written in the Confluent wire format. */
  decode(bytes: Uint8Array): T {
    if (bytes.length < 6) {
      throw new WireFormatError(
        `topic "${this.name}": a record of ${bytes.length} bytes is too short for the Confluent wire format`,
      );
    }
    if (bytes[0] !== 0) {
      throw new WireFormatError(
        `topic "${this.name}": the record starts with byte ${bytes[0]}, not the magic byte 0`,
      );
    }
    const id = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
    const version = this.versions.find((v) => v.schemaId === id);
    if (version === undefined) {
      throw new WireFormatError(
        `topic "${this.name}": schema id ${id} is not one of the topic's (${this.versions.map((v) => v.schemaId).join(", ")})`,
      );
    }
    let offset = 5;
    const readZigzag = (): number => {
      let raw = 0;
      for (let shift = 0; shift < 35; shift += 7) {
        if (offset >= bytes.length) {
          break;
        }
        const byte = bytes[offset++]!;
        raw |= (byte & 0x7f) << shift;
        if (byte < 0x80) {
          return (raw >>> 1) ^ -(raw & 1);
        }
      }
      throw new WireFormatError(`topic "${this.name}": the message indexes are truncated`);
    };
    const count = readZigzag();
    if (count < 0 || count > 64) {
      throw new WireFormatError(`topic "${this.name}": ${count} message indexes`);
    }
    const indexes = count === 0 ? [0] : Array.from({ length: count }, readZigzag);
    if (indexes.join(",") !== version.messageIndexes.join(",")) {
      throw new WireFormatError(
        `topic "${this.name}": message indexes [${indexes.join(", ")}] do not name the topic's message in schema ${id}`,
      );
    }
    return fromBinary(this.#schema as DescMessage, bytes.subarray(offset)) as T;
  }
}
"#;

fn version_literal(v: &BindingVersion) -> String {
    format!(
        "{{ version: {}, schemaId: {}, messageIndexes: [{}] }}",
        v.version,
        v.id,
        v.index
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The TSDoc comment of a topic's constant.
fn doc(topic: &TopicBinding, release: &str) -> String {
    let mut lines = Vec::new();
    if !topic.description.is_empty() {
        lines.push(topic.description.clone());
        lines.push(String::new());
    }
    let list = |items: &[String]| {
        if items.is_empty() {
            "(none)".to_owned()
        } else {
            items.join(", ")
        }
    };
    lines.push(format!("- Topic: `{}`", topic.name));
    lines.push(format!("- Message: `{}`", topic.message));
    lines.push(format!("- Owners: {}", list(&topic.owners)));
    lines.push(format!("- Producers: {}", list(&topic.producers)));
    if let Some(p) = topic.partitions {
        lines.push(format!("- Partitions: {p}"));
    }
    if let Some(r) = &topic.retention {
        lines.push(format!("- Retention: {r}"));
    }
    lines.push(format!(
        "- Schema id: {} (version {} of `{}-value` at release {release})",
        topic.current.id, topic.current.version, topic.name
    ));
    let mut out = "/**\n".to_owned();
    for line in lines {
        let line = one_line(&line).replace("*/", "*\\/");
        if line.is_empty() {
            out.push_str(" *\n");
        } else {
            let _ = writeln!(out, " * {line}");
        }
    }
    out.push_str(" */\n");
    out
}

/// protoc-gen-es' (v2) names for `message` in `file`: the message type
/// (`UserCreated`, `UserCreated_Address`) and its schema
/// (`UserCreatedSchema`), with its clash resolution (`$`, `$1`, ...)
/// and escaping of reserved words.
fn es_names(file: &FileDescriptorProto, message: &str) -> Option<(String, String)> {
    let package = file.package();
    let local = if package.is_empty() {
        message
    } else {
        message.strip_prefix(package)?.strip_prefix('.')?
    };
    // Every element protoc-gen-es names, in its order (messages depth first,
    // each followed by its nested enums and extensions; then the file's
    // enums, services and extensions).
    let mut elements: Vec<(Kind, String)> = Vec::new();
    fn walk(m: &DescriptorProto, prefix: &str, out: &mut Vec<(Kind, String)>) {
        let name = format!("{prefix}{}", m.name());
        out.push((Kind::Message, name.clone()));
        for nested in &m.nested_type {
            walk(nested, &format!("{name}."), out);
        }
        for e in &m.enum_type {
            out.push((Kind::Enum, format!("{name}.{}", e.name())));
        }
        for x in &m.extension {
            out.push((Kind::Other, format!("{name}.{}", x.name())));
        }
    }
    for m in &file.message_type {
        walk(m, "", &mut elements);
    }
    elements.extend(
        file.enum_type
            .iter()
            .map(|e| (Kind::Enum, e.name().to_owned())),
    );
    elements.extend(
        file.service
            .iter()
            .map(|s| (Kind::Other, s.name().to_owned())),
    );
    elements.extend(
        file.extension
            .iter()
            .map(|x| (Kind::Other, x.name().to_owned())),
    );

    let salted = |base: &str, i: usize| {
        let salt = match i {
            0 => String::new(),
            1 => "$".to_owned(),
            _ => format!("${}", i - 1),
        };
        safe_identifier(format!("{base}{salt}"))
    };
    let take = |taken: &mut BTreeSet<String>, base: &str| {
        let mut i = 0;
        loop {
            let name = salted(base, i);
            if taken.insert(name.clone()) {
                return name;
            }
            i += 1;
        }
    };
    let mut taken = BTreeSet::new();
    let mut shape = None;
    for (kind, name) in &elements {
        if *kind != Kind::Other {
            let id = take(&mut taken, &name.replace('.', "_"));
            if *kind == Kind::Message && name == local {
                shape = Some(id);
            }
        }
    }
    let file_name: String = {
        let mut s = String::from("file_");
        let mut in_run = false;
        // protoc-gen-es names a file by its path without `.proto`.
        let path = file.name().strip_suffix(".proto").unwrap_or(file.name());
        for c in path.chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                s.push(c);
                in_run = false;
            } else if !in_run {
                s.push('_');
                in_run = true;
            }
        }
        s
    };
    take(&mut taken, &file_name);
    let mut schema = None;
    for (kind, name) in &elements {
        let base = name.replace('.', "_");
        let id = match kind {
            Kind::Other => take(&mut taken, &base),
            _ => take(&mut taken, &format!("{base}Schema")),
        };
        if *kind == Kind::Message && name == local {
            schema = Some(id);
        }
    }
    Some((shape?, schema?))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Message,
    Enum,
    /// Services and extensions: named only in the second pass.
    Other,
}

fn safe_identifier(name: String) -> String {
    const RESERVED: &[&str] = &[
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "enum",
        "implements",
        "interface",
        "let",
        "package",
        "private",
        "protected",
        "public",
        "static",
        "Object",
        "bigint",
        "number",
        "boolean",
        "string",
        "object",
        "globalThis",
        "Uint8Array",
        "Partial",
    ];
    if RESERVED.contains(&name.as_str()) {
        name + "$"
    } else {
        name
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::Catalog;

    use crate::test_support::files;

    const USER: &str = "syntax = \"proto3\";\npackage acme.identity.v1;\nmessage UserCreated {\n  message Address { string city = 1; }\n}\nmessage UserCreatedSchema {}\nmessage Object {}\n";

    fn topic(name: &str, message: &str, ids: &[(u32, u32, Vec<i32>)]) -> TopicBinding {
        let versions: Vec<BindingVersion> = ids
            .iter()
            .map(|(version, id, index)| BindingVersion {
                version: *version,
                id: *id,
                index: index.clone(),
            })
            .collect();
        TopicBinding {
            name: name.to_owned(),
            message: message.to_owned(),
            file: "acme/identity/v1/user.proto".to_owned(),
            owners: vec!["team-identity".to_owned()],
            producers: vec!["identity-service".to_owned()],
            description: "A user was created. Not */ a comment end.".to_owned(),
            partitions: Some(12),
            retention: Some("7d".to_owned()),
            current: versions.last().cloned().unwrap_or_default(),
            versions,
        }
    }

    fn run(catalog: &Catalog, parameter: &str) -> Result<String, String> {
        let files = files(&[("acme/identity/v1/user.proto", USER)]);
        let input = Input {
            files: &files,
            generate: &[0],
            parameter,
            catalog,
        };
        let mut out = generate(&input)?;
        assert_eq!(out.len(), 1);
        let file = out.remove(0);
        assert_eq!(file.name(), "topics.ts");
        Ok(file.content().to_owned())
    }

    #[test]
    fn names_follow_protoc_gen_es() {
        let files = files(&[("acme/identity/v1/user.proto", USER)]);
        let d = files[0].descriptor();
        let names = |m: &str| es_names(&d, m).expect(m);
        // `UserCreatedSchema` (the message) takes the name protoc-gen-es
        // would give `UserCreated`'s schema, which gets a `$`.
        assert_eq!(
            names("acme.identity.v1.UserCreated"),
            ("UserCreated".to_owned(), "UserCreatedSchema$".to_owned())
        );
        assert_eq!(
            names("acme.identity.v1.UserCreated.Address"),
            (
                "UserCreated_Address".to_owned(),
                "UserCreated_AddressSchema".to_owned()
            )
        );
        assert_eq!(
            names("acme.identity.v1.UserCreatedSchema"),
            (
                "UserCreatedSchema".to_owned(),
                "UserCreatedSchemaSchema".to_owned()
            )
        );
        assert_eq!(
            names("acme.identity.v1.Object"),
            ("Object$".to_owned(), "ObjectSchema".to_owned())
        );
        assert!(es_names(&d, "acme.identity.v1.Nope").is_none());
        assert_eq!(
            pascal_case("identity.user-created.v1"),
            "IdentityUserCreatedV1"
        );
        assert_eq!(pascal_case("9lives"), "Topic9lives");
    }

    #[test]
    fn one_typed_constant_per_topic_with_its_ids_and_doc() {
        let catalog = Catalog {
            release: "1.4.0".to_owned(),
            topics: vec![
                topic(
                    "identity.address-added.v1",
                    "acme.identity.v1.UserCreated.Address",
                    &[(1, 7, vec![0, 0])],
                ),
                topic(
                    "identity.user-created.v1",
                    "acme.identity.v1.UserCreated",
                    &[(1, 3, vec![0]), (2, 9, vec![0])],
                ),
            ],
        };
        let ts = run(&catalog, "").expect("generates");
        assert!(ts.starts_with("// Code generated by schemactl from the topic catalog at release 1.4.0. DO NOT EDIT.\n"), "{ts}");
        assert!(
            ts.contains(
                "import * as acme_identity_v1_user_pb from \"./acme/identity/v1/user_pb.js\";\n"
            ),
            "{ts}"
        );
        assert!(ts.contains(
            "export const IdentityUserCreatedV1: Topic<acme_identity_v1_user_pb.UserCreated> = create(\n  \"identity.user-created.v1\",\n  acme_identity_v1_user_pb.UserCreatedSchema$,\n  { version: 2, schemaId: 9, messageIndexes: [0] },\n  [{ version: 1, schemaId: 3, messageIndexes: [0] }, { version: 2, schemaId: 9, messageIndexes: [0] }],\n);\n"
        ), "{ts}");
        assert!(
            ts.contains("Topic<acme_identity_v1_user_pb.UserCreated_Address>"),
            "{ts}"
        );
        for line in [
            " * A user was created. Not *\\/ a comment end.\n",
            " * - Owners: team-identity\n",
            " * - Producers: identity-service\n",
            " * - Partitions: 12\n",
            " * - Retention: 7d\n",
            " * - Message: `acme.identity.v1.UserCreated`\n",
            " * - Schema id: 9 (version 2 of `identity.user-created.v1-value` at release 1.4.0)\n",
        ] {
            assert!(ts.contains(line), "{line:?} in {ts}");
        }
        // Deterministic.
        assert_eq!(run(&catalog, "").expect("again"), ts);
        let elsewhere = run(&catalog, "import_path=..,import_extension=none").expect("options");
        assert!(
            elsewhere.contains("from \"../acme/identity/v1/user_pb\";"),
            "{elsewhere}"
        );
    }

    #[test]
    fn refuses_what_it_cannot_bind() {
        let missing = Catalog {
            release: "1.0.0".to_owned(),
            topics: vec![topic("a.b.v1", "acme.identity.v1.Nope", &[(1, 1, vec![0])])],
        };
        assert_eq!(
            run(&missing, "").expect_err("refused"),
            "topic \"a.b.v1\": message `acme.identity.v1.Nope` is not in `acme/identity/v1/user.proto`"
        );
        let clash = Catalog {
            release: "1.0.0".to_owned(),
            topics: vec![
                topic(
                    "a.b-c.v1",
                    "acme.identity.v1.UserCreated",
                    &[(1, 1, vec![0])],
                ),
                topic(
                    "a.b.c.v1",
                    "acme.identity.v1.UserCreated",
                    &[(1, 2, vec![0])],
                ),
            ],
        };
        assert_eq!(
            run(&clash, "").expect_err("refused"),
            "topics \"a.b-c.v1\" and \"a.b.c.v1\" both become `ABCV1` in TypeScript; rename one"
        );
        let taken = Catalog {
            release: "1.0.0".to_owned(),
            topics: vec![topic(
                "topic",
                "acme.identity.v1.UserCreated",
                &[(1, 1, vec![0])],
            )],
        };
        assert_eq!(
            run(&taken, "").expect_err("refused"),
            "topic \"topic\" becomes `Topic` in TypeScript, a name `topics.ts` already uses; rename the topic"
        );
        assert!(
            run(&Catalog::default(), "bogus=1")
                .expect_err("refused")
                .contains("has no option `bogus=1`")
        );
    }
}
