//! Reading an input and its configuration and compiling it: the first step
//! of every check. Compile errors are data ([`Loaded::compilation`]).

use std::path::Path;

use schemactl_compile::{Compilation, Image, Sources, compile_tree};
use schemactl_config::workspace::Workspace;
use schemactl_config::{Config, ConfigError};
use schemactl_source::{GitRepo, Input, InputSpec, SourceError, Tree, read_input};

use crate::CheckError;

/// A compiled input.
pub struct Loaded {
    pub config: Config,
    /// The input as the user wrote it (finding paths start with it).
    pub display_dir: String,
    pub compilation: Compilation,
    /// How many `.proto` files the input had (for the verbose summary).
    pub file_count: usize,
    /// The directory of the configuration, as the user should see it: the
    /// input itself, or the workspace found above it (`..`).
    pub config_dir: String,
    /// The modules checked (indexes into `config.modules`): all of them,
    /// or those at or below the input inside a workspace found above it.
    /// Buf builds one image per module and compares them pairwise.
    pub targets: Vec<usize>,
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
            &self.config_dir,
            self.config.kind.file().unwrap_or("schemactl.yaml"),
        )
    }

    /// The configuration file that was read, as the user should see its
    /// path; `None` when there was none (Buf's defaults).
    pub fn config_file_used(&self) -> Option<String> {
        self.config
            .kind
            .file()
            .map(|file| schemactl_config::display_path(&self.config_dir, file))
    }
}

/// Read and compile any input. `config_file` overrides the configuration
/// found in the input.
pub fn load(spec: &InputSpec, config_file: Option<&Path>) -> Result<Loaded, CheckError> {
    let display_dir = spec.display_dir();
    if config_file.is_none()
        && let Some(loaded) = load_in_workspace(spec, &display_dir)?
    {
        return Ok(loaded);
    }
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
                config_dir: display_dir.clone(),
                display_dir,
                compilation: Compilation {
                    image: Some(image),
                    diagnostics: Vec::new(),
                    sources: Sources::default(),
                },
                file_count,
                // An image is one module, whatever its configuration says.
                targets: vec![0],
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
                targets: (0..config.modules.len()).collect(),
                config,
                config_dir: display_dir.clone(),
                display_dir,
                compilation,
                file_count,
            })
        }
    }
}

/// Buf's discovery for a directory input: when a workspace above the input
/// controls it (a `buf.work.yaml`, or a v2 `buf.yaml` or `schemactl.yaml`
/// whose modules include the input), build the whole workspace with its
/// configuration and check only the modules at or below the input, their
/// paths printed as the input names them. `None` when the input is not
/// below such a workspace (its own files, if any, configure it).
fn load_in_workspace(spec: &InputSpec, display_dir: &str) -> Result<Option<Loaded>, CheckError> {
    let Some((workspace, tree)) = find_workspace(spec, display_dir)? else {
        return Ok(None);
    };
    let config_dir = workspace_display(display_dir, &workspace.sub);
    let read_tree = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
    let config = schemactl_config::discover(&read_tree, &config_dir)
        .map_err(|e| config_error(e, |name| read_tree(name)))?;
    schemactl_rules::check_rule_refs(&config)
        .map_err(|e| config_error(e, |name| read_tree(name)))?;
    let targets = schemactl_config::workspace::targets(&config, &workspace.sub, display_dir)?;
    let target_paths: Vec<&str> = targets
        .iter()
        .filter_map(|&i| config.modules.get(i).map(|m| m.path.as_str()))
        .collect();
    let in_target = |path: &str| {
        target_paths
            .iter()
            .any(|m| schemactl_config::workspace::contains(m, path))
    };
    let file_count = tree.proto_files().filter(|(p, _)| in_target(p)).count();
    if file_count == 0 {
        return Err(CheckError::NoProtoFiles(display_dir.to_owned()));
    }
    let mut compilation = compile_tree(&tree, &config, &config_dir);
    let prefix = schemactl_config::display_path(&config_dir, "");
    compilation.retarget(|display| {
        let path = display.strip_prefix(&prefix)?.trim_start_matches('/');
        in_target(path).then(|| {
            schemactl_config::display_path(
                display_dir,
                &schemactl_config::workspace::relative(path, &workspace.sub),
            )
        })
    });
    Ok(Some(Loaded {
        targets,
        config,
        display_dir: display_dir.to_owned(),
        compilation,
        file_count,
        config_dir,
    }))
}

/// The workspace controlling the input, when it is above the input, and
/// the workspace directory's tree: a directory input walks up the
/// filesystem, a git input walks up the repository as it is at the ref
/// (Buf's rule for both).
fn find_workspace(
    spec: &InputSpec,
    display_dir: &str,
) -> Result<Option<(Workspace, Tree)>, CheckError> {
    let (repo, reference, subdir) = match spec {
        InputSpec::Dir(dir) => {
            let Ok(absolute) = std::fs::canonicalize(dir) else {
                return Ok(None);
            };
            let Some(rooted) = absolute.to_str().and_then(|p| p.strip_prefix('/')) else {
                // Not a Unix-style path: no walk (the input configures itself).
                return Ok(None);
            };
            let read = |path: &str| read_config_candidate(&Path::new("/").join(path));
            let found =
                schemactl_config::workspace::find_workspace(&read, rooted).map_err(|mut e| {
                    e.file = format!("/{}", e.file);
                    config_error(e, |_| None)
                })?;
            if found.is_none() {
                v1_module_around(&read, rooted, display_dir)?;
            }
            let found = found.filter(|w| w.sub != ".");
            return match found {
                Some(w) => {
                    let tree = schemactl_source::read_dir_tree(&Path::new("/").join(&w.dir))?;
                    Ok(Some((w, tree)))
                }
                None => Ok(None),
            };
        }
        InputSpec::GitUrl {
            repo,
            reference,
            subdir,
        } => {
            let repo_dir = repo.parent().filter(|p| !p.as_os_str().is_empty());
            let git = GitRepo::discover(repo_dir.unwrap_or(Path::new(".")))?;
            (git, reference, subdir.clone())
        }
        InputSpec::Git { dir, reference } if dir.exists() => {
            let git = GitRepo::discover(dir)?;
            let subdir = git.relative_dir(dir)?;
            (git, reference, subdir)
        }
        InputSpec::Git { .. } | InputSpec::Image(_) => return Ok(None),
    };
    // Only the candidate configuration files are read on the walk; the
    // workspace's tree is read once it is found.
    let read = |path: &str| repo.read_file(reference, path).ok().flatten();
    let subdir = if subdir.is_empty() { "." } else { &subdir };
    let found = schemactl_config::workspace::find_workspace(&read, subdir)
        .map_err(|e| config_error(e, |_| None))?
        .filter(|w| w.sub != ".");
    match found {
        Some(w) => {
            let dir = if w.dir == "." { "" } else { w.dir.as_str() };
            let tree = repo.read_tree(reference, dir)?;
            Ok(Some((w, tree)))
        }
        None => Ok(None),
    }
}

/// Buf's rule for a directory input that no workspace controls: a v1
/// `buf.yaml` between the working directory and the input makes the input
/// a directory inside a module (refused), or, when the input has a v1
/// `buf.yaml` of its own, a nested module (refused too).
fn v1_module_around(
    read: &dyn Fn(&str) -> Option<String>,
    input: &str,
    display_dir: &str,
) -> Result<(), CheckError> {
    let Some(cwd) = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok())
    else {
        return Ok(());
    };
    let Some(stop) = cwd.to_str().and_then(|p| p.strip_prefix('/')) else {
        return Ok(());
    };
    let stop = if stop.is_empty() { "." } else { stop };
    let above =
        schemactl_config::workspace::v1_module_above(read, input, stop).map_err(|mut e| {
            e.file = format!("/{}", e.file);
            config_error(e, |_| None)
        })?;
    let Some(module) = above else {
        return Ok(());
    };
    // The module as Buf names it: relative to the working directory.
    let shown = schemactl_config::workspace::relative(&module, stop);
    let own = read(&schemactl_config::display_path(input, "buf.yaml"));
    let own_is_v1 = own.is_some_and(|text| {
        schemactl_config::parse_file("buf.yaml", &text, "buf.yaml", &|_| None)
            .is_ok_and(|c| c.kind.is_buf_v1())
    });
    let error = if own_is_v1 {
        schemactl_config::workspace::TargetError::Nested {
            outer: shown,
            inner: display_dir.trim_end_matches('/').to_owned(),
        }
    } else {
        schemactl_config::workspace::TargetError::InsideModule {
            input: display_dir.trim_end_matches('/').to_owned(),
            module: shown,
        }
    };
    Err(error.into())
}

/// The text of a configuration file the walk looks at: regular files of a
/// bounded size only (a FIFO named `buf.yaml` must not block the walk).
fn read_config_candidate(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > schemactl_source::MAX_READ_BYTES {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// The workspace directory as the user should see it, given the input as
/// they wrote it and the input's path below the workspace: the input with
/// those components taken off (`proto/a` below `a` is `proto`), else the
/// input followed by one `..` per component.
fn workspace_display(input: &str, sub: &str) -> String {
    let absolute = input.starts_with('/');
    let input_parts: Vec<&str> = input
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let sub_parts: Vec<&str> = sub.split('/').filter(|p| !p.is_empty()).collect();
    let mut parts: Vec<&str> = if input_parts.ends_with(&sub_parts) {
        input_parts[..input_parts.len() - sub_parts.len()].to_vec()
    } else {
        let mut parts = input_parts.clone();
        parts.extend(std::iter::repeat_n("..", sub_parts.len()));
        parts
    };
    if absolute {
        parts.insert(0, "");
        if parts.len() == 1 {
            return "/".to_owned();
        }
    } else if parts.is_empty() {
        parts.push(".");
    }
    parts.join("/")
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

#[cfg(test)]
mod tests {
    use super::workspace_display;

    #[test]
    fn the_workspace_is_shown_from_where_the_user_stands() {
        // `schemactl lint proto/a` from the workspace's parent.
        assert_eq!(workspace_display("proto/a", "a"), "proto");
        // `schemactl lint a` from the workspace.
        assert_eq!(workspace_display("a", "a"), ".");
        assert_eq!(workspace_display("a/", "a"), ".");
        // `schemactl lint` inside module `dir/a`.
        assert_eq!(workspace_display(".", "dir/a"), "../..");
        assert_eq!(workspace_display("../b", "b"), "..");
        assert_eq!(workspace_display("/abs/ws/a", "a"), "/abs/ws");
        assert_eq!(workspace_display("/a", "a"), "/");
    }
}
