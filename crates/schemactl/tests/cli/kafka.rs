//! `schemactl kafka plan` and `apply` against a real Apache Kafka broker
//! (KRaft, SASL, the standard authorizer; common/broker.rs), checked with
//! Kafka's own tools and the real confluent-kafka producer.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::broker::{BILLING, Broker, IDENTITY, SCRAM};
use crate::common::{Run, copy_dir, repo_root, schemactl};

fn kafka(dir: &Path, broker: &Broker, config: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&str> = args.to_vec();
    let config = config.to_str().expect("utf-8 path");
    all.extend([
        "--bootstrap-server",
        &broker.bootstrap,
        "--command-config",
        config,
    ]);
    schemactl(dir, &all)
}

/// Produces one record as `user` with confluent-kafka; the broker's answer.
fn produce(broker: &Broker, (user, password): (&str, &str), topic: &str) -> String {
    let Ok(python) = std::env::var("SCHEMACTL_CLIENTS_PYTHON") else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
            "SCHEMACTL_CLIENTS_PYTHON is not set: run scripts/test.sh"
        );
        return "skipped".to_owned();
    };
    let out = Command::new(python)
        .arg(repo_root().join("tests/clients/kafka_produce.py"))
        .args([&broker.bootstrap, user, password, topic, "0a0141"])
        .output()
        .expect("run the Python producer");
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "the producer failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `kafka-topics.sh --describe`'s view of a topic: partition count and the
/// topic's config overrides.
fn describe_topic(broker: &Broker, topic: &str) -> (usize, String) {
    let out = broker.tool(
        "org.apache.kafka.tools.TopicCommand",
        &["--describe", "--topic", topic],
    );
    let summary = out
        .lines()
        .find(|l| l.contains("PartitionCount:"))
        .unwrap_or_else(|| panic!("no summary for {topic}:\n{out}"));
    let count = summary
        .split("PartitionCount:")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("a partition count");
    (count, summary.to_owned())
}

/// The whole story on the example catalog: plan, apply, topics as the
/// catalog says (per Kafka's own tools), the producer's ACLs enforced, an
/// empty second plan, drift, extra ACLs pruned, partitions grown and never
/// shrunk, and clear errors for bad credentials, missing permissions, a
/// silent broker and a stopped one.
#[test]
fn catalog_applies_to_a_real_broker() {
    let Some(mut broker) = Broker::start() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let schemas = tmp.path().join("schemas");
    copy_dir(&repo_root().join("schemas"), &schemas);
    let admin = broker.admin_config();

    // A fresh cluster: everything to do.
    let plan = kafka(&schemas, &broker, &admin, &["kafka", "plan"]);
    assert_eq!(plan.code, 1, "{}{}", plan.stdout, plan.stderr);
    assert!(plan.stdout.contains("+ create topic identity.user-created.v1 (12 partitions, replication factor default, retention.ms=604800000)"), "{}", plan.stdout);
    assert!(
        plan.stdout.contains(
            "+ add ACL: ALLOW User:identity-service WRITE on TOPIC identity.user-created.v1"
        ),
        "{}",
        plan.stdout
    );
    assert!(plan.stdout.ends_with("plan: 12 topics to create, 0 topics to grow, 0 configs to set, 28 ACLs to add, 0 extra ACLs, 0 unmanaged configs\n"), "{}", plan.stdout);
    let json = kafka(
        &schemas,
        &broker,
        &admin,
        &["kafka", "plan", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan JSON");
    assert_eq!(json["in_sync"], false);
    assert_eq!(json["actions"].as_array().map(Vec::len), Some(40));
    assert_eq!(json["actions"][0]["action"], "create_topic");

    let apply = kafka(&schemas, &broker, &admin, &["kafka", "apply"]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
    assert!(
        apply.stdout.contains("applied: 12 topics to create"),
        "{}",
        apply.stdout
    );

    // Every topic of the catalog exists with its partitions and retention,
    // as Kafka's own kafka-topics tool reports them.
    let config = schemactl_config_topics(&schemas);
    assert_eq!(config.len(), 12);
    for (topic, partitions, retention_ms) in &config {
        let (count, summary) = describe_topic(&broker, topic);
        assert_eq!(count, *partitions, "{summary}");
        assert!(
            summary.contains(&format!("retention.ms={retention_ms}")),
            "{summary}"
        );
    }

    // The producer the catalog names writes; another service is refused.
    let identity = produce(&broker, IDENTITY, "identity.user-created.v1");
    if identity != "skipped" {
        assert!(identity.starts_with("delivered "), "{identity}");
        assert_eq!(
            produce(&broker, BILLING, "identity.user-created.v1"),
            "TOPIC_AUTHORIZATION_FAILED"
        );
    }

    // A second plan is empty; apply again does nothing.
    let again = kafka(&schemas, &broker, &admin, &["kafka", "plan"]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, "in sync: the cluster matches the catalog\n"),
        "{}",
        again.stderr
    );
    let again = kafka(&schemas, &broker, &admin, &["kafka", "apply"]);
    assert_eq!(
        (again.code, again.stdout.as_str()),
        (0, "in sync: nothing to apply\n"),
        "{}",
        again.stderr
    );

    // The same over the TLS listener (SASL_SSL), trusting the test CA; and
    // refused without it.
    let tls_config = |trust: &str| {
        let path = broker
            .dir
            .path()
            .join(format!("admin-tls-{}.properties", trust.len()));
        std::fs::write(
            &path,
            format!(
                "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n\
                 sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"admin-secret\";\n{trust}"
            ),
        )
        .expect("write");
        path
    };
    let trusted = tls_config(&format!(
        "ssl.truststore.type=PEM\nssl.truststore.location={}\n",
        broker.ca_pem().display()
    ));
    let tls = schemactl(
        &schemas,
        &[
            "kafka",
            "plan",
            "--bootstrap-server",
            &broker.bootstrap_tls,
            "--command-config",
            trusted.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(
        (tls.code, tls.stdout.as_str()),
        (0, "in sync: the cluster matches the catalog\n"),
        "{}",
        tls.stderr
    );
    let untrusted = tls_config("");
    let refused = schemactl(
        &schemas,
        &[
            "kafka",
            "plan",
            "--bootstrap-server",
            &broker.bootstrap_tls,
            "--command-config",
            untrusted.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.starts_with(&format!("error: TLS to {}: handshake failed: invalid peer certificate: UnknownIssuer\nhint: set ssl.truststore.location (PEM)", broker.bootstrap_tls)), "{}", refused.stderr);

    // A config changed by hand is drift; apply puts it back.
    broker.tool(
        "org.apache.kafka.tools.ConfigCommand",
        &[
            "--alter",
            "--entity-type",
            "topics",
            "--entity-name",
            "identity.user-created.v1",
            "--add-config",
            "retention.ms=1000,cleanup.policy=compact",
        ],
    );
    let drift = kafka(&schemas, &broker, &admin, &["kafka", "plan"]);
    assert_eq!(drift.code, 1, "{}", drift.stderr);
    assert_eq!(
        drift.stdout,
        "~ config drift on identity.user-created.v1: retention.ms is 1000, the catalog says 604800000\n\
         - identity.user-created.v1 overrides cleanup.policy=compact and the catalog does not set it (removed with --prune)\n\
         plan: 0 topics to create, 0 topics to grow, 1 configs to set, 0 ACLs to add, 0 extra ACLs, 1 unmanaged configs\n"
    );
    let markdown = kafka(
        &schemas,
        &broker,
        &admin,
        &["kafka", "plan", "--format", "markdown"],
    );
    assert!(
        markdown
            .stdout
            .contains("| ✏️ | config drift on identity.user-created.v1: retention.ms is 1000"),
        "{}",
        markdown.stdout
    );

    // An ACL the catalog does not grant: reported, left alone by apply,
    // removed by apply --prune (with the unmanaged override).
    broker.tool(
        "org.apache.kafka.tools.AclCommand",
        &[
            "--add",
            "--allow-principal",
            "User:billing-service",
            "--operation",
            "Write",
            "--topic",
            "identity.user-created.v1",
        ],
    );
    let apply = kafka(&schemas, &broker, &admin, &["kafka", "apply"]);
    assert_eq!(apply.code, 0, "{}{}", apply.stdout, apply.stderr);
    assert!(apply.stderr.contains("note: left alone: extra ACL the catalog does not grant (removed with --prune): ALLOW User:billing-service WRITE on TOPIC identity.user-created.v1"), "{}", apply.stderr);
    if let Some(answer) = produce_word(&broker, BILLING) {
        assert_eq!(answer, "delivered");
    }
    let prune = kafka(&schemas, &broker, &admin, &["kafka", "apply", "--prune"]);
    assert_eq!(prune.code, 0, "{}{}", prune.stdout, prune.stderr);
    let clean = kafka(&schemas, &broker, &admin, &["kafka", "plan"]);
    assert_eq!(
        clean.stdout, "in sync: the cluster matches the catalog\n",
        "{}",
        clean.stderr
    );
    if let Some(answer) = produce_word(&broker, BILLING) {
        assert_eq!(answer, "TOPIC_AUTHORIZATION_FAILED");
    }

    // Partitions grow; they never shrink.
    let yaml = schemas.join("schemactl.yaml");
    let text = std::fs::read_to_string(&yaml).expect("schemactl.yaml");
    let grown = text.replacen("partitions: 3\n", "partitions: 4\n", 1);
    std::fs::write(&yaml, &grown).expect("write");
    let grow = kafka(&schemas, &broker, &admin, &["kafka", "apply"]);
    assert!(
        grow.stdout
            .contains("+ add partitions to cdn.certificate-renewed.v1: 3 -> 4"),
        "{}{}",
        grow.stdout,
        grow.stderr
    );
    assert_eq!(describe_topic(&broker, "cdn.certificate-renewed.v1").0, 4);
    let shrunk = grown.replacen("partitions: 24\n", "partitions: 12\n", 1);
    std::fs::write(&yaml, &shrunk).expect("write");
    let line = shrunk
        .lines()
        .position(|l| l == "  cdn.cache-purged.v1:")
        .expect("the topic")
        + 1;
    for command in ["plan", "apply"] {
        let lowered = kafka(&schemas, &broker, &admin, &["kafka", command]);
        assert_eq!(lowered.code, 2, "{}", lowered.stdout);
        assert_eq!(lowered.stdout, "");
        assert!(lowered.stderr.starts_with(&format!(
            "error: schemactl.yaml:{line}: topic cdn.cache-purged.v1 has 24 partitions on the cluster and the catalog says 12: Kafka cannot remove partitions\nhint: set `partitions: 24` (or more)"
        )), "{}", lowered.stderr);
    }
    assert_eq!(describe_topic(&broker, "cdn.cache-purged.v1").0, 24);
    std::fs::write(&yaml, &text).expect("write");

    // A wrong password, and a user without permissions (SCRAM-SHA-512).
    let wrong = broker.client_config((IDENTITY.0, "not-the-password"), "PLAIN");
    let refused = kafka(&schemas, &broker, &wrong, &["kafka", "plan"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.starts_with(&format!("error: authentication to the Kafka broker at {} failed (PLAIN): Authentication failed: Invalid username or password\nhint: check sasl.mechanism", broker.bootstrap)), "{}", refused.stderr);
    for mechanism in ["SCRAM-SHA-256", "SCRAM-SHA-512"] {
        let scram = broker.client_config(SCRAM, mechanism);
        let denied = kafka(&schemas, &broker, &scram, &["kafka", "plan"]);
        assert_eq!(denied.code, 2, "{}", denied.stdout);
        assert!(
            denied.stderr.contains("AUTHORIZATION_FAILED"),
            "{}",
            denied.stderr
        );
        assert!(denied.stderr.contains("hint: schemactl's principal lacks a permission: docs/kafka.md lists the ACLs it needs"), "{}", denied.stderr);
    }

    // A broker that accepts connections and never answers: a timeout.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_addr = silent.local_addr().expect("addr").to_string();
    let quick = broker.dir.path().join("quick.properties");
    std::fs::write(&quick, "request.timeout.ms=1500\n").expect("write");
    let started = Instant::now();
    let hung = schemactl(
        &schemas,
        &[
            "kafka",
            "plan",
            "--bootstrap-server",
            &silent_addr,
            "--command-config",
            quick.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(hung.code, 2);
    assert!(
        hung.stderr.starts_with(&format!(
            "error: the Kafka broker at {silent_addr} did not answer ApiVersions within 1s"
        )),
        "{}",
        hung.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(silent);

    // The broker stopped.
    broker.stop();
    let started = Instant::now();
    let down = kafka(&schemas, &broker, &admin, &["kafka", "plan"]);
    assert_eq!(down.code, 2);
    assert!(
        down.stderr.starts_with(&format!(
            "error: cannot connect to the Kafka broker at {}: Connection refused",
            broker.bootstrap
        )),
        "{}",
        down.stderr
    );
    assert!(
        down.stderr.contains("hint: check that the broker runs"),
        "{}",
        down.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(15));
}

/// The first word of the broker's answer to `user` producing to
/// identity.user-created.v1; `None` when the Python client is not installed.
fn produce_word(broker: &Broker, user: (&str, &str)) -> Option<String> {
    let answer = produce(broker, user, "identity.user-created.v1");
    (answer != "skipped").then(|| answer.split(' ').next().unwrap_or_default().to_owned())
}

/// (topic, partitions, retention.ms) of the example catalog, read from
/// `schemactl kafka export --format json`.
fn schemactl_config_topics(schemas: &Path) -> Vec<(String, usize, String)> {
    let export = schemactl(schemas, &["kafka", "export", "--format", "json"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let json: serde_json::Value = serde_json::from_str(&export.stdout).expect("export JSON");
    json["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_owned(),
                t["partitions"].as_u64().expect("partitions") as usize,
                t["configs"]["retention.ms"]
                    .as_str()
                    .expect("retention")
                    .to_owned(),
            )
        })
        .collect()
}

/// `export --format strimzi`: valid YAML (read back by PyYAML) with one
/// KafkaTopic per catalog topic and one KafkaUser per service carrying its
/// grants; JSON with the same state; a principal Strimzi cannot give is an
/// error.
#[test]
fn export_writes_strimzi_resources() {
    let schemas = repo_root().join("schemas");
    let strimzi = schemactl(
        &schemas,
        &[
            "kafka",
            "export",
            "--format",
            "strimzi",
            "--cluster",
            "prod",
            "--namespace",
            "kafka",
        ],
    );
    assert_eq!(strimzi.code, 0, "{}", strimzi.stderr);
    let json = schemactl(&schemas, &["kafka", "export", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json.stdout).expect("export JSON");
    let topics = json["topics"].as_array().expect("topics");
    assert_eq!(topics.len(), 12);
    assert_eq!(json["principal"], "User:{service}");

    // Read the YAML stream back with a real YAML parser when the Python
    // clients are installed (PyYAML comes with them).
    if let Ok(python) = std::env::var("SCHEMACTL_CLIENTS_PYTHON") {
        let out = Command::new(python)
            .args([
                "-c",
                "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write as _;
                child.stdin.take().expect("stdin").write_all(strimzi.stdout.as_bytes())?;
                child.wait_with_output()
            })
            .expect("run PyYAML");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let docs: Vec<serde_json::Value> =
            serde_json::from_slice(&out.stdout).expect("yaml as json");
        let kinds = |k: &str| docs.iter().filter(|d| d["kind"] == k).collect::<Vec<_>>();
        let kafka_topics = kinds("KafkaTopic");
        assert_eq!(kafka_topics.len(), 12);
        for (doc, topic) in kafka_topics.iter().zip(topics) {
            assert_eq!(doc["apiVersion"], "kafka.strimzi.io/v1beta2");
            assert_eq!(doc["metadata"]["labels"]["strimzi.io/cluster"], "prod");
            assert_eq!(doc["metadata"]["namespace"], "kafka");
            assert_eq!(doc["spec"]["topicName"], topic["name"]);
            assert_eq!(doc["spec"]["partitions"], topic["partitions"]);
            assert_eq!(
                doc["spec"]["config"]["retention.ms"],
                topic["configs"]["retention.ms"]
            );
        }
        let users = kinds("KafkaUser");
        let services: Vec<&str> = users
            .iter()
            .filter_map(|u| u["metadata"]["name"].as_str())
            .collect();
        assert_eq!(
            services,
            [
                "alert-router",
                "billing-service",
                "cdn-control-plane",
                "cert-manager",
                "identity-service",
                "payments-service",
                "support-console"
            ]
        );
        let billing = users[1];
        assert_eq!(billing["spec"]["authentication"]["type"], "scram-sha-512");
        assert_eq!(
            billing["spec"]["authorization"]["acls"],
            serde_json::json!([
                {"resource": {"type": "topic", "name": "billing.invoice-issued.v1", "patternType": "literal"}, "operations": ["Write", "Describe"], "host": "*"},
                {"resource": {"type": "topic", "name": "identity.user-created.v2", "patternType": "literal"}, "operations": ["Read", "Describe"], "host": "*"},
            ])
        );
    }

    let tls = schemactl(
        &schemas,
        &[
            "kafka",
            "export",
            "--format",
            "strimzi",
            "--cluster",
            "prod",
            "--authentication",
            "tls",
        ],
    );
    assert_eq!(tls.code, 2);
    assert!(tls.stderr.starts_with("error: the catalog maps services to `User:{service}`, and Strimzi's tls users are `User:CN={service}`\nhint: set `kafka.principal: \"User:CN={service}\"`"), "{}", tls.stderr);
    let no_cluster = schemactl(&schemas, &["kafka", "export", "--format", "strimzi"]);
    assert_eq!(no_cluster.code, 2);
    assert!(
        no_cluster
            .stderr
            .starts_with("error: --format strimzi needs --cluster NAME"),
        "{}",
        no_cluster.stderr
    );
}
