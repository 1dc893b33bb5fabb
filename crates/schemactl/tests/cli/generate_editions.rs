//! Editions files through `schemactl generate` (issue #15): protoc-gen-go
//! (which declares editions support, PROTO2 to 2024) generates an
//! `edition = "2023"` file, whose Go code builds with the real Go toolchain
//! and, in a program, encodes the delimited field as a group and the
//! expanded repeated field unpacked, as protobuf specifies; prost (which
//! cannot) is refused with a clear finding, before anything is written.
//!
//! Needs `SCHEMACTL_GO` and `SCHEMACTL_PROTOC_GEN_GO` (see generate_go.rs).

use std::path::Path;

use crate::common::{git, schemactl, write_files};
use crate::generate_go::{Tools, go_ok, tools};

const MODULE: &str = "example.com/ledger/gen/go";

const LEDGER: &str = r#"edition = "2023";

// Ledger events.
package acme.ledger.v1;

// An amount of money.
message Amount {
  // Minor units.
  int64 minor_units = 1;
}

// An entry was posted to a ledger.
message EntryPosted {
  // The entry.
  string entry_id = 1 [features.field_presence = IMPLICIT];
  // The amount, a group on the wire.
  Amount amount = 2 [features.message_encoding = DELIMITED];
  // Tags, one record each.
  repeated int32 tags = 3 [features.repeated_field_encoding = EXPANDED];
}
"#;

const TOPICS: &str = "topics:
  ledger.entry-posted.v1:
    message: acme.ledger.v1.EntryPosted
    owners: [team-billing]
    producers: [billing-service]
    description: An entry was posted.
    partitions: 3
    retention: 7d
";

fn ledger_repo(dir: &Path, plugins: &str) -> std::path::PathBuf {
    let repo = dir.join("schemas");
    let config = format!(
        "version: v1\nroots: [proto]\n{TOPICS}generate:\n  managed:\n    enabled: true\n    override:\n      - file_option: go_package_prefix\n        value: {MODULE}\n  plugins:\n{plugins}"
    );
    write_files(
        &repo,
        &[
            ("proto/acme/ledger/v1/entry_posted.proto", LEDGER),
            ("schemactl.yaml", &config),
        ],
    );
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "ledger"]);
    git(&repo, &["tag", "v1.0.0"]);
    repo
}

const PROGRAM: &str = r#"package main

import (
	"fmt"

	ledgerv1 "example.com/ledger/gen/go/acme/ledger/v1"
	"google.golang.org/protobuf/proto"
)

func main() {
	m := &ledgerv1.EntryPosted{EntryId: "e-1", Amount: &ledgerv1.Amount{MinorUnits: proto.Int64(7)}, Tags: []int32{1, 2}}
	b, err := proto.Marshal(m)
	if err != nil {
		panic(err)
	}
	var back ledgerv1.EntryPosted
	if err := proto.Unmarshal(b, &back); err != nil {
		panic(err)
	}
	if !proto.Equal(m, &back) {
		panic("round trip differs")
	}
	fmt.Printf("%x\n", b)
}
"#;

#[test]
fn an_editions_file_generates_go_that_builds_and_prost_is_refused() {
    let Some(tools): Option<Tools> = tools() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let go = format!(
        "    - local: [{}]\n      out: gen/go\n      opt: paths=source_relative\n    - topics: go\n      out: gen/go/topics\n  packages:\n    go: {{out: gen/go, name: {MODULE}}}\n",
        tools.protoc_gen_go
    );
    let repo = ledger_repo(&tmp.path().join("go"), &go);
    let run = schemactl(&repo, &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let gen_go = repo.join("gen/go");
    assert!(gen_go.join("acme/ledger/v1/entry_posted.pb.go").is_file());
    write_files(&gen_go, &[("cmd/ledgercheck/main.go", PROGRAM)]);
    go_ok(&tools, &gen_go, &["vet", "./..."]);
    let hex = go_ok(&tools, &gen_go, &["run", "./cmd/ledgercheck"]);
    // entry_id (0a 03 "e-1"), amount as a group: start 13, minor_units 08 07,
    // end 14; tags unpacked: 18 01 18 02.
    assert_eq!(hex.trim(), "0a03652d3113080714180118 02".replace(' ', ""));

    let prost = "    - rust: prost\n      out: gen/rust/src\n";
    let repo = ledger_repo(&tmp.path().join("rust"), prost);
    let run = schemactl(&repo, &["generate"]);
    assert_ne!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let all = format!("{}{}", run.stdout, run.stderr);
    assert!(
        all.contains(
            "`rust: prost` cannot generate `acme/ledger/v1/entry_posted.proto`: it uses editions"
        ),
        "{all}"
    );
    assert!(!repo.join("gen/rust").exists(), "nothing is written");
}
