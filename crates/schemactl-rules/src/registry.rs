use crate::lint::Check;

/// Lint or breaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Lint,
    Breaking,
}

/// A rule: its Buf-compatible ID and categories, its documentation, and the
/// function that checks it.
pub struct RuleSpec {
    pub id: &'static str,
    pub kind: RuleKind,
    /// Categories in Buf's v2 configuration (`MINIMAL`, `BASIC`, `STANDARD`,
    /// `COMMENTS`, `UNARY_RPC`, ...). Empty for opt-in rules.
    pub categories: &'static [&'static str],
    /// Categories under Buf v1 configuration (and no configuration), where
    /// they differ from v2; `None` means the same as v2. `Some(&[])` with
    /// `v1_exists: false` means the rule does not exist in v1.
    pub v1_categories: Option<&'static [&'static str]>,
    /// Whether the rule exists in Buf v1 at all.
    pub v1_exists: bool,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Markdown with the sections "What it catches", "Why it matters",
    /// "Bad", "Good", "Options" (when it has any), "How to evolve safely".
    pub doc: &'static str,
    pub check: Check,
}

impl RuleSpec {
    /// Whether the rule is on by default (`STANDARD` for lint, `FILE` for
    /// breaking).
    pub fn is_default(&self) -> bool {
        match self.kind {
            RuleKind::Lint => self.categories.contains(&"STANDARD"),
            RuleKind::Breaking => self.categories.contains(&"FILE"),
        }
    }

    /// The categories that apply for a configuration flavour.
    pub fn categories_for(&self, buf_v1: bool) -> &'static [&'static str] {
        match (buf_v1, self.v1_categories) {
            (true, Some(v1)) => v1,
            _ => self.categories,
        }
    }
}

/// Every rule, sorted by ID.
pub fn all_rules() -> Vec<&'static RuleSpec> {
    let mut rules: Vec<&'static RuleSpec> = crate::lint::rules::ALL.to_vec();
    rules.extend(crate::lint::topics::ALL);
    rules.extend(crate::breaking::rules::ALL);
    rules.extend(crate::breaking::topics::ALL);
    rules.sort_by_key(|r| r.id);
    rules
}

pub fn find_rule(id: &str) -> Option<&'static RuleSpec> {
    crate::lint::rules::ALL
        .iter()
        .chain(crate::lint::topics::ALL)
        .chain(crate::breaking::rules::ALL)
        .chain(crate::breaking::topics::ALL)
        .copied()
        .find(|r| r.id == id)
}
