use std::path::{Path, PathBuf};

use crate::{GitRepo, SourceError, Tree, read_dir_tree};

/// What the user asked to read, before reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    /// A directory of `.proto` files (the working tree).
    Dir(PathBuf),
    /// A serialized `FileDescriptorSet` (`.binpb`, `.bin`, `.pb`).
    Image(PathBuf),
    /// A directory of a git repository as it is at a ref. `dir` is the
    /// directory as the user named it (paths in findings start with it).
    Git { dir: PathBuf, reference: String },
    /// Buf's form: `path/to/repo/.git#tag=v1.0.0,subdir=proto`.
    GitUrl {
        repo: PathBuf,
        reference: String,
        subdir: String,
    },
}

/// A read input.
#[derive(Debug, Clone)]
pub enum Input {
    Tree(Tree),
    /// The bytes of a serialized `FileDescriptorSet`.
    Image {
        path: PathBuf,
        bytes: Vec<u8>,
    },
}

impl InputSpec {
    /// Interpret a command-line input and an optional `--ref`.
    pub fn parse(input: &str, git_ref: Option<&str>) -> Result<Self, SourceError> {
        if let Some((repo, params)) = input.split_once('#') {
            return parse_git_url(input, repo, params, git_ref);
        }
        let path = PathBuf::from(input);
        if let Some(reference) = git_ref {
            return Ok(InputSpec::Git {
                dir: path,
                reference: reference.to_owned(),
            });
        }
        let is_image = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "binpb" | "bin" | "pb"));
        if is_image {
            Ok(InputSpec::Image(path))
        } else {
            Ok(InputSpec::Dir(path))
        }
    }

    /// The directory findings are reported relative to (joined with each
    /// file's path), as the user wrote it.
    pub fn display_dir(&self) -> String {
        match self {
            InputSpec::Dir(p) | InputSpec::Git { dir: p, .. } => p.display().to_string(),
            InputSpec::Image(_) => String::new(),
            InputSpec::GitUrl { subdir, .. } => subdir.clone(),
        }
    }
}

fn parse_git_url(
    input: &str,
    repo: &str,
    params: &str,
    git_ref: Option<&str>,
) -> Result<InputSpec, SourceError> {
    let bad = |reason: &str| SourceError::BadInput {
        input: input.to_owned(),
        reason: reason.to_owned(),
    };
    if !repo.ends_with(".git") {
        return Err(bad(
            "only local git repositories (`path/.git#...`) are supported after `#`",
        ));
    }
    let mut reference = git_ref.map(str::to_owned);
    let mut subdir = String::new();
    for param in params.split(',').filter(|p| !p.is_empty()) {
        let (key, value) = param
            .split_once('=')
            .ok_or_else(|| bad(&format!("`{param}` is not `key=value`")))?;
        match key {
            "tag" | "branch" | "ref" | "commit" => reference = Some(value.to_owned()),
            "subdir" => subdir = value.trim_matches('/').to_owned(),
            "depth" | "recurse_submodules" => {}
            other => {
                return Err(bad(&format!(
                    "unknown key `{other}` (expected tag, branch, ref, commit or subdir)"
                )));
            }
        }
    }
    let reference = reference.unwrap_or_else(|| "HEAD".to_owned());
    Ok(InputSpec::GitUrl {
        repo: PathBuf::from(repo),
        reference,
        subdir,
    })
}

/// Read an input into memory.
pub fn read_input(spec: &InputSpec) -> Result<Input, SourceError> {
    match spec {
        InputSpec::Dir(dir) => Ok(Input::Tree(read_dir_tree(dir)?)),
        InputSpec::Image(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    SourceError::NotFound { path: path.clone() }
                } else {
                    SourceError::Io {
                        path: path.clone(),
                        source: e,
                    }
                }
            })?;
            Ok(Input::Image {
                path: path.clone(),
                bytes,
            })
        }
        InputSpec::Git { dir, reference } => {
            if !dir.exists() {
                // The directory may exist only at the ref: resolve from the
                // nearest existing ancestor.
                return read_git_missing_dir(dir, reference);
            }
            Ok(Input::Tree(crate::read_git_tree(dir, reference)?))
        }
        InputSpec::GitUrl {
            repo,
            reference,
            subdir,
        } => {
            let repo_dir = repo.parent().filter(|p| !p.as_os_str().is_empty());
            let git = GitRepo::discover(repo_dir.unwrap_or(Path::new(".")))?;
            Ok(Input::Tree(git.read_tree(reference, subdir)?))
        }
    }
}

fn read_git_missing_dir(dir: &Path, reference: &str) -> Result<Input, SourceError> {
    let mut existing = dir.to_path_buf();
    let mut missing = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name.to_string_lossy().into_owned());
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => {
                return Err(SourceError::NotFound {
                    path: dir.to_owned(),
                });
            }
        }
    }
    let repo = GitRepo::discover(&existing)?;
    let mut subdir = repo.relative_dir(&existing)?;
    missing.reverse();
    for m in missing {
        if !subdir.is_empty() {
            subdir.push('/');
        }
        subdir.push_str(&m);
    }
    Ok(Input::Tree(repo.read_tree(reference, &subdir)?))
}
