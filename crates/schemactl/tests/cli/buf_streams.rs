//! Differential tests against the real `buf` (SCHEMACTL_BUF) of what a
//! script sees: which rules run without a configuration and under
//! `version: v1` or `v2`, which stream compile errors go to in every
//! format, what a side to compare against that does not compile prints and
//! exits with, and the order of findings that start at one place.
//!
//! schemactl runs with `--exit-code buf` where exit codes are compared, so
//! findings exit 100 on both sides; one test checks the default, 1.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Buf's formats; schemactl has these and `sarif` and `markdown`.
const BUF_FORMATS: [&str; 6] = [
    "text",
    "json",
    "msvs",
    "junit",
    "github-actions",
    "gitlab-code-quality",
];

/// The formats Buf renders byte for byte like schemactl (text and
/// github-actions differ on purpose: a snippet, a title).
pub(crate) const SAME_BYTES_FORMATS: [&str; 4] = ["json", "msvs", "junit", "gitlab-code-quality"];

/// The real buf, or `None` when it is not installed and not required.
fn buf() -> Option<std::ffi::OsString> {
    crate::generate::buf()
}

/// What one run printed and its exit code.
#[derive(Debug)]
pub(crate) struct Ran {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run_buf(buf: &OsStr, dir: &Path, args: &[&str]) -> Ran {
    let out = Command::new(buf)
        .args(args)
        .current_dir(dir)
        .env(
            "BUF_CACHE_DIR",
            std::env::temp_dir().join("schemactl-buf-cache"),
        )
        .output()
        .expect("run buf");
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub(crate) fn run_ours(dir: &Path, args: &[&str]) -> Ran {
    let mut args = args.to_vec();
    args.extend(["--exit-code", "buf"]);
    let run = schemactl(dir, &args);
    Ran {
        code: run.code,
        stdout: run.stdout,
        stderr: run.stderr,
    }
}

/// (path, type, start line, start column) of each JSON-lines finding, in
/// order.
fn json_keys(stdout: &str) -> Vec<(String, String, u64, u64)> {
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            let number = |k: &str| v[k].as_u64().unwrap_or_default();
            (
                text("path"),
                text("type"),
                number("start_line"),
                number("start_column"),
            )
        })
        .collect()
}

const EXTENDED: &str = "syntax = \"proto2\";\npackage shop;\nmessage Order {\n  extensions 10 to 20;\n}\nextend Order {\n  optional int32 note = 10;\n}\n";
const EXTENSION_DELETED: &str =
    "syntax = \"proto2\";\npackage shop;\nmessage Order {\n  extensions 10 to 20;\n}\n";

#[test]
fn extension_no_delete_runs_only_under_a_v2_config() {
    let Some(buf) = buf() else { return };
    for config in [None, Some("version: v1\n"), Some("version: v2\n")] {
        let tmp = tempfile::tempdir().expect("tmp");
        let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
        write_files(&old, &[("shop.proto", EXTENDED)]);
        write_files(&new, &[("shop.proto", EXTENSION_DELETED)]);
        if let Some(config) = config {
            write_files(&old, &[("buf.yaml", config)]);
            write_files(&new, &[("buf.yaml", config)]);
        }
        let args = ["breaking", "--against", "../old", "--error-format", "json"];
        let theirs = run_buf(&buf, &new, &args);
        let ours = run_ours(&new, &args);
        let label = config.unwrap_or("no config").trim();
        assert_eq!(
            (ours.code, &ours.stdout, &ours.stderr),
            (theirs.code, &theirs.stdout, &theirs.stderr),
            "{label}: schemactl (left) and buf (right)"
        );
        // Only v2 has the rule, and buf says so.
        assert_eq!(
            theirs.stdout.contains("EXTENSION_NO_DELETE"),
            config == Some("version: v2\n"),
            "{label}: {}",
            theirs.stdout
        );
    }
}

/// One compile error that both compilers place at 3:13 (their messages
/// differ: each has its own compiler).
const BROKEN: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order { Missing id = 1; }\n";
const GOOD: &str = "syntax = \"proto3\";\npackage shop;\nmessage Order { string id = 1; }\n";

/// `broken/` with one compile error and `good/`, which compiles.
fn broken_and_good() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(&tmp.path().join("broken"), &[("shop.proto", BROKEN)]);
    write_files(&tmp.path().join("good"), &[("shop.proto", GOOD)]);
    tmp
}

#[test]
fn compile_errors_go_where_buf_puts_them_in_every_format() {
    let Some(buf) = buf() else { return };
    let tmp = broken_and_good();
    let broken = tmp.path().join("broken");
    let commands: [&[&str]; 3] = [
        &["lint"],
        &["breaking", "--against", "../good"],
        &["build", "-o", "/dev/null"],
    ];
    let mut differences = Vec::new();
    for command in commands {
        for format in BUF_FORMATS {
            let mut args = command.to_vec();
            args.extend(["--error-format", format]);
            let theirs = run_buf(&buf, &broken, &args);
            let ours = run_ours(&broken, &args);
            let streams = |r: &Ran| (r.code, r.stdout.is_empty(), r.stderr.is_empty());
            if streams(&ours) != streams(&theirs) {
                differences.push(format!(
                    "{args:?}: (exit code, stdout empty, stderr empty) ours {:?}, buf's {:?}\n\
                     ours:\n{}{}\nbuf's:\n{}{}",
                    streams(&ours),
                    streams(&theirs),
                    ours.stdout,
                    ours.stderr,
                    theirs.stdout,
                    theirs.stderr
                ));
            }
            if format == "json" {
                let on = |r: &Ran| {
                    if r.stdout.is_empty() {
                        r.stderr.clone()
                    } else {
                        r.stdout.clone()
                    }
                };
                let (a, b) = (json_keys(&on(&ours)), json_keys(&on(&theirs)));
                if a != b || a.is_empty() {
                    differences.push(format!("{args:?}: ours {a:?}, buf's {b:?}"));
                }
            }
        }
        // schemactl's own formats go where the others go.
        for format in ["sarif", "markdown"] {
            let mut args = command.to_vec();
            args.extend(["--error-format", format]);
            let ours = run_ours(&broken, &args);
            let (there, elsewhere) = if command[0] == "build" {
                (&ours.stderr, &ours.stdout)
            } else {
                (&ours.stdout, &ours.stderr)
            };
            if ours.code != 100 || there.is_empty() || !elsewhere.is_empty() {
                differences.push(format!(
                    "{args:?}: exit {}, stdout:\n{}\nstderr:\n{}",
                    ours.code, ours.stdout, ours.stderr
                ));
            }
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n\n"));
}

#[test]
fn a_side_to_compare_against_that_does_not_compile_is_findings() {
    let Some(buf) = buf() else { return };
    let tmp = broken_and_good();
    let good = tmp.path().join("good");
    let args = [
        "breaking",
        "--against",
        "../broken",
        "--error-format",
        "json",
    ];
    let theirs = run_buf(&buf, &good, &args);
    let ours = run_ours(&good, &args);
    assert_eq!(theirs.code, 100, "{}", theirs.stderr);
    assert_eq!((ours.code, ours.stderr.as_str()), (100, ""));
    assert_eq!(theirs.stderr, "");
    let keys = json_keys(&ours.stdout);
    assert_eq!(keys, json_keys(&theirs.stdout));
    assert_eq!(
        keys,
        [(
            "../broken/shop.proto".to_owned(),
            "COMPILE".to_owned(),
            3,
            17
        )]
    );
    // schemactl's own exit code for findings, and the text format: the
    // errors on stdout, and a note on stderr saying which side failed.
    let run = schemactl(&good, &["breaking", "--against", "../broken"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains("../broken/shop.proto:3:17"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr
            .starts_with("note: the schemas to compare against (`../broken`) do not compile"),
        "{}",
        run.stderr
    );
    // `--exit-code 100` is `--exit-code buf`.
    let run = schemactl(
        &good,
        &["breaking", "--against", "../broken", "--exit-code", "100"],
    );
    assert_eq!(run.code, 100, "{}", run.stderr);
    // `check` the same way.
    let run = schemactl(
        &good,
        &["check", "--against", "../broken", "--error-format", "json"],
    );
    assert_eq!((run.code, run.stderr.as_str()), (1, ""));
    assert_eq!(json_keys(&run.stdout), keys);
}

/// Findings that start at one place: COMMENT_ENUM_VALUE spans the whole
/// value, the naming rules only its name, so sorting by end before rule
/// (the old order) put the naming rules first; Buf sorts by rule.
const MANY_AT_ONE_PLACE: &str = r#"syntax = "proto3";
package Foo_Bar;
import "google/protobuf/empty.proto";
enum color { red = 0; Blue = 2; }
message foo_bar {
  int32 FooBar = 1;
  message inner_x { string A = 1; }
  oneof Choice { int32 b = 2; }
}
service svc {
  rpc get_thing(google.protobuf.Empty) returns (google.protobuf.Empty);
  rpc Stream(stream foo_bar) returns (stream foo_bar);
}
"#;

/// A field changed in place several ways: FIELD_SAME_JSON_NAME spans the
/// field, FIELD_SAME_TYPE only its type, and both start at the field.
const BREAKING_BEFORE: &str = r#"syntax = "proto3";
package shop.v1;
enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
message Order {
  string id = 1;
  int64 total = 2;
  repeated string tags = 3;
  oneof pay { string card = 4; string cash = 5; }
  Kind kind = 6;
}
service Shop { rpc Get(Order) returns (Order); }
"#;
const BREAKING_AFTER: &str = r#"syntax = "proto3";
package shop.v1;
enum Kind { KIND_UNSPECIFIED = 0; KIND_B = 1; }
message Order {
  int32 ident = 1;
  optional string total = 2;
  string tags = 3;
  string card = 4;
  int32 cash = 5;
  Order kind = 6;
}
service Shop { rpc Get(stream Order) returns (stream Order); }
"#;

/// Run `args` with both tools in `dir` in each format Buf renders like
/// schemactl: the same bytes on each stream and the same exit code; and
/// the case has what it is about, findings of different rules that start
/// at one place and end at different places.
fn same_bytes_as_buf(buf: &OsStr, dir: &Path, args: &[&str]) {
    for format in SAME_BYTES_FORMATS {
        let mut args = args.to_vec();
        args.extend(["--error-format", format]);
        let theirs = run_buf(buf, dir, &args);
        let ours = run_ours(dir, &args);
        assert_eq!(theirs.code, 100, "{}", theirs.stderr);
        assert_eq!(
            (ours.code, &ours.stdout, &ours.stderr),
            (theirs.code, &theirs.stdout, &theirs.stderr),
            "{args:?}: schemactl (left) and buf (right)"
        );
        if format == "json" {
            let mut starts = BTreeSet::new();
            let mut tied = false;
            for line in theirs.stdout.lines() {
                let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
                let start = (v["start_line"].as_u64(), v["start_column"].as_u64());
                let end = (v["end_line"].as_u64(), v["end_column"].as_u64());
                tied |= starts.iter().any(|(s, e)| *s == start && *e != end);
                starts.insert((start, end));
            }
            assert!(
                tied,
                "no two findings start at one place:\n{}",
                theirs.stdout
            );
        }
    }
}

#[test]
fn findings_at_one_place_are_in_bufs_order() {
    let Some(buf) = buf() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    let lint = tmp.path().join("lint");
    write_files(
        &lint,
        &[
            (
                "buf.yaml",
                "version: v2\nlint:\n  use: [STANDARD, COMMENTS, UNARY_RPC]\n",
            ),
            ("x/a.proto", MANY_AT_ONE_PLACE),
        ],
    );
    same_bytes_as_buf(&buf, &lint, &["lint"]);
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    write_files(&old, &[("a.proto", BREAKING_BEFORE)]);
    write_files(&new, &[("a.proto", BREAKING_AFTER)]);
    same_bytes_as_buf(&buf, &new, &["breaking", "--against", "../old"]);
}

/// `schemactl rules --json --config-version V` lists the rules Buf's
/// `buf config ls-{lint,breaking}-rules --version V` lists (TOPIC rules,
/// schemactl's own, aside), with the same categories and defaults.
#[test]
fn rules_lists_bufs_tables_for_each_config_version() {
    let Some(buf) = buf() else { return };
    let tmp = tempfile::tempdir().expect("tmp");
    type Row = (String, Vec<String>, bool);
    let rows = |text: &str| -> BTreeSet<Row> {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| {
                let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
                let mut categories: Vec<String> = v["categories"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|c| c.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                categories.sort();
                (
                    v["id"].as_str().unwrap_or_default().to_owned(),
                    categories,
                    v["default"].as_bool().unwrap_or_default(),
                )
            })
            .filter(|(_, categories, _)| !categories.iter().any(|c| c == "TOPIC"))
            .collect()
    };
    for version in ["v1beta1", "v1", "v2"] {
        let ours = schemactl(
            tmp.path(),
            &["rules", "--json", "--config-version", version],
        );
        assert_eq!(ours.code, 0, "{}", ours.stderr);
        let mut theirs = BTreeSet::new();
        for kind in ["lint", "breaking"] {
            let run = run_buf(
                &buf,
                tmp.path(),
                &[
                    "config",
                    &format!("ls-{kind}-rules"),
                    "--version",
                    version,
                    "--format",
                    "json",
                ],
            );
            assert_eq!(run.code, 0, "{}", run.stderr);
            theirs.extend(rows(&run.stdout));
        }
        let ours = rows(&ours.stdout);
        assert!(
            theirs.len() > 90,
            "{version}: {} rules from buf",
            theirs.len()
        );
        assert_eq!(
            ours.difference(&theirs).collect::<Vec<_>>(),
            theirs.difference(&ours).collect::<Vec<_>>(),
            "{version}: only ours (left), only buf's (right)"
        );
    }
}
