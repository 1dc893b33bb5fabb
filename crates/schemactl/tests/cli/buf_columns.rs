//! Differential tests against the real `buf` (SCHEMACTL_BUF) of the columns
//! findings print at: Buf moves a tab to the next multiple of 4 and counts
//! UTF-16 units, in lint and breaking findings and compile errors, in every
//! format.

use crate::buf_streams::{SAME_BYTES_FORMATS, run_buf, run_ours};
use crate::common::*;

/// Tabs at the start, in the middle, after spaces, after multi-byte
/// characters (2, 3 and 4 bytes; 😀 is two UTF-16 units) and inside
/// comments, each before a name that lint reports.
const TABBED: &str = "syntax = \"proto2\";
package tabs.v1;

message M {
\toptional string\tBadName = 1;
  optional string e = 2 [default = \"é\"];\toptional string Bad2 = 3;
  \t optional string  \t \tBad3 = 4;
\toptional string\tgood_name = 5; // a\tcomment
  optional string f = 6 [default = \"ééé\"];\toptional string Bad5 = 7;
  optional string g = 8 [default = \"€€€a\"];\toptional string Bad6 = 9;
  optional string h = 10 [default = \"😀\"];\toptional string Bad7 = 11;
  optional string i = 12 [default = \"😀😀😀\"]; optional string Bad8 = 13;
  /* é\t*/ optional string\tBad9 = 14;
}
\t/* x\t😀 */ message\tbad_msg {}
";

const LINT_CONFIG: &str = "version: v2\nlint:\n  use: [STANDARD]\n";

#[test]
fn lint_columns_after_tabs_and_multibyte_characters_are_bufs() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    write_files(
        tmp.path(),
        &[("buf.yaml", LINT_CONFIG), ("tabs/v1/a.proto", TABBED)],
    );
    let mut formats = vec!["json"];
    formats.extend(SAME_BYTES_FORMATS.iter().filter(|f| **f != "json"));
    for format in formats {
        let args = ["lint", "--error-format", format];
        let theirs = run_buf(&buf, tmp.path(), &args);
        let ours = run_ours(tmp.path(), &args);
        assert_eq!(
            (ours.code, &ours.stdout),
            (theirs.code, &theirs.stdout),
            "{format}: schemactl (left) and buf (right)"
        );
    }
    // The case is not vacuous: columns past tabs differ from characters.
    let theirs = run_buf(&buf, tmp.path(), &["lint", "--error-format", "json"]);
    let findings = json_findings(&theirs.stdout);
    assert_eq!(findings.len(), 9, "{}", theirs.stdout);
    assert!(
        findings
            .iter()
            .any(|f| f.1 == 5 && f.2 == 21 && f.3 == "FIELD_LOWER_SNAKE_CASE"),
        "{findings:?}"
    );
}

#[test]
fn breaking_columns_after_tabs_are_bufs() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    let before = "syntax = \"proto3\";\npackage tabs.v1;\nmessage M {\n\tstring\tname = 1;\n  string note = 2; // é\n}\n";
    let after = "syntax = \"proto3\";\npackage tabs.v1;\nmessage M {\n\tint64\tname = 1;\n  /* 😀 */\tint32 note = 2;\n}\n";
    write_files(&old, &[("buf.yaml", "version: v2\n"), ("a.proto", before)]);
    write_files(&new, &[("buf.yaml", "version: v2\n"), ("a.proto", after)]);
    for format in SAME_BYTES_FORMATS {
        let args = ["breaking", "--against", "../old", "--error-format", format];
        let theirs = run_buf(&buf, &new, &args);
        let ours = run_ours(&new, &args);
        assert_eq!(
            (ours.code, &ours.stdout),
            (theirs.code, &theirs.stdout),
            "{format}: schemactl (left) and buf (right)"
        );
    }
    let theirs = run_buf(
        &buf,
        &new,
        &["breaking", "--against", "../old", "--error-format", "json"],
    );
    assert_eq!(json_findings(&theirs.stdout).len(), 2, "{}", theirs.stdout);
}

#[test]
fn compile_error_columns_after_tabs_are_bufs() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    // An unknown type after tabs and a comment with a 1-, 2- or 4-byte
    // character: both compilers place the error at the type (their
    // messages differ), Buf counting bytes and a tab as one column.
    for (comment, column) in [("/* e */", 12), ("/* é */", 13), ("/* 😀 */", 15)] {
        let broken = format!(
            "syntax = \"proto3\";\npackage tabs.v1;\nmessage M {{\n  {comment}\t\tMissing\tname = 1;\n}}\n"
        );
        write_files(tmp.path(), &[("a.proto", &broken)]);
        for command in ["lint", "build"] {
            let args = [command, "--error-format", "json"];
            let theirs = run_buf(&buf, tmp.path(), &args);
            let ours = run_ours(tmp.path(), &args);
            let positions = |stdout: &str| -> Vec<(String, i64, i64)> {
                json_findings(stdout)
                    .into_iter()
                    .map(|f| (f.0, f.1, f.2))
                    .collect()
            };
            let (theirs_out, ours_out) = if command == "build" {
                (&theirs.stderr, &ours.stderr)
            } else {
                (&theirs.stdout, &ours.stdout)
            };
            assert_eq!(
                positions(ours_out),
                positions(theirs_out),
                "{command}: schemactl (left) and buf (right)\n{ours_out}\n{theirs_out}"
            );
            assert_eq!(positions(theirs_out), [("a.proto".to_owned(), 4, column)]);
        }
    }
}
