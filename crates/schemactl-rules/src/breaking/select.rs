use schemactl_config::BreakingConfig;

use crate::lint::SelectError;
use crate::registry::{RuleKind, RuleSpec, all_rules};

/// Breaking categories, strictest first: FILE ⊃ PACKAGE ⊃ WIRE_JSON ⊃ WIRE;
/// CSR is the subset matching Confluent's compatibility (v2 only).
/// `TOPIC` names schemactl's catalog rules (they run whenever `topics:`
/// exist; `except: [TOPIC]` turns them off).
pub const CATEGORIES: &[&str] = &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR", "TOPIC"];

/// Resolve `use` and `except` to the breaking rules to run, sorted by ID.
pub fn select_breaking_rules(
    config: &BreakingConfig,
    buf_v1: bool,
) -> Result<Vec<&'static RuleSpec>, SelectError> {
    let rules: Vec<&'static RuleSpec> = all_rules()
        .into_iter()
        .filter(|r| r.kind == RuleKind::Breaking && (!buf_v1 || r.v1_exists))
        .collect();
    let expand = |id: &str, key: &'static str| -> Result<Vec<&'static RuleSpec>, SelectError> {
        if CATEGORIES.contains(&id) && !(buf_v1 && id == "CSR") {
            return Ok(rules
                .iter()
                .copied()
                .filter(|r| r.categories_for(buf_v1).contains(&id))
                .collect());
        }
        if let Some(rule) = rules.iter().find(|r| r.id == id) {
            return Ok(vec![*rule]);
        }
        let names = crate::rule_refs::valid_ids(schemactl_config::RuleRefKind::Breaking, buf_v1);
        Err(SelectError {
            section: "breaking",
            id: id.to_owned(),
            key,
            suggestion: schemactl_config::closest(id, &names).map(str::to_owned),
        })
    };
    let use_: Vec<String> = if config.use_.is_empty() {
        vec!["FILE".to_owned()]
    } else {
        config.use_.clone()
    };
    let mut selected: Vec<&'static RuleSpec> = Vec::new();
    for id in &use_ {
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
