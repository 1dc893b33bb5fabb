//! `schemactl generate` for TypeScript and Java with the real toolchains:
//! protoc-gen-es (v2) messages, `topics: typescript` and `packages:
//! typescript` type-check with `tsc --noEmit`, run under node (encode,
//! decode, refusals), and passing the wrong message to a topic fails `tsc`;
//! protoc's Java generator (`protoc_builtin: java`, managed mode) and
//! `topics: java` compile with `javac` against protobuf-java, run on the
//! JVM, and the wrong message fails `javac`.
//!
//! The tools come from environment variables, set by scripts/test.sh:
//! `SCHEMACTL_PROTOC_GEN_ES` and `SCHEMACTL_TSC` (installed together with
//! `@bufbuild/protobuf` in one npm prefix: the tests find the runtime in
//! the `node_modules` that holds `tsc`), `SCHEMACTL_PROTOC_JAVA` (a protoc)
//! and `SCHEMACTL_PROTOBUF_JAVA_JAR` (the protobuf-java of the same
//! version). A test whose tools are unset skips with a note, unless
//! `SCHEMACTL_REQUIRE_<TOOL>` is set.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{git, schemactl, write_files};

/// The path in `var`, or `None` (with a note) when it is unset and not
/// required by `SCHEMACTL_REQUIRE_<name>`.
fn tool(name: &str) -> Option<PathBuf> {
    let var = format!("SCHEMACTL_{name}");
    match std::env::var(&var) {
        Ok(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(path.exists(), "{var}={} does not exist", path.display());
            Some(path)
        }
        _ => {
            assert!(
                std::env::var_os(format!("SCHEMACTL_REQUIRE_{name}")).is_none(),
                "{var} is not set and SCHEMACTL_REQUIRE_{name} is: scripts/test.sh installs it"
            );
            eprintln!("note: skipping: {var} is not set (scripts/test.sh installs it)");
            None
        }
    }
}

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

/// A schema repository (a git repository with one commit, so the catalog
/// has a history) generating with `generate`.
fn repo(dir: &Path, generate: &str) {
    write_files(
        dir,
        &[
            ("proto/acme/identity/v1/user.proto", USER),
            ("proto/acme/billing/v1/invoice.proto", INVOICE),
            (
                "schemactl.yaml",
                &format!("version: v1\nroots: [proto]\n{TOPICS}{generate}"),
            ),
        ],
    );
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "schemas"]);
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

/// The schema id the binding's TSDoc gives `topic` (version 1): the wire
/// bytes must carry it.
fn doc_schema_id(source: &str, topic: &str) -> u32 {
    let marker = format!("(version 1 of `{topic}-value`");
    let line = source
        .lines()
        .find(|l| l.contains(&marker))
        .unwrap_or_else(|| panic!("no schema id line for {topic} in:\n{source}"));
    line.split("Schema id: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {line}"))
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
    let generated = schemactl(dir, &["generate", "--version", "1.2.3"]);
    assert_eq!(
        generated.code, 0,
        "{}{}",
        generated.stdout, generated.stderr
    );
    let check = schemactl(dir, &["generate", "--version", "1.2.3", "--check"]);
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
        "-value` at release 1.2.3)\n",
    ] {
        assert!(topics.contains(doc), "{doc:?} in:\n{topics}");
    }
    let user_id = doc_schema_id(&topics, "identity.user-created.v1");
    let address_id = doc_schema_id(&topics, "identity.address-added.v1");
    let package = std::fs::read_to_string(out.join("package.json")).expect("package.json");
    assert!(
        package.contains(
            "\"name\": \"@acme/schemas\",\n  \"version\": \"1.2.3\",\n  \"type\": \"module\",\n"
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
        format!(
            r#"import {{ create }} from "@bufbuild/protobuf";
import {{ IdentityAddressAddedV1, IdentityUserCreatedV1, WireFormatError }} from "./topics.js";
import {{ UserCreatedSchema, UserCreated_AddressSchema }} from "./acme/identity/v1/user_pb.js";

const fail = (why: string): never => {{ throw new Error(why); }};
const record = IdentityUserCreatedV1.encode(create(UserCreatedSchema, {{ userId: "u1", email: "a@b" }}));
const header = Array.from(record.subarray(0, 6)).join(",");
const id = {user_id};
if (header !== [0, id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255, 0].join(",")) fail(`header ${{header}}`);
const back = IdentityUserCreatedV1.decode(record);
if (back.userId !== "u1" || back.email !== "a@b") fail("round trip");
if (IdentityUserCreatedV1.name !== "identity.user-created.v1" || IdentityUserCreatedV1.schemaId !== id) fail("name or id");
// A nested message: indexes [0, 0], written as count 2 then two zeros.
const nested = IdentityAddressAddedV1.encode(create(UserCreated_AddressSchema, {{ city: "Oslo" }}));
const aid = {address_id};
if (Array.from(nested.subarray(0, 8)).join(",") !== [0, aid >>> 24, (aid >>> 16) & 255, (aid >>> 8) & 255, aid & 255, 4, 0, 0].join(",")) fail("nested header");
if (IdentityAddressAddedV1.decode(nested).city !== "Oslo") fail("nested round trip");
const refusals: Array<[Uint8Array, string]> = [
  [new Uint8Array([0, 0, 0]), "too short"],
  [Uint8Array.from([1, ...record.subarray(1)]), "not the magic byte 0"],
  [Uint8Array.from([0, 255, 255, 255, 250, 0, 10]), "is not one of the topic's"],
  // The same file, so the same schema id: the indexes tell them apart.
  [nested, "do not name the topic's message"],
];
for (const [bytes, why] of refusals) {{
  try {{
    IdentityUserCreatedV1.decode(bytes);
    fail(`accepted: ${{why}}`);
  }} catch (e) {{
    if (!(e instanceof WireFormatError) || !e.message.includes(why)) fail(`${{e}} for ${{why}}`);
  }}
}}
// A caller without types still cannot produce another message.
try {{
  (IdentityUserCreatedV1 as any).encode(create(UserCreated_AddressSchema, {{}}));
  fail("encoded an Address to identity.user-created.v1");
}} catch (e) {{
  if (!(e instanceof TypeError)) fail(`${{e}}`);
}}
console.log("round trip ok");
"#
        ),
    )
    .expect("roundtrip.ts");
    let build = run(&out, &tsc, &["-p", "."]);
    assert!(build.status.success(), "tsc:\n{}", text(&build));
    assert!(out.join("dist/topics.d.ts").is_file());
    let node = run(&out, Path::new("node"), &["dist/roundtrip.js"]);
    assert!(node.status.success(), "node:\n{}", text(&node));
    assert_eq!(String::from_utf8_lossy(&node.stdout), "round trip ok\n");

    // The build output next to the generated files (`dist/`, carrying their
    // headers) is not taken for stale generated code; the test's own
    // `roundtrip.ts` is not generated-looking either.
    let check = schemactl(dir, &["generate", "--version", "1.2.3", "--check"]);
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
    byte[] record = Topics.IDENTITY_USER_CREATED_V1.encode(UserCreated.newBuilder().setUserId("u1").build());
    int id = Topics.IDENTITY_USER_CREATED_V1.schemaId();
    byte[] header = {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id, 0};
    if (!java.util.Arrays.equals(java.util.Arrays.copyOf(record, 6), header)) throw new AssertionError("header");
    if (!Topics.IDENTITY_USER_CREATED_V1.decode(record).getUserId().equals("u1")) throw new AssertionError("round trip");
    byte[] nested = Topics.IDENTITY_ADDRESS_ADDED_V1.encode(UserCreated.Address.newBuilder().setCity("Oslo").build());
    if (nested[5] != 4 || nested[6] != 0 || nested[7] != 0) throw new AssertionError("nested indexes");
    if (!Topics.IDENTITY_ADDRESS_ADDED_V1.decode(nested).getCity().equals("Oslo")) throw new AssertionError("nested");
    byte[][] bad = {{0, 0, 0}, {1, 0, 0, 0, 1, 0, 10}, {0, (byte) 255, (byte) 255, (byte) 255, (byte) 250, 0, 10}, nested};
    for (byte[] b : bad) {
      try {
        Topics.IDENTITY_USER_CREATED_V1.decode(b);
        throw new AssertionError("accepted " + java.util.Arrays.toString(b));
      } catch (com.google.protobuf.InvalidProtocolBufferException expected) {
        System.out.println(expected.getMessage());
      }
    }
    System.out.println(id);
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
    let id = doc_java_schema_id(&topics, "identity.user-created.v1");
    assert_eq!(
        stdout.lines().last(),
        Some(id.to_string().as_str()),
        "{stdout}"
    );
}

/// The schema id in `topic`'s Javadoc.
fn doc_java_schema_id(source: &str, topic: &str) -> u32 {
    let marker = format!("(version 1 of {topic}-value");
    let line = source
        .lines()
        .find(|l| l.contains(&marker))
        .unwrap_or_else(|| panic!("no schema id line for {topic} in:\n{source}"));
    line.split("Schema id: ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no id in {line}"))
}
