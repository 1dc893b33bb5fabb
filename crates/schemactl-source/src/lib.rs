//! Reading schema inputs into memory.
//!
//! An input is a directory, a git ref of a repository (read straight from the
//! object database, no checkout), or a serialized `FileDescriptorSet` image.
//! Everything downstream sees an in-memory [`Tree`] (or the image bytes), so
//! compiling never touches the file system or git again.
//!
//! It also keeps a local mirror of a remote repository up to date
//! ([`mirror`]), with the `git` CLI run directly, never through a shell.
//!
//! This is the only crate that links git2.

mod error;
mod git;
mod input;
mod mirror;
mod tags;
mod tree;

pub use error::SourceError;
pub use git::{GitRepo, read_git_tree};
pub use input::{Input, InputSpec, read_input};
pub use mirror::{MirrorError, mirror};
pub use tags::{ReleaseTag, release_tags};
pub use tree::{
    FileEntry, MAX_INPUT_BYTES, MAX_INPUT_FILES, MAX_READ_BYTES, Rejected, Tree, read_dir_tree,
};

/// Names of configuration files read from the top of an input, besides
/// `.proto` files.
pub const CONFIG_FILE_NAMES: [&str; 5] = [
    "schemactl.yaml",
    "schemactl.yml",
    "buf.yaml",
    "buf.work.yaml",
    "buf.gen.yaml",
];
