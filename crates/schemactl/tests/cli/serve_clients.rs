//! The real Schema Registry clients against a running `schemactl serve`:
//! the Python `confluent-kafka` serializer and deserializer (latest-version,
//! lookup and by-id paths) and `@kafkajs/confluent-schema-registry`
//! decoding what Python produced. Installed by `scripts/test.sh`.

use std::path::Path;
use std::process::Command;

use crate::common::repo_root;
use crate::common::serve::{Server, fixture_repo};

fn clients() -> Option<(String, String)> {
    match (
        std::env::var("SCHEMACTL_CLIENTS_PYTHON"),
        std::env::var("SCHEMACTL_CLIENTS_NODE"),
    ) {
        (Ok(py), Ok(node)) => Some((py, node)),
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
                "SCHEMACTL_CLIENTS_PYTHON / SCHEMACTL_CLIENTS_NODE are not set: run scripts/test.sh, which installs the clients"
            );
            eprintln!("skipped: the registry clients are not installed (run scripts/test.sh)");
            None
        }
    }
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Serialize with Python, read back with Python (two configurations) and
/// decode with kafkajs, for topics with imports, well-known types, oneofs,
/// maps, `Struct` and 64-bit integers.
#[test]
fn confluent_clients_round_trip_through_the_registry() {
    let Some((python, node)) = clients() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);
    let scripts = repo_root().join("tests/clients");
    for (topic, message, file, payload) in [
        (
            "billing.payment-captured.v1",
            "acme.billing.v1.PaymentCaptured",
            "acme/billing/v1/payment_captured.proto",
            "payment_captured.json",
        ),
        (
            "alerting.alert-fired.v1",
            "acme.alerting.v1.AlertFired",
            "acme/alerting/v1/alert_fired.proto",
            "alert_fired.json",
        ),
        (
            "billing.invoice-issued.v1",
            "acme.billing.v1.InvoiceIssued",
            "acme/billing/v1/invoice_issued.proto",
            "invoice_issued.json",
        ),
    ] {
        // The producer's descriptors come from protoc, not from schemactl.
        let fds = tmp.path().join(format!("{topic}.binpb"));
        crate::common::protoc_descriptor_set(&repo.join("proto"), file, &fds);
        let json = scripts.join("payloads").join(payload);
        let bytes = tmp.path().join(format!("{topic}.bin"));
        let py = run(
            Command::new(&python)
                .arg(scripts.join("confluent_roundtrip.py"))
                .args([
                    "--registry",
                    &server.url,
                    "--topic",
                    topic,
                    "--message",
                    message,
                ])
                .arg("--descriptor-set")
                .arg(&fds)
                .arg("--json")
                .arg(&json)
                .arg("--out")
                .arg(&bytes),
            "confluent_roundtrip.py",
        );
        let summary: serde_json::Value =
            serde_json::from_str(py.lines().last().unwrap_or_default()).expect("python summary");
        assert_eq!(summary["ok"], true, "{py}");

        // The id in the wire header is the one the registry reports.
        let latest = server
            .get(&format!("/subjects/{topic}-value/versions/latest"))
            .json();
        assert_eq!(summary["schema_id"], latest["id"], "{py}");
        let framed = std::fs::read(&bytes).expect("serialized bytes");
        assert_eq!(framed[0], 0, "magic byte");
        let id = u32::from_be_bytes([framed[1], framed[2], framed[3], framed[4]]);
        assert_eq!(Some(u64::from(id)), latest["id"].as_u64());

        // The registry validates what the client produced.
        let validated = server.request(
            "POST",
            &format!("/api/v1/topics/{topic}/validate"),
            &[("Content-Type", "application/vnd.confluent.protobuf")],
            &framed,
        );
        assert_eq!(validated.status, 200, "{}", validated.text());

        let js = run(
            Command::new("node")
                .arg(scripts.join("kafkajs_decode.cjs"))
                .args(["--registry", &server.url])
                .arg("--in")
                .arg(&bytes)
                .arg("--json")
                .arg(&json)
                .env("SCHEMACTL_CLIENTS_NODE", Path::new(&node)),
            "kafkajs_decode.cjs",
        );
        assert!(js.contains("\"ok\":true"), "{js}");
        eprintln!("{topic}: {}\n{}", py.trim(), js.trim());
    }
}
