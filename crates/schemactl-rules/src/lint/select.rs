use schemactl_config::LintConfig;

use crate::registry::{RuleSpec, all_rules};

/// A rule or category ID in the configuration that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectError {
    pub id: String,
    /// `use` or `except`.
    pub key: &'static str,
    pub suggestion: Option<String>,
}

impl std::fmt::Display for SelectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown lint rule or category `{}` in `lint.{}`",
            self.id, self.key
        )
    }
}

impl std::error::Error for SelectError {}

/// Lint categories, in order of strictness where it applies.
pub const CATEGORIES: &[&str] = &["MINIMAL", "BASIC", "STANDARD", "COMMENTS", "UNARY_RPC"];

/// Resolve `use` and `except` to the rules to run, sorted by ID.
pub fn select_rules(
    config: &LintConfig,
    buf_v1: bool,
) -> Result<Vec<&'static RuleSpec>, SelectError> {
    let rules: Vec<&'static RuleSpec> = all_rules()
        .into_iter()
        .filter(|r| !buf_v1 || r.v1_exists)
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
        let mut names: Vec<&str> = rules.iter().map(|r| r.id).collect();
        names.extend(CATEGORIES);
        names.push("DEFAULT");
        Err(SelectError {
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
    selected.sort_by_key(|r| r.id);
    Ok(selected)
}
