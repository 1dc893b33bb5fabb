//! Reading an input and its configuration and compiling it: the first step of
//! every command that looks at schemas.

use schemactl_compile::{Compilation, Image, Sources, compile_tree};
use schemactl_config::{Config, ConfigError};
use schemactl_diagnostics::{Diagnostic, Location};
use schemactl_source::{GitRepo, Input, InputSpec, SourceError, read_input};

use crate::Failure;
use crate::args::{GlobalArgs, InputArgs};

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

    /// The configuration file's path as the user should see it.
    pub fn config_display_path(&self) -> String {
        schemactl_config::display_path(
            &self.display_dir,
            self.config.kind.file().unwrap_or("schemactl.yaml"),
        )
    }
}

pub fn load(global: &GlobalArgs, input: &InputArgs) -> Result<Loaded, Failure> {
    let spec = InputSpec::parse(&input.input, input.git_ref.as_deref()).map_err(source_failure)?;
    load_spec(&spec, global.config.as_deref())
}

/// What `--against` names, resolved against the input: Buf's
/// `.git#tag=...` form, an existing directory or image, or else a git ref
/// (tag, branch, commit) of the repository that holds the input, read at the
/// input's directory. A name that is both an existing path and a git ref is
/// refused as ambiguous, as git does, rather than silently taken as one.
pub fn against_spec(against: &str, input: &InputArgs) -> Result<InputSpec, Failure> {
    let path = std::path::Path::new(against);
    if against.contains('#') {
        return InputSpec::parse(against, None).map_err(source_failure);
    }
    if path.exists() {
        let is_ref = GitRepo::discover(std::path::Path::new(&input.input))
            .is_ok_and(|repo| repo.resolve(against).is_ok());
        if is_ref {
            return Err(Failure::new(format!(
                "`{against}` is both a path and a git ref: which one to compare against is ambiguous"
            ))
            .hint(Some(format!(
                "write `./{against}` for the path, or the full ref name (`refs/heads/{against}`, \
                 `refs/tags/{against}`) for the revision"
            ))));
        }
        return InputSpec::parse(against, None).map_err(source_failure);
    }
    if against.ends_with(".binpb") || against.ends_with(".bin") || against.ends_with(".pb") {
        return Err(Failure::new(format!("image `{against}` does not exist")));
    }
    Ok(InputSpec::Git {
        dir: std::path::PathBuf::from(&input.input),
        reference: against.to_owned(),
    })
}

/// Read and compile any input. `config_file` overrides the configuration
/// found in the input.
pub fn load_spec(
    spec: &InputSpec,
    config_file: Option<&std::path::Path>,
) -> Result<Loaded, Failure> {
    let display_dir = spec.display_dir();
    match read_input(spec).map_err(source_failure)? {
        Input::Image { path, bytes } => {
            let display = path.display().to_string();
            let image = Image::decode(&display, &bytes)
                .map_err(|e| Failure::new(e.to_string()).hint(e.hint()))?;
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
                    .map_err(|e| config_failure(e, |name| read(name)))?,
            };
            schemactl_rules::check_rule_refs(&config)
                .map_err(|e| config_failure(e, |name| read(name)))?;
            let file_count = tree.proto_files().count();
            if file_count == 0 {
                return Err(
                    Failure::new(format!("no .proto files found in {}", tree.origin)).hint(Some(
                        "pass the directory that holds the schemas, e.g. `schemactl build schemas`"
                            .to_owned(),
                    )),
                );
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

fn read_config_file(
    path: &std::path::Path,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, Failure> {
    let display = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format!("cannot read configuration file `{display}`: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let config = schemactl_config::parse_file(&name, &text, &display, read)
        .map_err(|e| config_failure(e, |_| Some(text.clone())))?;
    schemactl_rules::check_rule_refs(&config)
        .map_err(|e| config_failure(e, |_| Some(text.clone())))?;
    Ok(config)
}

/// A configuration error as a located diagnostic with a snippet of the file.
fn config_failure(err: ConfigError, text_of: impl Fn(&str) -> Option<String>) -> Failure {
    let file_name = err.file.rsplit('/').next().unwrap_or(&err.file).to_owned();
    let mut diagnostic = Diagnostic::new("CONFIG", err.file.clone(), err.message.clone());
    if err.line > 0 {
        let column = u32::try_from(err.column).unwrap_or(1);
        let line = u32::try_from(err.line).unwrap_or(1);
        diagnostic = diagnostic.with_location(Location::point(line, column));
    }
    if let Some(hint) = &err.hint {
        diagnostic = diagnostic.with_help(hint.clone());
    }
    let text = text_of(&file_name).unwrap_or_default();
    Failure {
        message: err.to_string(),
        hint: err.hint,
        located: Some(Box::new((diagnostic, text))),
    }
}

fn source_failure(err: SourceError) -> Failure {
    let hint = err.hint();
    Failure::new(err.to_string()).hint(hint)
}

/// What `breaking` and `check` compare against when no `--against` is given.
pub enum DefaultAgainst {
    /// The latest release tag reachable from HEAD.
    Release(String),
    /// There is none: breaking checks are skipped, and this `note:` line
    /// (for stderr) says why. Skipping silently would let a CI job whose
    /// checkout lacks the tags pass without any breaking check.
    Skipped(String),
    /// The input is not in a git repository: a note for `check`, an error
    /// for `breaking`, whose one job is that comparison.
    NoRepository(String),
}

/// The latest release tag reachable from HEAD in the repository holding
/// `dir`, or why there is none.
pub fn default_against(dir: &str, tag_prefix: &str) -> Result<DefaultAgainst, Failure> {
    let skipped = |why: String| {
        Ok(DefaultAgainst::Skipped(format!(
            "note: {why}: breaking checks skipped"
        )))
    };
    let repo = match GitRepo::discover(std::path::Path::new(dir)) {
        Ok(repo) => repo,
        Err(SourceError::NotAGitRepo { .. }) => {
            return Ok(DefaultAgainst::NoRepository(format!(
                "`{dir}` is not in a git repository, so there is no release to compare against"
            )));
        }
        Err(e) => return Err(source_failure(e)),
    };
    match repo.latest_release_reachable(tag_prefix, "HEAD") {
        Ok(Some(tag)) => Ok(DefaultAgainst::Release(tag.name)),
        Ok(None) if repo.is_shallow() => skipped(format!(
            "no release tag (`{tag_prefix}X.Y.Z`) is reachable from HEAD in this shallow clone \
             (if releases exist, fetch them: `git fetch --tags --unshallow`, or `fetch-depth: 0` \
             in actions/checkout)"
        )),
        Ok(None) => skipped(format!(
            "no release tag (`{tag_prefix}X.Y.Z`) is reachable from HEAD yet (first release)"
        )),
        Err(SourceError::RefNotFound { unborn: true, .. }) => {
            skipped("the repository has no commit yet (first release)".to_owned())
        }
        Err(e) => Err(source_failure(e)),
    }
}
