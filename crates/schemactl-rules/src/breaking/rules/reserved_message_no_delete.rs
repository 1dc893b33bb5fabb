use crate::breaking::{BreakingSink, PairCx};
use crate::lint::Check;
use crate::registry::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RESERVED_MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    v1_categories: Some(&["FILE", "PACKAGE", "WIRE_JSON", "WIRE"]),
    v1_exists: true,
    summary: "",
    doc: "",
    check: Check::Breaking(check),
};

// NOT IMPLEMENTED YET: placeholder while the rule is being written.
fn check(_cx: &PairCx<'_>, _sink: &mut BreakingSink) {}
