//! Reading an input and its configuration and compiling it: the first step
//! of every check. Compile errors are data ([`Loaded::compilation`]).

use std::path::Path;

use schemactl_compile::{Compilation, Image, Sources, compile_tree};
use schemactl_config::{Config, ConfigError};
use schemactl_source::{GitRepo, Input, InputSpec, SourceError, read_input};

use crate::CheckError;

/// A compiled input.
pub struct Loaded {
    pub config: Config,
    /// The input as the user wrote it (finding paths start with it).
    pub display_dir: String,
    pub compilation: Compilation,
    /// How many `.proto` files the input had (for the verbose summary).
    pub file_count: usize,
}

impl Loaded {
    pub fn image(&self) -> Option<&Image> {
        self.compilation.image.as_ref()
    }

    /// The image, when the input compiled.
    pub fn compiled(&self) -> Result<&Image, CheckError> {
        self.image().ok_or(CheckError::NoImage)
    }

    /// `path` (a finding's or a source's, which start with the input as
    /// the user wrote it) relative to the input directory.
    pub fn relative_path<'p>(&self, path: &'p str) -> &'p str {
        let dir = self.display_dir.trim_end_matches('/');
        if dir.is_empty() || dir == "." {
            return path;
        }
        path.strip_prefix(dir)
            .and_then(|p| p.strip_prefix('/'))
            .unwrap_or(path)
    }

    /// The configuration file's path as the user should see it.
    pub fn config_display_path(&self) -> String {
        schemactl_config::display_path(
            &self.display_dir,
            self.config.kind.file().unwrap_or("schemactl.yaml"),
        )
    }
}

/// Read and compile any input. `config_file` overrides the configuration
/// found in the input.
pub fn load(spec: &InputSpec, config_file: Option<&Path>) -> Result<Loaded, CheckError> {
    let display_dir = spec.display_dir();
    match read_input(spec)? {
        Input::Image { path, bytes } => {
            let image = Image::decode(&path.display().to_string(), &bytes)?;
            let config = match config_file {
                Some(path) => read_config_file(path, &|_| None)?,
                None => Config::buf_default(),
            };
            let file_count = image.input_files().count();
            Ok(Loaded {
                config,
                display_dir,
                compilation: Compilation {
                    image: Some(image),
                    diagnostics: Vec::new(),
                    sources: Sources::default(),
                },
                file_count,
            })
        }
        Input::Tree(tree) => {
            let read = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
            let config = match config_file {
                Some(path) => read_config_file(path, &read)?,
                None => schemactl_config::discover(&read, &display_dir)
                    .map_err(|e| config_error(e, |name| read(name)))?,
            };
            schemactl_rules::check_rule_refs(&config)
                .map_err(|e| config_error(e, |name| read(name)))?;
            let file_count = tree.proto_files().count();
            if file_count == 0 {
                return Err(CheckError::NoProtoFiles(tree.origin.to_string()));
            }
            let compilation = compile_tree(&tree, &config, &display_dir);
            Ok(Loaded {
                config,
                display_dir,
                compilation,
                file_count,
            })
        }
    }
}

/// What `against` names, resolved against the input directory `input_dir`:
/// Buf's `.git#tag=...` form, an existing directory or image, or else a git
/// ref (tag, branch, commit) of the repository that holds the input, read
/// at the input's directory. A name that is both an existing path and a git
/// ref is refused as ambiguous, as git does, rather than silently taken as
/// one.
pub fn against_spec(against: &str, input_dir: &str) -> Result<InputSpec, CheckError> {
    let path = Path::new(against);
    if against.contains('#') {
        return Ok(InputSpec::parse(against, None)?);
    }
    if path.exists() {
        let is_ref =
            GitRepo::discover(Path::new(input_dir)).is_ok_and(|repo| repo.resolve(against).is_ok());
        if is_ref {
            return Err(CheckError::AmbiguousAgainst(against.to_owned()));
        }
        return Ok(InputSpec::parse(against, None)?);
    }
    if against.ends_with(".binpb") || against.ends_with(".bin") || against.ends_with(".pb") {
        return Err(CheckError::ImageMissing(against.to_owned()));
    }
    Ok(InputSpec::Git {
        dir: std::path::PathBuf::from(input_dir),
        reference: against.to_owned(),
    })
}

/// Read and compile the side to compare against, with its own
/// configuration. It is the baseline of the comparison, so if it does not
/// compile the check cannot run.
pub fn load_against(against: &str, input_dir: &str) -> Result<Loaded, CheckError> {
    let previous = load(&against_spec(against, input_dir)?, None)?;
    if !previous.compilation.diagnostics.is_empty() {
        return Err(CheckError::AgainstDoesNotCompile {
            against: against.to_owned(),
            compilation: Box::new(previous.compilation),
        });
    }
    Ok(previous)
}

fn read_config_file(
    path: &Path,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, CheckError> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CheckError::ConfigUnreadable {
        path: display.clone(),
        source,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let config = schemactl_config::parse_file(&name, &text, &display, read)
        .map_err(|e| config_error(e, |_| Some(text.clone())))?;
    schemactl_rules::check_rule_refs(&config)
        .map_err(|e| config_error(e, |_| Some(text.clone())))?;
    Ok(config)
}

/// A configuration error with the text of its file, for a snippet.
fn config_error(error: ConfigError, text_of: impl Fn(&str) -> Option<String>) -> CheckError {
    let file_name = error.file.rsplit('/').next().unwrap_or(&error.file);
    let text = text_of(file_name).unwrap_or_default();
    CheckError::Config { error, text }
}

/// What breaking checks compare against when no input is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultAgainst {
    /// The latest release tag reachable from HEAD.
    Release(String),
    /// There is none, and why. Skipping silently would let a CI job whose
    /// checkout lacks the tags pass without any breaking check, so the
    /// caller says so.
    Skipped(String),
    /// The input is not in a git repository.
    NoRepository,
}

/// The latest release tag reachable from HEAD in the repository holding
/// `dir`, or why there is none.
pub fn default_against(dir: &str, tag_prefix: &str) -> Result<DefaultAgainst, CheckError> {
    let repo = match GitRepo::discover(Path::new(dir)) {
        Ok(repo) => repo,
        Err(SourceError::NotAGitRepo { .. }) => return Ok(DefaultAgainst::NoRepository),
        Err(e) => return Err(e.into()),
    };
    match repo.latest_release_reachable(tag_prefix, "HEAD") {
        Ok(Some(tag)) => Ok(DefaultAgainst::Release(tag.name)),
        Ok(None) if repo.is_shallow() => Ok(DefaultAgainst::Skipped(format!(
            "no release tag (`{tag_prefix}X.Y.Z`) is reachable from HEAD in this shallow clone \
             (if releases exist, fetch them: `git fetch --tags --unshallow`, or `fetch-depth: 0` \
             in actions/checkout)"
        ))),
        Ok(None) => Ok(DefaultAgainst::Skipped(format!(
            "no release tag (`{tag_prefix}X.Y.Z`) is reachable from HEAD yet (first release)"
        ))),
        Err(SourceError::RefNotFound { unborn: true, .. }) => Ok(DefaultAgainst::Skipped(
            "the repository has no commit yet (first release)".to_owned(),
        )),
        Err(e) => Err(e.into()),
    }
}
