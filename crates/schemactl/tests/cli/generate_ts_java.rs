//! `schemactl generate` for TypeScript and Java with the real toolchains:
//! protoc-gen-es (v2) messages, `topics: typescript` and `packages:
//! typescript` type-check with `tsc --noEmit`, run under node (encode,
//! decode, refusals), pack with `npm pack` into a package a consumer
//! imports by name, and passing the wrong message to a topic fails `tsc`;
//! protoc's Java generator (`protoc_builtin: java`, managed mode) and
//! `topics: java` compile with `javac` against protobuf-java, run on the
//! JVM, and the wrong message fails `javac`. In both, the records
//! `encode` writes are valid records of their topic for `schemactl serve`
//! (its `validate` endpoint reads the Confluent framing), with the schema
//! id it serves.
//!
//! The tools come from environment variables, set by scripts/test.sh:
//! `SCHEMACTL_PROTOC_GEN_ES` and `SCHEMACTL_TSC` (installed together with
//! `@bufbuild/protobuf` in one npm prefix: the tests find the runtime in
//! the `node_modules` that holds `tsc`), `SCHEMACTL_PROTOC_JAVA` (a protoc)
//! and `SCHEMACTL_PROTOBUF_JAVA_JAR` (the protobuf-java of the same
//! version). A test whose tools are unset skips with a note, unless
//! `SCHEMACTL_REQUIRE_<TOOL>` is set.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::serve::{Server, add_field};
use crate::common::{git, schemactl, tool, write_files};

/// The path in `var`, or `None` (with a note) when it is unset and not
/// required by `SCHEMACTL_REQUIRE_<name>`.
const USER: &str = r#"syntax = "proto3";

package acme.identity.v1;

import "google/protobuf/timestamp.proto";

// A user was created.
message UserCreated {
  // The user's id.
  string user_id = 1;
  // Set when the user gave one.
  optional string email = 2;
  // When.
  google.protobuf.Timestamp created_at = 3;
  // A postal address.
  message Address {
    // The city.
    string city = 1;
  }
  // Where the user lives.
  repeated Address addresses = 4;
}
"#;

const INVOICE: &str = r#"syntax = "proto3";

package acme.billing.v1;

// An invoice was issued.
message InvoiceIssued {
  // The invoice's id.
  string invoice_id = 1;
  // In minor units.
  int64 total = 2;
}
"#;

const TOPICS: &str = r#"topics:
  identity.user-created.v1:
    message: acme.identity.v1.UserCreated
    owners: [team-identity]
    producers: [identity-service]
    description: A user account was created.
    partitions: 12
    retention: 7d
  identity.address-added.v1:
    message: acme.identity.v1.UserCreated.Address
    owners: [team-identity]
    producers: [identity-service]
    description: An address was added.
    partitions: 3
    retention: 1d
  billing.invoice-issued.v1:
    message: acme.billing.v1.InvoiceIssued
    owners: [team-billing]
    producers: [billing-service]
    description: An invoice was issued.
    partitions: 6
    retention: 30d
"#;

/// A schema repository generating with `generate`, released twice:
/// `v1.0.0`, then `v1.1.0` with a field added to `UserCreated`, so its
/// topic has two versions (two schema ids).
fn repo(dir: &Path, generate: &str) {
    write_files(
        dir,
        &[
            ("proto/acme/identity/v1/user.proto", USER),
            ("proto/acme/billing/v1/invoice.proto", INVOICE),
            (
                "schemactl.yaml",
                &format!(
                    "version: v1\nroots: [proto]\n{TOPICS}{generate}release:\n  tag_prefix: v\n  branch: main\n"
                ),
            ),
        ],
    );
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "schemas"]);
    git(dir, &["tag", "v1.0.0"]);
    add_field(
        dir,
        "proto/acme/identity/v1/user.proto",
        "UserCreated",
        "  // The user's locale.\n  string locale = 5;",
    );
    git(dir, &["commit", "-q", "-am", "UserCreated.locale"]);
    git(dir, &["tag", "v1.1.0"]);
}

/// `schemactl serve` on `repo` takes `record` as a record of `topic`
/// carrying `message`, framed with the schema id it serves as the topic's
/// latest; returns the payload as JSON.
fn served_validates(
    server: &Server,
    topic: &str,
    record: &[u8],
    message: &str,
) -> serde_json::Value {
    let latest = server
        .get(&format!("/subjects/{topic}-value/versions/latest"))
        .json();
    let id = latest["id"].as_u64().expect("served id");
    let header = [
        &[0u8][..],
        &u32::try_from(id).expect("u32").to_be_bytes()[..],
    ]
    .concat();
    assert_eq!(
        record[..5],
        header[..],
        "the record's header carries the served id {id}"
    );
    let r = server.request(
        "POST",
        &format!("/api/v1/topics/{topic}/validate"),
        &[("Content-Type", "application/x-protobuf")],
        record,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["framed"], true, "{body}");
    assert_eq!(body["schema_id"].as_u64(), Some(id), "{body}");
    assert_eq!(body["message"], message, "{body}");
    body["json"].clone()
}

fn run(dir: &Path, program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn typescript_package_type_checks_runs_and_refuses_the_wrong_message() {
    let (Some(es), Some(tsc)) = (tool("PROTOC_GEN_ES"), tool("TSC")) else {
        return;
    };
    let node_modules = tsc
        .canonicalize()
        .expect("tsc")
        .ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "node_modules"))
        .map(Path::to_path_buf)
        .expect("tsc is inside a node_modules");
    assert!(
        node_modules.join("@bufbuild/protobuf").is_dir(),
        "@bufbuild/protobuf is not installed next to tsc in {}",
        node_modules.display()
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    repo(
        dir,
        &format!(
            "generate:\n  plugins:\n    - local: [{}]\n      out: gen/ts\n      opt: [target=ts, import_extension=js]\n    - topics: typescript\n      out: gen/ts\n  packages:\n    typescript:\n      out: gen/ts\n      name: \"@acme/schemas\"\n",
            es.display()
        ),
    );
    let generated = schemactl(dir, &["generate", "--version", "1.1.0"]);
    assert_eq!(
        generated.code, 0,
        "{}{}",
        generated.stdout, generated.stderr
    );
    let check = schemactl(dir, &["generate", "--version", "1.1.0", "--check"]);
    assert_eq!(
        check.code, 0,
        "deterministic: {}{}",
        check.stdout, check.stderr
    );

    let out = dir.join("gen/ts");
    let topics = std::fs::read_to_string(out.join("topics.ts")).expect("topics.ts");
    assert!(
        topics.starts_with("// Code generated by schemactl"),
        "{topics}"
    );
    assert!(topics.contains(
        "export const IdentityUserCreatedV1: Topic<acme_identity_v1_user_pb.UserCreated> = create("
    ));
    for doc in [
        " * A user account was created.\n",
        " * - Owners: team-identity\n",
        " * - Producers: identity-service\n",
        " * - Partitions: 12\n",
        " * - Retention: 7d\n",
        " * - Message: `acme.identity.v1.UserCreated`\n",
        "(version 2 of `identity.user-created.v1-value` at release 1.1.0)\n",
    ] {
        assert!(topics.contains(doc), "{doc:?} in:\n{topics}");
    }
    let package = std::fs::read_to_string(out.join("package.json")).expect("package.json");
    assert!(
        package.contains(
            "\"name\": \"@acme/schemas\",\n  \"version\": \"1.1.0\",\n  \"type\": \"module\",\n"
        ),
        "{package}"
    );
    assert!(
        package.contains("\"@bufbuild/protobuf\": \"^2."),
        "{package}"
    );
    assert!(
        package.contains("\"./acme/identity/v1/user_pb\": {"),
        "{package}"
    );
    assert!(out.join("tsconfig.json").is_file());

    std::os::unix::fs::symlink(&node_modules, out.join("node_modules")).expect("symlink");
    let tsc_ok = run(&out, &tsc, &["--noEmit", "-p", "."]);
    assert!(tsc_ok.status.success(), "tsc --noEmit:\n{}", text(&tsc_ok));

    std::fs::write(
        out.join("wrong.ts"),
        "import { create } from \"@bufbuild/protobuf\";\n\
         import { IdentityUserCreatedV1 } from \"./topics.js\";\n\
         import { InvoiceIssuedSchema } from \"./acme/billing/v1/invoice_pb.js\";\n\
         IdentityUserCreatedV1.encode(create(InvoiceIssuedSchema, { invoiceId: \"i1\" }));\n",
    )
    .expect("wrong.ts");
    let wrong = run(&out, &tsc, &["--noEmit", "-p", "."]);
    assert!(!wrong.status.success(), "tsc accepted the wrong message");
    assert!(
        text(&wrong).contains(
            "wrong.ts(4,30): error TS2345: Argument of type 'InvoiceIssued' is not assignable to parameter of type 'UserCreated'."
        ),
        "{}",
        text(&wrong)
    );
    std::fs::remove_file(out.join("wrong.ts")).expect("rm");

    // Build the package as `npm pack` would, and use it from node.
    std::fs::write(
        out.join("roundtrip.ts"),
        r#"import { create } from "@bufbuild/protobuf";
import { IdentityAddressAddedV1, IdentityUserCreatedV1, WireFormatError } from "./topics.js";
import { UserCreatedSchema, UserCreated_AddressSchema } from "./acme/identity/v1/user_pb.js";

const fail = (why: string): never => { throw new Error(why); };
const topic = IdentityUserCreatedV1;
if (topic.name !== "identity.user-created.v1" || topic.versions.length !== 2) fail("name or versions");
const id = topic.schemaId;
if (id !== topic.versions[1]!.schemaId || id === topic.versions[0]!.schemaId) fail("the id of version 2");
const record = topic.encode(create(UserCreatedSchema, { userId: "u1", email: "a@b", locale: "nb" }));
const header = Array.from(record.subarray(0, 6)).join(",");
if (header !== [0, id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, 0].join(",")) fail(`header ${header}`);
const back = topic.decode(record);
if (back.userId !== "u1" || back.email !== "a@b" || back.locale !== "nb") fail("round trip");
// A record written with version 1's id is the topic's too.
const older = Uint8Array.from(record);
new DataView(older.buffer).setUint32(1, topic.versions[0]!.schemaId);
if (topic.decode(older).userId !== "u1") fail("version 1");
// A nested message: indexes [0, 0], written as count 2 then two zeros.
const nested = IdentityAddressAddedV1.encode(create(UserCreated_AddressSchema, { city: "Oslo" }));
const aid = IdentityAddressAddedV1.schemaId;
if (Array.from(nested.subarray(0, 8)).join(",") !== [0, aid >>> 24, (aid >>> 16) & 255, (aid >>> 8) & 255, aid & 255, 4, 0, 0].join(",")) fail("nested header");
if (IdentityAddressAddedV1.decode(nested).city !== "Oslo") fail("nested round trip");
const refusals: Array<[Uint8Array, string]> = [
  [new Uint8Array([0, 0, 0]), "too short"],
  [Uint8Array.from([1, ...record.subarray(1)]), "not the magic byte 0"],
  [Uint8Array.from([0, 255, 255, 255, 250, 0, 10]), "is not one of the topic's"],
  // The same file, so the same schema id: the indexes tell them apart.
  [nested, "do not name the topic's message"],
];
for (const [bytes, why] of refusals) {
  try {
    topic.decode(bytes);
    fail(`accepted: ${why}`);
  } catch (e) {
    if (!(e instanceof WireFormatError) || !e.message.includes(why)) fail(`${e} for ${why}`);
  }
}
// A caller without types still cannot produce another message.
try {
  (topic as any).encode(create(UserCreated_AddressSchema, {}));
  fail("encoded an Address to identity.user-created.v1");
} catch (e) {
  if (!(e instanceof TypeError)) fail(`${e}`);
}
console.log("round trip ok");
"#,
    )
    .expect("roundtrip.ts");
    // Plain JavaScript (no Node types needed): the records, for the server.
    std::fs::write(
        out.join("records.mjs"),
        r#"import { writeFileSync } from "node:fs";
import { create } from "@bufbuild/protobuf";
import { IdentityAddressAddedV1, IdentityUserCreatedV1 } from "./dist/topics.js";
import { UserCreatedSchema, UserCreated_AddressSchema } from "./dist/acme/identity/v1/user_pb.js";
writeFileSync("user.bin", IdentityUserCreatedV1.encode(create(UserCreatedSchema, { userId: "u1", locale: "nb" })));
writeFileSync("address.bin", IdentityAddressAddedV1.encode(create(UserCreated_AddressSchema, { city: "Oslo" })));
"#,
    )
    .expect("records.mjs");
    let build = run(&out, &tsc, &["-p", "."]);
    assert!(build.status.success(), "tsc:\n{}", text(&build));
    assert!(out.join("dist/topics.d.ts").is_file());
    let node = run(&out, Path::new("node"), &["dist/roundtrip.js"]);
    assert!(node.status.success(), "node:\n{}", text(&node));
    assert_eq!(String::from_utf8_lossy(&node.stdout), "round trip ok\n");
    let records = run(&out, Path::new("node"), &["records.mjs"]);
    assert!(records.status.success(), "node:\n{}", text(&records));
    let server = Server::start(dir, &[]);
    let user = std::fs::read(out.join("user.bin")).expect("user.bin");
    let json = served_validates(
        &server,
        "identity.user-created.v1",
        &user,
        "acme.identity.v1.UserCreated",
    );
    assert_eq!(
        (&json["userId"], &json["locale"]),
        (&"u1".into(), &"nb".into()),
        "{json}"
    );
    let address = std::fs::read(out.join("address.bin")).expect("address.bin");
    let json = served_validates(
        &server,
        "identity.address-added.v1",
        &address,
        "acme.identity.v1.UserCreated.Address",
    );
    assert_eq!(json["city"], "Oslo", "{json}");
    drop(server);
    for file in ["user.bin", "address.bin"] {
        std::fs::remove_file(out.join(file)).expect("rm");
    }

    // A consumer installs the packed package and imports it by name.
    let consumer = dir.join("consumer");
    let installed = consumer.join("node_modules/@acme/schemas");
    std::fs::create_dir_all(&installed).expect("mkdir");
    let pack = run(
        &out,
        Path::new("npm"),
        &[
            "pack",
            "--silent",
            "--pack-destination",
            &consumer.display().to_string(),
        ],
    );
    assert!(pack.status.success(), "npm pack:\n{}", text(&pack));
    let tarball = consumer.join(String::from_utf8_lossy(&pack.stdout).trim());
    let untar = run(
        &installed,
        Path::new("tar"),
        &[
            "xzf",
            &tarball.display().to_string(),
            "--strip-components=1",
        ],
    );
    assert!(untar.status.success(), "tar:\n{}", text(&untar));
    std::os::unix::fs::symlink(
        node_modules.join("@bufbuild"),
        consumer.join("node_modules/@bufbuild"),
    )
    .expect("symlink");
    write_files(
        &consumer,
        &[
            ("package.json", "{\"type\": \"module\"}\n"),
            (
                "tsconfig.json",
                "{\"compilerOptions\": {\"module\": \"NodeNext\", \"moduleResolution\": \"NodeNext\", \"strict\": true, \"noEmit\": true}}\n",
            ),
            (
                "use.ts",
                "import { create } from \"@bufbuild/protobuf\";\n\
                 import { IdentityUserCreatedV1 } from \"@acme/schemas\";\n\
                 import { UserCreatedSchema } from \"@acme/schemas/acme/identity/v1/user_pb\";\n\
                 export const record: Uint8Array = IdentityUserCreatedV1.encode(create(UserCreatedSchema, { userId: \"u1\" }));\n",
            ),
            (
                "use.mjs",
                "import { create } from \"@bufbuild/protobuf\";\n\
                 import { IdentityUserCreatedV1 } from \"@acme/schemas\";\n\
                 import { UserCreatedSchema } from \"@acme/schemas/acme/identity/v1/user_pb\";\n\
                 const record = IdentityUserCreatedV1.encode(create(UserCreatedSchema, { userId: \"u1\" }));\n\
                 console.log(IdentityUserCreatedV1.decode(record).userId);\n",
            ),
        ],
    );
    let types = run(&consumer, &tsc, &["-p", "."]);
    assert!(types.status.success(), "tsc (consumer):\n{}", text(&types));
    let used = run(&consumer, Path::new("node"), &["use.mjs"]);
    assert!(used.status.success(), "node (consumer):\n{}", text(&used));
    assert_eq!(String::from_utf8_lossy(&used.stdout), "u1\n");

    // The build output next to the generated files (`dist/`, carrying their
    // headers) is not taken for stale generated code; the test's own
    // `roundtrip.ts` is not generated-looking either.
    let check = schemactl(dir, &["generate", "--version", "1.1.0", "--check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn java_compiles_against_protobuf_java_runs_and_refuses_the_wrong_message() {
    let (Some(protoc), Some(jar)) = (tool("PROTOC_JAVA"), tool("PROTOBUF_JAVA_JAR")) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    repo(
        dir,
        &format!(
            "generate:\n  managed:\n    enabled: true\n  plugins:\n    - protoc_builtin: java\n      protoc_path: [{}]\n      out: gen/java\n    - topics: java\n      out: gen/java\n      opt: java_package=com.acme.kafka\n",
            protoc.display()
        ),
    );
    let generated = schemactl(dir, &["generate"]);
    assert_eq!(
        generated.code, 0,
        "{}{}",
        generated.stdout, generated.stderr
    );
    let out = dir.join("gen/java");
    let topics =
        std::fs::read_to_string(out.join("com/acme/kafka/Topics.java")).expect("Topics.java");
    assert!(
        topics.starts_with("// Code generated by schemactl"),
        "{topics}"
    );
    assert!(
        topics.contains(
            "public static final Topic<com.acme.identity.v1.UserCreated> IDENTITY_USER_CREATED_V1 ="
        ),
        "{topics}"
    );
    assert!(
        topics.contains("   *   <li>Owners: team-identity\n"),
        "{topics}"
    );
    assert!(out.join("com/acme/identity/v1/UserCreated.java").is_file());

    let mut sources: Vec<String> = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "java") {
                sources.push(path.to_string_lossy().into_owned());
            }
        }
    }
    sources.sort();
    let classes = dir.join("classes");
    let jar = jar.to_string_lossy().into_owned();
    let mut args = vec![
        "-d".to_owned(),
        classes.to_string_lossy().into_owned(),
        "-cp".to_owned(),
        jar.clone(),
    ];
    args.extend(sources);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let javac = run(dir, Path::new("javac"), &args);
    assert!(javac.status.success(), "javac:\n{}", text(&javac));

    let classpath = format!("{jar}:{}", classes.display());
    write_files(
        dir,
        &[
            (
                "use/Wrong.java",
                "class Wrong {\n  byte[] f() {\n    return com.acme.kafka.Topics.IDENTITY_USER_CREATED_V1.encode(com.acme.billing.v1.InvoiceIssued.getDefaultInstance());\n  }\n}\n",
            ),
            (
                "use/Main.java",
                r#"import com.acme.identity.v1.UserCreated;
import com.acme.kafka.Topics;

public class Main {
  public static void main(String[] args) throws Exception {
    Topics.Topic<UserCreated> topic = Topics.IDENTITY_USER_CREATED_V1;
    int[] ids = topic.schemaIds();
    int id = topic.schemaId();
    if (ids.length != 2 || ids[1] != id || ids[0] == id) throw new AssertionError("the id of version 2");
    byte[] record = topic.encode(UserCreated.newBuilder().setUserId("u1").setLocale("nb").build());
    byte[] header = {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 0};
    if (!java.util.Arrays.equals(java.util.Arrays.copyOf(record, 6), header)) throw new AssertionError("header");
    if (!topic.decode(record).getLocale().equals("nb")) throw new AssertionError("round trip");
    byte[] older = record.clone();
    java.nio.ByteBuffer.wrap(older).putInt(1, ids[0]);
    if (!topic.decode(older).getUserId().equals("u1")) throw new AssertionError("version 1");
    byte[] nested = Topics.IDENTITY_ADDRESS_ADDED_V1.encode(UserCreated.Address.newBuilder().setCity("Oslo").build());
    if (nested[5] != 4 || nested[6] != 0 || nested[7] != 0) throw new AssertionError("nested indexes");
    if (!Topics.IDENTITY_ADDRESS_ADDED_V1.decode(nested).getCity().equals("Oslo")) throw new AssertionError("nested");
    byte[][] bad = {{0, 0, 0}, {1, 0, 0, 0, 1, 0, 10}, {0, (byte) 255, (byte) 255, (byte) 255, (byte) 250, 0, 10}, nested};
    for (byte[] b : bad) {
      try {
        topic.decode(b);
        throw new AssertionError("accepted " + java.util.Arrays.toString(b));
      } catch (com.google.protobuf.InvalidProtocolBufferException expected) {
        System.out.println(expected.getMessage());
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Topics.Topic raw = topic;
    try {
      raw.encode(UserCreated.Address.getDefaultInstance());
      throw new AssertionError("encoded an Address to identity.user-created.v1");
    } catch (ClassCastException expected) {
      System.out.println(expected.getMessage());
    }
    java.nio.file.Files.write(java.nio.file.Path.of("user.bin"), record);
    java.nio.file.Files.write(java.nio.file.Path.of("address.bin"), nested);
  }
}
"#,
            ),
        ],
    );
    let wrong = run(
        dir,
        Path::new("javac"),
        &["-d", "wrong-classes", "-cp", &classpath, "use/Wrong.java"],
    );
    assert!(!wrong.status.success(), "javac accepted the wrong message");
    assert!(
        text(&wrong).contains(
            "error: incompatible types: InvoiceIssued cannot be converted to UserCreated"
        ),
        "{}",
        text(&wrong)
    );
    let main = run(
        dir,
        Path::new("javac"),
        &["-d", "use-classes", "-cp", &classpath, "use/Main.java"],
    );
    assert!(main.status.success(), "javac Main:\n{}", text(&main));
    let java = run(
        dir,
        Path::new("java"),
        &["-cp", &format!("{classpath}:use-classes"), "Main"],
    );
    assert!(java.status.success(), "java Main:\n{}", text(&java));
    let stdout = String::from_utf8_lossy(&java.stdout);
    assert!(stdout.contains("too short"), "{stdout}");
    assert!(stdout.contains("not the magic byte 0"), "{stdout}");
    assert!(stdout.contains("is not one of the topic's"), "{stdout}");
    assert!(
        stdout.contains("do not name the topic's message"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "topic \"identity.user-created.v1\" carries com.acme.identity.v1.UserCreated, not com.acme.identity.v1.UserCreated$Address"
        ),
        "{stdout}"
    );
    let server = Server::start(dir, &[]);
    let user = std::fs::read(dir.join("user.bin")).expect("user.bin");
    let json = served_validates(
        &server,
        "identity.user-created.v1",
        &user,
        "acme.identity.v1.UserCreated",
    );
    assert_eq!(
        (&json["userId"], &json["locale"]),
        (&"u1".into(), &"nb".into()),
        "{json}"
    );
    let address = std::fs::read(dir.join("address.bin")).expect("address.bin");
    let json = served_validates(
        &server,
        "identity.address-added.v1",
        &address,
        "acme.identity.v1.UserCreated.Address",
    );
    assert_eq!(json["city"], "Oslo", "{json}");
}
