//! SARIF 2.1.0, for GitHub code scanning (Buf has no SARIF output).
//!
//! The log is deterministic (no timestamps, no run IDs, rules sorted) so that
//! re-running on the same tree uploads an identical file; code scanning
//! tracks alerts across runs by rule ID and path, so paths are written
//! relative to `%SRCROOT%` (the checkout) whenever they are relative at all.
//!
//! Code scanning rejects the whole upload if a single result has no file
//! ("expected at least one location"), so findings that name no file (an
//! empty path: a config error, an input with no files) are not results but
//! tool notifications on the run's invocation, where SARIF puts problems
//! with the run itself. Findings about a whole file keep their file and just
//! have no region.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;

use super::RenderOptions;
use crate::{Diagnostic, Location, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    /// Our columns count characters, not the UTF-16 units SARIF assumes by
    /// default; saying so keeps regions right on lines with non-ASCII text.
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    invocations: Vec<Invocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    /// The renderer cannot know how the run ended; these notifications are
    /// findings it reports, not a crash of the tool.
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Message<'a>,
    associated_rule: RuleReference<'a>,
}

#[derive(Serialize)]
struct RuleReference<'a> {
    id: &'a str,
    index: usize,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    version: &'a str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

/// Code scanning requires `fullDescription` and `help` on every rule (it
/// shows them on the alert page); with nothing richer in the diagnostics,
/// both name the rule and `help` points at where its documentation is.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    short_description: Message<'a>,
    full_description: Message<'a>,
    help: OwnedMessage,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct OwnedMessage {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    /// Only related locations carry an ID, so messages can link to them.
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

pub(super) fn render(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    options: &RenderOptions,
) -> io::Result<()> {
    let rule_ids: Vec<&str> = diagnostics
        .iter()
        .map(|d| d.rule.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rules = rule_ids
        .iter()
        .map(|&id| {
            let help_uri = (!options.rule_help_uri.is_empty())
                .then(|| options.rule_help_uri.replace("{rule}", id));
            let help = match &help_uri {
                Some(uri) => format!("Run `schemactl explain {id}` or see {uri}"),
                None => format!("Run `schemactl explain {id}`"),
            };
            Rule {
                id,
                short_description: Message { text: id },
                full_description: Message { text: id },
                help: OwnedMessage { text: help },
                help_uri,
            }
        })
        .collect();
    let rule_index = |id: &str| rule_ids.binary_search(&id).unwrap_or_default();
    let (located, unlocated): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        diagnostics.iter().partition(|d| !d.path.is_empty());
    let results = located
        .into_iter()
        .map(|d| SarifResult {
            rule_id: &d.rule,
            rule_index: rule_index(&d.rule),
            level: level(d.severity),
            message: Message { text: &d.message },
            locations: physical_location(&d.path, d.location)
                .map(|p| SarifLocation {
                    id: None,
                    physical_location: Some(p),
                    message: None,
                })
                .into_iter()
                .collect(),
            related_locations: d
                .related
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    Some(SarifLocation {
                        id: Some(i),
                        physical_location: Some(physical_location(&r.path, r.location)?),
                        message: Some(Message { text: &r.message }),
                    })
                })
                .collect(),
        })
        .collect();
    let notifications: Vec<Notification> = unlocated
        .into_iter()
        .map(|d| Notification {
            level: level(d.severity),
            message: Message { text: &d.message },
            associated_rule: RuleReference {
                id: &d.rule,
                index: rule_index(&d.rule),
            },
        })
        .collect();
    let invocations = if notifications.is_empty() {
        Vec::new()
    } else {
        vec![Invocation {
            execution_successful: true,
            tool_execution_notifications: notifications,
        }]
    };
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "schemactl",
                    version: &options.tool_version,
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            invocations,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `None` for a location that names no file: an empty URI would resolve to
/// the checkout itself, which code scanning cannot show.
fn physical_location(path: &str, location: Option<Location>) -> Option<PhysicalLocation> {
    if path.is_empty() {
        return None;
    }
    // A finding about a whole file (a deleted one) has no region: inventing
    // line 1 would put the alert on a line that did nothing wrong.
    let region = location.filter(|l| l.start_line > 0).map(|l| {
        let positive = |v: u32| (v > 0).then_some(v);
        Region {
            start_line: l.start_line,
            start_column: positive(l.start_column),
            end_line: positive(l.end_line),
            end_column: positive(l.end_column),
        }
    });
    Some(PhysicalLocation {
        artifact_location: artifact_location(path),
        region,
    })
}

/// Turn a display path into a URI reference: `/` separators, no leading
/// `./`, percent-encoded where a URI needs it. Absolute paths become `file:`
/// URIs; everything else is relative to `%SRCROOT%`.
fn artifact_location(path: &str) -> ArtifactLocation {
    let mut path = path.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_owned();
    }
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if drive {
        ArtifactLocation {
            uri: format!("file:///{}:{}", &path[..1], encode(&path[2..])),
            uri_base_id: None,
        }
    } else if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", encode(&path)),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encode(&path),
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

/// Percent-encode everything but RFC 3986 unreserved characters, `/` and the
/// sub-delimiters. `:` is encoded too: in the first segment of a relative
/// reference it would be read as a scheme.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        let uri = |p: &str| {
            let a = artifact_location(p);
            (a.uri, a.uri_base_id)
        };
        assert_eq!(
            uri("proto/a.proto"),
            ("proto/a.proto".into(), Some("%SRCROOT%"))
        );
        assert_eq!(
            uri("./proto\\a b.proto"),
            ("proto/a%20b.proto".into(), Some("%SRCROOT%"))
        );
        assert_eq!(
            uri("we:ird%.proto"),
            ("we%3Aird%25.proto".into(), Some("%SRCROOT%"))
        );
        assert_eq!(uri("/abs/a.proto"), ("file:///abs/a.proto".into(), None));
        assert_eq!(uri("C:\\x\\a.proto"), ("file:///C:/x/a.proto".into(), None));
    }
}
