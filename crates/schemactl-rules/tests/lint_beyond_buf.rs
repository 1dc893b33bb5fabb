//! Lint behaviour that deliberately goes beyond Buf, so the differential
//! test (`buf_lint.rs`) cannot cover it: the `schemactl:lint:ignore` comment
//! spelling (case `lint-cases/beyond__schemactl_lint_ignore`).

mod common;

use std::path::Path;

use common::{compile_dir, finding_of};

/// (path, rule, line, column) of every finding in a case directory.
fn lint_dir(dir: &Path) -> Vec<(String, String, u32, u32)> {
    let (image, config) = compile_dir(dir);
    let findings = schemactl_rules::lint::lint(&schemactl_rules::Subject {
        image: &image,
        config: &config,
        config_path: "schemactl.yaml",
    })
    .expect("rules selected");
    findings.iter().map(finding_of).collect()
}

fn finding(rule: &str, line: u32, column: u32) -> (String, String, u32, u32) {
    (
        "acme/shop/v1/legacy.proto".to_owned(),
        rule.to_owned(),
        line,
        column,
    )
}

#[test]
fn schemactl_lint_ignore_comments_are_honoured() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lint-cases/beyond__schemactl_lint_ignore");
    // Buf, which does not know the spelling, reports MESSAGE_PASCAL_CASE at
    // 7:9, FIELD_NOT_REQUIRED at 16:19, 20:20 and 31:19; schemactl honours
    // the ignores on the element and on the parent message. Buf also counts
    // `// schemactl:lint:ignore ...` as documentation (no COMMENT_FIELD at
    // 31:3); schemactl does not, as for `buf:lint:ignore` lines.
    assert_eq!(
        lint_dir(&dir),
        vec![
            finding("MESSAGE_PASCAL_CASE", 26, 9),
            finding("COMMENT_FIELD", 31, 3),
        ]
    );
}
