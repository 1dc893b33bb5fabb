//! Why the policy could not run. Findings are never errors.

use schemactl_compile::{Compilation, ImageError};
use schemactl_config::ConfigError;
use schemactl_rules::lint::LintError;
use schemactl_source::SourceError;

use crate::baseline::BaselineError;

/// The policy could not do its job; the message names the file and what
/// went wrong, [`CheckError::hint`] what to do next.
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Source(#[from] SourceError),
    /// A configuration error, located in its file; `text` is the file's
    /// content, for a snippet.
    #[error("{error}")]
    Config { error: ConfigError, text: String },
    #[error("cannot read configuration file `{path}`: {source}")]
    ConfigUnreadable {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Image(#[from] ImageError),
    #[error("image `{0}` does not exist")]
    ImageMissing(String),
    #[error("no .proto files found in {0}")]
    NoProtoFiles(String),
    #[error("`{0}` is both a path and a git ref: which one to compare against is ambiguous")]
    AmbiguousAgainst(String),
    /// The side to compare against does not compile; its diagnostics are
    /// for the caller to show.
    #[error("the schemas to compare against (`{against}`) do not compile")]
    AgainstDoesNotCompile {
        against: String,
        compilation: Box<Compilation>,
    },
    #[error("`{0}` is not in a git repository, so there is no release to compare against")]
    NoRepository(String),
    /// The input is not a module of the workspace found above it.
    #[error(transparent)]
    Target(#[from] schemactl_config::workspace::TargetError),
    /// The two sides hold different numbers of modules, which Buf does not
    /// compare (its message, word for word).
    #[error("input contained {input} images, whereas against contained {against} images")]
    ModuleCount {
        input: usize,
        against: usize,
        /// The input has more modules, with breaking settings of their own.
        own_settings: bool,
    },
    #[error("compilation produced no image")]
    NoImage,
    /// `--path` and `--exclude-path` leave no file of the input (Buf's
    /// message, word for word).
    #[error(
        "no .proto files were targeted. This can occur if no .proto files are found in your \
         input, --path points to files that do not exist, or --exclude-path excludes all files"
    )]
    NothingTargeted,
    /// The configuration selects no valid rules (an unknown ID, an
    /// invalid topic name pattern).
    #[error("{config}: {source}")]
    Rules { config: String, source: LintError },
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// Generated code could not be compared with the committed output.
    #[error(transparent)]
    Generate(#[from] schemactl_codegen::CodegenError),
}

impl CheckError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            CheckError::Source(e) => e.hint(),
            CheckError::Config { error, .. } => error.hint.clone(),
            CheckError::Image(e) => e.hint(),
            CheckError::ModuleCount {
                own_settings: true, ..
            } => Some(
                "breaking checks compare module by module and the input's modules have \
                 `breaking` settings of their own: give them the same settings, or compare \
                 the modules that exist on both sides one at a time \
                 (`schemactl breaking <module> --against <its previous version>`)"
                    .to_owned(),
            ),
            CheckError::ModuleCount { .. } => Some(
                "breaking checks compare module by module: make both sides list the same \
                 modules (`modules:` in `buf.yaml`, `directories:` in `buf.work.yaml`), or \
                 compare one module at a time \
                 (`schemactl breaking <module> --against <its previous version>`)"
                    .to_owned(),
            ),
            CheckError::NoProtoFiles(_) => Some(
                "pass the directory that holds the schemas, e.g. `schemactl build schemas`"
                    .to_owned(),
            ),
            CheckError::AmbiguousAgainst(against) => Some(format!(
                "write `./{against}` for the path, or the full ref name (`refs/heads/{against}`, \
                 `refs/tags/{against}`) for the revision"
            )),
            CheckError::AgainstDoesNotCompile { .. } => Some(
                "compare against a version that compiles, e.g. the previous release tag".to_owned(),
            ),
            CheckError::NoRepository(_) => Some(
                "pass `--against` a directory, an image or a git input, or run inside \
                 the schema repository"
                    .to_owned(),
            ),
            CheckError::Rules { source, .. } => Some(source.hint()),
            CheckError::Target(e) => Some(e.hint()),
            CheckError::Baseline(e) => e.hint(),
            CheckError::Generate(e) => e.hint(),
            CheckError::NothingTargeted => Some(
                "check the `--path` and `--exclude-path` values: they name files or directories \
                 of the input, from the current directory"
                    .to_owned(),
            ),
            CheckError::ConfigUnreadable { .. }
            | CheckError::ImageMissing(_)
            | CheckError::NoImage => None,
        }
    }
}
