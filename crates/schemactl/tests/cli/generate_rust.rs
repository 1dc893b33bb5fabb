//! Rust generation end to end: `rust: prost`, `topics: rust` and
//! `packages: rust` write a crate that `cargo build` builds with prost from
//! crates.io; a program using `IDENTITY_USER_CREATED_V1` to encode and
//! decode compiles and runs, and the same program producing an
//! `InvoiceIssued` to that topic does not compile; the schema ids it writes
//! are the ones `schemactl serve` gives once the release is tagged.
//!
//! Cargo is always there (it runs these tests), so only the Confluent
//! interop test skips, without `SCHEMACTL_CLIENTS_PYTHON` (scripts/test.sh
//! installs the clients; `SCHEMACTL_REQUIRE_CLIENTS` makes it fail). The
//! generated crates build into one target directory under Cargo's
//! per-target scratch space, so prost is compiled once for every run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::serve::Server;
use crate::common::{git, repo_root, schemactl, write_files};

const MONEY: &str = r#"syntax = "proto3";

package acme.common.v1;

// An amount of money in minor units.
message Money {
  // ISO 4217 code.
  string currency = 1;
  // In the currency's minor unit.
  int64 minor_units = 2;
}
"#;

const USER: &str = r#"syntax = "proto3";

package acme.identity.v1;

import "acme/common/v1/money.proto";
import "google/protobuf/timestamp.proto";

// A user was created.
message UserCreated {
  // The user's id.
  string user_id = 1;
  // Set when the user gave one.
  optional string email = 2;
  // When.
  google.protobuf.Timestamp created_at = 3;
  // The welcome credit.
  acme.common.v1.Money credit = 4;
  // Postal addresses.
  repeated Address addresses = 5;

  // A postal address.
  message Address {
    // The city.
    string city = 1;
  }
}
"#;

const INVOICE: &str = r#"syntax = "proto3";

package acme.billing.v1;

// An invoice was issued.
message InvoiceIssued {
  // The invoice's id.
  string invoice_id = 1;
}
"#;

const CONFIG: &str = r#"version: v1
topics:
  identity.user-created.v1:
    message: acme.identity.v1.UserCreated
    owners: [team-identity]
    producers: [identity-service]
    description: A user account was created.
    partitions: 12
    retention: 7d
  billing.invoice-issued.v1:
    message: acme.billing.v1.InvoiceIssued
    owners: [team-billing]
    producers: [billing-service]
    description: An invoice was issued.
    partitions: 6
    retention: 30d
generate:
  plugins:
    - rust: prost
      out: gen/rust/src
    - topics: rust
      out: gen/rust/src
  packages:
    rust:
      out: gen/rust
      name: acme-schemas
"#;

/// A schema repository configured to generate the Rust crate.
fn repo(dir: &Path) {
    write_files(
        dir,
        &[
            ("acme/common/v1/money.proto", MONEY),
            ("acme/identity/v1/user.proto", USER),
            ("acme/billing/v1/invoice.proto", INVOICE),
            ("schemactl.yaml", CONFIG),
        ],
    );
}

/// One target directory for every generated crate these tests build.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-rust")
}

/// `cargo build` of the crate at `dir`, in the shared target directory.
fn cargo_build(dir: &Path) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["build", "--quiet", "--target-dir"])
        .arg(target_dir())
        .current_dir(dir)
        // The generated crate must build on its own, not by what this
        // build's environment says.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_TARGET")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("run cargo")
}

/// A binary crate `name` in `root/name` depending on the generated crate by
/// path, with `main` as its `src/main.rs`. Each test's program has its own
/// name: they share a target directory, and so the `debug/` binaries.
fn consumer(root: &Path, name: &str, main: &str) -> PathBuf {
    let dir = root.join(name);
    write_files(
        &dir,
        &[
            (
                "Cargo.toml",
                &format!(
                    "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                     [dependencies]\nacme-schemas = {{ path = \"../gen/rust\" }}\nprost = \"0.14\"\n\
                     prost-types = \"0.14\"\n\n[workspace]\n"
                ),
            ),
            ("src/main.rs", main),
        ],
    );
    dir
}

const ROUND_TRIP: &str = r#"use acme_schemas::acme::common::v1::Money;
use acme_schemas::acme::identity::v1::{user_created::Address, UserCreated};
use acme_schemas::topics::{DecodeError, IDENTITY_USER_CREATED_V1};

fn main() {
    let topic = IDENTITY_USER_CREATED_V1;
    let copy = topic;
    assert_eq!(format!("{copy:?}"), format!("Topic {{ name: \"identity.user-created.v1\", schema_id: {}, .. }}", topic.schema_id()));
    let message = UserCreated {
        user_id: "u-1".to_owned(),
        email: Some("ada@example.com".to_owned()),
        created_at: Some(prost_types::Timestamp { seconds: 1_700_000_000, nanos: 5 }),
        credit: Some(Money { currency: "EUR".to_owned(), minor_units: 500 }),
        addresses: vec![Address { city: "Paris".to_owned() }],
    };
    let bytes = topic.encode(&message);
    assert_eq!(topic.decode(&bytes), Ok(message.clone()));
    assert_eq!(prost::Message::encode_to_vec(&message), bytes[6..]);

    // Refused: bad magic, short, an id that is not the topic's.
    let mut bad = bytes.clone();
    bad[0] = 1;
    assert_eq!(topic.decode(&bad), Err(DecodeError::Magic(1)));
    assert_eq!(topic.decode(&bytes[..3]), Err(DecodeError::Truncated));
    let mut other = bytes.clone();
    other[1..5].copy_from_slice(&(topic.schema_id() + 1000).to_be_bytes());
    assert_eq!(
        topic.decode(&other),
        Err(DecodeError::SchemaId(topic.schema_id() + 1000))
    );

    // A record written with the topic's previous schema id still decodes.
    let ids: Vec<u32> = topic.schema_ids().collect();
    assert_eq!(ids.last(), Some(&topic.schema_id()));
    let mut older = bytes.clone();
    older[1..5].copy_from_slice(&ids[0].to_be_bytes());
    assert_eq!(topic.decode(&older), Ok(message));

    if let Some(path) = std::env::args().nth(1) {
        std::fs::write(path, &bytes).expect("write the record");
    }
    let hex: String = bytes[..6].iter().map(|b| format!("{b:02x}")).collect();
    println!("{} {} {} {}", topic.name(), ids[0], topic.schema_id(), hex);
}
"#;

const WRONG_TYPE: &str = r#"use acme_schemas::acme::billing::v1::InvoiceIssued;
use acme_schemas::topics::IDENTITY_USER_CREATED_V1;

fn main() {
    let invoice = InvoiceIssued { invoice_id: "i-1".to_owned() };
    let bytes = IDENTITY_USER_CREATED_V1.encode(&invoice);
    println!("{}", bytes.len());
}
"#;

const FORGED_TOPIC: &str = r#"use acme_schemas::acme::billing::v1::InvoiceIssued;
use acme_schemas::topics::Topic;

fn main() {
    let forged: Topic<InvoiceIssued> = Topic {
        name: "identity.user-created.v1",
        id: 1,
        indexes: &[0],
        versions: &[(1, &[0])],
        message: ::core::marker::PhantomData,
    };
    println!("{}", forged.name());
}
"#;

/// `USER` as released in 1.0.0: without `addresses`.
fn user_v1() -> String {
    let start = USER.find("  // Postal addresses.").expect("addresses");
    let end = USER.rfind("}\n").expect("end");
    format!("{}{}", &USER[..start], &USER[end..])
}

/// What the round-trip program printed and wrote.
struct RoundTrip {
    /// The topic's first schema id, and the one `encode` writes.
    old_id: u64,
    id: u64,
    /// The file holding the record `encode` wrote.
    record: PathBuf,
}

/// A schema repository in `dir` with a released 1.0.0, then `addresses`
/// added (so the topic has a second schema id), generated as 1.1.0 and
/// built; `src/topics.rs` is returned.
fn released_crate(dir: &Path) -> String {
    repo(dir);
    write_files(dir, &[("acme/identity/v1/user.proto", &user_v1())]);
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "1.0.0"]);
    git(dir, &["tag", "v1.0.0"]);
    write_files(dir, &[("acme/identity/v1/user.proto", USER)]);
    git(dir, &["commit", "-q", "-am", "UserCreated.addresses"]);

    let run = schemactl(dir, &["generate", "--version", "1.1.0"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let gen_dir = dir.join("gen/rust");
    let read = |name: &str| {
        std::fs::read_to_string(gen_dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let user = read("src/acme.identity.v1.rs");
    assert!(user.starts_with("// @generated by schemactl (prost-build 0.14). DO NOT EDIT.\n"));
    assert!(user.contains("::prost_types::Timestamp"), "{user}");
    let manifest = read("Cargo.toml");
    assert!(
        manifest.contains("name = \"acme-schemas\"\nversion = \"1.1.0\"\n"),
        "{manifest}"
    );
    let built = cargo_build(&gen_dir);
    assert!(
        built.status.success(),
        "cargo build of the generated crate failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    read("src/topics.rs")
}

/// Build and run the round-trip program `name` against the crate in `dir`.
fn round_trip(dir: &Path, name: &str) -> RoundTrip {
    let program = consumer(dir, name, ROUND_TRIP);
    let built = cargo_build(&program);
    assert!(
        built.status.success(),
        "the consumer does not build:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let record = dir.join("record.bin");
    let out = Command::new(target_dir().join("debug").join(name))
        .arg(&record)
        .output()
        .expect("run the consumer");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the consumer failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The Confluent header: magic byte, the schema id big-endian, `[0]`.
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    let [topic, old_id, id, header] = fields[..] else {
        panic!("unexpected output: {stdout}")
    };
    assert_eq!(topic, "identity.user-created.v1");
    let old_id: u64 = old_id.parse().expect("an id");
    let id: u64 = id.parse().expect("an id");
    assert_ne!(old_id, id);
    assert_eq!(header, format!("00{id:08x}00"));
    RoundTrip { old_id, id, record }
}

#[test]
fn the_generated_crate_builds_and_its_topics_are_typed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let topics = released_crate(tmp.path());
    assert!(
        topics.contains(
            "pub const IDENTITY_USER_CREATED_V1: Topic<crate::acme::identity::v1::UserCreated> = Topic {"
        ),
        "{topics}"
    );
    assert!(topics.contains("/// - owners: team-identity\n"), "{topics}");
    assert!(topics.contains("/// - retention: 7d\n"), "{topics}");

    let RoundTrip { old_id, id, .. } = round_trip(tmp.path(), "round_trip");
    assert!(
        topics.contains(&format!(
            "/// - schema id {id} (version 2 of `identity.user-created.v1-value`) at release `1.1.0`\n"
        )),
        "{topics}"
    );

    // Once 1.1.0 is tagged, `schemactl serve` gives the topic these ids.
    git(tmp.path(), &["tag", "v1.1.0"]);
    let server = Server::start(tmp.path(), &[]);
    let subject = "/subjects/identity.user-created.v1-value/versions";
    let served = |version: &str| server.get(&format!("{subject}/{version}")).json()["id"].as_u64();
    assert_eq!(served("1"), Some(old_id));
    assert_eq!(served("latest"), Some(id));
    drop(server);

    let wrong = consumer(tmp.path(), "wrong_type", WRONG_TYPE);
    let built = cargo_build(&wrong);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(
        !built.status.success(),
        "producing an InvoiceIssued to the topic compiled"
    );
    assert!(
        stderr.contains("error[E0308]: mismatched types"),
        "{stderr}"
    );
    assert!(
        stderr.contains("expected `&UserCreated`, found `&InvoiceIssued`"),
        "{stderr}"
    );

    // Nor can a program pair a topic's name with another type itself.
    let forged = consumer(tmp.path(), "forged_topic", FORGED_TOPIC);
    let built = cargo_build(&forged);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(
        !built.status.success(),
        "a Topic was built outside the crate"
    );
    assert!(
        stderr.contains(
            "error[E0451]: fields `name`, `id`, `indexes`, `versions` and `message` of struct `Topic` are private"
        ),
        "{stderr}"
    );
}

/// The Python interpreter with the registry clients (scripts/test.sh
/// installs them), or `None` with a note.
fn clients_python() -> Option<String> {
    match std::env::var("SCHEMACTL_CLIENTS_PYTHON") {
        Ok(py) if !py.is_empty() => Some(py),
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
                "SCHEMACTL_CLIENTS_PYTHON is not set: run scripts/test.sh, which installs the clients"
            );
            eprintln!(
                "note: skipping: the registry clients are not installed (run scripts/test.sh)"
            );
            None
        }
    }
}

/// The record the Rust binding wrote is read back, equal, by
/// `confluent-kafka`'s `ProtobufDeserializer` against `schemactl serve` on
/// the tagged release.
#[test]
fn rust_binding_bytes_decode_with_confluent_kafka_against_serve() {
    let Some(python) = clients_python() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    released_crate(tmp.path());
    let RoundTrip { id, record, .. } = round_trip(tmp.path(), "round_trip_interop");
    git(tmp.path(), &["tag", "v1.1.0"]);
    let fds = tmp.path().join("schemas.binpb");
    let built = schemactl(tmp.path(), &["build", "-o", "schemas.binpb"]);
    assert_eq!(built.code, 0, "{}{}", built.stdout, built.stderr);
    // ROUND_TRIP's message, in proto3 JSON.
    let json = tmp.path().join("message.json");
    std::fs::write(
        &json,
        r#"{"userId": "u-1", "email": "ada@example.com", "createdAt": "2023-11-14T22:13:20.000000005Z",
            "credit": {"currency": "EUR", "minorUnits": "500"}, "addresses": [{"city": "Paris"}]}"#,
    )
    .expect("write json");
    let server = Server::start(tmp.path(), &[]);
    let out = Command::new(&python)
        .arg(repo_root().join("tests/clients/go_binding_interop.py"))
        .args(["--registry", &server.url])
        .args(["--topic", "identity.user-created.v1"])
        .args(["--message", "acme.identity.v1.UserCreated"])
        .arg("--descriptor-set")
        .arg(&fds)
        .arg("--in")
        .arg(&record)
        .arg("--json")
        .arg(&json)
        .output()
        .expect("run go_binding_interop.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "confluent-kafka did not read the record back:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("summary");
    assert_eq!(summary["ok"], true, "{stdout}");
    assert_eq!(summary["schema_id"].as_u64(), Some(id), "{stdout}");
    assert_eq!(
        summary["message_indexes"],
        serde_json::json!([0]),
        "{stdout}"
    );
}

/// Generating twice gives the same bytes, a second run writes nothing, and
/// `generate --check` finds the output fresh.
#[test]
fn rust_generation_is_deterministic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    repo(tmp.path());
    let first = schemactl(tmp.path(), &["generate"]);
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let read = |dir: &Path| {
        [
            "Cargo.toml",
            "src/lib.rs",
            "src/topics.rs",
            "src/acme.identity.v1.rs",
        ]
        .map(|f| std::fs::read(dir.join("gen/rust").join(f)).expect(f))
    };
    let before = read(tmp.path());
    let second = schemactl(tmp.path(), &["generate", "--verbose"]);
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(
        second.stderr.contains("0 files written"),
        "{}",
        second.stderr
    );
    assert_eq!(before, read(tmp.path()));
    let check = schemactl(tmp.path(), &["generate", "--check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let lib = String::from_utf8(before[1].clone()).expect("utf-8");
    assert!(
        lib.contains("pub mod topics {\n    include!(\"topics.rs\");\n}\n"),
        "{lib}"
    );
    for text in &before {
        let text = String::from_utf8_lossy(text);
        assert!(
            !text.contains(&*tmp.path().to_string_lossy()),
            "an absolute path:\n{text}"
        );
    }
}

/// An option prost-build does not take is a finding on the plugin entry,
/// and nothing is written. (Editions files, which prost-build would panic
/// on, are refused by the compiler before generation; the codegen unit
/// tests give `rust: prost` one directly.)
#[test]
fn an_unknown_rust_prost_option_is_a_finding() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(
        tmp.path(),
        &[
            ("acme/common/v1/money.proto", MONEY),
            (
                "schemactl.yaml",
                "version: v1\ngenerate:\n  plugins:\n    - rust: prost\n      out: gen/rust/src\n      opt: paths=source_relative\n",
            ),
        ],
    );
    let run = schemactl(tmp.path(), &["generate"]);
    run.assert_no_panic();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "`rust: prost` does not know the option `paths=source_relative`: it takes `btree_map=PATH` and `bytes=PATH`"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("schemactl.yaml:4:"), "{}", run.stdout);
    assert!(!tmp.path().join("gen").exists());
}
