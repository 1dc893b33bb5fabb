//! The editions cases (issue #15) as a set: the `editions-*` directories in
//! `tests/lint-cases/` and `tests/breaking-cases/` run in `buf_lint.rs`,
//! `buf_breaking.rs` and `snapshots.rs` like every case; this test keeps
//! them honest as a whole: every case must compile with `buf` (no `COMPILE`
//! finding, which `buf` reports with the same exit code as a rule finding),
//! and together they must cover what the issue's acceptance names: editions
//! 2023 and 2024, lint and breaking, proto2 → editions and proto3 →
//! editions migrations (and back), and findings of each editions-sensitive
//! rule.
//!
//! `buf` comes from `SCHEMACTL_BUF` or `PATH`; skipped (loudly) without it,
//! unless `SCHEMACTL_REQUIRE_BUF` is set.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{Finding, buf, case_name, editions_cases, run_buf};

/// The rules whose behaviour depends on resolved features, each of which
/// must be reported by `buf` in at least one editions case.
const FEATURE_RULES: [&str; 16] = [
    "FIELD_SAME_CARDINALITY",
    "FIELD_WIRE_COMPATIBLE_CARDINALITY",
    "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY",
    "MESSAGE_SAME_REQUIRED_FIELDS",
    "FIELD_NOT_REQUIRED",
    "FIELD_SAME_UTF8_VALIDATION",
    "ENUM_SAME_TYPE",
    "ENUM_SAME_JSON_FORMAT",
    "MESSAGE_SAME_JSON_FORMAT",
    "FIELD_SAME_TYPE",
    "FIELD_WIRE_COMPATIBLE_TYPE",
    "FIELD_WIRE_JSON_COMPATIBLE_TYPE",
    "FIELD_SAME_CPP_STRING_TYPE",
    "FIELD_SAME_JAVA_UTF8_VALIDATION",
    "FILE_SAME_SYNTAX",
    "RESERVED_MESSAGE_NO_DELETE",
];

/// The acceptance of issue #15 asks for at least this many editions cases.
const MINIMUM_CASES: usize = 60;

/// What the `.proto` files under `dir` declare: `proto2` (also for a file
/// with neither statement), `proto3`, `2023` or `2024`.
fn syntaxes(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read case") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "proto") {
                let text = std::fs::read_to_string(&path).expect("read proto");
                let declared = ["proto3", "2023", "2024"]
                    .into_iter()
                    .find(|s| text.contains(&format!("= \"{s}\";")))
                    .unwrap_or("proto2");
                found.insert(declared.to_owned());
            }
        }
    }
    found
}

fn is_edition(syntax: &str) -> bool {
    syntax == "2023" || syntax == "2024"
}

#[test]
fn editions_cases_compile_with_buf_and_cover_the_issue() {
    let Some(buf) = buf() else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_BUF").is_none(),
            "buf is required (SCHEMACTL_BUF)"
        );
        eprintln!("skipped: buf not installed");
        return;
    };
    let lint: Vec<PathBuf> = editions_cases("lint-cases");
    let breaking: Vec<PathBuf> = editions_cases("breaking-cases");
    let mut failures = Vec::new();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    let mut editions_seen: BTreeSet<String> = BTreeSet::new();
    let mut migrations: BTreeSet<String> = BTreeSet::new();
    let mut total = 0;
    let mut check = |case: &Path, findings: BTreeSet<Finding>, failures: &mut Vec<String>| {
        let compile: Vec<&Finding> = findings.iter().filter(|f| f.1 == "COMPILE").collect();
        if !compile.is_empty() {
            failures.push(format!(
                "{}: buf does not compile it: {compile:?}",
                case_name(case)
            ));
        }
        total += findings.len();
        reported.extend(findings.into_iter().map(|f| f.1));
    };
    for case in &lint {
        let findings = run_buf(&buf, case, &["lint"]);
        check(case, findings, &mut failures);
        editions_seen.extend(syntaxes(case).into_iter().filter(|s| is_edition(s)));
    }
    for case in &breaking {
        let (previous, current) = (case.join("previous"), case.join("current"));
        let config = |side: &Path| std::fs::read_to_string(side.join("buf.yaml")).ok();
        if config(&previous) != config(&current) {
            failures.push(format!(
                "{}: previous/buf.yaml and current/buf.yaml differ",
                case_name(case)
            ));
        }
        let findings = run_buf(
            &buf,
            &current,
            &["breaking", ".", "--against", "../previous"],
        );
        check(case, findings, &mut failures);
        let (before, after) = (syntaxes(&previous), syntaxes(&current));
        editions_seen.extend(
            before
                .iter()
                .chain(&after)
                .filter(|s| is_edition(s))
                .cloned(),
        );
        for b in &before {
            for a in &after {
                if is_edition(b) != is_edition(a) {
                    let (legacy, edition) = if is_edition(a) { (b, a) } else { (a, b) };
                    migrations.insert(format!("{legacy}/{edition}"));
                }
            }
        }
    }
    eprintln!(
        "{} lint and {} breaking editions cases, {total} buf findings; \
         rules reported: {reported:?}; migrations: {migrations:?}",
        lint.len(),
        breaking.len()
    );
    let count = lint.len() + breaking.len();
    if count < MINIMUM_CASES {
        failures.push(format!(
            "{count} editions cases, fewer than {MINIMUM_CASES}"
        ));
    }
    if lint.is_empty() || breaking.is_empty() {
        failures.push("both lint and breaking editions cases are needed".to_owned());
    }
    for edition in ["2023", "2024"] {
        if !editions_seen.contains(edition) {
            failures.push(format!("no case in edition {edition}"));
        }
    }
    for legacy in ["proto2", "proto3"] {
        if !migrations.iter().any(|m| m.starts_with(legacy)) {
            failures.push(format!("no breaking case between {legacy} and editions"));
        }
    }
    for rule in FEATURE_RULES {
        if !reported.contains(rule) {
            failures.push(format!("no editions case where buf reports {rule}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems with the editions cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
