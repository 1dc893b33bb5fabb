//! The rule registry against Buf's own rule tables: for configuration
//! versions v1beta1, v1 and v2, lint and breaking, the real `buf config
//! ls-{lint,breaking}-rules` lists which rules exist, their categories, and
//! which run by default (also with `--configured-only` under a `buf.yaml` of
//! that version). Every difference is listed at once.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use schemactl_config::{BreakingConfig, BufVersion, LintConfig};
use schemactl_rules::{Category, RuleKind, Selection, all_rules, select};

/// One row of Buf's table: categories and whether it is on by default.
type Table = BTreeMap<String, (BTreeSet<String>, bool)>;

fn buf_table(buf: &Path, dir: &Path, kind: RuleKind, args: &[&str]) -> Table {
    let out = Command::new(buf)
        .args(["config", &format!("ls-{}-rules", kind.section())])
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .output()
        .expect("run buf");
    assert!(
        out.status.success(),
        "buf config ls-{}-rules {args:?}: {}",
        kind.section(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            let categories = row["categories"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            (
                row["id"].as_str().expect("id").to_owned(),
                (categories, row["default"].as_bool().expect("default")),
            )
        })
        .collect()
}

/// Our table for a configuration version: the rules that exist (TOPIC
/// rules, beyond Buf, left out), their categories, and what an empty `use`
/// selects.
fn our_table(kind: RuleKind, version: BufVersion) -> Table {
    let (lint, breaking) = (LintConfig::default(), BreakingConfig::default());
    let selection = match kind {
        RuleKind::Lint => Selection::lint(&lint),
        RuleKind::Breaking => Selection::breaking(&breaking),
    };
    let defaults: BTreeSet<&str> = select(kind, selection, version)
        .expect("default selection")
        .iter()
        .map(|r| r.id)
        .collect();
    all_rules()
        .into_iter()
        .filter(|r| {
            r.kind == kind && r.exists_in(version) && !r.categories.contains(&Category::Topic)
        })
        .map(|r| {
            let categories = r
                .categories_for(version)
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect();
            // What an empty `use` selects, and what the rule says of itself
            // (`schemactl rules` shows the latter), must agree.
            assert_eq!(
                defaults.contains(r.id),
                r.is_default_for(version),
                "{} ({version:?}): selected by default, or says it is",
                r.id
            );
            (r.id.to_owned(), (categories, defaults.contains(r.id)))
        })
        .collect()
}

fn differences(label: &str, ours: &Table, theirs: &Table, out: &mut Vec<String>) {
    for (id, theirs_row) in theirs {
        match ours.get(id) {
            None => out.push(format!("{label}: {id} is in Buf's table, not ours")),
            Some(row) if row != theirs_row => {
                out.push(format!("{label}: {id}: ours {row:?}, Buf's {theirs_row:?}"))
            }
            Some(_) => {}
        }
    }
    for id in ours.keys().filter(|id| !theirs.contains_key(*id)) {
        out.push(format!("{label}: {id} is in our table, not Buf's"));
    }
}

#[test]
fn rules_categories_and_defaults_follow_bufs_tables_per_version() {
    let Some(buf) = common::buf() else {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_BUF").is_none(),
            "buf is required (SCHEMACTL_BUF)"
        );
        eprintln!("skipped: buf not installed");
        return;
    };
    let mut diffs = Vec::new();
    let mut compared = 0;
    for buf_version in [BufVersion::V1Beta1, BufVersion::V1, BufVersion::V2] {
        let version = buf_version.as_str();
        let dir = tempfile::tempdir().expect("tempdir");
        let configured = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            configured.path().join("buf.yaml"),
            format!("version: {version}\n"),
        )
        .expect("write buf.yaml");
        for kind in [RuleKind::Lint, RuleKind::Breaking] {
            let ours = our_table(kind, buf_version);
            let all = buf_table(&buf, dir.path(), kind, &["--version", version]);
            compared += all.len();
            let label = format!("{} {version}", kind.section());
            differences(&label, &ours, &all, &mut diffs);
            // What a `buf.yaml` of this version with no `use` runs.
            let configured_ids: BTreeSet<String> =
                buf_table(&buf, configured.path(), kind, &["--configured-only"])
                    .into_keys()
                    .collect();
            let our_defaults: BTreeSet<String> = ours
                .iter()
                .filter(|(_, (_, default))| *default)
                .map(|(id, _)| id.clone())
                .collect();
            if configured_ids != our_defaults {
                diffs.push(format!(
                    "{label} --configured-only: only Buf's {:?}, only ours {:?}",
                    configured_ids.difference(&our_defaults).collect::<Vec<_>>(),
                    our_defaults.difference(&configured_ids).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(compared > 200, "Buf's tables were short: {compared} rows");
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
