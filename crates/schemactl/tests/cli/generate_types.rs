//! `types` / `exclude_types` on a plugin entry, with the real
//! `protoc-gen-go`: each filter keeps the files and declarations expected,
//! the output builds with `go build`, and `buf generate` given the same
//! `buf.gen.yaml` writes byte-identical files (apart from the compiler
//! version line), comments included, so source info follows the kept
//! elements. Names that match nothing, or clash with `exclude_types`, are
//! findings on the plugin entry, and Buf refuses the same configurations.
//!
//! `SCHEMACTL_PROTOC_GEN_GO` names the plugin, `SCHEMACTL_BUF` the buf
//! binary and `SCHEMACTL_GOOGLEAPIS` the Google APIs corpus (scripts/test.sh
//! sets all three); without them these tests skip with a note, unless
//! `SCHEMACTL_REQUIRE_PROTOC_GEN_GO` / `SCHEMACTL_REQUIRE_BUF` /
//! `SCHEMACTL_REQUIRE_CORPUS` is set.

use std::path::Path;
use std::process::Command;

use crate::common::{copy_dir, schemactl, write_files};
use crate::generate::{buf, go_build, protoc_gen_go, tree};

const FILES: &[(&str, &str)] = &[
    (
        "acme/anyopt/v1/options.proto",
        r#"syntax = "proto3";
package acme.anyopt.v1;
import "google/protobuf/any.proto";
import "google/protobuf/descriptor.proto";
option go_package = "example.com/schemas/gen/acme/anyopt/v1;anyoptv1";
message Example {
  google.protobuf.Any value = 1;
}
extend google.protobuf.MessageOptions {
  Example example = 50010;
}
"#,
    ),
    (
        "acme/anyopt/v1/u.proto",
        r#"syntax = "proto3";
package acme.anyopt.v1;
import "acme/anyopt/v1/options.proto";
option go_package = "example.com/schemas/gen/acme/anyopt/v1;anyoptv1";
message Sample {
  string id = 1;
}
message Unused {}
message U {
  option (acme.anyopt.v1.example) = {
    value: {
      [type.googleapis.com/acme.anyopt.v1.Sample] { id: "x" }
    }
  };
  string name = 1;
}
"#,
    ),
    (
        "acme/billing/v1/invoice.proto",
        r#"syntax = "proto3";

package acme.billing.v1;

import public "acme/common/v1/money.proto";

option go_package = "example.com/schemas/gen/acme/billing/v1;billingv1";

// An invoice.
message Invoice {
  acme.common.v1.Money total = 1;
}
"#,
    ),
    (
        "acme/billing/v1/refund.proto",
        r#"syntax = "proto3";

package acme.billing.v1;

import "acme/billing/v1/invoice.proto";

option go_package = "example.com/schemas/gen/acme/billing/v1;billingv1";

// A refund, through the public import.
message Refund {
  Invoice invoice = 1;
  acme.common.v1.Money amount = 2;
}
"#,
    ),
    (
        "acme/common/v1/money.proto",
        r#"syntax = "proto3";

package acme.common.v1;

option go_package = "example.com/schemas/gen/acme/common/v1;commonv1";

// Not used by the kept types.
enum Currency {
  CURRENCY_UNSPECIFIED = 0;
}

// An amount of money in minor units.
message Money {
  // ISO 4217.
  string currency = 1;
  int64 minor_units = 2;
}
"#,
    ),
    (
        "acme/identity/v1/user.proto",
        r#"syntax = "proto3";

package acme.identity.v1;

import "acme/common/v1/money.proto";
import "acme/options/v1/options.proto";
import "google/protobuf/timestamp.proto";

option go_package = "example.com/schemas/gen/acme/identity/v1;identityv1";

// Declared first, so the kept messages move.
message Skipped {
  string reason = 1;
}

// A user was created.
message UserCreated {
  option (acme.options.v1.owner) = "identity";

  // The user's id.
  string user_id = 1;
  oneof contact {
    // Their email.
    string email = 2 [(acme.options.v1.sensitive) = true];
    string phone = 3;
  }
  google.protobuf.Timestamp created_at = 4;
  // What they start with.
  acme.common.v1.Money credit = 5;
  Plan plan = 6;

  // Where they live.
  message Address {
    string city = 1;
  }
  repeated Address addresses = 7;
  map<string, Address> others = 8;
}

// A plan.
enum Plan {
  PLAN_UNSPECIFIED = 0;
  PLAN_FREE = 1;
}

// Holds settings.
message Profile {
  // Display settings.
  message Settings {
    bool dark = 1;
  }
  // The profile's name.
  string name = 1;
}

// Uses a nested type only.
message UsesSettings {
  Profile.Settings settings = 1;
}

message GetUserRequest {
  string user_id = 1;
}

// Users.
service Users {
  // Skipped, unless the service is kept.
  rpc Other(Skipped) returns (Skipped);
  // Get a user.
  rpc Get(GetUserRequest) returns (UserCreated);
}
"#,
    ),
    (
        "acme/legacy/v1/legacy.proto",
        r#"syntax = "proto2";

package acme.legacy.v1;

option go_package = "example.com/schemas/gen/acme/legacy/v1;legacyv1";

message Legacy {
  optional string id = 1;
  extensions 100 to 200;
}

// A note on a legacy record.
extend Legacy {
  optional string note = 100;
}

message Other {
  optional int32 n = 1;
}
"#,
    ),
    (
        "acme/legacy/v1/more.proto",
        r#"syntax = "proto2";

package acme.legacy.v1;

import "acme/legacy/v1/legacy.proto";

option go_package = "example.com/schemas/gen/acme/legacy/v1;legacyv1";

extend Legacy {
  optional Other other = 101;
}
"#,
    ),
    (
        "acme/options/v1/options.proto",
        r#"syntax = "proto3";

package acme.options.v1;

import "google/protobuf/descriptor.proto";

option go_package = "example.com/schemas/gen/acme/options/v1;optionsv1";

extend google.protobuf.FieldOptions {
  // Personal data.
  bool sensitive = 50001;
}

extend google.protobuf.MessageOptions {
  // The team owning a message.
  string owner = 50002;
}

// Nobody uses this one.
message Unrelated {
  string x = 1;
}
"#,
    ),
];

/// One filter and what it must keep: the generated files, and words that
/// must (or must not) appear in each.
struct Case {
    filter: &'static str,
    files: &'static [&'static str],
    present: &'static [(&'static str, &'static str)],
    absent: &'static [(&'static str, &'static str)],
}

const USER_GO: &str = "acme/identity/v1/user.pb.go";
const MONEY_GO: &str = "acme/common/v1/money.pb.go";

const CASES: &[Case] = &[
    Case {
        filter: "types: [acme.identity.v1.UserCreated, acme.identity.v1.UsesSettings]",
        files: &[MONEY_GO, USER_GO, "acme/options/v1/options.pb.go"],
        present: &[
            (USER_GO, "type UserCreated struct"),
            (USER_GO, "// The user's id."),
            (USER_GO, "// Their email."),
            (USER_GO, "type UserCreated_Address struct"),
            (USER_GO, "type Profile_Settings struct"),
            (USER_GO, "\"example.com/schemas/gen/acme/options/v1\""),
            (MONEY_GO, "// ISO 4217."),
        ],
        absent: &[
            (USER_GO, "Skipped"),
            (USER_GO, "GetUserRequest"),
            // Profile only encloses Settings: no fields, no comment.
            (USER_GO, "Holds settings."),
            (USER_GO, "GetName()"),
            (MONEY_GO, "Currency_"),
            ("acme/options/v1/options.pb.go", "Unrelated"),
        ],
    },
    Case {
        filter: "exclude_types: [acme.common.v1.Money]",
        files: &[
            "acme/anyopt/v1/options.pb.go",
            "acme/anyopt/v1/u.pb.go",
            "acme/billing/v1/invoice.pb.go",
            "acme/billing/v1/refund.pb.go",
            MONEY_GO,
            USER_GO,
            "acme/legacy/v1/legacy.pb.go",
            "acme/legacy/v1/more.pb.go",
            "acme/options/v1/options.pb.go",
        ],
        present: &[
            (USER_GO, "type UserCreated struct"),
            (MONEY_GO, "Currency_"),
        ],
        absent: &[
            (USER_GO, "GetCredit()"),
            (MONEY_GO, "type Money struct"),
            ("acme/billing/v1/refund.pb.go", "Amount"),
        ],
    },
    // An input file whose types are all excluded is still generated,
    // empty, as Buf does.
    Case {
        filter: "exclude_types: [acme.common.v1.Money, acme.common.v1.Currency]",
        files: &[
            "acme/anyopt/v1/options.pb.go",
            "acme/anyopt/v1/u.pb.go",
            "acme/billing/v1/invoice.pb.go",
            "acme/billing/v1/refund.pb.go",
            MONEY_GO,
            USER_GO,
            "acme/legacy/v1/legacy.pb.go",
            "acme/legacy/v1/more.pb.go",
            "acme/options/v1/options.pb.go",
        ],
        present: &[(MONEY_GO, "package commonv1")],
        absent: &[(MONEY_GO, "type Money struct"), (MONEY_GO, "Currency_")],
    },
    Case {
        filter: "types: [acme.billing.v1]",
        files: &[
            "acme/billing/v1/invoice.pb.go",
            "acme/billing/v1/refund.pb.go",
            MONEY_GO,
        ],
        // refund.proto reached Money through invoice.proto's public
        // import; it now imports money.proto itself.
        present: &[(
            "acme/billing/v1/refund.pb.go",
            "\"example.com/schemas/gen/acme/common/v1\"",
        )],
        absent: &[("acme/billing/v1/invoice.pb.go", "type Money = v1.Money")],
    },
    // A message named only by the type URL of an `Any` in a custom
    // option's value is kept.
    Case {
        filter: "types: [acme.anyopt.v1.U]",
        files: &["acme/anyopt/v1/options.pb.go", "acme/anyopt/v1/u.pb.go"],
        present: &[("acme/anyopt/v1/u.pb.go", "type Sample struct")],
        absent: &[("acme/anyopt/v1/u.pb.go", "Unused")],
    },
    Case {
        filter: "types: [acme.legacy.v1.Legacy]",
        files: &["acme/legacy/v1/legacy.pb.go", "acme/legacy/v1/more.pb.go"],
        // Extensions of a kept message are kept, and so are their types.
        present: &[
            ("acme/legacy/v1/legacy.pb.go", "E_Note"),
            ("acme/legacy/v1/more.pb.go", "E_Other"),
            ("acme/legacy/v1/legacy.pb.go", "type Other struct"),
        ],
        absent: &[],
    },
    Case {
        filter: "types: [acme.identity.v1.Users.Get, acme.identity.v1.Profile.**]",
        files: &[MONEY_GO, USER_GO, "acme/options/v1/options.pb.go"],
        present: &[
            (USER_GO, "type GetUserRequest struct"),
            (USER_GO, "// Holds settings."),
            (USER_GO, "type Profile_Settings struct"),
        ],
        absent: &[(USER_GO, "Skipped"), (USER_GO, "UsesSettings")],
    },
    Case {
        filter: "types: [acme.billing.v1.Refund]\n    exclude_types: [acme.billing.v1.Invoice]",
        files: &["acme/billing/v1/refund.pb.go", MONEY_GO],
        present: &[("acme/billing/v1/refund.pb.go", "GetAmount()")],
        absent: &[("acme/billing/v1/refund.pb.go", "GetInvoice()")],
    },
    Case {
        filter: "exclude_types: [acme.options.v1.sensitive, acme.legacy.v1.Other]",
        files: &[
            "acme/anyopt/v1/options.pb.go",
            "acme/anyopt/v1/u.pb.go",
            "acme/billing/v1/invoice.pb.go",
            "acme/billing/v1/refund.pb.go",
            MONEY_GO,
            USER_GO,
            "acme/legacy/v1/legacy.pb.go",
            "acme/legacy/v1/more.pb.go",
            "acme/options/v1/options.pb.go",
        ],
        present: &[("acme/options/v1/options.pb.go", "E_Owner")],
        absent: &[
            ("acme/options/v1/options.pb.go", "E_Sensitive"),
            ("acme/legacy/v1/more.pb.go", "E_Other"),
        ],
    },
];

fn buf_gen(plugin: &str, filter: &str) -> String {
    format!(
        "version: v2\nplugins:\n  - local: {plugin}\n    out: gen\n    opt: paths=source_relative\n    {filter}\n"
    )
}

/// The generated files under `dir/gen`, without the manifest, with the
/// `// \tprotoc ...` version line removed.
fn generated(dir: &Path) -> Vec<(String, String)> {
    tree(&dir.join("gen"))
        .into_iter()
        .filter(|(name, _)| !name.ends_with(".schemactl-generated"))
        .map(|(name, bytes)| {
            let text = String::from_utf8_lossy(&bytes)
                .lines()
                .filter(|l| !l.starts_with("// \tprotoc "))
                .collect::<Vec<_>>()
                .join("\n");
            (name, text)
        })
        .collect()
}

fn buf_generate(buf: &std::ffi::OsStr, dir: &Path) -> std::process::Output {
    Command::new(buf)
        .arg("generate")
        .current_dir(dir)
        .output()
        .expect("run buf")
}

#[test]
fn each_filter_keeps_what_its_types_need_and_matches_buf_generate() {
    let Some(plugin) = protoc_gen_go() else {
        return;
    };
    let buf = buf();
    for case in CASES {
        let tmp = tempfile::tempdir().expect("tempdir");
        let ours = tmp.path().join("ours");
        write_files(&ours, FILES);
        write_files(&ours, &[("buf.gen.yaml", &buf_gen(&plugin, case.filter))]);
        let theirs = tmp.path().join("theirs");
        copy_dir(&ours, &theirs);
        let run = schemactl(&ours, &["generate"]);
        assert_eq!(run.code, 0, "{}: {}{}", case.filter, run.stdout, run.stderr);
        let files = generated(&ours);
        let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        let mut expected = case.files.to_vec();
        expected.sort_unstable();
        assert_eq!(names, expected, "{}", case.filter);
        let text = |name: &str| {
            &files
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{}: no {name}", case.filter))
                .1
        };
        for (file, word) in case.present {
            assert!(
                text(file).contains(word),
                "{}: {file} lacks {word:?}",
                case.filter
            );
        }
        for (file, word) in case.absent {
            assert!(
                !text(file).contains(word),
                "{}: {file} has {word:?}",
                case.filter
            );
        }
        let Some(buf) = &buf else { continue };
        let out = buf_generate(buf, &theirs);
        assert!(
            out.status.success(),
            "{}: buf generate failed: {}",
            case.filter,
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs = generated(&theirs);
        assert_eq!(
            files.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            theirs.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            "{}",
            case.filter
        );
        for ((name, a), (_, b)) in files.iter().zip(&theirs) {
            assert!(
                a == b,
                "{}: {name} differs from buf's:\n--- ours\n{a}\n--- buf\n{b}",
                case.filter
            );
        }
    }
}

/// What a filter leaves must still compile: no import of a file whose
/// types were all cut, no reference to a removed type.
#[test]
fn filtered_output_builds() {
    let Some(plugin) = protoc_gen_go() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), FILES);
    write_files(
        tmp.path(),
        &[(
            "buf.gen.yaml",
            &buf_gen(
                &plugin,
                "types: [acme.identity.v1.UserCreated, acme.billing.v1.Refund]\n    exclude_types: [acme.billing.v1.Invoice]",
            ),
        )],
    );
    let run = schemactl(tmp.path(), &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let out = tmp.path().join("gen");
    assert!(!out.join("acme/billing/v1/invoice.pb.go").exists());
    go_build(&out, "example.com/schemas/gen");
}

#[test]
fn names_that_match_nothing_or_clash_are_findings_on_the_plugin_entry() {
    let buf = buf();
    // The plugin is never started: the filter fails first.
    let cases: &[(&str, &str, Option<&str>)] = &[
        (
            "types: [acme.identity.v1.UserCreatd]",
            "`types` names `acme.identity.v1.UserCreatd`, which no file declares",
            Some("did you mean `acme.identity.v1.UserCreated`?"),
        ),
        (
            "exclude_types: [acme.billing.v2]",
            "`exclude_types` names `acme.billing.v2`, which no file declares",
            Some("did you mean `acme.billing.v1`?"),
        ),
        (
            "types: [google.protobuf.Timestamp]",
            "`types` names `google.protobuf.Timestamp`, which google/protobuf/timestamp.proto declares: an imported file, not an input file",
            None,
        ),
        (
            "types: [acme]",
            "`types` names the package `acme`, which declares no types directly",
            Some("`acme.**` also keeps its subpackages"),
        ),
        (
            "types: [acme.common.v1.Money]\n    exclude_types: [acme.common.v1]",
            "`types` names `acme.common.v1.Money`, which `exclude_types` excludes",
            None,
        ),
        (
            "exclude_types: [acme.identity.v1.Skipped]",
            "the method `acme.identity.v1.Users.Other` is kept, but its input type `acme.identity.v1.Skipped` is excluded by `exclude_types`",
            None,
        ),
        (
            "types: [\"acme.*\"]",
            "`types` names `acme.*`, which is not a fully qualified type name",
            Some("the only wildcard is a final `.**`"),
        ),
    ];
    for (filter, message, hint) in cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        write_files(tmp.path(), FILES);
        write_files(
            tmp.path(),
            &[("buf.gen.yaml", &buf_gen("protoc-gen-never-run", filter))],
        );
        let run = schemactl(tmp.path(), &["generate"]);
        assert_eq!(run.code, 1, "{filter}: {}{}", run.stdout, run.stdout);
        assert!(
            run.stdout.contains("error[PLUGIN]"),
            "{filter}: {}",
            run.stdout
        );
        assert!(run.stdout.contains(message), "{filter}: {}", run.stdout);
        assert!(
            run.stdout.contains("buf.gen.yaml:3:5"),
            "{filter}: {}",
            run.stdout
        );
        if let Some(hint) = hint {
            assert!(run.stdout.contains(hint), "{filter}: {}", run.stdout);
        }
        assert!(!tmp.path().join("gen").exists(), "{filter}");
        if let Some(buf) = &buf {
            let out = buf_generate(buf, tmp.path());
            assert!(!out.status.success(), "{filter}: buf accepts it");
            assert!(
                !String::from_utf8_lossy(&out.stderr).contains("protoc-gen-never-run"),
                "{filter}: buf got as far as the plugin: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// The Google APIs: heavy use of custom options (`google.api.http`,
/// `field_behavior`, resource references), proto3 `optional`, maps, and
/// comments everywhere. A filter over the whole corpus gives what
/// `buf generate` gives.
#[test]
fn a_filter_over_the_google_apis_matches_buf_generate() {
    let Some(corpus) = std::env::var_os("SCHEMACTL_GOOGLEAPIS") else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CORPUS").is_none(),
            "SCHEMACTL_GOOGLEAPIS is not set but the corpus is required"
        );
        eprintln!("note: skipping: set SCHEMACTL_GOOGLEAPIS to a corpus made by bench/corpus.sh");
        return;
    };
    let (Some(plugin), Some(buf)) = (protoc_gen_go(), buf()) else {
        return;
    };
    let corpus = Path::new(&corpus);
    let tmp = tempfile::tempdir().expect("tempdir");
    let ours = tmp.path().join("ours");
    for name in std::fs::read_to_string(corpus.join(".corpus-files"))
        .expect("corpus file list")
        .lines()
    {
        let to = ours.join(name);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(corpus.join(name), &to).expect("copy");
    }
    write_files(
        &ours,
        &[(
            "buf.gen.yaml",
            &buf_gen(
                &plugin,
                "types: [google.cloud.secretmanager.v1, google.cloud.compute.v1.Instance, google.cloud.compute.v1.Metadata.**]\n    exclude_types: [google.api.field_behavior, google.api.resource_reference, google.cloud.secretmanager.v1.Replication.UserManaged, google.cloud.compute.v1.Items]",
            ),
        )],
    );
    let theirs = tmp.path().join("theirs");
    copy_dir(&ours, &theirs);
    let run = schemactl(&ours, &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let out = buf_generate(&buf, &theirs);
    assert!(
        out.status.success(),
        "buf generate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (ours, theirs) = (generated(&ours), generated(&theirs));
    let names = |t: &[(String, String)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs));
    assert!(
        names(&ours).contains(&"google/cloud/compute/v1/compute.pb.go".to_owned()),
        "{:?}",
        names(&ours)
    );
    // The excluded option's file declares nothing else that is needed.
    assert!(!names(&ours).contains(&"google/api/field_behavior.pb.go".to_owned()));
    for ((name, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(a == b, "{name} differs from buf's");
    }
}

/// Each plugin entry has its own filter: one without sees every file.
#[test]
fn only_the_plugin_with_a_filter_sees_less() {
    let Some(plugin) = protoc_gen_go() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    write_files(tmp.path(), FILES);
    write_files(
        tmp.path(),
        &[(
            "buf.gen.yaml",
            &format!(
                "version: v2\nplugins:\n  - local: {plugin}\n    out: gen/some\n    opt: paths=source_relative\n    types: [acme.identity.v1.UserCreated]\n  - local: {plugin}\n    out: gen/all\n    opt: paths=source_relative\n"
            ),
        )],
    );
    let run = schemactl(tmp.path(), &["generate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let files = generated(tmp.path());
    let count = |prefix: &str| files.iter().filter(|(n, _)| n.starts_with(prefix)).count();
    assert_eq!(
        (count("some/"), count("all/")),
        (3, 9),
        "{:?}",
        files.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    let user = |dir: &str| {
        std::fs::read_to_string(tmp.path().join(dir).join(USER_GO)).expect("user.pb.go")
    };
    assert!(user("gen/all").contains("type Skipped struct"));
    assert!(!user("gen/some").contains("type Skipped struct"));
}
