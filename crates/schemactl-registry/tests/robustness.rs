//! Untrusted input never panics: payloads to validate, and schemas submitted
//! to lookup and compatibility, generated at random (seeded, so a failure
//! reproduces) around real ones. This is a randomized test, not a
//! coverage-guided fuzzer.

use base64::Engine as _;
use schemactl_registry::confluent::{Format, SchemaRequest, compatibility, lookup};
use schemactl_registry::validate::{Encoding, validate};
use schemactl_registry::{Deadline, Loader, Registry};

mod common;
use common::{example_repo, git};

/// xorshift64*: small, seeded, good enough to mutate bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    /// Flip, insert, delete or duplicate a few bytes.
    fn mutate(&mut self, input: &[u8]) -> Vec<u8> {
        let mut out = input.to_vec();
        for _ in 0..=self.below(4) {
            let at = self.below(out.len() + 1);
            match self.below(4) {
                0 if at < out.len() => out[at] ^= 1 << self.below(8),
                1 => out.insert(at, self.next() as u8),
                2 if at < out.len() => {
                    out.remove(at);
                }
                _ => {
                    let end = (at + self.below(16)).min(out.len());
                    let piece = out[at..end].to_vec();
                    out.splice(at..at, piece);
                }
            }
        }
        out
    }
}

fn registry() -> (tempfile::TempDir, Registry) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = example_repo(tmp.path());
    let (_, registry) = Loader::new(&repo).refresh().expect("refresh");
    (tmp, registry.expect("a registry"))
}

#[test]
fn random_payloads_never_panic() {
    let (_tmp, registry) = registry();
    let mut rng = Rng(0x5eed_0001);
    let topics: Vec<_> = registry.topics.values().collect();
    let seeds: Vec<Vec<u8>> = vec![
        br#"{"paymentId":"p","amount":{"currencyCode":"EUR","units":"5"}}"#.to_vec(),
        br#"{"metadata":{"eventTime":"2026-01-01T00:00:00Z"},"labels":{"a":"b"}}"#.to_vec(),
        vec![0x12, 3, b'p', b'-', b'1', 0x2a, 2, 0x08, 1],
    ];
    let mut outcomes = [0usize; 2];
    for i in 0..20_000 {
        let topic = topics[rng.below(topics.len())];
        let id = topic.latest().schema.id;
        let seed = &seeds[rng.below(seeds.len())];
        let (encoding, payload) = match i % 4 {
            0 => (Encoding::Json, rng.mutate(seed)),
            1 => (Encoding::Binary, rng.mutate(seed)),
            2 => {
                // Confluent framing with a real id and random indexes.
                let mut framed = vec![0];
                framed.extend(id.to_be_bytes());
                let len = rng.below(12);
                framed.extend(rng.bytes(len));
                framed.extend(rng.mutate(seed));
                (Encoding::Binary, framed)
            }
            _ => {
                let len = rng.below(64);
                (Encoding::Binary, rng.bytes(len))
            }
        };
        let version = match rng.below(5) {
            0 => Some("1"),
            1 => Some("latest"),
            2 => Some("99"),
            _ => None,
        };
        let result = validate(&registry, topic, version, encoding, &payload);
        outcomes[usize::from(result.is_ok())] += 1;
        if let Err(e) = result {
            assert!(!e.to_string().is_empty());
        }
    }
    // Both kinds of outcome happen: the inputs are near real ones.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}

#[test]
fn random_submitted_schemas_never_panic() {
    let (_tmp, registry) = registry();
    let mut rng = Rng(0x5eed_0002);
    let subject = registry
        .subjects
        .values()
        .find(|s| s.topic.is_some())
        .expect("a topic subject");
    let schema = subject.versions.last().expect("a version");
    let text = schema.text.to_string();
    let descriptor = schema.descriptor.to_vec();
    let mut matched = 0;
    for i in 0..1500 {
        let submitted = match i % 3 {
            0 => String::from_utf8_lossy(&rng.mutate(text.as_bytes())).into_owned(),
            1 => base64::engine::general_purpose::STANDARD.encode(rng.mutate(&descriptor)),
            _ if i % 30 == 2 => text.clone(),
            _ => {
                let len = rng.below(200);
                String::from_utf8_lossy(&rng.bytes(len)).into_owned()
            }
        };
        let request = SchemaRequest {
            schema: submitted,
            schema_type: Some("PROTOBUF".to_owned()),
            references: None,
        };
        if lookup(
            &registry,
            &subject.name,
            &request,
            Format::Text,
            &Deadline::none(),
        )
        .is_ok()
        {
            matched += 1;
        }
        if i % 10 == 0 {
            let _ = compatibility(
                &registry,
                &subject.name,
                Some("latest"),
                &request,
                &Deadline::none(),
            );
        }
    }
    assert!(matched >= 1, "the unmodified text matches");
}

/// The attacks of issue 9 against lookup and compatibility: each is refused
/// with a located message, quickly, without exhausting the stack or memory.
#[test]
fn hostile_submitted_schemas_are_refused() {
    use prost::Message as _;
    let (_tmp, registry) = registry();
    let subject = registry
        .subjects
        .values()
        .find(|s| s.topic.is_some())
        .expect("a topic subject");
    let header = "syntax = \"proto3\";\npackage acme.x.v1;\n";
    let options = "import \"google/protobuf/descriptor.proto\";\n\
        message R { R r = 1; int32 v = 2; }\n\
        extend google.protobuf.MessageOptions { R ro = 50000; }\n";
    let descriptor = |syntax: &str| {
        let file = prost_types::FileDescriptorProto {
            name: Some("x.proto".into()),
            syntax: Some(syntax.into()),
            ..Default::default()
        };
        base64::engine::general_purpose::STANDARD.encode(file.encode_to_vec())
    };
    let cases: Vec<(String, &str)> = vec![
        (
            format!(
                "{header}{options}message M {{ option (ro) = {}{{ v: 1 }}{}; }}",
                "{ r: ".repeat(5000),
                " }".repeat(5000)
            ),
            ":6:",
        ),
        (
            format!(
                "{header}{}{}",
                "message M { ".repeat(5000),
                "}".repeat(5000)
            ),
            "nesting deeper than 64 levels",
        ),
        (
            format!(
                "syntax = \"proto3\";\npackage {};\n",
                vec!["a"; 30_000].join(".")
            ),
            "package name is 59999 bytes, more than 512",
        ),
        (
            format!("{header}import \"/etc/passwd\";\n"),
            "is an absolute path",
        ),
        (
            format!("{header}import \"../x.proto\";\n"),
            "escapes the input root",
        ),
        (descriptor("proto9"), "declares syntax \"proto9\""),
        (
            descriptor("editions"),
            "is an editions file of edition EDITION_UNKNOWN",
        ),
    ];
    for (schema, expected) in cases {
        let request = SchemaRequest {
            schema,
            schema_type: Some("PROTOBUF".to_owned()),
            references: None,
        };
        let started = std::time::Instant::now();
        let err = lookup(
            &registry,
            &subject.name,
            &request,
            Format::Text,
            &Deadline::none(),
        )
        .expect_err("refused");
        let body = err.body()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(body.contains(expected), "expected `{expected}` in {body}");
        let err = compatibility(
            &registry,
            &subject.name,
            Some("latest"),
            &request,
            &Deadline::none(),
        )
        .expect_err("refused");
        let body = err.body()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(body.contains(expected), "expected `{expected}` in {body}");
        assert!(
            started.elapsed().as_secs() < 10,
            "{expected}: {:?}",
            started.elapsed()
        );
    }
}

/// A large valid submission (34,000 enum values with options, about 1 MB)
/// costs time linear in its size: it used to take 20 s of CPU, quadratic in
/// options times source locations.
#[test]
fn large_submitted_schema_is_linear() {
    let (_tmp, registry) = registry();
    let subject = registry
        .subjects
        .values()
        .find(|s| s.topic.is_some())
        .expect("a topic subject");
    let values: String = (0..34_000)
        .map(|i| format!("  E_V{i} = {i} [deprecated = true];\n"))
        .collect();
    let schema = format!("syntax = \"proto3\";\npackage acme.x.v1;\nenum E {{\n{values}}}\n");
    let request = SchemaRequest {
        schema,
        schema_type: Some("PROTOBUF".to_owned()),
        references: None,
    };
    let started = std::time::Instant::now();
    let err = lookup(
        &registry,
        &subject.name,
        &request,
        Format::Text,
        &Deadline::none(),
    )
    .expect_err("no match");
    assert_eq!(err.body()["error_code"], 40403, "{}", err.body());
    assert!(
        started.elapsed().as_secs() < 10,
        "lookup of 34,000 values took {:?}",
        started.elapsed()
    );
}

/// A release tag holding a file that would exhaust the parser's stack (or
/// the linker's memory) is reported and left out; the other tags are served.
/// It used to abort `serve` at start and on every restart.
#[test]
fn hostile_release_tag_is_reported_and_left_out() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = example_repo(tmp.path());
    let hostile = [
        (
            "v1.1.0",
            format!(
                "syntax = \"proto3\";\npackage acme.x.v1;\nimport \"google/protobuf/descriptor.proto\";\n\
                 message R {{ R r = 1; }}\nextend google.protobuf.MessageOptions {{ R ro = 50000; }}\n\
                 message M {{ option (ro) = {}{{}}{}; }}\n",
                "{ r ".repeat(5000),
                " }".repeat(5000)
            ),
        ),
        (
            "v1.2.0",
            format!(
                "syntax = \"proto3\";\npackage {};\n",
                vec!["a"; 30_000].join(".")
            ),
        ),
    ];
    for (tag, text) in &hostile {
        std::fs::write(repo.join("proto/acme/hostile.proto"), text).expect("write");
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", tag]);
        git(&repo, &["tag", tag]);
    }
    let (_, registry) = Loader::new(&repo).refresh().expect("refresh");
    let registry = registry.expect("a registry");
    let served: Vec<&str> = registry.releases.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(served, ["v1.0.0"]);
    let errors: Vec<(&str, &str)> = registry
        .errors
        .iter()
        .map(|e| (e.release.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].1.contains("nesting deeper than 64 levels"),
        "{errors:?}"
    );
    assert!(errors[1].1.contains("more than 512"), "{errors:?}");
}
