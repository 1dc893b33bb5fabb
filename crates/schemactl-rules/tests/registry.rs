//! Every rule is documented, registered once, and has Buf's categories.

use schemactl_config::BufVersion;
use schemactl_rules::docs::REQUIRED_SECTIONS;
use schemactl_rules::{Category, RuleKind, all_rules};

#[test]
fn every_rule_has_documentation_with_every_section() {
    let mut missing = Vec::new();
    for rule in all_rules() {
        if rule.summary.trim().is_empty() {
            missing.push(format!("{}: no summary", rule.id));
        }
        for section in REQUIRED_SECTIONS {
            if !rule.doc.contains(section) {
                missing.push(format!("{}: no `{section}`", rule.id));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "rules without documentation:\n{}",
        missing.join("\n")
    );
}

#[test]
fn ids_are_unique_and_buf_shaped() {
    let rules = all_rules();
    let mut ids: Vec<&str> = rules.iter().map(|r| r.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "duplicate rule IDs");
    for id in ids {
        assert!(
            id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'),
            "{id}"
        );
    }
}

#[test]
fn buf_lint_rule_set_is_complete() {
    let lint: Vec<_> = all_rules()
        .into_iter()
        .filter(|r| {
            r.kind == RuleKind::Lint && !r.id.starts_with("TOPIC_") && r.exists_in(BufVersion::V2)
        })
        .collect();
    assert_eq!(lint.len(), 45, "Buf v2 has 45 lint rules");
    let breaking = all_rules()
        .into_iter()
        .filter(|r| r.kind == RuleKind::Breaking && !r.id.starts_with("TOPIC_"))
        .count();
    assert_eq!(breaking, 64, "Buf v2 has 64 breaking rules");
    let standard = lint
        .iter()
        .filter(|r| r.categories.contains(&Category::Standard))
        .count();
    let basic = lint
        .iter()
        .filter(|r| r.categories.contains(&Category::Basic))
        .count();
    let minimal = lint
        .iter()
        .filter(|r| r.categories.contains(&Category::Minimal))
        .count();
    let comments = lint
        .iter()
        .filter(|r| r.categories.contains(&Category::Comments))
        .count();
    let unary = lint
        .iter()
        .filter(|r| r.categories.contains(&Category::UnaryRpc))
        .count();
    assert_eq!(
        (minimal, basic, standard, comments, unary),
        (5, 26, 35, 7, 2)
    );
    // MINIMAL ⊂ BASIC ⊂ STANDARD.
    for r in &lint {
        if r.categories.contains(&Category::Minimal) {
            assert!(r.categories.contains(&Category::Basic), "{}", r.id);
        }
        if r.categories.contains(&Category::Basic) {
            assert!(r.categories.contains(&Category::Standard), "{}", r.id);
        }
    }
}
