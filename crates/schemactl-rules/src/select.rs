//! Rule selection, one function for lint and breaking: resolve `use` and
//! `except` (rule IDs and categories) to the rules to run, and refuse any ID
//! that does not exist for the configuration's version.

use schemactl_config::BufVersion;
use std::collections::BTreeMap;

use schemactl_config::{BreakingConfig, LintConfig};

use crate::rule::{Category, RuleKind, RuleSpec, all_rules};

/// A rule or category ID in the configuration that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {section} rule or category `{id}` in `{section}.{key}`")]
pub struct SelectError {
    /// `lint` or `breaking`.
    pub section: &'static str,
    pub id: String,
    /// `use`, `except` or `ignore_only`.
    pub key: &'static str,
    /// The closest valid ID, if one is close.
    pub suggestion: Option<String>,
}

impl SelectError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        crate::rule_refs::unknown_id_hint(self.suggestion.as_deref())
    }
}

/// What a configuration section says about which rules run.
#[derive(Debug, Clone, Copy)]
pub struct Selection<'a> {
    pub use_: &'a [String],
    pub except: &'a [String],
    /// Keys of `ignore_only`, checked like `use` (Buf rejects unknown ones).
    /// `None` where they are not checked here.
    pub ignore_only: Option<&'a BTreeMap<String, Vec<String>>>,
}

impl<'a> Selection<'a> {
    /// A `lint` section: `use`, `except`, and the keys of `ignore_only`.
    pub fn lint(config: &'a LintConfig) -> Self {
        Selection {
            use_: &config.use_,
            except: &config.except,
            ignore_only: Some(&config.ignore_only),
        }
    }

    /// A `breaking` section: `use` and `except` (its `ignore_only` keys are
    /// checked with the other rule references when the configuration is
    /// read).
    pub fn breaking(config: &'a BreakingConfig) -> Self {
        Selection {
            use_: &config.use_,
            except: &config.except,
            ignore_only: None,
        }
    }
}

/// Resolve a selection to the rules of `kind` to run, sorted by ID. An empty
/// `use` means the kind's default category (`STANDARD` for lint, `FILE` for
/// breaking), as in Buf. TOPIC rules (beyond Buf) are on unless `use` names
/// `TOPIC` or a TOPIC rule, so Buf-shaped `use` lists keep them; `except`
/// turns them off like any rule.
pub fn select(
    kind: RuleKind,
    selection: Selection<'_>,
    version: BufVersion,
) -> Result<Vec<&'static RuleSpec>, SelectError> {
    let rules: Vec<&'static RuleSpec> = all_rules()
        .into_iter()
        .filter(|r| r.kind == kind && r.exists_in(version))
        .collect();
    let expand = |id: &str, key: &'static str| -> Result<Vec<&'static RuleSpec>, SelectError> {
        if let Some(category) = Category::parse(id, kind, version) {
            return Ok(rules
                .iter()
                .copied()
                .filter(|r| r.categories_for(version).contains(&category))
                .collect());
        }
        if let Some(rule) = rules.iter().find(|r| r.id == id) {
            return Ok(vec![*rule]);
        }
        let ref_kind = match kind {
            RuleKind::Lint => schemactl_config::RuleRefKind::Lint,
            RuleKind::Breaking => schemactl_config::RuleRefKind::Breaking,
        };
        let names = crate::rule_refs::valid_ids(ref_kind, version);
        Err(SelectError {
            section: kind.section(),
            id: id.to_owned(),
            key,
            suggestion: schemactl_config::closest(id, &names).map(str::to_owned),
        })
    };
    let default = [match kind {
        RuleKind::Lint => Category::Standard,
        RuleKind::Breaking => Category::File,
    }
    .as_str()
    .to_owned()];
    let use_ = if selection.use_.is_empty() {
        &default[..]
    } else {
        selection.use_
    };
    let mut selected: Vec<&'static RuleSpec> = Vec::new();
    for id in use_ {
        for rule in expand(id, "use")? {
            if !selected.iter().any(|r| r.id == rule.id) {
                selected.push(rule);
            }
        }
    }
    let names_topic = use_.iter().any(|id| {
        Category::parse(id, kind, version) == Some(Category::Topic)
            || rules
                .iter()
                .any(|r| r.id == *id && r.categories.contains(&Category::Topic))
    });
    if !names_topic {
        for rule in &rules {
            if rule.categories.contains(&Category::Topic)
                && !selected.iter().any(|r| r.id == rule.id)
            {
                selected.push(rule);
            }
        }
    }
    for id in selection.except {
        let removed = expand(id, "except")?;
        selected.retain(|r| !removed.iter().any(|x| x.id == r.id));
    }
    for id in selection.ignore_only.into_iter().flat_map(BTreeMap::keys) {
        expand(id, "ignore_only")?;
    }
    selected.sort_by_key(|r| r.id);
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn select_rules(
        config: &LintConfig,
        version: BufVersion,
    ) -> Result<Vec<&'static RuleSpec>, SelectError> {
        select(RuleKind::Lint, Selection::lint(config), version)
    }

    fn ids(config: &LintConfig, version: BufVersion) -> Vec<&'static str> {
        select_rules(config, version)
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
            ids(&config(&[], &[]), BufVersion::V2),
            ids(&config(&["STANDARD"], &[]), BufVersion::V2)
        );
        assert_eq!(
            ids(&config(&[], &[]), BufVersion::V1),
            ids(&config(&["DEFAULT"], &[]), BufVersion::V1)
        );
    }

    #[test]
    fn v1_has_no_field_not_required_and_no_import_cycle_by_default() {
        let v2 = ids(&config(&["STANDARD"], &[]), BufVersion::V2);
        let v1 = ids(&config(&["DEFAULT"], &[]), BufVersion::V1);
        assert!(v2.contains(&"FIELD_NOT_REQUIRED") && v2.contains(&"PACKAGE_NO_IMPORT_CYCLE"));
        assert!(!v1.contains(&"FIELD_NOT_REQUIRED") && !v1.contains(&"PACKAGE_NO_IMPORT_CYCLE"));
        let Err(err) = select_rules(&config(&["FIELD_NOT_REQUIRED"], &[]), BufVersion::V1) else {
            panic!("FIELD_NOT_REQUIRED accepted in v1");
        };
        assert_eq!(err.key, "use");
    }

    #[test]
    fn except_takes_rules_and_categories() {
        let selected = ids(
            &config(&["STANDARD", "COMMENTS"], &["MINIMAL", "COMMENT_FIELD"]),
            BufVersion::V2,
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
        assert!(select_rules(&c, BufVersion::V2).is_ok());
        c.ignore_only
            .insert("NOPE_RULE".to_owned(), vec!["a".to_owned()]);
        let Err(err) = select_rules(&c, BufVersion::V2) else {
            panic!("unknown ignore_only key accepted");
        };
        assert_eq!((err.id.as_str(), err.key), ("NOPE_RULE", "ignore_only"));
    }
}
