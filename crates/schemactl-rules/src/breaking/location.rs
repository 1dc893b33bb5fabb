//! Locating breaking findings: drop the ignored ones (paths, unstable
//! packages, inline comments), turn source paths into line and column in the
//! current files, and place deleted elements where Buf places them.

use schemactl_config::BufVersion;
use std::collections::BTreeMap;

use prost_reflect::MessageDescriptor;
use schemactl_compile::{Image, ImageFile, SourceIndex};
use schemactl_config::BreakingConfig;
use schemactl_diagnostics::{Diagnostic, Location, Related};

use super::pair::nested_name;
use super::path_ignores;
use super::sink::RawBreaking;
use crate::ignore::{BreakingIgnore, breaking_comment_ignore};
use crate::package::is_unstable;

/// Where Buf reports an element that was deleted: the innermost enclosing
/// message, by nested name (`Outer.Inner`), that still exists among
/// `candidates`; `None` means the whole file.
pub fn deleted_element_anchor(
    nested: &str,
    candidates: &[MessageDescriptor],
) -> Option<MessageDescriptor> {
    let mut scope = nested;
    while let Some((parent, _)) = scope.rsplit_once('.') {
        if let Some(m) = candidates
            .iter()
            .find(|m| nested_name(m.full_name(), m.package_name()) == parent)
        {
            return Some(m.clone());
        }
        scope = parent;
    }
    None
}

/// A related location at `path` in the current `file`, for a finding about
/// two places.
pub(super) fn related_at(
    current: &Image,
    file: &str,
    path: &[i32],
    message: String,
) -> Option<Related> {
    let meta = current.file(file)?;
    let index = SourceIndex::new(current.source_info(file));
    Some(Related {
        path: meta.display_path.clone(),
        location: index.location(path),
        message,
    })
}

pub(super) fn locate(
    findings: Vec<(&'static str, RawBreaking)>,
    current: &Image,
    config: &BreakingConfig,
    version: BufVersion,
    alias: Option<&str>,
) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<Option<String>, Vec<(&'static str, RawBreaking)>> = BTreeMap::new();
    for (rule, f) in findings {
        by_file.entry(f.file.clone()).or_default().push((rule, f));
    }
    let mut out = Vec::new();
    for (file, findings) in by_file {
        let meta: Option<&ImageFile> = file.as_deref().and_then(|f| current.file(f));
        let index = SourceIndex::new(file.as_deref().and_then(|f| current.source_info(f)));
        for (rule, f) in findings {
            if let Some(meta) = meta {
                if path_ignores(config, version).ignores(rule, &meta.input_path) {
                    continue;
                }
                // Buf also ignores a finding located in a current file whose
                // package is unstable (say `a.v1` renamed to `a.v1beta1`).
                let package = current
                    .pool()
                    .get_file_by_name(&meta.name)
                    .map(|f| f.package_name().to_owned());
                if config.ignore_unstable_packages && package.is_some_and(|p| is_unstable(&p)) {
                    continue;
                }
            }
            let leading = |path: &[i32]| index.leading_comments(path);
            let mut ignore = breaking_comment_ignore(leading, rule, &f.element);
            if let (BreakingIgnore::None, Some(alias)) = (ignore, alias) {
                ignore = breaking_comment_ignore(leading, alias, &f.element);
            }
            if ignore == BreakingIgnore::WithReason {
                continue;
            }
            let mut d = Diagnostic::new(
                rule,
                meta.map(|m| m.display_path.clone()).unwrap_or_default(),
                f.message,
            );
            // Buf reports whole-file and place-less findings at 1:1.
            // The whole file's span starts at its first token, not at 1:1.
            let at = if f.at.is_empty() { &f.element } else { &f.at };
            let location = if at.is_empty() {
                None
            } else {
                index
                    .location(at)
                    .map(|l| match meta.and_then(|m| m.source.as_deref()) {
                        Some(text) if is_field_default(at) => default_option_span(text, l),
                        _ => l,
                    })
                    .or_else(|| index.location(&f.element))
            }
            .unwrap_or(Location::point(1, 1));
            d = d.with_location(location);
            for related in f.related {
                d = d.with_related(related);
            }
            if ignore == BreakingIgnore::NoReason {
                d = d.with_help(format!(
                    "an inline breaking ignore needs a reason: `// schemactl:breaking:ignore {rule} -- why this break is safe`"
                ));
            }
            out.push(d);
        }
    }
    out.sort_by(Diagnostic::buf_order);
    out.dedup();
    out
}

/// `default_value` in `FieldDescriptorProto`.
const FIELD_DEFAULT_VALUE: i32 = 7;

/// Whether `path` is a field's or an extension's `default_value`: a message
/// field (`…, 2, i, 7`) or extension (`…, 6, i, 7`) under a message
/// (`4, m, …`), or a file-level extension (`7, i, 7`).
fn is_field_default(path: &[i32]) -> bool {
    match path {
        [7, _, FIELD_DEFAULT_VALUE] => true,
        [4, _, .., 2 | 6, _, FIELD_DEFAULT_VALUE] => path.len() % 2 == 1,
        _ => false,
    }
}

/// Buf's span of a field's default: its compiler (protocompile) records the
/// whole `default = <value>` pseudo-option under `default_value`, where
/// protoc's source info (and so ours) has the value alone. Widened here back
/// to the `default` keyword when it is on the value's line (whitespace only
/// around `=`); otherwise the value's span is kept.
fn default_option_span(text: &str, value: Location) -> Location {
    let Some(line) = text
        .lines()
        .nth((value.start_line as usize).saturating_sub(1))
    else {
        return value;
    };
    let before: String = line
        .chars()
        .take((value.start_column as usize).saturating_sub(1))
        .collect();
    let Some(rest) = before.trim_end().strip_suffix('=') else {
        return value;
    };
    let Some(rest) = rest.trim_end().strip_suffix("default") else {
        return value;
    };
    if rest
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return value;
    }
    Location {
        start_column: rest.chars().count() as u32 + 1,
        ..value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_spans_from_its_keyword_as_buf() {
        let text = "message M {\n  optional string b = 2 [default = \"x\"];\n}\n";
        let value = Location {
            start_line: 2,
            start_column: 36,
            end_line: 2,
            end_column: 39,
        };
        let widened = default_option_span(text, value);
        assert_eq!((widened.start_column, widened.end_column), (26, 39));
        // Not a `default = ` before the value: kept.
        let other = "  optional string b = 2 [(my.default) = \"x\"];\n";
        let kept = default_option_span(
            other,
            Location {
                start_line: 1,
                ..value
            },
        );
        assert_eq!(
            kept,
            Location {
                start_line: 1,
                ..value
            }
        );
    }

    #[test]
    fn default_value_paths() {
        assert!(is_field_default(&[4, 0, 2, 1, 7]));
        assert!(is_field_default(&[4, 0, 3, 2, 6, 1, 7]));
        assert!(is_field_default(&[7, 3, 7]));
        assert!(!is_field_default(&[4, 0, 7]));
        assert!(!is_field_default(&[4, 0, 2, 1]));
    }
}
