//! Every place a configuration names a rule or category, with its key path
//! and position, so the rules crate (which knows the registry) can check
//! them all the same way: `use`, `except`, `ignore_only` and `severity` of
//! each `lint` and `breaking` section, top level and per module.

use crate::decode::get;
use crate::yaml::{self, Node, Pos};
use crate::{RuleRef, RuleRefKind};

/// The rule references of one configuration file (`display` as the user
/// sees its path). A file that does not parse has none: its parse error is
/// reported first.
pub(crate) fn collect(text: &str, display: &str) -> Vec<RuleRef> {
    let Ok(Node::Map { entries: top, .. }) = yaml::parse(text) else {
        return Vec::new();
    };
    let mut refs = Vec::new();
    let mut sections: Vec<(String, &Node)> = Vec::new();
    for section in ["lint", "breaking"] {
        if let Some(node) = get(&top, section) {
            sections.push((section.to_owned(), node));
        }
    }
    if let Some(Node::Seq { items, .. }) = get(&top, "modules") {
        for (i, module) in items.iter().enumerate() {
            if let Node::Map { entries, .. } = module {
                for section in ["lint", "breaking"] {
                    if let Some(node) = get(entries, section) {
                        sections.push((format!("modules[{i}].{section}"), node));
                    }
                }
            }
        }
    }
    for (path, node) in sections {
        let Node::Map { entries, .. } = node else {
            continue;
        };
        let breaking = path.ends_with("breaking");
        let mut add = |key: &str, id: &str, pos: Pos, rules_only: bool| {
            refs.push(RuleRef {
                file: display.to_owned(),
                key: format!("{path}.{key}"),
                id: id.to_owned(),
                kind: match (breaking, rules_only) {
                    (true, _) => RuleRefKind::Breaking,
                    (false, false) => RuleRefKind::Lint,
                    (false, true) => RuleRefKind::LintRuleOnly,
                },
                line: pos.line,
                column: pos.column,
            });
        };
        for (key, value) in entries {
            match (key.name.as_str(), value) {
                ("use" | "except", Node::Seq { items, .. }) => {
                    for item in items {
                        if let Node::Scalar { value: id, pos, .. } = item {
                            add(&key.name, id, *pos, false);
                        }
                    }
                }
                ("ignore_only", Node::Map { entries, .. }) => {
                    for (id, _) in entries {
                        add(&key.name, &id.name, id.pos, false);
                    }
                }
                // A severity is looked up by the rule of each finding: a
                // category there would never match.
                ("severity", Node::Map { entries, .. }) => {
                    for (id, _) in entries {
                        add(&key.name, &id.name, id.pos, true);
                    }
                }
                _ => {}
            }
        }
    }
    refs
}
