//! An editions topic through `schemactl serve` with the real Confluent
//! Python client (issue #15): the message class comes from protoc 33.5's
//! descriptors of an `edition = "2023"` file (implicit presence, a closed
//! enum, a delimited message, expanded and packed repeated fields, a
//! legacy-required field), and the registry must give the client the
//! schema it serializes against, accept its bytes on `validate`, and hand
//! them back to the deserializer equal.

use std::process::Command;

use crate::common::serve::{Server, fixture_repo};
use crate::common::{git, repo_root, tool};

const LEDGER: &str = r#"edition = "2023";

// Ledger events.
package acme.ledger.v1;

option features.field_presence = IMPLICIT;

// Whether an entry adds or removes money.
enum Direction {
  option features.enum_type = CLOSED;
  // Not set.
  DIRECTION_UNSPECIFIED = 0;
  // Money in.
  DIRECTION_CREDIT = 1;
  // Money out.
  DIRECTION_DEBIT = 2;
}

// An amount of money.
message Amount {
  // Minor units.
  int64 minor_units = 1;
  // ISO 4217 code.
  string currency = 2 [features.field_presence = EXPLICIT];
}

// An entry was posted to a ledger.
message EntryPosted {
  // The entry.
  string entry_id = 1 [features.field_presence = LEGACY_REQUIRED];
  // The direction (a closed enum needs presence).
  Direction direction = 2 [features.field_presence = EXPLICIT];
  // The amount, encoded as a group on the wire.
  Amount amount = 3 [features.message_encoding = DELIMITED];
  // Tags, one record each.
  repeated int32 tags = 4 [features.repeated_field_encoding = EXPANDED];
  // Ledger lines, packed.
  repeated sint64 lines = 5;
  // A note, with presence.
  string note = 6 [features.field_presence = EXPLICIT];
}
"#;

const PAYLOAD: &str = r#"{"entryId": "e-1", "direction": "DIRECTION_DEBIT",
 "amount": {"minorUnits": "-250", "currency": "EUR"},
 "tags": [7, 0, -1], "lines": ["1", "-2", "9007199254740993"], "note": ""}"#;

#[test]
fn confluent_kafka_round_trips_an_editions_message_through_serve() {
    let (Some(protoc), Ok(python)) = (
        tool("PROTOC_JAVA"),
        std::env::var("SCHEMACTL_CLIENTS_PYTHON"),
    ) else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
            "SCHEMACTL_CLIENTS_PYTHON is not set: run scripts/test.sh"
        );
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let file = "acme/ledger/v1/entry_posted.proto";
    let path = repo.join("proto").join(file);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, LEDGER).expect("write proto");
    let catalog = repo.join("schemactl.yaml");
    let text = std::fs::read_to_string(&catalog).expect("catalog");
    let text = text.replacen(
        "topics:\n",
        "topics:\n  ledger.entry-posted.v1:\n    message: acme.ledger.v1.EntryPosted\n    owners: [team-billing]\n    producers: [billing-service]\n    description: An entry was posted.\n    partitions: 3\n    retention: 7d\n",
        1,
    );
    std::fs::write(&catalog, text).expect("write catalog");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "ledger: an editions topic"]);
    git(&repo, &["tag", "v1.2.0"]);
    let server = Server::start(&repo, &[]);

    // The producer's class comes from protoc's descriptors, not schemactl's.
    let fds = tmp.path().join("ledger.binpb");
    let run = Command::new(&protoc)
        .arg("-I")
        .arg(repo.join("proto"))
        .args([
            "--include_imports",
            &format!("--descriptor_set_out={}", fds.display()),
            file,
        ])
        .output()
        .expect("run protoc");
    assert!(
        run.status.success(),
        "protoc: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json = tmp.path().join("entry.json");
    std::fs::write(&json, PAYLOAD).expect("payload");
    let bytes = tmp.path().join("entry.bin");
    let topic = "ledger.entry-posted.v1";
    let out = Command::new(&python)
        .arg(repo_root().join("tests/clients/confluent_roundtrip.py"))
        .args(["--registry", &server.url, "--topic", topic])
        .args([
            "--message",
            "acme.ledger.v1.EntryPosted",
            "--descriptor-set",
        ])
        .arg(&fds)
        .arg("--json")
        .arg(&json)
        .arg("--out")
        .arg(&bytes)
        .output()
        .expect("run confluent_roundtrip.py");
    let py = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "confluent_roundtrip.py: {py}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: serde_json::Value =
        serde_json::from_str(py.lines().last().unwrap_or_default()).expect("python summary");
    assert_eq!(summary["ok"], true, "{py}");

    // The registry serves the editions file as written, under the id the
    // client framed its bytes with.
    let latest = server
        .get(&format!("/subjects/{topic}-value/versions/latest"))
        .json();
    assert_eq!(summary["schema_id"], latest["id"], "{py}");
    let schema = latest["schema"].as_str().expect("schema text");
    assert!(schema.starts_with("edition = \"2023\";"), "{schema}");
    let framed = std::fs::read(&bytes).expect("serialized bytes");
    let id = u32::from_be_bytes([framed[1], framed[2], framed[3], framed[4]]);
    assert_eq!(Some(u64::from(id)), latest["id"].as_u64());

    // The registry decodes and validates them with the resolved features:
    // the delimited `amount` is a group on the wire, `tags` unpacked.
    let validated = server.request(
        "POST",
        &format!("/api/v1/topics/{topic}/validate"),
        &[("Content-Type", "application/vnd.confluent.protobuf")],
        &framed,
    );
    assert_eq!(validated.status, 200, "{}", validated.text());
    let body = &framed[5..];
    assert!(
        body.windows(2).any(|w| w == [0x1b, 0x08]),
        "field 3 starts a group (tag 0x1b) holding minor_units (0x08): {body:02x?}"
    );
    assert!(
        body.windows(5).any(|w| w == [0x20, 0x07, 0x20, 0x00, 0x20]),
        "`tags` 7, 0, -1 as unpacked records (tag 0x20 each): {body:02x?}"
    );
}
