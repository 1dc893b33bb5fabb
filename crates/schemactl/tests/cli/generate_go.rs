//! Go topic bindings (`topics: go`) and the Go package (`packages: go`)
//! with the real Go toolchain: the generated module passes `gofmt -l`,
//! `go vet` and `go build` as published (its own go.mod and go.sum, no
//! `-mod=mod`); a consumer program round-trips a `UserCreated` through
//! `IdentityUserCreatedV1`, and the same program passing an `InvoiceIssued`
//! does not compile (the test asserts the compiler's type error). The bytes `Encode` writes are read back equal by the
//! real `confluent-kafka` `ProtobufDeserializer` against `schemactl serve`
//! on the same repository, with the served schema id in the header.
//!
//! Needs `SCHEMACTL_GO` (the `go` command) and `SCHEMACTL_PROTOC_GEN_GO`
//! (scripts/test.sh sets both, and `SCHEMACTL_REQUIRE_GO`); the interop
//! test also needs `SCHEMACTL_CLIENTS_PYTHON` and protoc.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::serve::{Server, add_field};
use crate::common::{copy_dir, git, repo_root, schemactl};

/// The module path of the generated package.
pub(crate) const MODULE: &str = "example.com/acme/schemas/gen/go";

pub(crate) struct Tools {
    pub(crate) go: String,
    pub(crate) protoc_gen_go: String,
}

pub(crate) fn tools() -> Option<Tools> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (var("SCHEMACTL_GO"), var("SCHEMACTL_PROTOC_GEN_GO")) {
        (Some(go), Some(protoc_gen_go)) => Some(Tools { go, protoc_gen_go }),
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_GO").is_none(),
                "SCHEMACTL_GO or SCHEMACTL_PROTOC_GEN_GO is not set and SCHEMACTL_REQUIRE_GO is: \
                 run scripts/test.sh, which installs protoc-gen-go and sets both"
            );
            eprintln!(
                "note: skipping: SCHEMACTL_GO / SCHEMACTL_PROTOC_GEN_GO are not set (scripts/test.sh sets them)"
            );
            None
        }
    }
}

/// The topics of the test catalog, from the example repository.
const TOPICS: &str = "\
topics:
  identity.user-created.v1:
    message: acme.identity.v1.UserCreated
    owners: [team-identity]
    producers: [identity-service]
    description: A user account was created (numeric ids, single name).
    partitions: 12
    retention: 7d
  billing.invoice-issued.v1:
    message: acme.billing.v1.InvoiceIssued
    owners: [team-billing]
    producers: [billing-service]
    description: An invoice was finalised and issued to a customer.
    partitions: 6
    retention: 30d
";

/// A schema repository with the example schemas, generating Go with the
/// real protoc-gen-go, the topic bindings and the Go package into gen/go,
/// released twice (`v1.0.0`, then `v1.1.0` adding a field to
/// `UserCreated`, so its topic has two schema ids).
fn repo(dir: &Path, tools: &Tools) -> PathBuf {
    released_go_repo(
        dir,
        tools,
        TOPICS,
        (
            "proto/acme/identity/v1/user_created.proto",
            "UserCreated",
            "  // The user's preferred locale, as a BCP 47 tag.\n  string locale = 8;",
        ),
    )
}

/// The example schemas in `dir/schemas` with the catalog `topics` (a
/// `topics:` section), generating Go with the real protoc-gen-go, the topic
/// bindings and the Go package into gen/go, released as `v1.0.0` and then,
/// with `field` added to `message` in `file`, as `v1.1.0`.
pub(crate) fn released_go_repo(
    dir: &Path,
    tools: &Tools,
    topics: &str,
    (file, message, field): (&str, &str, &str),
) -> PathBuf {
    let repo = dir.join("schemas");
    copy_dir(&repo_root().join("schemas/proto"), &repo.join("proto"));
    let config = format!(
        "version: v1\nroots: [proto]\n{topics}\
         generate:\n\
         \x20 managed:\n\
         \x20   enabled: true\n\
         \x20   override:\n\
         \x20     - file_option: go_package_prefix\n\
         \x20       value: {MODULE}\n\
         \x20 plugins:\n\
         \x20   - local: [{plugin}]\n\
         \x20     out: gen/go\n\
         \x20     opt: paths=source_relative\n\
         \x20   - topics: go\n\
         \x20     out: gen/go/topics\n\
         \x20 packages:\n\
         \x20   go: {{out: gen/go, name: {MODULE}}}\n\
         release:\n  tag_prefix: v\n  branch: main\n",
        plugin = tools.protoc_gen_go,
    );
    std::fs::write(repo.join("schemactl.yaml"), config).expect("write schemactl.yaml");
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "schemas"]);
    git(&repo, &["tag", "v1.0.0"]);
    add_field(&repo, file, message, field);
    git(
        &repo,
        &["commit", "-q", "-am", &format!("{message}: a field")],
    );
    git(&repo, &["tag", "v1.1.0"]);
    repo
}

/// Run `go` with `args` in `dir`, with the module mode a consumer has by
/// default: go.mod and go.sum are read, never updated.
fn go_cmd(tools: &Tools, dir: &Path, args: &[&str]) -> Output {
    Command::new(&tools.go)
        .args(args)
        .current_dir(dir)
        .env("GOFLAGS", "-mod=readonly -buildvcs=false")
        .env("GOWORK", "off")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {} {args:?}: {e}", tools.go))
}

pub(crate) fn go_ok(tools: &Tools, dir: &Path, args: &[&str]) -> String {
    let out = go_cmd(tools, dir, args);
    assert!(
        out.status.success(),
        "go {args:?} in {} failed:\n{}{}",
        dir.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The consumer program: encodes a `UserCreated` with the binding, writes
/// the bytes and the message (proto3 JSON), decodes them back, and checks
/// what Decode refuses. Argument 3 is the schema id of the topic's first
/// version, which Decode must still accept.
const CONSUMER: &str = r#"package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"

	billingv1 "example.com/acme/schemas/gen/go/acme/billing/v1"
	commonv1 "example.com/acme/schemas/gen/go/acme/common/v1"
	identityv1 "example.com/acme/schemas/gen/go/acme/identity/v1"
	"example.com/acme/schemas/gen/go/topics"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func refuse(what string, b []byte) {
	if _, err := topics.IdentityUserCreatedV1.Decode(b); err == nil {
		fmt.Fprintln(os.Stderr, "Decode accepted", what)
		os.Exit(1)
	} else {
		fmt.Printf("refused %s: %v\n", what, err)
	}
}

func main() {
	msg := &identityv1.UserCreated{
		Metadata:       &commonv1.EventMetadata{EventId: "evt-1", Producer: "identity-service"},
		UserId:         42,
		OrganizationId: 7,
		Email:          "ada@example.com",
		Name:           "Ada Lovelace",
		SignupMethod:   identityv1.SignupMethod_SIGNUP_METHOD_SAML_JIT,
		Locale:         "en-GB",
	}
	b, err := topics.IdentityUserCreatedV1.Encode(msg)
	must(err)
	must(os.WriteFile(os.Args[1], b, 0o644))
	j, err := protojson.Marshal(msg)
	must(err)
	must(os.WriteFile(os.Args[2], j, 0o644))

	got, err := topics.IdentityUserCreatedV1.Decode(b)
	must(err)
	if !proto.Equal(got, msg) {
		must(fmt.Errorf("round trip: got %v, want %v", got, msg))
	}
	fmt.Printf("topic=%s schema_id=%d name=%s\n", topics.IdentityUserCreatedV1.Name(), topics.IdentityUserCreatedV1.SchemaID(), got.GetName())

	// A record written with the topic's first schema id still decodes.
	first, err := strconv.ParseUint(os.Args[3], 10, 32)
	must(err)
	old := bytes.Clone(b)
	binary.BigEndian.PutUint32(old[1:5], uint32(first))
	_, err = topics.IdentityUserCreatedV1.Decode(old)
	must(err)

	bad := bytes.Clone(b)
	bad[0] = 1
	refuse("a bad magic byte", bad)
	refuse("a short record", b[:4])
	unknown := bytes.Clone(b)
	binary.BigEndian.PutUint32(unknown[1:5], 999999)
	refuse("an unknown schema id", unknown)
	invoice, err := topics.BillingInvoiceIssuedV1.Encode(&billingv1.InvoiceIssued{})
	must(err)
	refuse("another topic's record", invoice)

	var zero topics.Topic[*identityv1.UserCreated]
	if _, err := zero.Encode(msg); err == nil {
		must(fmt.Errorf("the zero Topic encoded"))
	}
	fmt.Println("ok")
}
"#;

/// A module with `main_go` as its program, using the generated module
/// through a `replace`, with the go.sum lines the package ships.
fn consumer(dir: &Path, gen_go: &Path, main_go: &str) {
    std::fs::create_dir_all(dir).expect("mkdir consumer");
    std::fs::write(
        dir.join("go.mod"),
        format!(
            "module example.com/consumer\n\ngo 1.23\n\nrequire (\n\t{MODULE} v0.0.0\n\tgoogle.golang.org/protobuf v1.36.12\n)\n\nreplace {MODULE} => {}\n",
            gen_go.display()
        ),
    )
    .expect("consumer go.mod");
    std::fs::copy(gen_go.join("go.sum"), dir.join("go.sum")).expect("consumer go.sum");
    std::fs::write(dir.join("main.go"), main_go).expect("consumer main.go");
}

/// Generate into `repo`, and check the module as published: gofmt-clean,
/// vetted, built. Returns the generated topics.go.
pub(crate) fn generate_checked(tmp: &Path, tools: &Tools, repo: &Path) -> String {
    let run = schemactl(repo, &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let gen_go = repo.join("gen/go");
    let topics_go = std::fs::read_to_string(gen_go.join("topics/topics.go")).expect("topics.go");
    let go_mod = std::fs::read_to_string(gen_go.join("go.mod")).expect("go.mod");
    assert!(go_mod.contains(&format!("module {MODULE}\n")), "{go_mod}");
    assert!(gen_go.join("go.sum").is_file());

    let goroot = go_ok(tools, tmp, &["env", "GOROOT"]);
    let gofmt = Path::new(goroot.trim()).join("bin/gofmt");
    let out = Command::new(&gofmt)
        .args(["-l", "."])
        .current_dir(&gen_go)
        .output()
        .expect("run gofmt");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "",
        "gofmt -l lists files"
    );
    go_ok(tools, &gen_go, &["vet", "./..."]);
    go_ok(tools, &gen_go, &["build", "./..."]);
    topics_go
}

/// What the consumer program printed and wrote.
struct Consumed {
    stdout: String,
    encoded: PathBuf,
    json: PathBuf,
}

/// Build and run the consumer program against `repo`'s gen/go; `first` is
/// the schema id of the topic's first version.
fn consume(tmp: &Path, tools: &Tools, repo: &Path, first: &str) -> Consumed {
    let gen_go = repo.join("gen/go");
    let dir = tmp.join("consumer");
    consumer(&dir, &gen_go, CONSUMER);
    let encoded = tmp.join("user_created.bin");
    let json = tmp.join("user_created.json");
    let stdout = go_ok(
        tools,
        &dir,
        &[
            "run",
            ".",
            &encoded.display().to_string(),
            &json.display().to_string(),
            first,
        ],
    );
    assert!(stdout.ends_with("ok\n"), "{stdout}");
    Consumed {
        stdout,
        encoded,
        json,
    }
}

/// The first schema id listed for `identity.user-created.v1` in topics.go.
fn first_id_in(topics_go: &str) -> String {
    let start = topics_go
        .find("newTopic[*identityv1.UserCreated](\"identity.user-created.v1\"")
        .expect("the value of identity.user-created.v1");
    let rest = &topics_go[start..];
    let id = rest.find("{id: ").expect("a version") + 5;
    rest[id..]
        .split(',')
        .next()
        .expect("an id")
        .trim()
        .to_owned()
}

#[test]
fn go_bindings_build_round_trip_and_refuse_the_wrong_type() {
    let Some(tools) = tools() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = repo(tmp.path(), &tools);
    let go = &generate_checked(tmp.path(), &tools, &repo);
    let generated = consume(tmp.path(), &tools, &repo, &first_id_in(go));
    assert!(
        go.starts_with("// Code generated by schemactl. DO NOT EDIT.\n"),
        "{go}"
    );
    for doc in [
        "// IdentityUserCreatedV1 is the topic identity.user-created.v1, carrying acme.identity.v1.UserCreated.\n",
        "// Owners: team-identity.\n// Producers: identity-service.\n// Partitions: 12.\n// Retention: 7d.\n",
        "// Description: A user account was created (numeric ids, single name).\n",
    ] {
        assert!(go.contains(doc), "{doc} not in:\n{go}");
    }
    // Two releases changed UserCreated: Encode writes the second id, Decode
    // accepts both (the consumer decodes a record with the first).
    let value = &go[go
        .find("var IdentityUserCreatedV1 = ")
        .expect("the value of identity.user-created.v1")..];
    let value = &value[..value.find("})\n").expect("end of the value")];
    assert_eq!(value.matches("{id: ").count(), 2, "{value}");
    assert!(
        go.contains("version 2 of subject identity.user-created.v1-value"),
        "{go}"
    );
    eprintln!("{}", generated.stdout.trim());
    assert!(
        generated
            .stdout
            .contains("topic=identity.user-created.v1 schema_id="),
        "{}",
        generated.stdout
    );
    assert!(generated.stdout.contains("name=Ada Lovelace"));

    // Passing another topic's message type does not compile.
    let wrong = tmp.path().join("wrong");
    let wrong_type = CONSUMER.replacen(
        "topics.IdentityUserCreatedV1.Encode(msg)",
        "topics.IdentityUserCreatedV1.Encode(&billingv1.InvoiceIssued{})",
        1,
    );
    assert_ne!(wrong_type, CONSUMER);
    consumer(&wrong, &repo.join("gen/go"), &wrong_type);
    let out = go_cmd(&tools, &wrong, &["build", "."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the wrong type compiled");
    assert!(
        stderr.contains(
            "cannot use &billingv1.InvoiceIssued{} (value of type *billingv1.InvoiceIssued) as *identityv1.UserCreated value in argument to topics.IdentityUserCreatedV1.Encode"
        ),
        "not the type error expected:\n{stderr}"
    );
    assert_eq!(stderr.matches("cannot use").count(), 1, "{stderr}");
    for refused in [
        "refused a bad magic byte: ",
        "refused a short record: ",
        "refused an unknown schema id: topics: identity.user-created.v1: schema id 999999 is not one of the topic's",
        "refused another topic's record: ",
    ] {
        assert!(
            generated.stdout.contains(refused),
            "{refused} not in:\n{}",
            generated.stdout
        );
    }

    // The generated module is what generate writes again, byte for byte.
    let again = schemactl(&repo, &["generate", "--check"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
}

pub(crate) fn clients_python() -> Option<String> {
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

#[test]
fn go_binding_bytes_decode_with_confluent_kafka_against_serve() {
    let (Some(tools), Some(python)) = (tools(), clients_python()) else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = repo(tmp.path(), &tools);
    generate_checked(tmp.path(), &tools, &repo);
    let server = Server::start(&repo, &[]);
    let topic = "identity.user-created.v1";
    let latest = server
        .get(&format!("/subjects/{topic}-value/versions/latest"))
        .json();
    let first = server
        .get(&format!("/subjects/{topic}-value/versions/1"))
        .json();
    let latest_id = latest["id"].as_u64().expect("latest id");
    let first_id = first["id"].as_u64().expect("first id");
    assert_ne!(latest_id, first_id);

    // The binding writes the served id, and accepts the first version's.
    let generated = consume(tmp.path(), &tools, &repo, &first_id.to_string());
    assert!(
        generated
            .stdout
            .contains(&format!("schema_id={latest_id} ")),
        "the binding's id is not the served id {latest_id}:\n{}",
        generated.stdout
    );
    let fds = tmp.path().join("user_created.binpb");
    crate::common::protoc_descriptor_set(
        &repo.join("proto"),
        "acme/identity/v1/user_created.proto",
        &fds,
    );
    let out = Command::new(&python)
        .arg(repo_root().join("tests/clients/go_binding_interop.py"))
        .args([
            "--registry",
            &server.url,
            "--topic",
            topic,
            "--message",
            "acme.identity.v1.UserCreated",
        ])
        .arg("--descriptor-set")
        .arg(&fds)
        .arg("--in")
        .arg(&generated.encoded)
        .arg("--json")
        .arg(&generated.json)
        .output()
        .expect("run go_binding_interop.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "go_binding_interop.py failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{}\n{}", generated.stdout.trim(), stdout.trim());
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).expect("summary");
    assert_eq!(summary["ok"], true, "{stdout}");
    assert_eq!(summary["schema_id"].as_u64(), Some(latest_id), "{stdout}");
    assert_eq!(
        summary["message_indexes"],
        serde_json::json!([0]),
        "{stdout}"
    );
    assert!(
        summary["decoded"]
            .as_str()
            .is_some_and(|d| d.contains("Ada Lovelace") && d.contains("en-GB")),
        "{stdout}"
    );
}
