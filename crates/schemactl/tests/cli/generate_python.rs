//! Python generation end to end: protoc's `python` and `pyi` generators,
//! `topics: python` and `packages: python` into one directory; `pip wheel`
//! builds the distribution, a fresh venv installs it, and a consumer
//! (tests/codegen/python_consumer.py) round-trips messages through the topic
//! bindings and sees every misuse refused; mypy flags the wrong message type;
//! the schema ids in the bindings are those `schemactl serve` returns once
//! the tree is tagged, and the real `confluent-kafka` client (from the
//! registry clients' venv, `SCHEMACTL_CLIENTS_PYTHON`, when installed) reads
//! what the bindings write and writes the very same bytes.
//!
//! `SCHEMACTL_CODEGEN_PYTHON` names the Python of a venv holding the pinned
//! tools (tests/codegen/python-requirements.txt) and
//! `SCHEMACTL_CODEGEN_PYTHON_WHEELS` a wheelhouse with the runtime wheels the
//! fresh venv installs offline; scripts/test.sh prepares both. Without them
//! the test skips with a note, unless `SCHEMACTL_REQUIRE_CODEGEN_PYTHON` is
//! set, as scripts/test.sh does.

use std::path::Path;
use std::process::Command;

use crate::common::serve::Server;
use crate::common::{git, has_command, repo_root, run_ok, schemactl, write_files};

struct Python {
    /// The tools' interpreter: pip, hatchling, mypy.
    tools: String,
    /// The wheels of the runtime (protobuf) and its stubs (types-protobuf).
    wheels: String,
}

fn python() -> Option<Python> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match (
        var("SCHEMACTL_CODEGEN_PYTHON"),
        var("SCHEMACTL_CODEGEN_PYTHON_WHEELS"),
    ) {
        (Some(tools), Some(wheels)) => Some(Python { tools, wheels }),
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_CODEGEN_PYTHON").is_none(),
                "SCHEMACTL_CODEGEN_PYTHON or SCHEMACTL_CODEGEN_PYTHON_WHEELS is not set and \
                 SCHEMACTL_REQUIRE_CODEGEN_PYTHON is: run scripts/test.sh, which prepares them"
            );
            eprintln!(
                "note: skipping: SCHEMACTL_CODEGEN_PYTHON is not set (scripts/test.sh prepares it)"
            );
            None
        }
    }
}

const MONEY: &str = r#"syntax = "proto3";

package acme.common.v1;

// An amount of money in minor units.
message Money {
  string currency = 1;
  int64 minor_units = 2;
}
"#;

const USER: &str = r#"syntax = "proto3";

package acme.identity.v1;

import "acme/common/v1/money.proto";
import "google/protobuf/timestamp.proto";

// A user was created.
message UserCreated {
  string user_id = 1;
  optional string email = 2;
  google.protobuf.Timestamp created_at = 3;
  acme.common.v1.Money credit = 4;

  message Address {
    string city = 1;
  }
  repeated Address addresses = 5;
}
"#;

/// `InvoiceIssued` second in its file: its message indexes are `[1]`.
const INVOICE: &str = r#"syntax = "proto3";

package acme.billing.v1;

import "acme/common/v1/money.proto";

// One line of an invoice.
message Line {
  string sku = 1;
  acme.common.v1.Money amount = 2;
}

// An invoice was issued.
message InvoiceIssued {
  string invoice_id = 1;
  repeated Line lines = 2;
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
    - protoc_builtin: python
      out: gen/python
    - protoc_builtin: pyi
      out: gen/python
    - topics: python
      out: gen/python/acme_topics
  packages:
    python:
      out: gen/python
      name: acme-schemas
"#;

/// A program that should type-check.
const GOOD: &str = r#"from acme.identity.v1 import user_pb2
from acme_topics.topics import IDENTITY_USER_CREATED_V1


def produce(user_id: str) -> bytes:
    return IDENTITY_USER_CREATED_V1.encode(user_pb2.UserCreated(user_id=user_id))


def consume(record: bytes) -> str:
    user: user_pb2.UserCreated = IDENTITY_USER_CREATED_V1.decode(record)
    return user.user_id
"#;

/// The same program producing the wrong message to the topic.
const BAD: &str = r#"from acme.billing.v1 import invoice_pb2
from acme_topics.topics import IDENTITY_USER_CREATED_V1


def produce(invoice_id: str) -> bytes:
    return IDENTITY_USER_CREATED_V1.encode(invoice_pb2.InvoiceIssued(invoice_id=invoice_id))
"#;

/// `mypy --strict` on `target` (a file, or `-p PACKAGE`) in `dir`, with the
/// packages installed in `venv`.
fn mypy(python: &Python, venv: &Path, dir: &Path, target: &[&str]) -> (bool, String) {
    let out = Command::new(&python.tools)
        .args([
            "-m",
            "mypy",
            "--strict",
            "--no-color-output",
            "--python-executable",
        ])
        .arg(venv.join("bin/python"))
        .arg("--cache-dir")
        .arg(dir.join(".mypy_cache"))
        .args(target)
        .current_dir(dir)
        .output()
        .expect("run mypy");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_wheel_installs_round_trips_and_refuses_the_wrong_message() {
    let Some(python) = python() else {
        return;
    };
    if !has_command("protoc") {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_PROTOC").is_none(),
            "protoc is not installed and SCHEMACTL_REQUIRE_PROTOC is set"
        );
        eprintln!("note: skipping: protoc is not installed");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("schemas");
    write_files(
        &repo,
        &[
            ("acme/common/v1/money.proto", MONEY),
            ("acme/identity/v1/user.proto", USER),
            ("acme/billing/v1/invoice.proto", INVOICE),
            ("schemactl.yaml", CONFIG),
        ],
    );
    // Released as v1.0.0 without the addresses; the working tree adds them,
    // so the topic has two versions, and the bindings are for 1.1.0.
    let v1 = USER.replace("  repeated Address addresses = 5;\n", "");
    write_files(&repo, &[("acme/identity/v1/user.proto", &v1)]);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "schemas"]);
    git(&repo, &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    write_files(&repo, &[("acme/identity/v1/user.proto", USER)]);

    let run = schemactl(&repo, &["generate", "--version", "1.1.0"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let generated = repo.join("gen/python");
    for file in [
        "pyproject.toml",
        "acme/__init__.py",
        "acme/py.typed",
        "acme/identity/v1/__init__.py",
        "acme/identity/v1/user_pb2.py",
        "acme/identity/v1/user_pb2.pyi",
        "acme_topics/__init__.py",
        "acme_topics/py.typed",
        "acme_topics/topics.py",
        "acme_topics/topics.pyi",
    ] {
        assert!(generated.join(file).is_file(), "{file} was not generated");
    }
    let topics = std::fs::read_to_string(generated.join("acme_topics/topics.pyi")).expect("read");
    assert!(
        topics.contains(
            "IDENTITY_USER_CREATED_V1: Final[Topic[acme_dot_identity_dot_v1_dot_user__pb2.UserCreated]]"
        ),
        "{topics}"
    );
    assert!(
        topics.contains("Schema id: ")
            && topics
                .contains("(version 2 of subject ``identity.user-created.v1-value`` at 1.1.0)"),
        "{topics}"
    );
    let again = schemactl(&repo, &["generate", "--check", "--version", "1.1.0"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);

    // The wheel, built by the pinned backend without the network.
    let dist = tmp.path().join("dist");
    run_ok(
        tmp.path(),
        &python.tools,
        &[
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            path(&dist),
            path(&generated),
        ],
    );
    // Building wrote nothing into the generated tree.
    let after = schemactl(&repo, &["generate", "--check", "--version", "1.1.0"]);
    assert_eq!(after.code, 0, "{}{}", after.stdout, after.stderr);
    let wheels: Vec<String> = std::fs::read_dir(&dist)
        .expect("dist")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(wheels, ["acme_schemas-1.1.0-py3-none-any.whl"]);

    // A fresh venv with the wheel, its dependencies and nothing else.
    let venv = tmp.path().join("venv");
    run_ok(tmp.path(), &python.tools, &["-m", "venv", path(&venv)]);
    let venv_python = venv.join("bin/python");
    run_ok(
        tmp.path(),
        path(&venv_python),
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-index",
            "--find-links",
            &python.wheels,
            "--find-links",
            path(&dist),
            "acme-schemas==1.1.0",
            "types-protobuf",
        ],
    );
    let consumer = tmp.path().join("consumer");
    std::fs::create_dir(&consumer).expect("mkdir");
    let script = repo_root().join("tests/codegen/python_consumer.py");
    let out = run_ok(&consumer, path(&venv_python), &[path(&script)]);
    let ids: Vec<u64> = match out.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["ok", ids @ ..] => ids.iter().map(|i| i.parse().expect("an id")).collect(),
        _ => panic!("the consumer failed: {out}"),
    };

    // The ids in the bindings are the ones `schemactl serve` gives once the
    // tree is released as v1.1.0.
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "addresses"]);
    git(&repo, &["tag", "-a", "v1.1.0", "-m", "v1.1.0"]);
    let server = Server::start(&repo, &[]);
    let served = |subject: &str, version: u32| {
        server
            .get(&format!("/subjects/{subject}-value/versions/{version}"))
            .json()["id"]
            .as_u64()
            .expect("a served id")
    };
    assert_eq!(
        ids,
        [
            served("identity.user-created.v1", 2),
            served("identity.user-created.v1", 1),
            served("billing.invoice-issued.v1", 1),
        ]
    );

    // The real Confluent client, on a newer protobuf runtime than the pin
    // (the top of the range the distribution allows), reads what the
    // bindings write and writes the same bytes.
    match std::env::var("SCHEMACTL_CLIENTS_PYTHON") {
        Ok(clients) if !clients.is_empty() => {
            let script = repo_root().join("tests/codegen/python_confluent.py");
            let out = run_ok(
                &consumer,
                &clients,
                &[
                    path(&script),
                    "--registry",
                    &server.url,
                    "--root",
                    path(&generated),
                ],
            );
            assert_eq!(out.trim(), "ok");
        }
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
                "SCHEMACTL_CLIENTS_PYTHON is not set and SCHEMACTL_REQUIRE_CLIENTS is: \
                 run scripts/test.sh, which installs the registry clients"
            );
            eprintln!(
                "note: skipping the confluent-kafka check: SCHEMACTL_CLIENTS_PYTHON is not set"
            );
        }
    }
    let _ = server.terminate();

    write_files(&consumer, &[("good.py", GOOD), ("bad.py", BAD)]);
    // The bindings' stub itself, as installed, passes --strict.
    let (ok, out) = mypy(&python, &venv, &consumer, &["-p", "acme_topics"]);
    assert!(ok, "mypy --strict refused topics.pyi:\n{out}");
    let (ok, out) = mypy(&python, &venv, &consumer, &["good.py"]);
    assert!(ok, "mypy --strict refused the right message:\n{out}");
    let (ok, out) = mypy(&python, &venv, &consumer, &["bad.py"]);
    assert!(!ok, "mypy accepted the wrong message:\n{out}");
    assert!(
        out.contains(
            "bad.py:6: error: Argument 1 to \"encode\" of \"Topic\" has incompatible type \"InvoiceIssued\"; expected \"UserCreated\""
        ),
        "{out}"
    );
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}
