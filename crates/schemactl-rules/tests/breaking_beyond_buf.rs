//! Beyond Buf: moves between files of a package are one finding naming both
//! places (Buf reports every moved type as deleted), none under PACKAGE;
//! widening a reserved range is not a deletion.

use schemactl_compile::{Image, compile_tree};
use schemactl_config::{BreakingConfig, Config};
use schemactl_source::{FileEntry, Tree};

mod common;
use common::breaking_with as breaking;

fn image(files: &[(&str, &str)]) -> Image {
    let mut tree = Tree::new("test");
    for (path, text) in files {
        tree.insert(*path, FileEntry::new(text.as_bytes().to_vec()));
    }
    let compilation = compile_tree(&tree, &Config::buf_default(), ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
    compilation.image.expect("image")
}

fn config(category: &str) -> Config {
    Config {
        breaking: BreakingConfig {
            use_: vec![category.to_owned()],
            ..BreakingConfig::default()
        },
        ..Config::buf_default()
    }
}

const HEADER: &str = "syntax = \"proto3\";\npackage acme.billing.v1;\n";

#[test]
fn a_moved_message_is_one_finding_with_both_locations() {
    let moved = "message Invoice {\n  string id = 1;\n  message Line { int64 cents = 1; }\n  enum State { STATE_UNSPECIFIED = 0; }\n}\n";
    let before = image(&[
        (
            "acme/billing/v1/a.proto",
            &format!("{HEADER}{moved}message Other {{}}\n"),
        ),
        ("acme/billing/v1/b.proto", HEADER),
    ]);
    let after = image(&[
        (
            "acme/billing/v1/a.proto",
            &format!("{HEADER}message Other {{}}\n"),
        ),
        ("acme/billing/v1/b.proto", &format!("{HEADER}\n{moved}")),
    ]);
    let findings = breaking(&before, &after, &config("FILE")).expect("rules");
    assert_eq!(
        findings.len(),
        1,
        "one finding, not one per nested type: {findings:#?}"
    );
    let finding = &findings[0];
    assert_eq!(finding.rule, "MESSAGE_NO_DELETE");
    assert_eq!(finding.path, "acme/billing/v1/a.proto");
    assert!(
        finding.message.contains(
            "moved from file \"acme/billing/v1/a.proto\" to file \"acme/billing/v1/b.proto\""
        ),
        "{}",
        finding.message
    );
    assert_eq!(finding.related.len(), 1);
    assert_eq!(finding.related[0].path, "acme/billing/v1/b.proto");
    assert_eq!(
        finding.related[0].location.map(|l| l.start_line),
        Some(4),
        "where it is now"
    );

    let package = breaking(&before, &after, &config("PACKAGE")).expect("rules");
    assert!(
        package.is_empty(),
        "a move within a package is fine under PACKAGE: {package:?}"
    );
}

#[test]
fn widening_a_reserved_range_is_not_a_deletion() {
    let before = image(&[(
        "acme/billing/v1/a.proto",
        &format!("{HEADER}message A {{\n  reserved 5 to 10;\n}}\n"),
    )]);
    let after = image(&[(
        "acme/billing/v1/a.proto",
        &format!("{HEADER}message A {{\n  reserved 1 to 20;\n}}\n"),
    )]);
    for category in ["FILE", "PACKAGE", "WIRE_JSON", "WIRE"] {
        let findings = breaking(&before, &after, &config(category)).expect("rules");
        assert!(findings.is_empty(), "{category}: {findings:?}");
    }
    let narrowed = image(&[(
        "acme/billing/v1/a.proto",
        &format!("{HEADER}message A {{\n  reserved 6 to 10;\n}}\n"),
    )]);
    let findings = breaking(&before, &narrowed, &config("FILE")).expect("rules");
    assert_eq!(
        findings.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
        ["RESERVED_MESSAGE_NO_DELETE"]
    );
}
