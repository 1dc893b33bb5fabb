use crate::breaking::{BreakingSink, PairCx};
use crate::lint::Check;
use crate::registry::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "FILE_SAME_OPTIMIZE_FOR",
    kind: RuleKind::Breaking,
    categories: &["FILE", "PACKAGE"],
    v1_categories: None,
    v1_exists: true,
    summary: "",
    doc: "",
    check: Check::Breaking(check),
};

// NOT IMPLEMENTED YET: placeholder while the rule is being written.
fn check(_cx: &PairCx<'_>, _sink: &mut BreakingSink) {}
