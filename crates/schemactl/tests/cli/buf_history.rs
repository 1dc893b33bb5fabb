//! A differential run against the real `buf` (`SCHEMACTL_BUF`) on a real
//! multi-module repository with release history: twelve published versions
//! of Google's common protos (Maven Central
//! `com.google.api.grpc:proto-google-common-protos`, fetched by
//! `scripts/history-corpus.sh` into `SCHEMACTL_HISTORY_CORPUS`), laid out
//! as a v2 `buf.yaml` workspace with one module per API family and
//! per-module `lint`/`breaking` sections, one commit and tag per version.
//! For each consecutive pair of versions: `lint` at the newer tag, and
//! `breaking --against .git#tag=OLDER`, with `--error-format json`; the
//! findings (path, line, column, rule, message) must be the same sets, and
//! the outcomes the same, except for the known differences listed in
//! [`KNOWN_BUF_ONLY`] (docs/configuration.md, "Differences from Buf").

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{JsonFinding, copy_dir, git, json_findings, schemactl};
use crate::generate::buf;

/// The modules (directory = module path) and the top-level directories of
/// `google/` each holds; `cloud` takes every family not listed (new ones
/// appear over the history: `apps`, `shopping`).
const MODULES: &[(&str, &[&str])] = &[
    ("api", &["api"]),
    ("rpc", &["rpc", "longrunning"]),
    ("type", &["type", "geo", "shopping"]),
    ("cloud", &[]),
];

/// The workspace configuration of every version: per-module sections (a
/// module's section replaces the top-level one), ignores and `except`.
const BUF_YAML: &str = "version: v2
modules:
  - path: api
    lint:
      use: [STANDARD]
      except: [PACKAGE_VERSION_SUFFIX]
    breaking:
      use: [WIRE_JSON]
  - path: rpc
    lint:
      use: [STANDARD]
      ignore:
        - rpc/google/rpc/context
    breaking:
      use: [FILE]
      ignore_only:
        FILE_SAME_GO_PACKAGE:
          - rpc/google/longrunning
  - path: type
    lint:
      use: [STANDARD]
      except: [ENUM_VALUE_PREFIX]
    breaking:
      use: [PACKAGE]
  - path: cloud
lint:
  use: [STANDARD]
breaking:
  use: [FILE]
";

/// Findings Buf reports and schemactl does not, by newer version: (version,
/// rule, message). None at present; a difference found later is listed
/// here (and in docs/configuration.md) until fixed.
const KNOWN_BUF_ONLY: &[(&str, &str, &str)] = &[];

type Finding = JsonFinding;

fn findings(stdout: &str) -> BTreeSet<Finding> {
    json_findings(stdout).into_iter().collect()
}

/// The corpus directory, or `None` (skip) when it is not given.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("SCHEMACTL_HISTORY_CORPUS");
    if dir.is_none() {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_HISTORY_CORPUS").is_none(),
            "SCHEMACTL_HISTORY_CORPUS is not set and SCHEMACTL_REQUIRE_HISTORY_CORPUS is \
             (scripts/history-corpus.sh DEST prepares it)"
        );
        eprintln!(
            "note: skipping the release-history differential: SCHEMACTL_HISTORY_CORPUS is not set"
        );
    }
    dir.map(PathBuf::from)
}

fn module_of(family: &str) -> &'static str {
    MODULES
        .iter()
        .find(|(_, families)| families.contains(&family))
        .map_or("cloud", |(module, _)| module)
}

/// Commit `version` of the corpus into `repo` (replacing the previous one)
/// and tag it `v<version>`; returns how many `.proto` files it has.
fn commit_version(corpus: &Path, version: &str, repo: &Path) -> usize {
    for (module, _) in MODULES {
        let dir = repo.join(module);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).expect("remove module");
        }
    }
    let google = corpus.join(version).join("google");
    let mut families: Vec<_> = std::fs::read_dir(&google)
        .unwrap_or_else(|e| panic!("{}: {e}", google.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    families.sort();
    for family in &families {
        copy_dir(
            &google.join(family),
            &repo.join(module_of(family)).join("google").join(family),
        );
    }
    std::fs::write(repo.join("buf.yaml"), BUF_YAML).expect("write buf.yaml");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", version]);
    git(repo, &["tag", &format!("v{version}")]);
    git(repo, &["ls-files", "*.proto"]).lines().count()
}

/// Run `args` with both tools in `repo`: (buf's findings, buf's exit code,
/// schemactl's findings, schemactl's exit code).
fn both(
    buf: &std::ffi::OsStr,
    repo: &Path,
    cache: &Path,
    args: &[&str],
) -> (BTreeSet<Finding>, i32, BTreeSet<Finding>, i32) {
    let theirs = Command::new(buf)
        .args(args)
        .current_dir(repo)
        .env("BUF_CACHE_DIR", cache)
        .output()
        .expect("run buf");
    let code = theirs.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 100,
        "buf {args:?} failed ({code}): {}",
        String::from_utf8_lossy(&theirs.stderr)
    );
    let ours = schemactl(repo, args);
    assert!(
        ours.code == 0 || ours.code == 1,
        "schemactl {args:?} failed ({}): {}",
        ours.code,
        ours.stderr
    );
    (
        findings(&String::from_utf8_lossy(&theirs.stdout)),
        code,
        findings(&ours.stdout),
        ours.code,
    )
}

#[test]
fn release_history_of_common_protos_matches_buf() {
    let Some(buf) = buf() else { return };
    let Some(corpus) = corpus() else { return };
    let list = std::fs::read_to_string(corpus.join("versions"))
        .unwrap_or_else(|e| panic!("{}/versions: {e}", corpus.display()));
    let versions: Vec<&str> = list.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        versions.len() >= 11,
        "{}/versions lists {} versions; at least 11 give 10 release pairs",
        corpus.display(),
        versions.len()
    );

    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    let cache = tmp.path().join(".buf-cache");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    let files: Vec<usize> = versions
        .iter()
        .map(|v| commit_version(&corpus, v, &repo))
        .collect();

    eprintln!(
        "release history: {} versions of proto-google-common-protos, {} modules",
        versions.len(),
        MODULES.len()
    );
    eprintln!("pair                files  lint buf/ours/diff  breaking buf/ours/diff  known");
    let mut mismatches = Vec::new();
    let mut used_known = BTreeSet::new();
    let (mut lint_total, mut breaking_total) = (0, 0);
    for (i, pair) in versions.windows(2).enumerate() {
        let (old, new) = (pair[0], pair[1]);
        git(&repo, &["checkout", "-q", &format!("v{new}")]);
        let lint = both(&buf, &repo, &cache, &["lint", "--error-format", "json"]);
        let against = format!(".git#tag=v{old}");
        let breaking = both(
            &buf,
            &repo,
            &cache,
            &["breaking", "--against", &against, "--error-format", "json"],
        );
        let mut known = 0;
        let mut diff_counts = Vec::new();
        for (command, (theirs, theirs_code, ours, ours_code)) in
            [("lint", &lint), ("breaking", &breaking)]
        {
            let mut diff = 0;
            for f in theirs.difference(ours) {
                let entry = KNOWN_BUF_ONLY
                    .iter()
                    .find(|(v, rule, message)| *v == new && *rule == f.3 && *message == f.4);
                match (command, entry) {
                    ("breaking", Some(entry)) => {
                        known += 1;
                        used_known.insert(*entry);
                    }
                    _ => {
                        diff += 1;
                        mismatches.push(format!("{old} -> {new} {command}: only buf: {f:?}"));
                    }
                }
            }
            for f in ours.difference(theirs) {
                diff += 1;
                mismatches.push(format!("{old} -> {new} {command}: only schemactl: {f:?}"));
            }
            // Findings: buf exits 100, schemactl 1 (a deliberate difference).
            let want = if *theirs_code == 100 { 1 } else { 0 };
            if *ours_code != want {
                mismatches.push(format!(
                    "{old} -> {new} {command}: buf exits {theirs_code}, schemactl {ours_code}"
                ));
            }
            diff_counts.push(diff);
        }
        lint_total += lint.0.len();
        breaking_total += breaking.0.len();
        eprintln!(
            "{:<19} {:>5}  {:>4}/{:>4}/{:<4}        {:>4}/{:>4}/{:<4}          {known}",
            format!("{old} -> {new}"),
            files[i + 1],
            lint.0.len(),
            lint.2.len(),
            diff_counts[0],
            breaking.0.len(),
            breaking.2.len(),
            diff_counts[1],
        );
    }
    eprintln!(
        "total: {} pairs, buf findings: lint {lint_total}, breaking {breaking_total}; \
         mismatches {}, known differences {}",
        versions.len() - 1,
        mismatches.len(),
        used_known.len()
    );
    assert!(
        mismatches.is_empty(),
        "schemactl differs from buf:\n{}",
        mismatches.join("\n")
    );
    let unused: Vec<_> = KNOWN_BUF_ONLY
        .iter()
        .filter(|k| !used_known.contains(*k))
        .collect();
    assert!(
        unused.is_empty(),
        "known differences that did not occur (remove them): {unused:?}"
    );
    assert!(
        lint_total > 0 && breaking_total > 0,
        "the history produced no finding"
    );
}

/// The history's one difference, in small: a file that stops importing a
/// well-known type (and a module that stops importing another module's
/// file). Buf compares the imports too, so each is a deleted file, unless
/// `--exclude-imports`; schemactl the same, with and without the flag.
#[test]
fn imports_no_longer_imported_are_deleted_files_unless_excluded() {
    let Some(buf) = buf() else { return };
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    let yaml = "version: v2\nmodules:\n  - path: a\n  - path: b\nbreaking:\n  use: [FILE]\n";
    let previous: &[(&str, &str)] = &[
        ("buf.yaml", yaml),
        (
            "a/pa/v1/x.proto",
            "syntax = \"proto3\";\npackage pa.v1;\nmessage X {\n  string a = 1;\n}\n",
        ),
        (
            "b/pb/v1/y.proto",
            "syntax = \"proto3\";\npackage pb.v1;\nimport \"google/protobuf/timestamp.proto\";\nimport \"pa/v1/x.proto\";\nmessage Y {\n  google.protobuf.Timestamp at = 1;\n  pa.v1.X x = 2;\n}\n",
        ),
    ];
    crate::common::write_files(&repo, previous);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "previous"]);
    git(&repo, &["tag", "v1"]);
    crate::common::write_files(
        &repo,
        &[(
            "b/pb/v1/y.proto",
            "syntax = \"proto3\";\npackage pb.v1;\nmessage Y {\n  reserved 1, 2;\n}\n",
        )],
    );
    let cache = tmp.path().join(".buf-cache");
    let mut deleted_imports = 0;
    for exclude in [false, true] {
        let mut args = vec![
            "breaking",
            "--against",
            ".git#tag=v1",
            "--error-format",
            "json",
        ];
        if exclude {
            args.push("--exclude-imports");
        }
        let (theirs, theirs_code, ours, ours_code) = both(&buf, &repo, &cache, &args);
        assert_eq!(ours, theirs, "{args:?}");
        assert_eq!(ours_code, if theirs_code == 100 { 1 } else { 0 });
        let imports = theirs
            .iter()
            .filter(|f| f.3 == "FILE_NO_DELETE" && f.0.is_empty())
            .count();
        if exclude {
            assert_eq!(imports, 0, "{theirs:?}");
        } else {
            deleted_imports = imports;
        }
    }
    assert_eq!(
        deleted_imports, 2,
        "timestamp.proto and pa/v1/x.proto, no longer imported"
    );
}
