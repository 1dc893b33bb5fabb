//! Snapshot tests: one fixture rendered in every format. The fixture covers
//! errors and warnings, findings with and without a location or a path, a
//! related location, a hint, and a message with every character some format
//! has to escape.

use std::collections::HashMap;

use schemactl_diagnostics::render::render_to_string;
use schemactl_diagnostics::{Diagnostic, ErrorFormat, Location, Related, RenderOptions, Severity};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

const ORDER: &str = "proto/acme/v1/order.proto";

const ORDER_SOURCE: &str = "syntax = \"proto3\";

package acme.v1;

message order_item {
\tstring SKU = 1;
  int32 quantity = 2;
}
";

/// Every character that needs escaping in at least one format.
const NASTY: &str = "100% sure: a, b\nthen <ident> & \"x|y\"";

fn span(start_line: u32, start_column: u32, end_line: u32, end_column: u32) -> Location {
    Location {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

fn fixture() -> Vec<Diagnostic> {
    vec![
        Diagnostic::new(
            "MESSAGE_PASCAL_CASE",
            ORDER,
            "Message name \"order_item\" should be PascalCase, such as \"OrderItem\".",
        )
        .with_location(span(5, 9, 5, 19))
        .with_help("rename it to `OrderItem`"),
        Diagnostic::new(
            "FIELD_LOWER_SNAKE_CASE",
            ORDER,
            "Field name \"SKU\" should be lower_snake_case, such as \"sku\".",
        )
        .with_location(span(6, 9, 6, 12))
        .with_severity(Severity::Warning),
        Diagnostic::new(
            "FIELD_SAME_TYPE",
            ORDER,
            "Field \"2\" with name \"quantity\" on message \"order_item\" changed type from \"int64\" to \"int32\".",
        )
        .with_location(span(7, 3, 8, 2))
        .with_related(Related {
            path: "proto/acme/v1/order.proto".to_owned(),
            location: Some(span(9, 3, 9, 8)),
            message: "previously declared here".to_owned(),
        }),
        Diagnostic::new(
            "FILE_NO_DELETE",
            "proto/acme/v1/legacy.proto",
            "Previously present file \"proto/acme/v1/legacy.proto\" was deleted.",
        ),
        Diagnostic::new("COMPILE", "proto/acme/v1/weird, name.proto", NASTY)
            .with_location(span(3, 1, 3, 4))
            .with_severity(Severity::Warning)
            .with_help("see <docs> | \"quotes\""),
        Diagnostic::new("COMPILE", "", "no .proto files found in input"),
    ]
}

fn sources() -> HashMap<String, String> {
    HashMap::from([(ORDER.to_owned(), ORDER_SOURCE.to_owned())])
}

fn options(color: bool) -> RenderOptions {
    RenderOptions {
        color,
        tool_version: "0.1.0".to_owned(),
        rule_help_uri: "https://schemactl.dev/rules/{rule}".to_owned(),
    }
}

fn rendered(format: ErrorFormat) -> String {
    render_to_string(format, &fixture(), &sources(), &options(false))
}

#[test]
fn text_plain() {
    insta::assert_snapshot!(rendered(ErrorFormat::Text));
}

#[test]
fn text_color() {
    let out = render_to_string(ErrorFormat::Text, &fixture(), &sources(), &options(true));
    // ESC is spelled `\e` so the snapshot stays readable in a diff.
    insta::assert_snapshot!(out.replace('\x1b', "\\e"));
}

#[test]
fn json() {
    insta::assert_snapshot!(rendered(ErrorFormat::Json));
}

#[test]
fn github_actions() {
    insta::assert_snapshot!(rendered(ErrorFormat::GithubActions));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(rendered(ErrorFormat::Sarif));
}

#[test]
fn junit() {
    insta::assert_snapshot!(rendered(ErrorFormat::Junit));
}

#[test]
fn msvs() {
    insta::assert_snapshot!(rendered(ErrorFormat::Msvs));
}

#[test]
fn gitlab_code_quality() {
    insta::assert_snapshot!(rendered(ErrorFormat::GitlabCodeQuality));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(rendered(ErrorFormat::Markdown));
}

#[test]
fn sarif_without_findings() {
    let out = render_to_string(ErrorFormat::Sarif, &[], &(), &RenderOptions::default());
    insta::assert_snapshot!(out);
}

/// What each format prints for a clean run: Buf prints nothing, and so do
/// the line formats and JUnit; the document formats stay well-formed.
#[test]
fn no_findings() {
    for (name, format) in ErrorFormat::ALL {
        let out = render_to_string(format, &[], &(), &RenderOptions::default());
        let expected = match format {
            ErrorFormat::GitlabCodeQuality => "[]\n",
            ErrorFormat::Markdown => "No findings.\n",
            ErrorFormat::Sarif => continue,
            _ => "",
        };
        assert_eq!(out, expected, "{name}");
    }
}

#[test]
fn structured_formats_parse() {
    let sarif: serde_json::Value =
        serde_json::from_str(&rendered(ErrorFormat::Sarif)).expect("SARIF is JSON");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().expect("results");
    let with_path = fixture().iter().filter(|d| !d.path.is_empty()).count();
    assert_eq!(results.len(), with_path);
    // Code scanning rejects a whole upload over one result without a file.
    for result in results {
        let uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
        assert!(uri.is_string(), "{result}");
    }
    let notifications = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("path-less findings are notifications");
    assert_eq!(results.len() + notifications.len(), fixture().len());
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            run["tool"]["driver"]["rules"][index]["id"],
            result["ruleId"]
        );
    }

    let gitlab: serde_json::Value =
        serde_json::from_str(&rendered(ErrorFormat::GitlabCodeQuality)).expect("GitLab is JSON");
    let issues = gitlab.as_array().expect("array");
    assert_eq!(issues.len(), fixture().len());
    assert_eq!(issues[4]["description"], NASTY);
}

/// The keys of one JSON object, in document order (a `serde_json::Value`
/// would sort them).
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
        }
        deserializer.deserialize_map(KeysVisitor)
    }
}

#[test]
fn json_key_order_is_bufs() {
    let out = rendered(ErrorFormat::Json);
    let lines: Vec<&str> = out.lines().collect();
    let diagnostics = fixture();
    assert_eq!(lines.len(), diagnostics.len());
    for (line, d) in lines.iter().zip(&diagnostics) {
        let Keys(keys) = serde_json::from_str(line).expect("each line is a JSON object");
        let mut expected = vec![
            "path",
            "start_line",
            "start_column",
            "end_line",
            "end_column",
            "type",
            "message",
        ];
        // Buf leaves out an empty path (its `omitempty`), and only that.
        if d.path.is_empty() {
            expected.remove(0);
        }
        assert_eq!(keys, expected, "{line}");

        let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
        assert_eq!(value["message"], d.message.as_str());
        assert_eq!(value["type"], d.rule.as_str());
    }
}

/// A generated file with everything on one line: findings near its start,
/// middle and end, a span wider than the window, a non-ASCII line, and a
/// column past the end of the line.
fn long_line_fixture() -> (Vec<Diagnostic>, HashMap<String, String>) {
    let path = "gen/flat.proto";
    let mut line = String::from("syntax = \"proto3\"; package gen.v1;");
    for i in 0..200 {
        line.push_str(&format!(" message m{i} {{ string f = 1; }}"));
    }
    let middle = line.find("m100").expect("m100") as u32 + 1;
    let end = line.len() as u32;
    let wide_end = middle + 500;
    let unicode = format!("// Ünïcödé {}\tmessage Late {{}}", "é".repeat(300));
    let late = unicode.chars().position(|c| c == 'L').expect("Late") as u32 + 1;
    let source = format!("{line}\n{unicode}\n");
    let diagnostics =
        vec![
            Diagnostic::new("MESSAGE_PASCAL_CASE", path, "near the start")
                .with_location(span(1, 45, 1, 47)),
            Diagnostic::new("MESSAGE_PASCAL_CASE", path, "in the middle").with_location(span(
                1,
                middle,
                1,
                middle + 4,
            )),
            Diagnostic::new("MESSAGE_PASCAL_CASE", path, "at the end").with_location(span(
                1,
                end - 1,
                1,
                end + 1,
            )),
            Diagnostic::new("COMPILE", path, "wider than the window")
                .with_location(span(1, middle, 1, wide_end)),
            Diagnostic::new("COMPILE", path, "past the end of the line")
                .with_location(span(1, 1_000_000, 1, 1_000_001)),
            Diagnostic::new("COMPILE", path, "after a tab on a non-ASCII line")
                .with_location(span(2, late, 2, late + 4)),
        ];
    (diagnostics, HashMap::from([(path.to_owned(), source)]))
}

#[test]
fn text_long_line_is_clipped() {
    let (diagnostics, sources) = long_line_fixture();
    let out = render_to_string(ErrorFormat::Text, &diagnostics, &sources, &options(false));
    insta::assert_snapshot!(out);
}

/// Thousands of findings on one long line cost a bounded number of bytes
/// each, not the line's length each.
#[test]
fn text_output_per_finding_is_bounded_on_a_long_line() {
    let path = "gen/flat.proto";
    let line = "x".repeat(100_000);
    let sources = HashMap::from([(path.to_owned(), line)]);
    let count = 5_000u32;
    let diagnostics: Vec<Diagnostic> = (0..count)
        .map(|i| {
            let column = 1 + i * 19;
            Diagnostic::new("COMPILE", path, "bad").with_location(span(1, column, 1, column + 3))
        })
        .collect();
    let started = std::time::Instant::now();
    let out = render_to_string(ErrorFormat::Text, &diagnostics, &sources, &options(false));
    let per_finding = out.len() / count as usize;
    assert!(per_finding < 400, "{per_finding} bytes per finding");
    assert_eq!(out.matches("bad").count(), count as usize);
    // Generous for a debug build on a loaded machine; the quadratic version
    // took minutes.
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}

/// Many findings in one many-line file: each snippet line is found through
/// an index, not by scanning the file from the top.
#[test]
fn text_output_for_many_findings_in_one_file_is_fast() {
    let path = "big.proto";
    let source: String = (0..80_000)
        .map(|i| format!("  int32 f{i} = {i};\n"))
        .collect();
    let sources = HashMap::from([(path.to_owned(), source)]);
    let diagnostics: Vec<Diagnostic> = (1..=80_000u32)
        .map(|line| Diagnostic::new("COMPILE", path, "bad").with_location(span(line, 3, line, 8)))
        .collect();
    let started = std::time::Instant::now();
    let out = render_to_string(ErrorFormat::Text, &diagnostics, &sources, &options(false));
    assert!(out.contains("80000 |   int32 f79999 = 79999;"));
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
