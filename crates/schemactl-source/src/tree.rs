use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::{CONFIG_FILE_NAMES, SourceError};

/// One file of a [`Tree`]: its bytes and a content id.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub content: Arc<[u8]>,
    /// The git blob id (hex) of the content: given by git for git trees,
    /// computed on first use for directory trees. Equal ids mean equal
    /// content, across working trees and refs.
    id: OnceLock<String>,
}

impl FileEntry {
    pub fn new(content: impl Into<Arc<[u8]>>) -> Self {
        FileEntry {
            content: content.into(),
            id: OnceLock::new(),
        }
    }

    pub(crate) fn with_id(content: impl Into<Arc<[u8]>>, id: String) -> Self {
        let id_cell = OnceLock::new();
        let _ = id_cell.set(id);
        FileEntry {
            content: content.into(),
            id: id_cell,
        }
    }

    /// The git blob id of the content.
    pub fn id(&self) -> &str {
        self.id.get_or_init(|| {
            git2::Oid::hash_object(git2::ObjectType::Blob, &self.content)
                .map(|oid| oid.to_string())
                .unwrap_or_default()
        })
    }

    /// The content as text, if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.content).ok()
    }
}

/// A path that was found in the input but refused, with the reason (a
/// symlink pointing outside the input root, an unreadable file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    pub path: String,
    pub reason: String,
    /// What to do about it.
    pub hint: String,
}

/// The `.proto` and configuration files of an input, in memory, keyed by
/// their `/`-separated path relative to the input directory.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// Human description of where the tree came from, for messages.
    pub origin: String,
    files: BTreeMap<String, FileEntry>,
    pub rejected: Vec<Rejected>,
}

impl Tree {
    pub fn new(origin: impl Into<String>) -> Self {
        Tree {
            origin: origin.into(),
            ..Tree::default()
        }
    }

    pub fn insert(&mut self, path: impl Into<String>, entry: FileEntry) {
        self.files.insert(path.into(), entry);
    }

    pub fn get(&self, path: &str) -> Option<&FileEntry> {
        self.files.get(path)
    }

    /// All files, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The `.proto` files, sorted by path.
    pub fn proto_files(&self) -> impl Iterator<Item = (&str, &FileEntry)> {
        self.files().filter(|(p, _)| is_proto(p))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Whether both trees hold the same paths with the same content (by
    /// blob id, so two git trees compare without hashing anything).
    pub fn same_files(&self, other: &Tree) -> bool {
        self.files.len() == other.files.len()
            && self
                .files()
                .zip(other.files())
                .all(|((p, a), (q, b))| p == q && a.id() == b.id())
    }
}

pub(crate) fn is_proto(path: &str) -> bool {
    path.ends_with(".proto")
}

/// Whether a file at `rel` (relative to the input root) is one we keep:
/// `.proto` files and configuration files at any depth (Buf v1 workspaces
/// keep a `buf.yaml` in each module directory).
pub(crate) fn wanted(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    is_proto(rel) || CONFIG_FILE_NAMES.contains(&name)
}

/// The largest file read from an input, in bytes. The compiler refuses
/// `.proto` files over 8 MiB with a located error; this higher bound is the
/// reader's own, so that a file of any size named `x.proto` is never loaded
/// into memory whole.
pub const MAX_READ_BYTES: u64 = 64 << 20;
/// The most files (`.proto` and configuration) one input may hold. The
/// Google APIs corpus has about 7,000.
pub const MAX_INPUT_FILES: usize = 100_000;
/// The most bytes all the files of one input may hold together.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// What a reader has taken in so far, against the limits above: both
/// readers (directories and git trees) count through it, so no input makes
/// them allocate without bound.
#[derive(Default)]
pub(crate) struct Budget {
    files: usize,
    bytes: u64,
}

impl Budget {
    /// Account for a file of `size` bytes at `rel`. `Ok(false)`: the file is
    /// too large to read and is recorded in [`Tree::rejected`]; an error:
    /// the input as a whole is over its limits.
    pub(crate) fn admit(
        &mut self,
        tree: &mut Tree,
        rel: &str,
        size: u64,
    ) -> Result<bool, SourceError> {
        if size > MAX_READ_BYTES {
            tree.rejected.push(Rejected {
                path: rel.to_owned(),
                reason: format!(
                    "it is larger than {} MiB, far more than any schema file",
                    MAX_READ_BYTES >> 20
                ),
                hint: "split the file, or move it out of the input if it is not a schema"
                    .to_owned(),
            });
            return Ok(false);
        }
        self.files += 1;
        self.bytes += size;
        if self.files > MAX_INPUT_FILES {
            return Err(SourceError::TooLarge {
                origin: tree.origin.clone(),
                limit: format!("{MAX_INPUT_FILES} .proto and configuration files"),
            });
        }
        if self.bytes > MAX_INPUT_BYTES {
            return Err(SourceError::TooLarge {
                origin: tree.origin.clone(),
                limit: format!(
                    "{} GiB of .proto and configuration files",
                    MAX_INPUT_BYTES >> 30
                ),
            });
        }
        Ok(true)
    }
}

/// Read every `.proto` file below `root` (and the configuration files at its
/// top). Symlinks are followed only while they stay inside `root`; one that
/// points outside is recorded in [`Tree::rejected`] and never read, so an
/// input cannot smuggle in files from elsewhere on the machine.
///
/// Only regular files are read (after following a symlink), as git only
/// tracks those: a FIFO, socket or device named `x.proto` is skipped, since
/// reading a FIFO blocks until someone writes to it and a device may never
/// end.
pub fn read_dir_tree(root: &Path) -> Result<Tree, SourceError> {
    let canonical_root = fs::canonicalize(root).map_err(|e| io_or_missing(root, e))?;
    if !canonical_root.is_dir() {
        return Err(SourceError::BadInput {
            input: root.display().to_string(),
            reason: "not a directory".to_owned(),
        });
    }
    let mut tree = Tree::new(format!("directory `{}`", root.display()));
    let mut visited = HashSet::new();
    visited.insert(canonical_root.clone());
    // An explicit stack, not recursion: the depth of the directories is the
    // input's to choose.
    let mut pending = vec![(canonical_root.clone(), String::new())];
    let mut budget = Budget::default();
    while let Some((dir, prefix)) = pending.pop() {
        walk_dir(
            &canonical_root,
            &dir,
            &prefix,
            &mut tree,
            &mut visited,
            &mut pending,
            &mut budget,
        )?;
    }
    Ok(tree)
}

/// Read the files of `dir` into `tree`, and push its subdirectories onto
/// `pending`.
fn walk_dir(
    root: &Path,
    dir: &Path,
    prefix: &str,
    tree: &mut Tree,
    visited: &mut HashSet<PathBuf>,
    pending: &mut Vec<(PathBuf, String)>,
    budget: &mut Budget,
) -> Result<(), SourceError> {
    let entries = fs::read_dir(dir).map_err(|e| io_or_missing(dir, e))?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        // Version-control and dependency folders never hold the schemas.
        if name == ".git" || name == "node_modules" {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let (target, file_type) = if file_type.is_symlink() {
            let Ok(target) = fs::canonicalize(&path) else {
                if wanted(&rel) {
                    tree.rejected.push(Rejected {
                        path: rel,
                        reason: "broken symlink".to_owned(),
                        hint: "point the link at a file inside the input, or remove it".to_owned(),
                    });
                }
                continue;
            };
            if !target.starts_with(root) {
                if wanted(&rel) || target.is_dir() {
                    tree.rejected.push(Rejected {
                        path: rel,
                        reason: format!(
                            "symlink points outside the input root (to `{}`)",
                            target.display()
                        ),
                        hint: "keep schema files inside the input directory; copy the file in \
                               instead of linking to it"
                            .to_owned(),
                    });
                }
                continue;
            }
            let Ok(metadata) = fs::metadata(&target) else {
                continue;
            };
            (target, metadata.file_type())
        } else {
            (path, file_type)
        };
        if file_type.is_dir() {
            if visited.insert(target.clone()) {
                pending.push((target, rel));
            }
        } else if file_type.is_file() && wanted(&rel) {
            // Refused by its size before any byte is read; `read_capped`
            // still bounds a file that grows meanwhile.
            let size = fs::metadata(&target).map_or(0, |m| m.len());
            if size > MAX_READ_BYTES {
                budget.admit(tree, &rel, size)?;
                continue;
            }
            match read_capped(&target) {
                Ok(bytes) => {
                    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
                    if budget.admit(tree, &rel, size)? {
                        tree.insert(rel, FileEntry::new(bytes));
                    }
                }
                Err(e) => tree.rejected.push(Rejected {
                    path: rel,
                    reason: format!("cannot read: {e}"),
                    hint: "check the file's permissions".to_owned(),
                }),
            }
        }
    }
    Ok(())
}

/// The file's bytes, but never more than one byte past [`MAX_READ_BYTES`]
/// (enough for [`Budget::admit`] to refuse it), even if it grows while read.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = fs::File::open(path)?;
    let expected = file
        .metadata()
        .map_or(0, |m| m.len())
        .min(MAX_READ_BYTES + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(MAX_READ_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn io_or_missing(path: &Path, e: std::io::Error) -> SourceError {
    if e.kind() == std::io::ErrorKind::NotFound {
        SourceError::NotFound {
            path: path.to_owned(),
        }
    } else {
        SourceError::Io {
            path: path.to_owned(),
            source: e,
        }
    }
}
