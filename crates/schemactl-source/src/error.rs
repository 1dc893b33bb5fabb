use std::path::PathBuf;

/// Why an input could not be read. Every variant names the path or ref and,
/// through [`SourceError::hint`], what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("input `{}` does not exist", path.display())]
    NotFound { path: PathBuf },
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is not inside a git repository", path.display())]
    NotAGitRepo { path: PathBuf },
    #[error("git ref `{reference}` not found in repository `{}`", repo.display())]
    RefNotFound {
        reference: String,
        repo: PathBuf,
        shallow: bool,
        /// The repository has no commit at all yet.
        unborn: bool,
    },
    #[error("git ref `{reference}` points to a {kind}, not a commit")]
    NotACommit {
        reference: String,
        /// `tree` or `blob`.
        kind: &'static str,
    },
    #[error("`{reference}` is not a usable git revision: {message}")]
    InvalidRef { reference: String, message: String },
    #[error("directory `{subdir}` does not exist at git ref `{reference}`")]
    SubdirNotFound { reference: String, subdir: String },
    #[error("{origin} holds more than {limit}: not read")]
    TooLarge { origin: String, limit: String },
    #[error("invalid input `{input}`: {reason}")]
    BadInput { input: String, reason: String },
    #[error("git error in `{}`: {message}", repo.display())]
    Git { repo: PathBuf, message: String },
}

impl SourceError {
    /// A `hint:` line telling the user how to fix the problem, if we know one.
    pub fn hint(&self) -> Option<String> {
        match self {
            SourceError::RefNotFound { unborn: true, .. } => Some(
                "the repository has no commit yet: commit the schemas first (`git add` and \
                 `git commit`)"
                    .to_owned(),
            ),
            SourceError::RefNotFound { shallow: true, .. } => Some(
                "this is a shallow clone that lacks the ref: check out with `fetch-depth: 0` \
                 (actions/checkout), or run `git fetch --tags --unshallow`"
                    .to_owned(),
            ),
            SourceError::RefNotFound { .. } => Some(
                "check the spelling with `git tag --list` / `git branch --all`; if the ref exists \
                 on the remote, run `git fetch --tags`"
                    .to_owned(),
            ),
            SourceError::NotACommit { .. } => Some(
                "schemas are read from a commit: name a tag, branch or commit id that points to \
                 one"
                .to_owned(),
            ),
            SourceError::InvalidRef { .. } => Some(
                "pass a tag, a branch, a commit id or `HEAD~N` (ranges like `a..b` are not \
                 revisions)"
                    .to_owned(),
            ),
            SourceError::TooLarge { .. } => Some(
                "pass the directory that holds the schemas rather than one above it (`.git` and \
                 `node_modules` are skipped; other generated or vendored trees are not)"
                    .to_owned(),
            ),
            SourceError::NotAGitRepo { .. } => Some(
                "`--ref` reads from git: run inside a clone of the schema repository".to_owned(),
            ),
            SourceError::NotFound { .. } => {
                Some("pass a directory, a `.binpb` image, or `path/.git#tag=...`".to_owned())
            }
            _ => None,
        }
    }

    pub(crate) fn git(repo: &std::path::Path, err: &git2::Error) -> Self {
        SourceError::Git {
            repo: repo.to_owned(),
            message: err.message().to_owned(),
        }
    }
}
