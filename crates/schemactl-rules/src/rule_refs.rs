//! The one check of every rule or category ID a configuration names
//! (`use`, `except`, `ignore_only`, `severity`, in every `lint` and
//! `breaking` section): a misspelled ID is an error at its line with the
//! closest valid ID, never a setting that silently does nothing.

use schemactl_config::BufVersion;
use schemactl_config::{Config, ConfigError, RuleRef, RuleRefKind};

use crate::rule::{Category, RuleKind, all_rules};

/// The IDs a reference of `kind` may name in a configuration of this
/// version (Buf v1 lacks some rules and the `CSR` category).
pub fn valid_ids(kind: RuleRefKind, version: BufVersion) -> Vec<&'static str> {
    let rule_kind = match kind {
        RuleRefKind::Lint | RuleRefKind::LintRuleOnly => RuleKind::Lint,
        RuleRefKind::Breaking => RuleKind::Breaking,
    };
    let mut ids: Vec<&'static str> = all_rules()
        .into_iter()
        .filter(|r| r.kind == rule_kind && r.exists_in(version))
        .map(|r| r.id)
        .collect();
    match kind {
        RuleRefKind::Lint => {
            ids.extend(Category::of(RuleKind::Lint, version).map(Category::as_str));
            // Buf v1's name for STANDARD; both names work in every version.
            ids.push("DEFAULT");
            // And v1beta1's for STYLE_STANDARD.
            if version == BufVersion::V1Beta1 {
                ids.push("STYLE_DEFAULT");
            }
        }
        RuleRefKind::LintRuleOnly => {}
        RuleRefKind::Breaking => {
            ids.extend(Category::of(RuleKind::Breaking, version).map(Category::as_str));
        }
    }
    ids
}

/// What to suggest for an unknown ID.
pub fn hint_for(id: &str, valid: &[&str]) -> String {
    unknown_id_hint(schemactl_config::closest(id, valid))
}

/// The hint for an unknown rule or category ID, with the closest valid one.
pub(crate) fn unknown_id_hint(closest: Option<&str>) -> String {
    match closest {
        Some(best) => {
            format!("did you mean `{best}`? `schemactl rules` lists every rule and category")
        }
        None => "`schemactl rules` lists every rule and category".to_owned(),
    }
}

/// Check every rule reference of `config`; the first unknown ID is a
/// located error.
pub fn check_rule_refs(config: &Config) -> Result<(), ConfigError> {
    // Each module runs its own version's rules (a module's `buf.yaml` in a
    // `buf.work.yaml` workspace may be v1beta1 or v1); when they differ,
    // Buf accepts only the IDs every one of those versions has.
    let mut versions: Vec<BufVersion> = (0..config.modules.len())
        .map(|i| config.module_version(i))
        .collect();
    versions.sort();
    versions.dedup();
    let (&first, others) = match versions.split_first() {
        Some(split) => split,
        None => (&config.kind.buf_version(), &[][..]),
    };
    for r in &config.rule_refs {
        let mut valid = valid_ids(r.kind, first);
        for other in others {
            let other = valid_ids(r.kind, *other);
            valid.retain(|id| other.contains(id));
        }
        if !valid.contains(&r.id.as_str()) {
            return Err(unknown(r, &valid));
        }
    }
    Ok(())
}

fn unknown(r: &RuleRef, valid: &[&str]) -> ConfigError {
    let what = match r.kind {
        RuleRefKind::Lint => "lint rule or category",
        RuleRefKind::LintRuleOnly => "lint rule",
        RuleRefKind::Breaking => "breaking rule or category",
    };
    let error = |message: String, hint: String| ConfigError {
        file: r.file.clone(),
        line: r.line,
        column: r.column,
        message,
        hint: Some(hint),
    };
    // A real rule in the wrong section would silently do nothing there.
    if let Some(rule) = crate::find_rule(&r.id) {
        let wanted = match r.kind {
            RuleRefKind::Lint | RuleRefKind::LintRuleOnly => RuleKind::Lint,
            RuleRefKind::Breaking => RuleKind::Breaking,
        };
        if rule.kind == wanted {
            return error(
                format!(
                    "`{}` in `{}` is not a rule of Buf v1 configurations",
                    r.id, r.key
                ),
                "use `version: v2` to use it".to_owned(),
            );
        }
        let (is, section) = match rule.kind {
            RuleKind::Lint => ("a lint rule", "lint"),
            RuleKind::Breaking => ("a breaking rule", "breaking"),
        };
        return error(
            format!("`{}` in `{}` is {is}, not a {what}", r.id, r.key),
            format!("move it to the `{section}` section"),
        );
    }
    error(
        format!("unknown {what} `{}` in `{}`", r.id, r.key),
        hint_for(&r.id, valid),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<(), ConfigError> {
        let config = schemactl_config::discover(
            &|name| (name == "schemactl.yaml").then(|| text.to_owned()),
            ".",
        )
        .expect("parses");
        check_rule_refs(&config)
    }

    /// Each key that names rules, misspelled: an error at the ID, with the
    /// key path and the closest valid ID.
    #[test]
    fn misspelled_ids_are_located_errors_with_a_suggestion() {
        let cases = [
            (
                "version: v1\nlint:\n  severity:\n    FIELD_LOWER_SNAKE_CAS: warn\n",
                (4, 5),
                "unknown lint rule `FIELD_LOWER_SNAKE_CAS` in `lint.severity`",
                "FIELD_LOWER_SNAKE_CASE",
            ),
            (
                "version: v1\nlint:\n  ignore_only:\n    ENUM_ZERO_VALUE_SUFIX: [a]\n",
                (4, 5),
                "unknown lint rule or category `ENUM_ZERO_VALUE_SUFIX` in `lint.ignore_only`",
                "ENUM_ZERO_VALUE_SUFFIX",
            ),
            (
                "version: v1\nbreaking:\n  ignore_only:\n    FIELD_NO_DELET: [a]\n",
                (4, 5),
                "unknown breaking rule or category `FIELD_NO_DELET` in `breaking.ignore_only`",
                "FIELD_NO_DELETE",
            ),
            (
                "version: v1\nbreaking:\n  use: [WIRE_JSN]\n",
                (3, 9),
                "unknown breaking rule or category `WIRE_JSN` in `breaking.use`",
                "WIRE_JSON",
            ),
            (
                "version: v1\nlint:\n  except: [STANDARD, COMENTS]\n",
                (3, 22),
                "unknown lint rule or category `COMENTS` in `lint.except`",
                "COMMENTS",
            ),
        ];
        for (text, (line, column), message, suggestion) in cases {
            let err = check(text).expect_err(text);
            assert_eq!(err.message, message);
            assert_eq!((err.line, err.column), (line, column), "{text}");
            assert_eq!(err.file, "schemactl.yaml");
            let hint = err.hint.expect("hint");
            assert!(
                hint.starts_with(&format!("did you mean `{suggestion}`?")),
                "{hint}"
            );
        }
    }

    #[test]
    fn valid_ids_pass() {
        check(
            "version: v1\nlint:\n  use: [STANDARD, DEFAULT]\n  severity:\n    FIELD_LOWER_SNAKE_CASE: warn\n  ignore_only:\n    COMMENTS: [a]\nbreaking:\n  use: [WIRE_JSON]\n  ignore_only:\n    FIELD_NO_DELETE: [a]\n",
        )
        .expect("valid");
    }

    #[test]
    fn a_rule_in_the_wrong_section_says_so() {
        let err = check("version: v1\nlint:\n  severity:\n    TOPIC_NO_DELETE: warn\n")
            .expect_err("breaking rule");
        assert_eq!(
            err.message,
            "`TOPIC_NO_DELETE` in `lint.severity` is a breaking rule, not a lint rule"
        );
        assert_eq!(
            err.hint.as_deref(),
            Some("move it to the `breaking` section")
        );
    }

    /// A severity applies to findings, which carry rule IDs: a category
    /// there would never match.
    #[test]
    fn a_category_is_not_a_severity_key() {
        let err =
            check("version: v1\nlint:\n  severity:\n    STANDARD: warn\n").expect_err("category");
        assert_eq!(
            err.message,
            "unknown lint rule `STANDARD` in `lint.severity`"
        );
    }
}
