//! The release policy: which version HEAD becomes, or why it must not be
//! released. `schemactl release` and the release pipeline both plan with
//! [`plan`] and only then create the tag.
//!
//! Refusals: HEAD does not compile or fails the check; HEAD already carries
//! a release tag; nothing under the input changed since the latest release;
//! the next tag exists elsewhere. A second run on the same commit must not
//! mint another version of the same schemas, and a dry run refuses exactly
//! when the real run would.

use std::path::Path;

use schemactl_compile::Sources;
use schemactl_diagnostics::Diagnostic;
use schemactl_rules::diff::DiffSummary;
use schemactl_source::{GitRepo, Input, InputSpec, SourceError, Tree, read_input, release_tags};

use crate::{Against, CheckError, Request, load, render, run};

/// The next release of HEAD.
#[derive(Debug)]
pub struct ReleasePlan {
    /// The commit that was checked, and is to be tagged.
    pub head: String,
    /// The tag to create (`v1.4.0`).
    pub tag: String,
    pub version: semver::Version,
    /// The latest release reachable from HEAD, if there is one.
    pub previous: Option<String>,
    /// What changed since `previous`, with its bump.
    pub summary: Option<DiffSummary>,
    /// Findings that do not fail the release (warnings; breaking changes a
    /// reviewer allowed).
    pub warnings: Vec<Diagnostic>,
}

impl ReleasePlan {
    /// What changed, as text: the summary, or "first release".
    pub fn changes(&self) -> String {
        match &self.summary {
            Some(summary) => render::text(summary),
            None => "first release\n".to_owned(),
        }
    }

    /// The annotated tag's message.
    pub fn tag_message(&self) -> String {
        format!("schema release {}\n\n{}", self.tag, self.changes())
    }
}

/// Why HEAD is not released. Nothing was tagged.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error(transparent)]
    Check(#[from] CheckError),
    /// The diagnostics are for the caller to show.
    #[error("HEAD does not compile: nothing was tagged")]
    DoesNotCompile {
        diagnostics: Vec<Diagnostic>,
        sources: Sources,
    },
    #[error("HEAD ({short}) is already released as {tag}: nothing was tagged")]
    AlreadyReleased { short: String, tag: String },
    #[error("nothing under `{input}` changed since {tag} (HEAD is {short}): nothing was tagged")]
    NothingChanged {
        input: String,
        tag: String,
        short: String,
    },
    /// The findings at error level are for the caller to show.
    #[error("HEAD fails check ({} findings): nothing was tagged", findings.len())]
    FailsCheck {
        findings: Vec<Diagnostic>,
        sources: Sources,
    },
    #[error(
        "the next version, {tag}, is already a tag on {taken_short}, which HEAD does not \
         contain: nothing was tagged"
    )]
    TagTaken { tag: String, taken_short: String },
    #[error("`{0}` is an image; release needs a directory of a git repository")]
    NotATree(String),
}

impl ReleaseError {
    pub fn hint(&self) -> Option<String> {
        match self {
            ReleaseError::Check(e) => e.hint(),
            ReleaseError::DoesNotCompile { .. } | ReleaseError::NotATree(_) => None,
            ReleaseError::AlreadyReleased { .. } => {
                Some("commit the schema change first, then release the new commit".to_owned())
            }
            ReleaseError::NothingChanged { input, .. } => Some(format!(
                "a release needs a change to the `.proto` files or configuration under `{input}`; \
                 commits elsewhere (docs, CI) are not schema releases"
            )),
            ReleaseError::FailsCheck { .. } => Some(
                "fix the findings, or pass --allow-breaking for a reviewed breaking change \
                 (major version)"
                    .to_owned(),
            ),
            ReleaseError::TagTaken { tag, .. } => Some(format!(
                "release from the branch that holds {tag} (merge it into this one first)"
            )),
        }
    }
}

impl From<SourceError> for ReleaseError {
    fn from(e: SourceError) -> Self {
        ReleaseError::Check(e.into())
    }
}

/// Plan the release of HEAD of the repository holding `input_dir`, read as
/// committed (not the working tree). `allow_breaking`: a reviewer accepted
/// the breaking changes (the bump is major).
pub fn plan(
    input_dir: &str,
    config_file: Option<&Path>,
    allow_breaking: bool,
) -> Result<ReleasePlan, ReleaseError> {
    let repo = GitRepo::discover(Path::new(input_dir))?;
    // HEAD is resolved once: the commit that is checked is the commit that
    // is tagged, even if HEAD moves meanwhile.
    let head = repo.commit_id("HEAD")?;
    let short = head[..head.len().min(12)].to_owned();
    let at = |reference: &str| InputSpec::Git {
        dir: input_dir.into(),
        reference: reference.to_owned(),
    };
    let current = load(&at(&head), config_file)?;
    if !current.compilation.diagnostics.is_empty() {
        return Err(ReleaseError::DoesNotCompile {
            diagnostics: current.compilation.diagnostics,
            sources: current.compilation.sources,
        });
    }
    let prefix = current.config.release.tag_prefix.clone();
    let releases = release_tags(&repo, &prefix)?;
    if let Some(tag) = releases.iter().find(|t| t.commit == head) {
        return Err(ReleaseError::AlreadyReleased {
            short,
            tag: tag.name.clone(),
        });
    }
    let last = repo.latest_release_reachable(&prefix, &head)?;
    if let Some(tag) = &last {
        if tree(&at(&tag.commit))?.same_files(&tree(&at(&head))?) {
            return Err(ReleaseError::NothingChanged {
                input: input_dir.to_owned(),
                tag: tag.name.clone(),
                short,
            });
        }
    }

    // The same gate as `check`: lint and TOPIC rules, and breaking changes
    // unless a reviewer allowed them.
    let request = Request {
        input_dir,
        lint: true,
        // The full ref name: unambiguous, and readable in messages.
        against: match &last {
            Some(tag) => Against::Given(format!("refs/tags/{}", tag.name)),
            None => Against::Nothing,
        },
        allow_breaking,
        summary: true,
        ..Request::default()
    };
    let report = run(current, &request, &mut |_| {})?;
    let version = match (&last, &report.summary) {
        (Some(tag), Some(summary)) => summary.bump.apply(&tag.version),
        _ => semver::Version::new(1, 0, 0),
    };
    let (errors, warnings): (Vec<_>, Vec<_>) =
        report.findings.into_iter().partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(ReleaseError::FailsCheck {
            findings: errors,
            sources: report.current.compilation.sources,
        });
    }
    let tag = format!("{prefix}{version}");
    if let Some(taken) = releases.iter().find(|t| t.name == tag) {
        return Err(ReleaseError::TagTaken {
            tag,
            taken_short: taken.commit[..taken.commit.len().min(12)].to_owned(),
        });
    }
    Ok(ReleasePlan {
        head,
        tag,
        version,
        previous: last.map(|t| t.name),
        summary: report.summary,
        warnings,
    })
}

fn tree(spec: &InputSpec) -> Result<Tree, ReleaseError> {
    match read_input(spec)? {
        Input::Tree(tree) => Ok(tree),
        Input::Image { path, .. } => Err(ReleaseError::NotATree(path.display().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@e",
                "-c",
                "tag.gpgsign=false",
            ])
            .args([
                "-c",
                "commit.gpgsign=false",
                "-c",
                "init.defaultBranch=main",
            ])
            .args(args)
            .current_dir(dir)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    }

    fn write(dir: &Path, name: &str, text: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    const V1: &str = "syntax = \"proto3\";\n\npackage acme.v1;\n\n// An event.\nmessage Event {\n  // Its id.\n  string id = 1;\n}\n";

    fn repo() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().to_path_buf();
        git(&dir, &["init", "-q"]);
        write(&dir, "buf.yaml", "version: v2\nlint:\n  use: [MINIMAL]\n");
        write(&dir, "acme/v1/event.proto", V1);
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "-qm", "first"]);
        (tmp, dir)
    }

    fn plan_of(dir: &Path, allow_breaking: bool) -> Result<ReleasePlan, ReleaseError> {
        plan(&dir.display().to_string(), None, allow_breaking)
    }

    #[test]
    fn the_first_release_is_1_0_0_and_is_not_released_twice() {
        let (_tmp, dir) = repo();
        let first = plan_of(&dir, false).expect("a plan");
        assert_eq!(first.tag, "v1.0.0");
        assert_eq!(first.previous, None);
        assert_eq!(first.changes(), "first release\n");
        git(&dir, &["tag", "-a", "v1.0.0", "-m", "r"]);
        let again = plan_of(&dir, false).expect_err("refused");
        assert!(
            matches!(again, ReleaseError::AlreadyReleased { .. }),
            "{again}"
        );
        assert!(again.hint().is_some());
    }

    #[test]
    fn an_addition_is_minor_a_deletion_needs_a_reviewer_and_is_major() {
        let (_tmp, dir) = repo();
        git(&dir, &["tag", "-a", "v1.0.0", "-m", "r"]);
        write(&dir, "README.md", "docs only\n");
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "-qm", "docs"]);
        let docs = plan_of(&dir, false).expect_err("nothing changed");
        assert!(
            matches!(docs, ReleaseError::NothingChanged { .. }),
            "{docs}"
        );

        let added = V1.replace(
            "  string id = 1;\n",
            "  string id = 1;\n  // When.\n  int64 at = 2;\n",
        );
        write(&dir, "acme/v1/event.proto", &added);
        git(&dir, &["commit", "-qam", "add a field"]);
        let minor = plan_of(&dir, false).expect("a plan");
        assert_eq!(
            (minor.tag.as_str(), minor.previous.as_deref()),
            ("v1.1.0", Some("v1.0.0"))
        );
        assert!(
            minor
                .tag_message()
                .starts_with("schema release v1.1.0\n\nsemver bump: minor")
        );
        git(&dir, &["tag", "-a", "v1.1.0", "-m", "r"]);

        write(&dir, "acme/v1/event.proto", V1);
        git(&dir, &["commit", "-qam", "delete a field"]);
        let refused = plan_of(&dir, false).expect_err("breaking");
        match &refused {
            ReleaseError::FailsCheck { findings, .. } => {
                assert!(
                    findings.iter().any(|d| d.rule == "FIELD_NO_DELETE"),
                    "{findings:?}"
                );
            }
            other => panic!("expected FailsCheck, got {other}"),
        }
        let major = plan_of(&dir, true).expect("allowed");
        assert_eq!(major.tag, "v2.0.0");
        assert!(major.warnings.iter().any(|d| d.rule == "FIELD_NO_DELETE"));
    }

    #[test]
    fn a_head_that_does_not_compile_is_not_released() {
        let (_tmp, dir) = repo();
        write(
            &dir,
            "acme/v1/broken.proto",
            "syntax = \"proto3\";\nmessage {",
        );
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "-qm", "broken"]);
        let err = plan_of(&dir, false).expect_err("refused");
        match err {
            ReleaseError::DoesNotCompile { diagnostics, .. } => assert!(!diagnostics.is_empty()),
            other => panic!("expected DoesNotCompile, got {other}"),
        }
    }
}
