//! What Buf checks on CEL rules (`cel`, `cel_expression`, predefined
//! rules' `cel`) without compiling them: IDs with characters other than
//! `a-z A-Z 0-9 . _ -`, IDs used twice, empty expressions. Compiling the
//! expressions (and their result type) is not done yet.

use std::collections::BTreeMap;

use prost_reflect::{DynamicMessage, Value};

use super::adder::quote;
use super::cel_check::{self, Env, Ty};

/// One CEL rule: its `id` and `expression` (for `cel_expression` entries,
/// no id).
pub(super) struct CelRule {
    pub id: String,
    pub expression: String,
    pub message: String,
}

/// The `Rule` messages of a repeated `cel` field.
pub(super) fn rules_of(rules: &DynamicMessage, field: &str) -> Vec<CelRule> {
    if !rules.has_field_by_name(field) {
        return Vec::new();
    }
    let Some(value) = rules.get_field_by_name(field) else {
        return Vec::new();
    };
    let Value::List(list) = value.as_ref() else {
        return Vec::new();
    };
    list.iter()
        .map(|v| match v {
            Value::Message(m) => {
                let text = |name: &str| {
                    m.get_field_by_name(name)
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default()
                };
                CelRule {
                    id: text("id"),
                    expression: text("expression"),
                    message: text("message"),
                }
            }
            Value::String(expression) => CelRule {
                id: String::new(),
                expression: expression.clone(),
                message: String::new(),
            },
            _ => CelRule {
                id: String::new(),
                expression: String::new(),
                message: String::new(),
            },
        })
        .collect()
}

/// Where the findings go, and how the messages name things.
pub(super) struct CelNames<'a> {
    /// `field "name"`, `message "M"`, `extension field`.
    pub parent: &'a str,
    /// The same, capitalized.
    pub parent_capitalized: &'a str,
    /// `(buf.validate.field).cel`, `(buf.validate.message).cel_expression`.
    pub cel_name: &'a str,
    /// `cel_expression` (bare strings) rather than `cel` (`Rule` messages).
    pub is_expression: bool,
}

/// Check `rules`, compiled in `env`, reporting each finding with the
/// rule's index.
pub(super) fn check_cel(
    rules: &[CelRule],
    env: &Env,
    names: &CelNames<'_>,
    add: &mut dyn FnMut(i32, String),
) {
    let expression_field = if names.is_expression {
        names.cel_name.to_owned()
    } else {
        format!("{}.expression", names.cel_name)
    };
    let mut by_id: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        let Ok(i) = i32::try_from(i) else { break };
        if !rule.id.is_empty() {
            let valid = rule
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if !valid {
                add(
                    i,
                    format!(
                        "{} has invalid characters for {}.id. IDs must contain only characters a-z, A-Z, 0-9, '.', '_', '-'.",
                        names.parent_capitalized, names.cel_name
                    ),
                );
            }
            by_id.entry(&rule.id).or_default().push(i);
        }
        if rule.expression.trim().is_empty() {
            add(
                i,
                format!(
                    "{} has an empty {expression_field}. Expressions should always be specified.",
                    names.parent_capitalized
                ),
            );
            continue;
        }
        let Some(checked) = cel_check::check(&rule.expression, env) else {
            continue;
        };
        match &checked.output {
            None | Some(Ty::Bool) => {}
            Some(Ty::String) => {
                if !rule.message.is_empty() {
                    add(
                        i,
                        format!(
                            "{} has a {} with an expression that evaluates to a string, and also has a message. The message is redundant - since the expression evaluates to a string, its result will be printed instead of the message, so the message should be removed.",
                            names.parent_capitalized, names.cel_name
                        ),
                    );
                }
            }
            Some(other) => add(
                i,
                format!(
                    "{expression_field} on {} evaluates to a {}, only string and boolean are allowed.",
                    names.parent,
                    other.name()
                ),
            ),
        }
        for error in checked.errors {
            add(
                i,
                format!(
                    "{expression_field} on {} fails to compile: {error}",
                    names.parent
                ),
            );
        }
    }
    for (id, indices) in by_id {
        if indices.len() < 2 {
            continue;
        }
        for i in indices {
            add(
                i,
                format!(
                    "{}.id ({}) is not unique within {}.",
                    names.cel_name,
                    quote(id),
                    names.parent
                ),
            );
        }
    }
}
