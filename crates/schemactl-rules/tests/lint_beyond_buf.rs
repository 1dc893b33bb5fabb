//! Lint behaviour that deliberately goes beyond Buf, so the differential
//! test (`buf_lint.rs`) cannot cover it: the `schemactl:lint:ignore` comment
//! spelling (case `lint-cases/beyond__schemactl_lint_ignore`) and the
//! placeholder finding of `PROTOVALIDATE` on files that import
//! protovalidate.

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

#[test]
fn protovalidate_imports_are_flagged_as_unchecked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("buf.yaml", "version: v2\nlint:\n  use: [PROTOVALIDATE]\n");
    // A stand-in for the BSR module: only the import path matters here.
    write(
        "buf/validate/validate.proto",
        "syntax = \"proto3\";\npackage buf.validate;\nmessage FieldRules {}\n",
    );
    write(
        "acme/user/v1/user.proto",
        "syntax = \"proto3\";\n\npackage acme.user.v1;\n\nimport \"google/protobuf/empty.proto\";\nimport \"buf/validate/validate.proto\";\n\nmessage User {\n  buf.validate.FieldRules rules = 1;\n  google.protobuf.Empty empty = 2;\n}\n",
    );
    write(
        "acme/user/v1/plain.proto",
        "syntax = \"proto3\";\n\npackage acme.user.v1;\n\nmessage Plain {}\n",
    );
    let findings = lint_dir(dir.path());
    let ours: Vec<_> = findings
        .iter()
        .filter(|f| f.0 == "acme/user/v1/user.proto")
        .collect();
    assert_eq!(
        ours,
        vec![&(
            "acme/user/v1/user.proto".to_owned(),
            "PROTOVALIDATE".to_owned(),
            6,
            1
        )],
        "one finding, on the import statement: {findings:?}"
    );
    assert!(
        !findings.iter().any(|f| f.0 == "acme/user/v1/plain.proto"),
        "{findings:?}"
    );
}
