use schemactl_config::LintConfig;

use crate::registry::{RuleKind, RuleSpec, all_rules};

/// A rule or category ID in the configuration that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError {
    /// `lint` or `breaking`.
    pub section: &'static str,
    pub id: String,
    /// `use`, `except` or `ignore_only`.
    pub key: &'static str,
    pub suggestion: Option<String>,
}

impl std::fmt::Display for SelectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown {} rule or category `{}` in `{}.{}`",
            self.section, self.id, self.section, self.key
        )
    }
}

impl std::error::Error for SelectError {}

/// Lint categories, in order of strictness where it applies.
/// `TOPIC` (schemactl's own) selects the catalog rules, which run whenever
/// `topics:` exist unless `except` names them.
pub const CATEGORIES: &[&str] = &[
    "MINIMAL",
    "BASIC",
    "STANDARD",
    "COMMENTS",
    "UNARY_RPC",
    "TOPIC",
];

/// Resolve `use` and `except` to the rules to run, sorted by ID, and check
/// that every ID in `use`, `except` and `ignore_only` exists for the
/// configuration's version.
pub fn select_rules(
    config: &LintConfig,
    buf_v1: bool,
) -> Result<Vec<&'static RuleSpec>, SelectError> {
    let rules: Vec<&'static RuleSpec> = all_rules()
        .into_iter()
        .filter(|r| r.kind == RuleKind::Lint && (!buf_v1 || r.v1_exists))
        .collect();
    let expand = |id: &str, key: &'static str| -> Result<Vec<&'static RuleSpec>, SelectError> {
        // Buf v1 calls STANDARD `DEFAULT`; both names work in both versions.
        let id = if id == "DEFAULT" { "STANDARD" } else { id };
        if CATEGORIES.contains(&id) {
            return Ok(rules
                .iter()
                .copied()
                .filter(|r| r.categories_for(buf_v1).contains(&id))
                .collect());
        }
        if let Some(rule) = rules.iter().find(|r| r.id == id) {
            return Ok(vec![*rule]);
        }
        let names = crate::rule_refs::valid_ids(schemactl_config::RuleRefKind::Lint, buf_v1);
        Err(SelectError {
            section: "lint",
            id: id.to_owned(),
            key,
            suggestion: schemactl_config::closest(id, &names).map(str::to_owned),
        })
    };
    // Buf runs its default rules when `use` is missing or empty.
    let standard = ["STANDARD".to_owned()];
    let use_ = if config.use_.is_empty() {
        &standard[..]
    } else {
        &config.use_[..]
    };
    let mut selected: Vec<&'static RuleSpec> = Vec::new();
    for id in use_ {
        for rule in expand(id, "use")? {
            if !selected.iter().any(|r| r.id == rule.id) {
                selected.push(rule);
            }
        }
    }
    for id in &config.except {
        let removed = expand(id, "except")?;
        selected.retain(|r| !removed.iter().any(|x| x.id == r.id));
    }
    // Buf rejects unknown keys in `ignore_only` as it does in `use`.
    for id in config.ignore_only.keys() {
        expand(id, "ignore_only")?;
    }
    selected.sort_by_key(|r| r.id);
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(config: &LintConfig, buf_v1: bool) -> Vec<&'static str> {
        select_rules(config, buf_v1)
            .expect("selected")
            .iter()
            .map(|r| r.id)
            .collect()
    }

    fn config(use_: &[&str], except: &[&str]) -> LintConfig {
        LintConfig {
            use_: use_.iter().map(|s| (*s).to_owned()).collect(),
            except: except.iter().map(|s| (*s).to_owned()).collect(),
            ..LintConfig::default()
        }
    }

    #[test]
    fn empty_use_means_the_default_rules() {
        assert_eq!(
            ids(&config(&[], &[]), false),
            ids(&config(&["STANDARD"], &[]), false)
        );
        assert_eq!(
            ids(&config(&[], &[]), true),
            ids(&config(&["DEFAULT"], &[]), true)
        );
    }

    #[test]
    fn v1_has_no_field_not_required_and_no_import_cycle_by_default() {
        let v2 = ids(&config(&["STANDARD"], &[]), false);
        let v1 = ids(&config(&["DEFAULT"], &[]), true);
        assert!(v2.contains(&"FIELD_NOT_REQUIRED") && v2.contains(&"PACKAGE_NO_IMPORT_CYCLE"));
        assert!(!v1.contains(&"FIELD_NOT_REQUIRED") && !v1.contains(&"PACKAGE_NO_IMPORT_CYCLE"));
        let Err(err) = select_rules(&config(&["FIELD_NOT_REQUIRED"], &[]), true) else {
            panic!("FIELD_NOT_REQUIRED accepted in v1");
        };
        assert_eq!(err.key, "use");
    }

    #[test]
    fn except_takes_rules_and_categories() {
        let selected = ids(
            &config(&["STANDARD", "COMMENTS"], &["MINIMAL", "COMMENT_FIELD"]),
            false,
        );
        assert!(selected.contains(&"COMMENT_ENUM") && selected.contains(&"MESSAGE_PASCAL_CASE"));
        assert!(
            !selected.contains(&"COMMENT_FIELD") && !selected.contains(&"DIRECTORY_SAME_PACKAGE")
        );
    }

    #[test]
    fn unknown_ignore_only_keys_are_errors() {
        let mut c = config(&["STANDARD"], &[]);
        c.ignore_only
            .insert("BASIC".to_owned(), vec!["a".to_owned()]);
        c.ignore_only
            .insert("DEFAULT".to_owned(), vec!["a".to_owned()]);
        assert!(select_rules(&c, false).is_ok());
        c.ignore_only
            .insert("NOPE_RULE".to_owned(), vec!["a".to_owned()]);
        let Err(err) = select_rules(&c, false) else {
            panic!("unknown ignore_only key accepted");
        };
        assert_eq!((err.id.as_str(), err.key), ("NOPE_RULE", "ignore_only"));
    }
}
