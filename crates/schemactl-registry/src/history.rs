//! The release history of a schema repository, compiled incrementally.
//!
//! [`History::refresh`] lists the release tags, compiles the ones it has not
//! seen (sharing every unchanged file with the tags before), and keeps the
//! ones it already compiled. A tag that does not compile is recorded as an
//! error and left out; it never takes the others down.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::model::{BuildCache, Registry};
use schemactl_compile::{CompileStats, FileSet, Incremental};
use schemactl_config::{Config, ConfigError};
use schemactl_diagnostics::Diagnostic;
use schemactl_source::{GitRepo, SourceError, Tree, read_dir_tree, release_tags};

/// One compiled release (or the working tree, when there are no tags).
#[derive(Debug)]
pub struct Release {
    /// The tag (`v1.2.0`), or the short HEAD commit for an untagged tree.
    pub name: String,
    pub version: Option<semver::Version>,
    pub commit: String,
    pub config: Config,
    pub files: FileSet,
    pub stats: CompileStats,
}

/// A tag that could not be served, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseError {
    pub release: String,
    pub message: String,
}

/// What one refresh did.
#[derive(Debug, Clone, Default)]
pub struct RefreshReport {
    /// Releases compiled in this refresh.
    pub compiled: Vec<String>,
    pub elapsed: Duration,
    /// Whether the set of releases changed.
    pub changed: bool,
}

/// Every release of the repository, compiled.
pub struct History {
    repo_dir: PathBuf,
    compiler: Incremental,
    /// Ordered by version.
    releases: Vec<Arc<Release>>,
    /// By tag name: (commit, compiled release or error).
    seen: HashMap<String, (String, Result<Arc<Release>, ReleaseError>)>,
    /// The last compiled tree, whose blobs the next read reuses.
    last_tree: Option<Tree>,
    errors: Vec<ReleaseError>,
}

/// Why a refresh could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    /// The repository (or directory) could not be read.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Its configuration is not valid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A tree without release tags does not compile, so there is nothing
    /// to serve (a release tag that does not compile is a
    /// [`ReleaseError`] instead, and the others are served).
    #[error("{}", summarize(.diagnostics))]
    Compile { diagnostics: Vec<Diagnostic> },
}

impl RefreshError {
    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            RefreshError::Source(e) => e.hint(),
            RefreshError::Config(e) => e.hint.clone(),
            RefreshError::Compile { .. } => Some(
                "run `schemactl build` in the schema repository to see every compile error"
                    .to_owned(),
            ),
        }
    }
}

impl History {
    /// A history of the repository holding `dir` (a git working tree, a
    /// bare repository, or a plain directory).
    pub fn new(dir: &Path) -> Self {
        History {
            repo_dir: dir.to_path_buf(),
            compiler: Incremental::new(),
            releases: Vec::new(),
            seen: HashMap::new(),
            last_tree: None,
            errors: Vec::new(),
        }
    }

    pub fn releases(&self) -> &[Arc<Release>] {
        &self.releases
    }

    /// Tags that are not served, with the reason.
    pub fn errors(&self) -> &[ReleaseError] {
        &self.errors
    }

    /// Read the tags again and compile the new ones.
    pub fn refresh(&mut self) -> Result<RefreshReport, RefreshError> {
        let started = Instant::now();
        let mut report = RefreshReport::default();
        let Ok(repo) = GitRepo::discover(&self.repo_dir) else {
            return self.refresh_plain(started);
        };
        let subdir = repo.relative_dir(&self.repo_dir)?;
        // The tag prefix comes from the configuration at HEAD (the working
        // tree for a non-bare repository).
        let head_config = repo
            .read_tree_reusing("HEAD", &subdir, self.last_tree.as_ref())
            .ok()
            .and_then(|t| config_of(&t, &self.repo_dir).ok());
        let prefix = head_config
            .as_ref()
            .map_or_else(|| "v".to_owned(), |c| c.release.tag_prefix.clone());
        let tags = release_tags(&repo, &prefix)?;

        if tags.is_empty() {
            return self.refresh_untagged(&repo, &subdir, started);
        }
        let mut releases = Vec::new();
        let mut errors = Vec::new();
        for tag in &tags {
            if let Some((commit, result)) = self.seen.get(&tag.name) {
                if *commit == tag.commit {
                    match result {
                        Ok(r) => releases.push(r.clone()),
                        Err(e) => errors.push(e.clone()),
                    }
                    continue;
                }
            }
            let result = self.compile_ref(&repo, &subdir, &tag.name, &tag.commit);
            report.compiled.push(tag.name.clone());
            report.changed = true;
            let result = result.map(|(config, files, stats)| {
                Arc::new(Release {
                    name: tag.name.clone(),
                    version: Some(tag.version.clone()),
                    commit: tag.commit.clone(),
                    config,
                    files,
                    stats,
                })
            });
            match &result {
                Ok(r) => releases.push(r.clone()),
                Err(e) => errors.push(e.clone()),
            }
            self.seen
                .insert(tag.name.clone(), (tag.commit.clone(), result));
        }
        // Tags that were deleted are dropped.
        let names: std::collections::HashSet<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        let before = self.seen.len();
        self.seen.retain(|name, _| names.contains(name.as_str()));
        report.changed |= before != self.seen.len()
            || releases.len() != self.releases.len()
            || self.releases.first().is_some_and(|r| r.version.is_none());
        self.releases = releases;
        self.errors = errors;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// The registry `schemactl serve` will build once a tree is released
    /// as `version`: every release tag older than `version` (every tag,
    /// without one), then the tree, compiled, as the newest release. The
    /// tree is `reference`'s (a tag, branch or commit of the repository
    /// holding the directory), or the working tree without one. This is
    /// how code generation knows the schema ids a release will have before
    /// it is tagged.
    pub fn registry_with_pending(
        &mut self,
        reference: Option<&str>,
        version: Option<&semver::Version>,
        cache: &mut BuildCache,
    ) -> Result<Registry, RefreshError> {
        self.refresh()?;
        let tree = match (GitRepo::discover(&self.repo_dir), reference) {
            (Ok(repo), Some(reference)) => {
                let subdir = repo.relative_dir(&self.repo_dir)?;
                repo.read_tree(reference, &subdir)?
            }
            (Ok(repo), None) if repo.is_bare() => {
                let subdir = repo.relative_dir(&self.repo_dir)?;
                repo.read_tree("HEAD", &subdir)?
            }
            (Err(e), Some(_)) => return Err(e.into()),
            (_, None) => read_dir_tree(&self.repo_dir)?,
        };
        let (config, files, stats) = self.compile_working(&tree)?;
        let name = match (version, reference) {
            (Some(v), _) => format!("{}{v}", config.release.tag_prefix),
            (None, Some(reference)) => reference.to_owned(),
            (None, None) => "working-tree".to_owned(),
        };
        let pending = Arc::new(Release {
            name,
            version: version.cloned(),
            commit: String::new(),
            config,
            files,
            stats,
        });
        let mut releases: Vec<Arc<Release>> = self
            .releases
            .iter()
            .filter(|r| {
                r.version
                    .as_ref()
                    .is_some_and(|released| version.is_none_or(|v| released < v))
            })
            .cloned()
            .collect();
        releases.push(pending);
        Ok(Registry::build(&releases, &self.errors, cache))
    }

    fn compile_ref(
        &mut self,
        repo: &GitRepo,
        subdir: &str,
        reference: &str,
        commit: &str,
    ) -> Result<(Config, FileSet, CompileStats), ReleaseError> {
        let fail = |message: String| ReleaseError {
            release: reference.to_owned(),
            message,
        };
        let tree = repo
            .read_tree_reusing(commit, subdir, self.last_tree.as_ref())
            .map_err(|e| fail(e.to_string()))?;
        let display = ".";
        let config = config_of(&tree, Path::new(display)).map_err(|e| fail(e.to_string()))?;
        let compiled = self.compiler.compile(&tree, &config, display);
        let Some(files) = compiled.files else {
            return Err(fail(summarize(&compiled.diagnostics)));
        };
        let stats = compiled.stats;
        self.last_tree = Some(tree);
        Ok((config, files, stats))
    }

    /// No release tags: serve the working tree (or HEAD of a bare
    /// repository) as one version named after the HEAD commit.
    fn refresh_untagged(
        &mut self,
        repo: &GitRepo,
        subdir: &str,
        started: Instant,
    ) -> Result<RefreshReport, RefreshError> {
        let commit = repo.commit_id("HEAD").unwrap_or_default();
        let short: String = commit.chars().take(12).collect();
        let tree = if repo.is_bare() {
            repo.read_tree("HEAD", subdir)
        } else {
            read_dir_tree(&self.repo_dir)
        }?;
        let name = if short.is_empty() {
            "working-tree".to_owned()
        } else {
            short
        };
        self.finish_single(name, commit, tree, started)
    }

    fn refresh_plain(&mut self, started: Instant) -> Result<RefreshReport, RefreshError> {
        let tree = read_dir_tree(&self.repo_dir)?;
        self.finish_single("working-tree".to_owned(), String::new(), tree, started)
    }

    /// Compile a tree that is not a tag (the working tree, a ref being
    /// generated): its configuration and files, or why it does not compile.
    fn compile_working(
        &mut self,
        tree: &Tree,
    ) -> Result<(Config, FileSet, CompileStats), RefreshError> {
        let display = self.repo_dir.display().to_string();
        let config = config_of(tree, &self.repo_dir)?;
        let compiled = self.compiler.compile(tree, &config, &display);
        match compiled.files {
            Some(files) => Ok((config, files, compiled.stats)),
            None => Err(RefreshError::Compile {
                diagnostics: compiled.diagnostics,
            }),
        }
    }

    fn finish_single(
        &mut self,
        name: String,
        commit: String,
        tree: Tree,
        started: Instant,
    ) -> Result<RefreshReport, RefreshError> {
        let (config, files, stats) = self.compile_working(&tree)?;
        let unchanged = self.releases.len() == 1
            && self.releases[0].version.is_none()
            && self.releases[0].name == name
            && self.releases[0]
                .files
                .files()
                .map(|f| f.key)
                .eq(files.files().map(|f| f.key))
            && self.releases[0].config == config;
        let report = RefreshReport {
            compiled: vec![name.clone()],
            elapsed: started.elapsed(),
            changed: !unchanged,
        };
        if !unchanged {
            self.releases = vec![Arc::new(Release {
                name,
                version: None,
                commit,
                config,
                files,
                stats,
            })];
        }
        self.seen.clear();
        self.errors.clear();
        Ok(report)
    }
}

fn config_of(tree: &Tree, display_dir: &Path) -> Result<Config, ConfigError> {
    let read = |name: &str| tree.get(name).and_then(|e| e.text()).map(str::to_owned);
    schemactl_config::discover(&read, &display_dir.display().to_string())
}

/// The first few compile errors, one per line, `path:line:column: message`.
fn summarize(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics.iter().take(5) {
        if !out.is_empty() {
            out.push('\n');
        }
        match d.location {
            Some(l) => out.push_str(&format!(
                "{}:{}:{}: {}",
                d.path, l.start_line, l.start_column, d.message
            )),
            None => out.push_str(&format!("{}: {}", d.path, d.message)),
        }
    }
    if diagnostics.len() > 5 {
        out.push_str(&format!("\n… and {} more", diagnostics.len() - 5));
    }
    if out.is_empty() {
        out.push_str("the schemas did not compile");
    }
    out
}
