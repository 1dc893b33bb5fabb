use std::path::{Path, PathBuf};

use git2::{ObjectType, Repository, TreeWalkMode, TreeWalkResult};

use crate::tree::wanted;
use crate::{FileEntry, SourceError, Tree};

/// A git repository opened for reading refs and tags.
pub struct GitRepo {
    repo: Repository,
    path: PathBuf,
}

impl GitRepo {
    /// Open the repository that contains `path` (searching upwards). `path`
    /// need not exist in the working tree (a directory deleted since the ref
    /// that is read): the search starts at its nearest existing ancestor.
    pub fn discover(path: &Path) -> Result<Self, SourceError> {
        let start = path
            .ancestors()
            .find(|p| p.as_os_str().is_empty() || p.exists())
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let repo = Repository::discover(start).map_err(|_| SourceError::NotAGitRepo {
            path: path.to_owned(),
        })?;
        let path = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
        Ok(GitRepo { repo, path })
    }

    /// The working directory (or the git dir of a bare repository).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the repository has no working tree (a mirror clone).
    pub fn is_bare(&self) -> bool {
        self.repo.is_bare()
    }

    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    /// The path of `dir` relative to the working directory, `/`-separated
    /// (empty for the top).
    pub fn relative_dir(&self, dir: &Path) -> Result<String, SourceError> {
        let abs = std::fs::canonicalize(dir).map_err(|e| SourceError::Io {
            path: dir.to_owned(),
            source: e,
        })?;
        let top = std::fs::canonicalize(&self.path).map_err(|e| SourceError::Io {
            path: self.path.clone(),
            source: e,
        })?;
        let rel = abs.strip_prefix(&top).map_err(|_| SourceError::BadInput {
            input: dir.display().to_string(),
            reason: format!("not inside the repository at `{}`", top.display()),
        })?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"))
    }

    /// Resolve a revision to the commit it names, in `git rev-parse` order
    /// (libgit2's revparse implements git's rules): the name as given
    /// (`HEAD`, `HEAD~1`, `v1.0.0^{}`, a full commit id), then `refs/X`,
    /// `refs/tags/X`, `refs/heads/X`, `refs/remotes/X`,
    /// `refs/remotes/X/HEAD`, then an abbreviated commit id. So `HEAD` is the
    /// local HEAD, never `origin/HEAD`.
    ///
    /// Only when git itself finds nothing is a branch name tried as
    /// `refs/remotes/origin/X` (with any `~N`/`^` suffix kept): CI checkouts
    /// often have `origin/main` but no local `main`, and `--against main`
    /// should still work there. A name that exists locally always wins over
    /// the remote one, as in git.
    ///
    /// Every command resolves refs through this function, so they all agree
    /// with each other and with git.
    pub fn resolve(&self, reference: &str) -> Result<git2::Commit<'_>, SourceError> {
        let object = match self.repo.revparse_single(reference) {
            Ok(object) => object,
            Err(e) if is_not_found(&e) => match self.remote_fallback(reference) {
                Some(object) => object,
                None => return Err(self.not_found(reference)),
            },
            Err(e) => {
                return Err(SourceError::InvalidRef {
                    reference: reference.to_owned(),
                    message: e.message().to_owned(),
                });
            }
        };
        self.peel_to_commit(reference, object)
    }

    /// `refs/remotes/origin/<name><suffix>` for `<name><suffix>` (`main`,
    /// `main~1`), when origin has a branch `<name>`. Never for git's own
    /// pseudo-refs (`HEAD`, `FETCH_HEAD`): `HEAD~1` must not silently mean
    /// origin's.
    fn remote_fallback(&self, reference: &str) -> Option<git2::Object<'_>> {
        let end = reference
            .find(['~', '^', '@', ':'])
            .unwrap_or(reference.len());
        let (name, suffix) = reference.split_at(end);
        let pseudo_ref = name.chars().all(|c| c.is_ascii_uppercase() || c == '_');
        let full = format!("refs/remotes/origin/{name}");
        if pseudo_ref
            || !git2::Reference::is_valid_name(&full)
            || self.repo.find_reference(&full).is_err()
        {
            return None;
        }
        self.repo.revparse_single(&format!("{full}{suffix}")).ok()
    }

    fn peel_to_commit<'r>(
        &'r self,
        reference: &str,
        object: git2::Object<'r>,
    ) -> Result<git2::Commit<'r>, SourceError> {
        if let Ok(commit) = object.peel_to_commit() {
            return Ok(commit);
        }
        // Say what it is instead: "not found, fetch tags" would send the
        // user looking for something that is there.
        let target = match object.kind() {
            Some(ObjectType::Tag) => object.peel(ObjectType::Any).ok().and_then(|o| o.kind()),
            kind => kind,
        };
        let kind = match target {
            Some(ObjectType::Tree) => "tree",
            Some(ObjectType::Blob) => "blob",
            // A tag whose target is not in the object database: a shallow
            // or partial clone lacks it, which "not found" explains.
            _ => return Err(self.not_found(reference)),
        };
        Err(SourceError::NotACommit {
            reference: reference.to_owned(),
            kind,
        })
    }

    fn not_found(&self, reference: &str) -> SourceError {
        SourceError::RefNotFound {
            reference: reference.to_owned(),
            repo: self.path.clone(),
            shallow: self.repo.is_shallow(),
            // HEAD is unborn and there are no refs at all.
            // (`Repository::is_empty` also wants the branch to be named
            // after `init.defaultBranch`, which another git may not share.)
            unborn: self.repo.head().is_err_and(|e| is_not_found(&e))
                && self.repo.references().is_ok_and(|mut r| r.next().is_none()),
        }
    }

    /// The directory git runs hooks from: `core.hooksPath` when it is set
    /// (a relative value is relative to the top of the working tree, as git
    /// reads it; `~/` is expanded), else `hooks` in the common git directory
    /// (shared by every worktree of the repository).
    pub fn hooks_dir(&self) -> Result<PathBuf, SourceError> {
        let git_error = |e: git2::Error| SourceError::Git {
            repo: self.path.clone(),
            message: e.message().to_owned(),
        };
        let config = self.repo.config().map_err(git_error)?;
        match config.get_path("core.hooksPath") {
            Ok(path) if path.is_absolute() => Ok(path),
            Ok(path) => Ok(self.path.join(path)),
            Err(e) if is_not_found(&e) => Ok(self.repo.commondir().join("hooks")),
            Err(e) => Err(git_error(e)),
        }
    }

    /// The full commit id a ref points to.
    pub fn commit_id(&self, reference: &str) -> Result<String, SourceError> {
        Ok(self.resolve(reference)?.id().to_string())
    }

    pub(crate) fn inner(&self) -> &Repository {
        &self.repo
    }

    /// The text of one file at `reference` (a `/`-separated path from the
    /// repository root): `None` when there is no such regular file, or it
    /// is larger than [`crate::MAX_READ_BYTES`] or not UTF-8. Lets a caller
    /// look for configuration files without reading a whole tree.
    pub fn read_file(&self, reference: &str, path: &str) -> Result<Option<String>, SourceError> {
        let commit = self.resolve(reference)?;
        let root = commit
            .tree()
            .map_err(|e| SourceError::git(&self.path, &e))?;
        let Ok(entry) = root.get_path(Path::new(path)) else {
            return Ok(None);
        };
        if entry.kind() != Some(ObjectType::Blob) || entry.filemode() == 0o120000 {
            return Ok(None);
        }
        let odb = self
            .repo
            .odb()
            .map_err(|e| SourceError::git(&self.path, &e))?;
        let Ok((size, _)) = odb.read_header(entry.id()) else {
            return Ok(None);
        };
        if size as u64 > crate::MAX_READ_BYTES {
            return Ok(None);
        }
        let Ok(object) = odb.read(entry.id()) else {
            return Ok(None);
        };
        Ok(String::from_utf8(object.data().to_vec()).ok())
    }

    /// Read the `.proto` and config files under `subdir` at `reference`,
    /// straight from the object database.
    pub fn read_tree(&self, reference: &str, subdir: &str) -> Result<Tree, SourceError> {
        self.read_tree_reusing(reference, subdir, None)
    }

    /// [`GitRepo::read_tree`], taking the content of every blob that
    /// `previous` already holds from it instead of reading it again: reading
    /// a long history of tags costs the blobs that changed, not the files.
    pub fn read_tree_reusing(
        &self,
        reference: &str,
        subdir: &str,
        previous: Option<&Tree>,
    ) -> Result<Tree, SourceError> {
        let known: std::collections::HashMap<&str, &FileEntry> = previous
            .map(|t| t.files().map(|(_, e)| (e.id(), e)).collect())
            .unwrap_or_default();
        let commit = self.resolve(reference)?;
        let root = commit
            .tree()
            .map_err(|e| SourceError::git(&self.path, &e))?;
        let tree = if subdir.is_empty() {
            root
        } else {
            let entry =
                root.get_path(Path::new(subdir))
                    .map_err(|_| SourceError::SubdirNotFound {
                        reference: reference.to_owned(),
                        subdir: subdir.to_owned(),
                    })?;
            // Only a tree is a directory: a submodule entry names a commit
            // (possibly of this very repository) that is not part of it.
            if entry.kind() != Some(ObjectType::Tree) {
                return Err(SourceError::SubdirNotFound {
                    reference: reference.to_owned(),
                    subdir: subdir.to_owned(),
                });
            }
            entry
                .to_object(&self.repo)
                .and_then(|o| o.peel_to_tree())
                .map_err(|_| SourceError::SubdirNotFound {
                    reference: reference.to_owned(),
                    subdir: subdir.to_owned(),
                })?
        };
        let short = commit.id().to_string();
        let mut out = Tree::new(format!(
            "git ref `{reference}` ({}) of `{}`",
            &short[..short.len().min(12)],
            self.path.display()
        ));
        let odb = self
            .repo
            .odb()
            .map_err(|e| SourceError::git(&self.path, &e))?;
        let mut budget = crate::tree::Budget::default();
        let mut failure = None;
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() != Some(ObjectType::Blob) {
                return TreeWalkResult::Ok;
            }
            let Ok(name) = entry.name() else {
                return TreeWalkResult::Ok;
            };
            let rel = format!("{dir}{name}");
            if !wanted(&rel) {
                return TreeWalkResult::Ok;
            }
            // Symlinks are stored as blobs holding the target path; never
            // follow them (they could point anywhere).
            if entry.filemode() == 0o120000 {
                out.rejected.push(crate::Rejected {
                    path: rel,
                    reason: "symlinks are not followed inside git refs".to_owned(),
                    hint: "commit the file itself instead of a link to it".to_owned(),
                });
                return TreeWalkResult::Ok;
            }
            // The size from the object header: a huge blob is refused
            // without being inflated.
            let size = match odb.read_header(entry.id()) {
                Ok((size, _)) => u64::try_from(size).unwrap_or(u64::MAX),
                Err(e) => {
                    failure = Some(SourceError::git(&self.path, &e));
                    return TreeWalkResult::Abort;
                }
            };
            match budget.admit(&mut out, &rel, size) {
                Ok(true) => {}
                Ok(false) => return TreeWalkResult::Ok,
                Err(e) => {
                    failure = Some(e);
                    return TreeWalkResult::Abort;
                }
            }
            let id = entry.id().to_string();
            if let Some(existing) = known.get(id.as_str()) {
                out.insert(rel, (*existing).clone());
                return TreeWalkResult::Ok;
            }
            match self.repo.find_blob(entry.id()) {
                Ok(blob) => {
                    out.insert(rel, FileEntry::with_id(blob.content().to_vec(), id));
                    TreeWalkResult::Ok
                }
                Err(e) => {
                    failure = Some(SourceError::git(&self.path, &e));
                    TreeWalkResult::Abort
                }
            }
        })
        .map_err(|e| SourceError::git(&self.path, &e))
        .or_else(|e| if failure.is_some() { Ok(()) } else { Err(e) })?;
        if let Some(e) = failure {
            return Err(e);
        }
        Ok(out)
    }
}

fn is_not_found(e: &git2::Error) -> bool {
    matches!(
        e.code(),
        git2::ErrorCode::NotFound | git2::ErrorCode::UnbornBranch
    )
}

/// Read `dir` (a directory inside a git working tree) as it is at
/// `reference`, without checking anything out.
pub fn read_git_tree(dir: &Path, reference: &str) -> Result<Tree, SourceError> {
    let repo = GitRepo::discover(dir)?;
    let subdir = repo.relative_dir(dir)?;
    repo.read_tree(reference, &subdir)
}

impl GitRepo {
    /// Create an annotated tag `name` on `target` (a commit-ish) with
    /// `message`. The tagger is the repository's configured `user.name` /
    /// `user.email`, or `schemactl` when none is set. Refuses to move an
    /// existing tag.
    pub fn create_annotated_tag(
        &self,
        name: &str,
        target: &str,
        message: &str,
    ) -> Result<String, SourceError> {
        let commit = self.resolve(target)?;
        let signature = self
            .repo
            .signature()
            .or_else(|_| git2::Signature::now("schemactl", "schemactl@localhost"))
            .map_err(|e| SourceError::git(&self.path, &e))?;
        let oid = self
            .repo
            .tag(name, commit.as_object(), &signature, message, false)
            .map_err(|e| SourceError::git(&self.path, &e))?;
        Ok(oid.to_string())
    }
}
