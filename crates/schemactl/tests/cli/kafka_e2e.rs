//! One event type per topic, end to end, with real parts only: a schema
//! repository with two releases, a real Kafka broker (common/broker.rs) set
//! up by `schemactl kafka apply` from the repository's catalog, and
//! `schemactl serve` on the repository as the schema registry. A Go program
//! (franz-go, SASL/PLAIN as `identity-service`) produces a `UserCreated`
//! with the generated topic binding's `Encode`; a Python consumer
//! (confluent-kafka's `Consumer` and `ProtobufDeserializer` against serve)
//! reads it back equal, field by field. Then records of another type are
//! written to the same topic (raw, framed with another topic's schema id,
//! behind the topic's own header, and with wrong message indexes), and
//! `schemactl kafka audit` reports each by cause and offset, in text and
//! JSON, and counts the good record as good; a topic with only its own type (in zstd batches, per Kafka's
//! DumpLogSegments) audits clean. The audit runs as the catalog's reader
//! (READ, no consumer group) and is refused to a producer.
//!
//! Needs Kafka (SCHEMACTL_KAFKA_LIBS), Go with protoc-gen-go (the Go module
//! proxy for franz-go), the Python clients and protoc: scripts/test.sh
//! installs and sets them all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::broker::{ADMIN, BILLING, Broker, IDENTITY};
use crate::common::serve::Server;
use crate::common::{Run, repo_root, schemactl};
use crate::generate_go::{
    MODULE, Tools, clients_python, generate_checked, released_go_repo, tools,
};

const CREATED: &str = "identity.user-created.v2";
const DELETED: &str = "identity.user-deleted.v1";

/// The franz-go release the producer is built with, from the module proxy.
const FRANZ_GO: &str = "v1.22.3";

/// `deletions` in the producer.
const DELETIONS: i64 = 20;

/// A schema repository with the example schemas and a catalog of two
/// topics, generating Go (protoc-gen-go, the topic bindings and the Go
/// package into gen/go), released twice: `v1.0.0`, then `v1.1.0` adding a
/// field to `acme.identity.v2.UserCreated`, so its topic has two schema ids.
fn repo(dir: &Path, tools: &Tools) -> PathBuf {
    let topics = format!(
        "topics:\n\
         \x20 {CREATED}:\n\
         \x20   message: acme.identity.v2.UserCreated\n\
         \x20   owners: [team-identity]\n\
         \x20   producers: [identity-service]\n\
         \x20   readers: [billing-service]\n\
         \x20   description: A user account was created (UUID ids, given and family name).\n\
         \x20   partitions: 12\n\
         \x20   retention: 7d\n\
         \x20 {DELETED}:\n\
         \x20   message: acme.identity.v1.UserDeleted\n\
         \x20   owners: [team-identity]\n\
         \x20   producers: [identity-service]\n\
         \x20   description: A user account was deleted.\n\
         \x20   partitions: 12\n\
         \x20   retention: 30d\n"
    );
    released_go_repo(
        dir,
        tools,
        &topics,
        (
            "proto/acme/identity/v2/user_created.proto",
            "UserCreated",
            "  // The user's time zone, an IANA name.\n  string time_zone = 10;",
        ),
    )
}

/// The producer: `producer BOOTSTRAP USER PASSWORD good|bad OUT_DIR`.
/// `good` sends a `UserCreated` to identity.user-created.v2 and
/// [`DELETIONS`] `UserDeleted` to identity.user-deleted.v1 with the topic
/// bindings' `Encode` (all to partition 0; zstd where it helps), and writes the `UserCreated` as proto3
/// JSON to OUT_DIR/user_created.json. `bad` sends two records of another
/// type to identity.user-created.v2: a `UserDeleted` without the Confluent
/// header (partition 5), one framed with identity.user-deleted.v1's schema
/// id (partition 0), one behind identity.user-created.v2's own header
/// (partition 7), and a `UserCreated` with wrong message indexes
/// (partition 9). Prints `produced TOPIC PARTITION OFFSET` per
/// record.
const PRODUCER: &str = r#"package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	commonv1 "example.com/acme/schemas/gen/go/acme/common/v1"
	identityv1 "example.com/acme/schemas/gen/go/acme/identity/v1"
	identityv2 "example.com/acme/schemas/gen/go/acme/identity/v2"
	"example.com/acme/schemas/gen/go/topics"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// How many UserDeleted records `good` sends, in compressible batches.
const deletions = 20

func main() {
	bootstrap, user, password, mode, out := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5]
	client, err := kgo.NewClient(
		kgo.SeedBrokers(bootstrap),
		kgo.SASL(plain.Auth{User: user, Pass: password}.AsMechanism()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.RecordDeliveryTimeout(30*time.Second),
		// Batches that shrink are sent compressed: the audit decompresses.
		// Lingering puts the deletions in one batch, which shrinks.
		kgo.ProducerBatchCompression(kgo.ZstdCompression()),
		kgo.ProducerLinger(100*time.Millisecond),
	)
	must(err)
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	at := timestamppb.New(time.Date(2026, 12, 7, 21, 0, 0, 0, time.UTC))
	created := &identityv2.UserCreated{
		Metadata: &commonv1.EventMetadata{
			EventId:   "evt-e2e-1",
			EventTime: at,
			Producer:  "identity-service",
			Actor:     &commonv1.Actor{Kind: &commonv1.Actor_ServiceName{ServiceName: "signup"}},
		},
		UserId:         "4f1c2a7e-9b3d-4c55-8e21-6a0d3f9b7c12",
		OrganizationId: "b7e0c9d2-1f4a-4e8b-9c3d-2a5f6e7d8c90",
		Email:          "ada@example.com",
		GivenName:      "Ada",
		FamilyName:     "Lovelace",
		SignupMethod:   identityv2.SignupMethod_SIGNUP_METHOD_PASSKEY,
		Locale:         proto.String("en-GB"),
		LegacyUserId:   proto.Int64(42),
		TimeZone:       "Europe/London",
	}
	deleted := &identityv1.UserDeleted{
		Metadata:       &commonv1.EventMetadata{EventId: "evt-e2e-2", EventTime: at, Producer: "identity-service"},
		UserId:         42,
		OrganizationId: 7,
		Reason:         identityv1.UserDeletionReason_USER_DELETION_REASON_USER_REQUEST,
		EraseTime:      at,
	}

	var records []*kgo.Record
	switch mode {
	case "good":
		value, err := topics.IdentityUserCreatedV2.Encode(created)
		must(err)
		j, err := protojson.Marshal(created)
		must(err)
		must(os.WriteFile(filepath.Join(out, "user_created.json"), j, 0o644))
		records = append(records,
			&kgo.Record{Topic: topics.IdentityUserCreatedV2.Name(), Partition: 0, Key: []byte(created.UserId), Value: value})
		for i := range deletions {
			d := proto.Clone(deleted).(*identityv1.UserDeleted)
			d.Metadata.EventId = fmt.Sprintf("evt-e2e-deleted-%d", i)
			d.UserId = int64(100 + i)
			other, err := topics.IdentityUserDeletedV1.Encode(d)
			must(err)
			records = append(records, &kgo.Record{Topic: topics.IdentityUserDeletedV1.Name(), Partition: 0, Key: []byte("42"), Value: other})
		}
		fmt.Printf("schema_id %s %d\n", topics.IdentityUserCreatedV2.Name(), topics.IdentityUserCreatedV2.SchemaID())
	case "bad":
		raw, err := proto.Marshal(deleted)
		must(err)
		framed, err := topics.IdentityUserDeletedV1.Encode(deleted)
		must(err)
		// The topic's own header (schema id, indexes [0]) on another
		// message's bytes: what a producer with the wrong class writes.
		own, err := topics.IdentityUserCreatedV2.Encode(created)
		must(err)
		disguised := append(own[:6:6], raw...)
		// The topic's schema id with message indexes [1] (count 1, index
		// 1, zigzag): a message the schema's file does not have there.
		misindexed := append(append(own[:5:5], 2, 2), own[6:]...)
		records = append(records,
			&kgo.Record{Topic: topics.IdentityUserCreatedV2.Name(), Partition: 5, Key: []byte("42"), Value: raw},
			&kgo.Record{Topic: topics.IdentityUserCreatedV2.Name(), Partition: 0, Key: []byte("42"), Value: framed},
			&kgo.Record{Topic: topics.IdentityUserCreatedV2.Name(), Partition: 7, Key: []byte("42"), Value: disguised},
			&kgo.Record{Topic: topics.IdentityUserCreatedV2.Name(), Partition: 9, Key: []byte("42"), Value: misindexed})
	default:
		must(fmt.Errorf("unknown mode %q", mode))
	}
	for _, r := range client.ProduceSync(ctx, records...) {
		must(r.Err)
		fmt.Printf("produced %s %d %d\n", r.Record.Topic, r.Record.Partition, r.Record.Offset)
	}
}
"#;

/// Builds the producer in its own module, which uses the generated module
/// through a `replace` and franz-go from the module proxy (`-mod=mod`
/// fills go.sum from the generated module's and the proxy's).
fn build_producer(tmp: &Path, tools: &Tools, gen_go: &Path) -> PathBuf {
    let dir = tmp.join("producer");
    std::fs::create_dir_all(&dir).expect("mkdir producer");
    std::fs::write(
        dir.join("go.mod"),
        format!(
            "module example.com/producer\n\ngo 1.26\n\nrequire (\n\t{MODULE} v0.0.0\n\
             \tgithub.com/twmb/franz-go {FRANZ_GO}\n\tgoogle.golang.org/protobuf v1.36.12\n)\n\n\
             replace {MODULE} => {}\n",
            gen_go.display()
        ),
    )
    .expect("producer go.mod");
    std::fs::copy(gen_go.join("go.sum"), dir.join("go.sum")).expect("producer go.sum");
    std::fs::write(dir.join("main.go"), PRODUCER).expect("producer main.go");
    let bin = dir.join("producer");
    let out = Command::new(&tools.go)
        .args(["build", "-o"])
        .arg(&bin)
        .arg(".")
        .current_dir(&dir)
        .env("GOFLAGS", "-mod=mod -buildvcs=false")
        .env("GOWORK", "off")
        .output()
        .expect("run go build");
    assert!(
        out.status.success(),
        "building the franz-go producer failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    bin
}

/// Runs the producer as `identity-service`; its `produced` lines as
/// (topic, partition, offset), and its stdout.
fn produce(
    bin: &Path,
    broker: &Broker,
    mode: &str,
    out: &Path,
) -> (Vec<(String, i32, i64)>, String) {
    let run = Command::new(bin)
        .args([&broker.bootstrap, IDENTITY.0, IDENTITY.1, mode])
        .arg(out)
        .output()
        .expect("run the producer");
    let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "the producer ({mode}) failed:\n{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut produced: Vec<(String, i32, i64)> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("produced "))
        .map(|l| {
            let parts: Vec<&str> = l.split(' ').collect();
            (
                parts[0].to_owned(),
                parts[1].parse().expect("a partition"),
                parts[2].parse().expect("an offset"),
            )
        })
        .collect();
    // ProduceSync answers in no set order.
    produced.sort();
    (produced, stdout)
}

fn kafka(dir: &Path, broker: &Broker, args: &[&str]) -> Run {
    let config = broker.admin_config();
    let mut all: Vec<&str> = args.to_vec();
    all.extend([
        "--bootstrap-server",
        &broker.bootstrap,
        "--command-config",
        config.to_str().expect("utf-8 path"),
    ]);
    schemactl(dir, &all)
}

/// `schemactl kafka audit` of `topic` as the user of `config`.
fn audit_as(broker: &Broker, config: &Path, repo: &Path, topic: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "kafka",
        "audit",
        repo.to_str().expect("utf-8 path"),
        "--topic",
        topic,
        "--bootstrap-server",
        &broker.bootstrap,
        "--command-config",
        config.to_str().expect("utf-8 path"),
    ];
    args.extend(extra);
    schemactl(repo.parent().expect("the repository's parent"), &args)
}

fn served_id(server: &Server, topic: &str, version: &str) -> u64 {
    server
        .get(&format!("/subjects/{topic}-value/versions/{version}"))
        .json()["id"]
        .as_u64()
        .unwrap_or_else(|| panic!("no id for {topic} version {version}"))
}

#[test]
fn one_type_per_topic_from_go_producer_to_python_consumer_and_audit() {
    let (Some(tools), Some(python)) = (tools(), clients_python()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = repo(tmp.path(), &tools);
    generate_checked(tmp.path(), &tools, &repo);
    let producer = build_producer(tmp.path(), &tools, &repo.join("gen/go"));
    let Some(broker) = Broker::start() else {
        return;
    };

    // The cluster as the repository's catalog says.
    let apply = kafka(&repo, &broker, &["kafka", "apply"]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
    assert!(
        apply.stdout.contains("applied: 2 topics to create"),
        "{}",
        apply.stdout
    );
    let server = Server::start(&repo, &[]);
    let created_ids = [
        served_id(&server, CREATED, "1"),
        served_id(&server, CREATED, "2"),
    ];
    let deleted_id = served_id(&server, DELETED, "latest");
    assert_ne!(created_ids[0], created_ids[1]);
    assert!(!created_ids.contains(&deleted_id));

    // Go writes the good records with the bindings.
    let (produced, stdout) = produce(&producer, &broker, "good", tmp.path());
    let expected: Vec<(String, i32, i64)> = std::iter::once((CREATED.to_owned(), 0, 0))
        .chain((0..DELETIONS).map(|o| (DELETED.to_owned(), 0, o)))
        .collect();
    assert_eq!(produced, expected, "{stdout}");
    // Batches of the deletions went compressed (per Kafka's own log dump),
    // so the audit below decompresses what the broker stored.
    let dump = broker.dump_log(DELETED, 0);
    assert!(dump.contains("compresscodec: zstd"), "{dump}");
    assert!(
        stdout.contains(&format!("schema_id {CREATED} {}\n", created_ids[1])),
        "the binding does not write the served id {}:\n{stdout}",
        created_ids[1]
    );

    // Python reads it back through the registry. The consumer joins a
    // group; it runs as `admin`, the super user, because the catalog grants
    // consumer groups nothing (readers get READ on the topic only).
    let fds = tmp.path().join("user_created.binpb");
    crate::common::protoc_descriptor_set(
        &repo.join("proto"),
        "acme/identity/v2/user_created.proto",
        &fds,
    );
    let out = Command::new(&python)
        .arg(repo_root().join("tests/clients/kafka_consume.py"))
        .args(["--bootstrap", &broker.bootstrap, "--user", ADMIN.0])
        .args(["--password", ADMIN.1, "--topic", CREATED])
        .args(["--registry", &server.url])
        .args(["--message", "acme.identity.v2.UserCreated", "--count", "1"])
        .arg("--descriptor-set")
        .arg(&fds)
        .output()
        .expect("run kafka_consume.py");
    let consumed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "kafka_consume.py failed:\n{consumed}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: Value = serde_json::from_str(consumed.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("not a JSON line ({e}): {consumed}"));
    assert_eq!(record["partition"], 0, "{record}");
    assert_eq!(record["offset"], 0, "{record}");
    assert_eq!(
        record["schema_id"].as_u64(),
        Some(created_ids[1]),
        "{record}"
    );
    assert_eq!(
        record["message_indexes"],
        serde_json::json!([0]),
        "{record}"
    );
    let sent: Value = serde_json::from_slice(
        &std::fs::read(tmp.path().join("user_created.json")).expect("user_created.json"),
    )
    .expect("Go's protojson");
    let (Some(sent), Some(got)) = (sent.as_object(), record["message"].as_object()) else {
        panic!("not objects: {sent} / {record}");
    };
    assert_eq!(sent.len(), 10, "every field set: {sent:?}");
    for (field, value) in sent {
        assert_eq!(got.get(field), Some(value), "field {field}");
    }
    assert_eq!(
        got.keys().collect::<BTreeSet<_>>(),
        sent.keys().collect::<BTreeSet<_>>(),
        "the fields read are not the fields sent"
    );

    // Records of another type on the same topic.
    let (produced, stdout) = produce(&producer, &broker, "bad", tmp.path());
    assert_eq!(
        produced,
        [
            (CREATED.to_owned(), 0, 1),
            (CREATED.to_owned(), 5, 0),
            (CREATED.to_owned(), 7, 0),
            (CREATED.to_owned(), 9, 0)
        ],
        "{stdout}"
    );

    let audit = audit_as(&broker, &broker.admin_config(), &repo, CREATED, &[]);
    eprintln!("{}", audit.stdout);
    assert_eq!(audit.code, 1, "{}{}", audit.stdout, audit.stderr);
    // The undecodable record's detail ends in the Protobuf decoder's own
    // words; the rest is schemactl's.
    let expected = format!(
        "{CREATED}: 5 records read, 1 acme.identity.v2.UserCreated, 4 not\n\
         \x20 version 2: 1 record\n\
         \x20 no Confluent header (magic byte 0 and schema id): 1\n\
         \x20   partition 5 offset 0: the first byte is 0x0a, not the magic byte 0\n\
         \x20 a schema id that is none of the topic's versions: 1\n\
         \x20   partition 0 offset 1: schema id {deleted_id}; the topic's are {}, {}\n\
         \x20 message indexes naming another message of the schema: 1\n\
         \x20   partition 9 offset 0: schema id {}: indexes [1] name no message of \
         acme/identity/v2/user_created.proto, not acme.identity.v2.UserCreated (indexes [0])\n\
         \x20 bytes that do not decode as the topic's message: 1\n\
         \x20   partition 7 offset 0: schema id {}: ",
        created_ids[0], created_ids[1], created_ids[1], created_ids[1]
    );
    assert!(
        audit.stdout.starts_with(&expected) && audit.stdout.matches('\n').count() == 10,
        "{}",
        audit.stdout
    );
    let audit_stdout = audit.stdout;

    let json = kafka(
        tmp.path(),
        &broker,
        &[
            "kafka",
            "audit",
            repo.to_str().expect("utf-8 path"),
            "--topic",
            CREATED,
            "--format",
            "json",
        ],
    );
    assert_eq!(json.code, 1, "{}{}", json.stdout, json.stderr);
    let report: Value = serde_json::from_str(&json.stdout).expect("audit JSON");
    assert_eq!(report["topic"], CREATED);
    assert_eq!(report["message"], "acme.identity.v2.UserCreated");
    assert_eq!(report["records"], 5);
    assert_eq!(report["ok"], 1);
    assert_eq!(report["versions"], serde_json::json!({"2": 1}));
    let causes = &report["causes"];
    assert_eq!(
        causes
            .as_object()
            .map(|c| c.keys().map(String::as_str).collect::<BTreeSet<_>>()),
        Some(BTreeSet::from([
            "no_confluent_header",
            "undecodable",
            "unknown_schema_id",
            "wrong_message"
        ])),
        "{report:#}"
    );
    assert_eq!(causes["no_confluent_header"]["count"], 1);
    assert_eq!(
        causes["no_confluent_header"]["first"],
        serde_json::json!([{"partition": 5, "offset": 0, "detail": "the first byte is 0x0a, not the magic byte 0"}])
    );
    assert_eq!(causes["unknown_schema_id"]["count"], 1);
    assert_eq!(causes["unknown_schema_id"]["first"][0]["partition"], 0);
    assert_eq!(causes["unknown_schema_id"]["first"][0]["offset"], 1);
    assert_eq!(causes["undecodable"]["count"], 1);
    assert_eq!(causes["undecodable"]["first"][0]["partition"], 7);
    assert_eq!(causes["undecodable"]["first"][0]["offset"], 0);
    assert_eq!(causes["wrong_message"]["count"], 1);
    assert_eq!(causes["wrong_message"]["first"][0]["partition"], 9);
    assert_eq!(causes["wrong_message"]["first"][0]["offset"], 0);

    // The audit needs READ on the topic and no consumer group: the reader
    // the catalog names runs it; a producer (WRITE and DESCRIBE only) is
    // refused by the broker, with a clear error.
    let reader = audit_as(
        &broker,
        &broker.client_config(BILLING, "PLAIN"),
        &repo,
        CREATED,
        &[],
    );
    assert_eq!(
        (reader.code, reader.stdout.as_str()),
        (1, audit_stdout.as_str()),
        "{}",
        reader.stderr
    );
    let producer = audit_as(
        &broker,
        &broker.client_config(IDENTITY, "PLAIN"),
        &repo,
        CREATED,
        &[],
    );
    assert_eq!(producer.code, 2, "{}{}", producer.stdout, producer.stderr);
    assert!(
        producer.stderr.contains(&format!(
            "error: reading {CREATED}-0 (a fetch needs READ on the topic): TOPIC_AUTHORIZATION_FAILED"
        )),
        "{}",
        producer.stderr
    );

    // A topic with only its own type is clean.
    let clean = kafka(
        tmp.path(),
        &broker,
        &[
            "kafka",
            "audit",
            repo.to_str().expect("utf-8 path"),
            "--topic",
            DELETED,
        ],
    );
    assert_eq!(
        (clean.code, clean.stdout.as_str()),
        (
            0,
            format!(
                "{DELETED}: {DELETIONS} records read, {DELETIONS} acme.identity.v1.UserDeleted, 0 not\n  version 1: {DELETIONS} records\n"
            )
            .as_str()
        ),
        "{}",
        clean.stderr
    );
    let first = kafka(
        tmp.path(),
        &broker,
        &[
            "kafka",
            "audit",
            repo.to_str().expect("utf-8 path"),
            "--topic",
            DELETED,
            "--max-records",
            "5",
        ],
    );
    assert_eq!(
        (first.code, first.stdout.as_str()),
        (
            0,
            format!(
                "{DELETED}: 5 records read (the first 5: --max-records), 5 acme.identity.v1.UserDeleted, 0 not\n  version 1: 5 records\n"
            )
            .as_str()
        ),
        "{}",
        first.stderr
    );
}
