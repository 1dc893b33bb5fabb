//! `schemactl serve` end to end: a real server process over a real git
//! repository, exercised over HTTP. The real Confluent clients are in
//! `serve_clients.rs`, the web UI in `serve_ui.rs`, the OpenAPI document in
//! `serve_openapi.rs`, refreshes under load in `serve_load.rs`.

use std::path::Path;

use crate::common::serve::{Server, add_field, fixture_repo, github_hook, hub_signature};
use crate::common::{git, run_ok};
use base64::Engine as _;
use prost::Message as _;
use serde_json::{Value, json};

const TOPIC: &str = "billing.payment-captured.v1";
const SUBJECT: &str = "billing.payment-captured.v1-value";
const CT: (&str, &str) = ("Content-Type", "application/vnd.schemaregistry.v1+json");

fn post_json(server: &Server, path: &str, body: &Value) -> crate::common::serve::HttpResponse {
    server.request("POST", path, &[CT], body.to_string().as_bytes())
}

fn protoc_file(repo: &Path, file: &str) -> prost_types::FileDescriptorProto {
    let out = repo.join("protoc.binpb");
    run_ok(
        repo,
        "protoc",
        &[
            "-Iproto",
            "--include_imports",
            &format!("--descriptor_set_out={}", out.display()),
            file,
        ],
    );
    let set = prost_types::FileDescriptorSet::decode(std::fs::read(&out).expect("fds").as_slice())
        .expect("descriptor set");
    set.file
        .into_iter()
        .find(|f| f.name() == file)
        .expect("file in set")
}

#[test]
fn confluent_read_api() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);

    let subjects = server.get("/subjects");
    assert_eq!(subjects.status, 200);
    assert_eq!(
        subjects.header("content-type"),
        Some("application/vnd.schemaregistry.v1+json")
    );
    let subjects = subjects.json();
    let names: Vec<&str> = subjects
        .as_array()
        .expect("list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(names.contains(&SUBJECT), "{names:?}");
    assert!(names.contains(&"acme/common/v1/money.proto"), "{names:?}");
    assert!(
        names.contains(&"google/protobuf/timestamp.proto"),
        "{names:?}"
    );
    assert_eq!(names.iter().filter(|n| n.ends_with("-value")).count(), 12);

    // v1.1.0 changed PaymentCaptured: two versions. Other topics: one.
    assert_eq!(
        server.get(&format!("/subjects/{SUBJECT}/versions")).json(),
        json!([1, 2])
    );
    assert_eq!(
        server
            .get("/subjects/identity.user-created.v1-value/versions")
            .json(),
        json!([1])
    );

    let latest = server
        .get(&format!("/subjects/{SUBJECT}/versions/latest"))
        .json();
    assert_eq!(latest["schemaType"], "PROTOBUF");
    assert_eq!(latest["version"], 2);
    assert_eq!(latest["subject"], SUBJECT);
    assert!(
        latest["schema"]
            .as_str()
            .expect("text")
            .contains("card_nickname = 99")
    );
    let refs = latest["references"].as_array().expect("references");
    assert!(
        refs.iter()
            .any(|r| r["name"] == "acme/common/v1/money.proto"
                && r["subject"] == "acme/common/v1/money.proto"
                && r["version"] == 1)
    );
    let v1 = server
        .get(&format!("/subjects/{SUBJECT}/versions/1"))
        .json();
    assert!(
        !v1["schema"]
            .as_str()
            .expect("text")
            .contains("card_nickname")
    );
    assert_ne!(v1["id"], latest["id"]);
    // `-1` is Confluent's alias of latest.
    assert_eq!(
        server
            .get(&format!("/subjects/{SUBJECT}/versions/-1"))
            .json()["id"],
        latest["id"]
    );

    // format=serialized: base64 of the FileDescriptorProto.
    let serialized = server
        .get(&format!(
            "/subjects/{SUBJECT}/versions/latest?format=serialized"
        ))
        .json();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(serialized["schema"].as_str().expect("base64"))
        .expect("base64 decodes");
    let file = prost_types::FileDescriptorProto::decode(bytes.as_slice()).expect("descriptor");
    assert_eq!(file.name(), "acme/billing/v1/payment_captured.proto");
    assert!(
        file.message_type[0]
            .field
            .iter()
            .any(|f| f.name() == "card_nickname")
    );

    // By id, with the subjects and versions that use it.
    let id = latest["id"].as_u64().expect("id");
    let by_id = server.get(&format!("/schemas/ids/{id}")).json();
    assert_eq!(by_id["schemaType"], "PROTOBUF");
    assert_eq!(by_id["schema"], latest["schema"]);
    assert_eq!(
        server.get(&format!("/schemas/ids/{id}/versions")).json(),
        json!([{ "subject": SUBJECT, "version": 2 }])
    );
    assert_eq!(
        server.get(&format!("/schemas/ids/{id}/subjects")).json(),
        json!([SUBJECT])
    );

    // Import subjects, percent-encoded, and well-known types as text.
    let money = server.get("/subjects/acme%2Fcommon%2Fv1%2Fmoney.proto/versions/1");
    assert_eq!(money.status, 200, "{}", money.text());
    assert!(
        money.json()["schema"]
            .as_str()
            .expect("text")
            .contains("message Money")
    );
    let ts = server
        .get("/subjects/google%2Fprotobuf%2Ftimestamp.proto/versions/1")
        .json();
    assert!(
        ts["schema"]
            .as_str()
            .expect("text")
            .contains("message Timestamp")
    );

    assert_eq!(server.get("/schemas/types").json(), json!(["PROTOBUF"]));
    assert_eq!(
        server.get("/config").json()["compatibilityLevel"],
        "FULL_TRANSITIVE"
    );
    assert_eq!(
        server.get(&format!("/config/{SUBJECT}")).json()["compatibilityLevel"],
        "FULL_TRANSITIVE"
    );
    assert_eq!(server.get("/mode").json(), json!({ "mode": "READONLY" }));

    // Errors, Confluent-shaped.
    let missing = server.get("/subjects/nope-value/versions");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error_code"], 40401);
    let no_version = server.get(&format!("/subjects/{SUBJECT}/versions/9"));
    assert_eq!(
        (no_version.status, no_version.json()["error_code"].clone()),
        (404, json!(40402))
    );
    let bad_version = server.get(&format!("/subjects/{SUBJECT}/versions/zero"));
    assert_eq!(
        (bad_version.status, bad_version.json()["error_code"].clone()),
        (422, json!(42202))
    );
    let no_schema = server.get("/schemas/ids/12");
    assert_eq!(
        (no_schema.status, no_schema.json()["error_code"].clone()),
        (404, json!(40403))
    );
    assert_eq!(no_schema.json()["message"], "Schema 12 not found");
    // Recent clients probe associations first and need a 404.
    let assoc = server.get(&format!(
        "/associations/resources/-/{TOPIC}?resourceType=topic&associationType=value"
    ));
    assert_eq!(assoc.status, 404);

    // Writes are refused: the git repository is the source of truth.
    for (method, path) in [
        ("POST", format!("/subjects/{SUBJECT}/versions")),
        ("DELETE", format!("/subjects/{SUBJECT}")),
        ("DELETE", format!("/subjects/{SUBJECT}/versions/1")),
        ("PUT", "/config".to_owned()),
        ("PUT", format!("/config/{SUBJECT}")),
        ("PUT", "/mode".to_owned()),
    ] {
        let r = server.request(method, &path, &[CT], br#"{"schema":"x"}"#);
        assert_eq!(r.status, 405, "{method} {path}");
        let body = r.json();
        assert_eq!(body["error_code"], 42205, "{method} {path}");
        assert!(
            body["message"]
                .as_str()
                .expect("message")
                .contains("pull request")
        );
    }
}

#[test]
fn confluent_lookup_and_compatibility_match_by_meaning() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);
    let latest = server
        .get(&format!("/subjects/{SUBJECT}/versions/latest"))
        .json();

    // The text as served.
    let same = post_json(
        &server,
        &format!("/subjects/{SUBJECT}?normalize=False&deleted=True"),
        &json!({ "schema": latest["schema"], "schemaType": "PROTOBUF", "references": latest["references"] }),
    );
    assert_eq!(same.status, 200, "{}", same.text());
    assert_eq!(same.json()["id"], latest["id"]);
    assert_eq!(same.json()["version"], 2);

    // Comments and layout do not matter.
    let reformatted = latest["schema"]
        .as_str()
        .expect("text")
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| format!("   {l}"))
        .collect::<Vec<_>>()
        .join("\n");
    let r = post_json(
        &server,
        &format!("/subjects/{SUBJECT}"),
        &json!({ "schema": reformatted, "schemaType": "PROTOBUF" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["version"], 2);

    // protoc's descriptor, base64 (what the Python serializer sends), for
    // version 1: protoc of the v1.0.0 tree.
    git(&repo, &["checkout", "-q", "v1.0.0"]);
    let v1 = protoc_file(&repo, "acme/billing/v1/payment_captured.proto");
    let encoded = base64::engine::general_purpose::STANDARD.encode(v1.encode_to_vec());
    let r = post_json(
        &server,
        &format!("/subjects/{SUBJECT}"),
        &json!({ "schema": encoded, "schemaType": "PROTOBUF" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["version"], 1);

    // Something the registry does not have.
    let mut changed = v1.clone();
    changed.message_type[0].field[1].number = Some(77);
    let r = post_json(
        &server,
        &format!("/subjects/{SUBJECT}"),
        &json!({
            "schema": base64::engine::general_purpose::STANDARD.encode(changed.encode_to_vec()),
            "schemaType": "PROTOBUF"
        }),
    );
    assert_eq!(
        (r.status, r.json()["error_code"].clone()),
        (404, json!(40403))
    );
    // Said once, with the subject (was "Schema not found not found").
    assert_eq!(
        r.json()["message"],
        format!(
            "Schema not found: no version of subject '{SUBJECT}' means the same as the submitted schema"
        )
    );

    // A body that is not JSON: what is wrong, then what to send.
    let r = server.request("POST", &format!("/subjects/{SUBJECT}"), &[CT], b"notjson");
    assert_eq!(
        (r.status, r.json()["error_code"].clone()),
        (422, json!(42201))
    );
    assert_eq!(
        r.json()["message"],
        "Invalid request body: expected ident at line 1 column 2; send {\"schema\": \"...\", \"schemaType\": \"PROTOBUF\", \"references\": [...]}"
    );

    // Not protobuf, not a schema.
    let r = post_json(
        &server,
        &format!("/subjects/{SUBJECT}"),
        &json!({ "schema": "{}" }),
    );
    assert_eq!(
        (r.status, r.json()["error_code"].clone()),
        (422, json!(42201))
    );
    let r = post_json(
        &server,
        &format!("/subjects/{SUBJECT}"),
        &json!({ "schema": "message {", "schemaType": "PROTOBUF" }),
    );
    assert_eq!(
        (r.status, r.json()["error_code"].clone()),
        (422, json!(42201))
    );
    assert!(
        r.json()["message"]
            .as_str()
            .expect("message")
            .contains(":1:")
    );
    let r = server.request("POST", &format!("/subjects/{SUBJECT}"), &[CT], b"not json");
    assert_eq!(r.status, 422);

    // Compatibility under the repository's rules (FILE): adding a field is
    // compatible, renumbering one is not.
    git(&repo, &["checkout", "-q", "v1.1.0"]);
    let current = protoc_file(&repo, "acme/billing/v1/payment_captured.proto");
    let mut added = current.clone();
    added.message_type[0]
        .field
        .push(prost_types::FieldDescriptorProto {
            name: Some("extra".into()),
            number: Some(100),
            label: Some(1),
            r#type: Some(9),
            json_name: Some("extra".into()),
            ..Default::default()
        });
    let r = post_json(
        &server,
        &format!("/compatibility/subjects/{SUBJECT}/versions/latest?verbose=True"),
        &json!({
            "schema": base64::engine::general_purpose::STANDARD.encode(added.encode_to_vec()),
            "schemaType": "PROTOBUF"
        }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["is_compatible"], true, "{}", r.text());
    let mut renumbered = current.clone();
    renumbered.message_type[0].field[1].number = Some(77);
    let r = post_json(
        &server,
        &format!("/compatibility/subjects/{SUBJECT}/versions/latest"),
        &json!({
            "schema": base64::engine::general_purpose::STANDARD.encode(renumbered.encode_to_vec()),
            "schemaType": "PROTOBUF"
        }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["is_compatible"], false);
    let messages = body["messages"].to_string();
    assert!(
        messages.contains("FIELD_NO_DELETE") || messages.contains("FIELD_SAME"),
        "{messages}"
    );
}

#[test]
fn native_api_versions_diff_descriptor_and_caching() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);

    let topics = server.get("/api/v1/topics").json();
    let list = topics["topics"].as_array().expect("topics");
    assert_eq!(list.len(), 12);
    let pc = list.iter().find(|t| t["name"] == TOPIC).expect("topic");
    assert_eq!(pc["message"], "acme.billing.v1.PaymentCaptured");
    assert_eq!(pc["owners"], json!(["team-payments"]));
    assert_eq!(pc["latest_version"], 2);

    let detail = server.get(&format!("/api/v1/topics/{TOPIC}")).json();
    let versions = detail["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["release"], "v1.0.0");
    assert_eq!(versions[1]["release"], "v1.1.0");
    assert_ne!(versions[0]["fingerprint"], versions[1]["fingerprint"]);
    // Topics whose message did not change keep one version.
    let other = server
        .get("/api/v1/topics/identity.user-created.v2/versions")
        .json();
    assert_eq!(other["versions"].as_array().expect("versions").len(), 1);

    let latest = server.get(&format!("/api/v1/topics/{TOPIC}/versions/latest"));
    assert_eq!(latest.status, 200);
    assert_eq!(latest.header("cache-control"), Some("no-cache"));
    let body = latest.json();
    assert_eq!(body["version"], 2);
    assert_eq!(body["message_index"], json!([0]));
    let sources = body["sources"].as_array().expect("sources");
    assert_eq!(sources[0]["path"], "acme/billing/v1/payment_captured.proto");
    assert!(
        sources
            .iter()
            .any(|s| s["path"] == "acme/common/v1/money.proto")
    );
    // The id is the Confluent id of the same schema.
    let confluent = server
        .get(&format!("/subjects/{SUBJECT}/versions/latest"))
        .json();
    assert_eq!(body["id"], confluent["id"]);

    // Numbered versions are immutable, with strong ETags.
    let v2 = server.get(&format!("/api/v1/topics/{TOPIC}/versions/2"));
    assert_eq!(v2.body, latest.body);
    assert_eq!(
        v2.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    let etag = v2.header("etag").expect("etag").to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"));
    let revalidated = server.request(
        "GET",
        &format!("/api/v1/topics/{TOPIC}/versions/2"),
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(revalidated.status, 304);
    assert!(revalidated.body.is_empty());

    // The binary FileDescriptorSet holds the file and its imports.
    let fds = server.get(&format!("/api/v1/topics/{TOPIC}/versions/1/descriptor"));
    assert_eq!(fds.header("content-type"), Some("application/x-protobuf"));
    let set = prost_types::FileDescriptorSet::decode(fds.body.as_slice()).expect("set");
    let names: Vec<&str> = set.file.iter().map(|f| f.name()).collect();
    assert!(names.contains(&"acme/billing/v1/payment_captured.proto"));
    assert!(
        names.contains(&"google/protobuf/timestamp.proto"),
        "{names:?}"
    );
    let pc_file = set
        .file
        .iter()
        .find(|f| f.name() == "acme/billing/v1/payment_captured.proto")
        .expect("file");
    assert!(
        !pc_file.message_type[0]
            .field
            .iter()
            .any(|f| f.name() == "card_nickname")
    );

    // The diff between the versions.
    let diff = server
        .get(&format!("/api/v1/topics/{TOPIC}/diff?from=1&to=2"))
        .json();
    assert_eq!(diff["bump"], "minor");
    assert_eq!(diff["breaking"], json!([]));
    assert!(
        diff["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .any(|c| c["kind"] == "added"
                && c["name"] == "acme.billing.v1.PaymentCaptured.card_nickname")
    );
    assert!(
        diff["files"][0]["unified"]
            .as_str()
            .expect("unified")
            .contains("+  string card_nickname = 99;")
    );

    // Errors.
    let missing = server.get("/api/v1/topics/nope");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["error"]["code"], "topic_not_found");
    assert_eq!(
        server
            .get(&format!("/api/v1/topics/{TOPIC}/versions/3"))
            .status,
        404
    );
    assert_eq!(server.get("/api/v1/nothing").status, 404);

    let releases = server.get("/api/v1/releases").json();
    assert_eq!(releases["releases"].as_array().expect("releases").len(), 2);
    // The second tag re-linked only the changed file.
    assert_eq!(releases["releases"][1]["parsed"], 1);
    assert_eq!(releases["releases"][1]["linked"], 1);
}

#[test]
fn validate_enforces_one_event_type_per_topic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);
    let path = format!("/api/v1/topics/{TOPIC}/validate");

    let payload = br#"{"paymentId": "p-1", "amount": {"currencyCode": "EUR", "units": "5"}, "cardNickname": "x"}"#;
    let ok = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/json")],
        payload,
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    let body = ok.json();
    assert_eq!(body["valid"], true);
    assert_eq!(body["json"]["paymentId"], "p-1");
    assert_eq!(body["json"]["amount"]["units"], "5");

    // Version 1 has no card_nickname.
    let old = server.request(
        "POST",
        &format!("{path}?version=1"),
        &[("Content-Type", "application/json")],
        payload,
    );
    assert_eq!(old.status, 422, "{}", old.text());
    assert!(
        old.json()["error"]
            .as_str()
            .expect("error")
            .contains("cardNickname")
    );

    // Binary: the same message encoded by hand (field 2 = "p-1").
    let binary = [0x12, 3, b'p', b'-', b'1'];
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/x-protobuf")],
        &binary,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["json"]["paymentId"], "p-1");

    // A field the type does not have (another event type).
    let other = [0xa8, 0x06, 1]; // field 101, varint
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/x-protobuf")],
        &other,
    );
    assert_eq!(r.status, 422);
    assert!(r.json()["error"].as_str().expect("error").contains("101"));

    // Garbage.
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/x-protobuf")],
        &[0x12, 50, 1],
    );
    assert_eq!(r.status, 422);

    // Confluent framing: the id of another topic's schema is refused.
    let id = |subject: &str| {
        server
            .get(&format!("/subjects/{subject}/versions/latest"))
            .json()["id"]
            .as_u64()
            .expect("id") as u32
    };
    let mut framed = vec![0];
    framed.extend(id(SUBJECT).to_be_bytes());
    framed.push(0); // message indexes [0]
    framed.extend(binary);
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/octet-stream")],
        &framed,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["framed"], true);
    let mut wrong = vec![0];
    wrong.extend(id("identity.user-deleted.v1-value").to_be_bytes());
    wrong.push(0);
    wrong.extend(binary);
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/octet-stream")],
        &wrong,
    );
    assert_eq!(r.status, 422);
    assert!(
        r.json()["error"]
            .as_str()
            .expect("error")
            .contains("not a schema of topic")
    );
    // Index of another message in the same file.
    let mut index = vec![0];
    index.extend(id(SUBJECT).to_be_bytes());
    index.extend([2, 2]); // one index: 1
    index.extend(binary);
    let r = server.request(
        "POST",
        &path,
        &[("Content-Type", "application/octet-stream")],
        &index,
    );
    assert_eq!(r.status, 422, "{}", r.text());
}

/// Ids and fingerprints depend only on the schemas: a restart and a second
/// replica (its own clone) agree.
#[test]
fn ids_are_deterministic_across_restarts_and_replicas() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let snapshot = |server: &Server| -> Vec<Value> {
        server.get("/api/v1/topics").json()["topics"]
            .as_array()
            .expect("topics")
            .iter()
            .map(|t| {
                let name = t["name"].as_str().expect("name");
                server
                    .get(&format!("/api/v1/topics/{name}/versions"))
                    .json()
            })
            .collect()
    };
    let first = snapshot(&Server::start(&repo, &[]));
    let again = snapshot(&Server::start(&repo, &[]));
    assert_eq!(first, again);
    let replica = tmp.path().join("replica");
    run_ok(
        tmp.path(),
        "git",
        &[
            "clone",
            "-q",
            &repo.display().to_string(),
            &replica.display().to_string(),
        ],
    );
    let other = snapshot(&Server::start(&replica, &[]));
    assert_eq!(first, other);
}

#[test]
fn untagged_repository_serves_head() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("r");
    crate::common::copy_dir(&crate::common::repo_root().join("schemas"), &repo);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "x"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let server = Server::start(&repo, &[]);
    let v = server
        .get(&format!("/api/v1/topics/{TOPIC}/versions/latest"))
        .json();
    assert_eq!(v["release"].as_str(), Some(&head.trim()[..12]));
    assert_eq!(v["version"], 1);
}

/// A GitHub push webhook signed with `secret`.
fn push_hook(server: &Server, secret: &str) -> crate::common::serve::HttpResponse {
    github_hook(server, "push", secret, br#"{"ref":"refs/tags/v1.2.0"}"#)
}

fn wait_for(mut cond: impl FnMut() -> bool, what: &str) {
    let started = std::time::Instant::now();
    while !cond() {
        assert!(
            started.elapsed().as_secs() < 30,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A remote repository mirrored into a cache, refreshed by a signed GitHub
/// push webhook; a bad tag and an unreachable remote keep the last good
/// snapshot serving.
#[test]
fn remote_mirror_webhook_refresh_and_failures() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let origin = fixture_repo(tmp.path());
    let secret_file = tmp.path().join("secret");
    std::fs::write(&secret_file, "s3cret\n").expect("secret");
    let cache = tmp.path().join("mirror");
    let url = format!("file://{}", origin.display());
    let server = Server::start(
        Path::new(&url),
        &[
            "--cache-dir",
            &cache.display().to_string(),
            "--webhook-secret-file",
            &secret_file.display().to_string(),
        ],
    );
    assert_eq!(
        server.get("/api/v1/releases").json()["releases"]
            .as_array()
            .expect("releases")
            .len(),
        2
    );

    // Unsigned or wrongly signed: refused.
    let push = br#"{"ref":"refs/tags/v1.2.0"}"#;
    let unsigned = server.request(
        "POST",
        "/api/v1/hooks/github",
        &[("X-GitHub-Event", "push")],
        push,
    );
    assert_eq!(unsigned.status, 401);
    let wrong = server.request(
        "POST",
        "/api/v1/hooks/github",
        &[
            ("X-GitHub-Event", "push"),
            ("X-Hub-Signature-256", &hub_signature("other", push)),
        ],
        push,
    );
    assert_eq!(wrong.status, 401);

    // A new tag, then a signed push.
    add_field(
        &origin,
        "proto/acme/billing/v1/payment_captured.proto",
        "PaymentCaptured",
        "  // Loyalty points earned.\n  int64 points = 100;",
    );
    git(&origin, &["commit", "-q", "-am", "points"]);
    git(&origin, &["tag", "v1.2.0"]);
    let signed = push_hook(&server, "s3cret");
    assert_eq!(signed.status, 202, "{}", signed.text());
    wait_for(
        || server.get(&format!("/api/v1/topics/{TOPIC}")).json()["latest_version"] == 3,
        "v1.2.0 to be served",
    );

    // A tag that does not compile: skipped, reported, the rest served.
    std::fs::write(
        origin.join("proto/acme/billing/v1/broken.proto"),
        "syntax = \"proto3\";\nmessage {\n",
    )
    .expect("write");
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-q", "-m", "broken"]);
    git(&origin, &["tag", "v1.3.0"]);
    let signed = push_hook(&server, "s3cret");
    assert_eq!(signed.status, 202);
    wait_for(
        || server.get("/readyz").json()["status"] == "degraded",
        "the bad tag to be reported",
    );
    let ready = server.get("/readyz");
    assert_eq!(ready.status, 200);
    let body = ready.json();
    assert_eq!(body["release_errors"][0]["release"], "v1.3.0");
    assert!(
        body["release_errors"][0]["message"]
            .as_str()
            .expect("message")
            .contains("broken.proto:2:")
    );
    assert_eq!(
        server.get(&format!("/api/v1/topics/{TOPIC}")).json()["latest_version"],
        3
    );
    let metrics = server.get("/metrics").text();
    assert!(metrics.contains("schemactl_release_errors 1"), "{metrics}");
    assert!(metrics.contains("schemactl_last_refresh_ok 0"), "{metrics}");

    // The remote disappears: the fetch fails, the snapshot stays.
    std::fs::rename(&origin, tmp.path().join("gone")).expect("rename");
    let signed = push_hook(&server, "s3cret");
    assert_eq!(signed.status, 202);
    wait_for(
        || {
            server.get("/readyz").json()["last_refresh_error"]
                .as_str()
                .is_some_and(|e| e.contains("fetching"))
        },
        "the fetch failure to be reported",
    );
    assert_eq!(
        server.get(&format!("/api/v1/topics/{TOPIC}")).json()["latest_version"],
        3
    );
    assert_eq!(
        server.get(&format!("/subjects/{SUBJECT}/versions")).json(),
        json!([1, 2, 3])
    );
}

#[test]
fn operations_auth_limits_metrics_and_shutdown() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let token_file = tmp.path().join("token");
    std::fs::write(&token_file, "t0ken\n").expect("token");
    let server = Server::start(
        &repo,
        &[
            "--token-file",
            &token_file.display().to_string(),
            "--body-limit",
            "1000",
        ],
    );

    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/readyz").json()["status"], "ready");
    let denied = server.get("/subjects");
    assert_eq!(denied.status, 401);
    assert_eq!(denied.json()["error_code"], 401);
    assert_eq!(server.get("/api/v1/topics").status, 401);
    let bearer = server.request(
        "GET",
        "/subjects",
        &[("Authorization", "Bearer t0ken")],
        b"",
    );
    assert_eq!(bearer.status, 200);
    let basic = base64::engine::general_purpose::STANDARD.encode("user:t0ken");
    let basic = server.request(
        "GET",
        "/api/v1/topics",
        &[("Authorization", &format!("Basic {basic}"))],
        b"",
    );
    assert_eq!(basic.status, 200);
    let wrong = server.request("GET", "/subjects", &[("Authorization", "Bearer nope")], b"");
    assert_eq!(wrong.status, 401);

    // Bodies over the limit are refused before they are read.
    let big = vec![b'x'; 5000];
    let r = server.request(
        "POST",
        &format!("/subjects/{SUBJECT}"),
        &[CT, ("Authorization", "Bearer t0ken")],
        &big,
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error_code"], 413, "{}", r.text());
    let r = server.request(
        "POST",
        &format!("/api/v1/topics/{TOPIC}/validate"),
        &[("Authorization", "Bearer t0ken")],
        &big,
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"]["code"], "payload_too_large");
    // A method the route does not have: JSON too.
    let r = server.request(
        "PUT",
        "/api/v1/topics",
        &[("Authorization", "Bearer t0ken")],
        b"",
    );
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");

    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    let text = metrics.text();
    assert!(
        text.contains(
            "schemactl_http_requests_total{route=\"/subjects\",method=\"GET\",status=\"401\"} 2"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "schemactl_http_requests_total{route=\"/subjects\",method=\"GET\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "schemactl_http_request_duration_seconds_bucket{route=\"/api/v1/topics\",le=\"+Inf\"} 3"
        ),
        "{text}"
    );
    // Refusals outside the handlers are counted too.
    assert!(
        text.contains(
            "schemactl_http_requests_total{route=\"/subjects/{subject}\",method=\"POST\",status=\"413\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("schemactl_releases_loaded 2"), "{text}");
    assert!(text.contains("schemactl_snapshot_age_seconds "), "{text}");
    assert!(text.contains("schemactl_compile_seconds "), "{text}");

    let status = server.terminate();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
}
