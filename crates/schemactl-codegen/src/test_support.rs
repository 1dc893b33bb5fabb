//! What the crate's unit tests share: schemas compiled from text into the
//! files a request carries.

use schemactl_compile::Image;
use schemactl_config::{Config, ManagedConfig};
use schemactl_source::{FileEntry, Tree};

use crate::request::{self, File};

/// `sources` (path → text) compiled with the default configuration; they
/// must compile.
pub(crate) fn image(sources: &[(&str, &str)]) -> Image {
    let mut tree = Tree::new("test");
    for (path, text) in sources {
        tree.insert(*path, FileEntry::new(text.as_bytes().to_vec()));
    }
    let compilation = schemactl_compile::compile_tree(&tree, &Config::buf_default(), ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
    compilation.image.expect("image")
}

/// The files of `sources` as plugins see them, without managed mode.
pub(crate) fn files(sources: &[(&str, &str)]) -> Vec<File> {
    files_managed(sources, &ManagedConfig::default())
}

/// The files of `sources` as plugins see them, with `managed` applied.
pub(crate) fn files_managed(sources: &[(&str, &str)], managed: &ManagedConfig) -> Vec<File> {
    request::files(&image(sources), managed)
}
