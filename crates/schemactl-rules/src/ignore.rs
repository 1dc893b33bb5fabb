//! Ignores, for lint and breaking alike: paths (`ignore`, `ignore_only`) and
//! comments (`buf:lint:ignore`, `schemactl:lint:ignore`,
//! `schemactl:breaking:ignore`).

use schemactl_config::BufVersion;
use std::collections::BTreeMap;

use crate::rule::find_rule;

/// Whether `path` is `dir` or inside it. `.` is the whole input.
pub fn under(path: &str, dir: &str) -> bool {
    dir == "."
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// The path ignores of one `lint` or `breaking` section. Paths are relative
/// to the input (the directory of `buf.yaml`, also for Buf v2 modules) and
/// name a file or a directory.
#[derive(Debug, Clone, Copy)]
pub struct PathIgnores<'a> {
    pub ignore: &'a [String],
    /// Rule IDs or categories (`DEFAULT` being Buf v1's name for the lint
    /// `STANDARD`) to the paths where they are off.
    pub ignore_only: &'a BTreeMap<String, Vec<String>>,
    pub version: BufVersion,
}

impl PathIgnores<'_> {
    /// Whether findings of `rule` in the file at `path` are ignored.
    pub fn ignores(&self, rule: &str, path: &str) -> bool {
        self.ignore.iter().any(|p| under(path, p))
            || self.ignore_only.iter().any(|(key, paths)| {
                rule_matches(key, rule, self.version) && paths.iter().any(|p| under(path, p))
            })
    }
}

/// Whether an `ignore_only` key (a rule ID or a category of the rule's
/// kind, with the categories of the configuration's version) names `rule`.
pub(crate) fn rule_matches(key: &str, rule: &str, version: BufVersion) -> bool {
    key == rule || find_rule(rule).is_some_and(|r| r.is_named_by(key, version))
}

/// Buf's spelling of a lint ignore comment.
pub(crate) const BUF_LINT_IGNORE: &str = "buf:lint:ignore";
/// schemactl's own spelling, which Buf does not know.
pub(crate) const SCHEMACTL_LINT_IGNORE: &str = "schemactl:lint:ignore";
/// The breaking ignore comment (beyond Buf, which has none).
const SCHEMACTL_BREAKING_IGNORE: &str = "schemactl:breaking:ignore";

/// Whether a leading comment on `path` or on any element containing it
/// ignores the lint `rule`; `leading` gives an element's leading comment.
///
/// Buf tests each trimmed line with a plain prefix match on
/// `buf:lint:ignore RULE` (one space), so `buf:lint:ignore COMMENT_ENUM_VALUE`
/// also ignores `COMMENT_ENUM`, and two spaces ignore nothing. That is
/// matched exactly, since users switching from Buf rely on it. The
/// `schemactl:lint:ignore` spelling is stricter: the rule ID must be a whole
/// word, with any whitespace before it.
pub(crate) fn lint_comment_ignores<'c>(
    leading: impl Fn(&[i32]) -> Option<&'c str>,
    rule: &str,
    path: &[i32],
) -> bool {
    let buf_prefix = format!("{BUF_LINT_IGNORE} {rule}");
    (1..=path.len()).rev().any(|len| {
        leading(&path[..len]).is_some_and(|c| {
            c.lines().any(|line| {
                let line = line.trim();
                line.starts_with(&buf_prefix)
                    || line
                        .strip_prefix(SCHEMACTL_LINT_IGNORE)
                        .is_some_and(|rest| rest.split_whitespace().next() == Some(rule))
            })
        })
    })
}

/// Whether `comment` documents something: a line that is neither blank nor
/// an ignore directive (`buf:lint:ignore ...`, `schemactl:lint:ignore ...`).
/// Buf's `COMMENT_*` rules count only leading comments and skip lines that
/// start with `buf:lint:ignore`, whether or not comment ignores are allowed.
pub(crate) fn is_documentation(comment: &str) -> bool {
    comment.lines().map(str::trim).any(|line| {
        !line.is_empty()
            && !line.starts_with(BUF_LINT_IGNORE)
            && !line.starts_with(SCHEMACTL_LINT_IGNORE)
    })
}

/// What a breaking ignore comment says about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BreakingIgnore {
    None,
    /// `schemactl:breaking:ignore RULE -- reason`: the finding is dropped.
    WithReason,
    /// The rule is named but no reason given: the ignore does not apply and
    /// the finding says how to write one.
    NoReason,
}

/// `// schemactl:breaking:ignore RULE -- reason` in the leading comment of
/// the element or a parent (beyond Buf, which has no breaking comment
/// ignores). The reason is mandatory: a bare ignore does not apply.
pub(crate) fn breaking_comment_ignore<'c>(
    leading: impl Fn(&[i32]) -> Option<&'c str>,
    rule: &str,
    element: &[i32],
) -> BreakingIgnore {
    let mut found = BreakingIgnore::None;
    for len in (1..=element.len()).rev() {
        let Some(comment) = leading(&element[..len]) else {
            continue;
        };
        for line in comment.lines() {
            let Some(rest) = line.trim().strip_prefix(SCHEMACTL_BREAKING_IGNORE) else {
                continue;
            };
            let (ids, reason) = rest
                .split_once("--")
                .map_or((rest, ""), |(a, b)| (a, b.trim()));
            if ids.split_whitespace().any(|id| id == rule) {
                if reason.is_empty() {
                    found = BreakingIgnore::NoReason;
                } else {
                    return BreakingIgnore::WithReason;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ignored(comments: &[(&[i32], &str)], rule: &str, path: &[i32]) -> bool {
        let leading = |p: &[i32]| comments.iter().find(|(q, _)| *q == p).map(|(_, c)| *c);
        lint_comment_ignores(leading, rule, path)
    }

    #[test]
    fn buf_spelling_is_a_plain_prefix_match_like_buf() {
        let c: &[(&[i32], &str)] = &[(&[4, 0], " buf:lint:ignore COMMENT_ENUM_VALUE\n")];
        assert!(ignored(c, "COMMENT_ENUM_VALUE", &[4, 0]));
        // Buf's prefix match: the longer ID covers the shorter one.
        assert!(ignored(c, "COMMENT_ENUM", &[4, 0]));
        assert!(!ignored(c, "COMMENT_FIELD", &[4, 0]));
        let two_spaces: &[(&[i32], &str)] = &[(&[4, 0], "buf:lint:ignore  COMMENT_ENUM\n")];
        assert!(!ignored(two_spaces, "COMMENT_ENUM", &[4, 0]));
    }

    #[test]
    fn parents_and_reason_text() {
        let c: &[(&[i32], &str)] = &[(
            &[4, 0],
            " doc\n buf:lint:ignore FIELD_LOWER_SNAKE_CASE -- legacy\n",
        )];
        assert!(ignored(c, "FIELD_LOWER_SNAKE_CASE", &[4, 0, 2, 3, 1]));
        assert!(!ignored(c, "FIELD_LOWER_SNAKE_CASE", &[4, 1, 2, 3, 1]));
        assert!(!ignored(c, "FIELD_LOWER_SNAKE_CASE", &[]));
    }

    #[test]
    fn schemactl_spelling_needs_the_whole_id() {
        let c: &[(&[i32], &str)] = &[(&[4, 0], " schemactl:lint:ignore   COMMENT_ENUM_VALUE\n")];
        assert!(ignored(c, "COMMENT_ENUM_VALUE", &[4, 0]));
        assert!(!ignored(c, "COMMENT_ENUM", &[4, 0]));
    }

    #[test]
    fn ignore_directives_are_not_documentation() {
        assert!(is_documentation(" A user.\n"));
        assert!(is_documentation(" buf:lint:ignore X\n real text\n"));
        assert!(!is_documentation(" buf:lint:ignore X\n"));
        assert!(!is_documentation(" schemactl:lint:ignore X\n\n"));
        assert!(!is_documentation("\n  \n"));
    }

    #[test]
    fn ignore_only_keys_accept_categories_and_default() {
        assert!(rule_matches(
            "MESSAGE_PASCAL_CASE",
            "MESSAGE_PASCAL_CASE",
            BufVersion::V2
        ));
        assert!(rule_matches("BASIC", "MESSAGE_PASCAL_CASE", BufVersion::V2));
        assert!(rule_matches(
            "DEFAULT",
            "MESSAGE_PASCAL_CASE",
            BufVersion::V1
        ));
        assert!(!rule_matches(
            "MINIMAL",
            "MESSAGE_PASCAL_CASE",
            BufVersion::V2
        ));
        // Not categorised in Buf v1.
        assert!(rule_matches(
            "MINIMAL",
            "PACKAGE_NO_IMPORT_CYCLE",
            BufVersion::V2
        ));
        assert!(!rule_matches(
            "MINIMAL",
            "PACKAGE_NO_IMPORT_CYCLE",
            BufVersion::V1
        ));
        // v1beta1's own categories, and its `STYLE_DEFAULT` alias.
        assert!(rule_matches(
            "STYLE_DEFAULT",
            "SERVICE_SUFFIX",
            BufVersion::V1Beta1
        ));
        assert!(rule_matches(
            "SENSIBLE",
            "FIELD_NO_DESCRIPTOR",
            BufVersion::V1Beta1
        ));
        assert!(!rule_matches("SENSIBLE", "PACKAGE_DEFINED", BufVersion::V1));
    }

    #[test]
    fn breaking_ignores_need_a_reason() {
        let c: &[(&[i32], &str)] = &[
            (
                &[4, 0],
                " schemactl:breaking:ignore FIELD_NO_DELETE -- migrated\n",
            ),
            (&[4, 1], " schemactl:breaking:ignore FIELD_NO_DELETE\n"),
        ];
        let leading = |p: &[i32]| c.iter().find(|(q, _)| *q == p).map(|(_, x)| *x);
        assert_eq!(
            breaking_comment_ignore(leading, "FIELD_NO_DELETE", &[4, 0, 2, 1]),
            BreakingIgnore::WithReason
        );
        assert_eq!(
            breaking_comment_ignore(leading, "FIELD_NO_DELETE", &[4, 1]),
            BreakingIgnore::NoReason
        );
        assert_eq!(
            breaking_comment_ignore(leading, "FIELD_SAME_TYPE", &[4, 0]),
            BreakingIgnore::None
        );
    }
}
