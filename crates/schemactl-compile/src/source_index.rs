//! A file's `SourceCodeInfo` indexed by path.

use std::collections::HashMap;

use prost_types::SourceCodeInfo;
use schemactl_diagnostics::Location;

/// A file's `SourceCodeInfo` indexed by path, for finding where an element
/// is and what its comments say.
#[derive(Debug, Default)]
pub struct SourceIndex {
    by_path: HashMap<Vec<i32>, usize>,
    info: SourceCodeInfo,
}

impl SourceIndex {
    pub fn new(info: Option<SourceCodeInfo>) -> Self {
        let info = info.unwrap_or_default();
        let mut by_path = HashMap::with_capacity(info.location.len());
        for (i, location) in info.location.iter().enumerate() {
            // The first location for a path is the one protoc and Buf use.
            by_path.entry(location.path.clone()).or_insert(i);
        }
        SourceIndex { by_path, info }
    }

    fn get(&self, path: &[i32]) -> Option<&prost_types::source_code_info::Location> {
        self.by_path.get(path).map(|&i| &self.info.location[i])
    }

    /// Where the element at `path` is.
    pub fn location(&self, path: &[i32]) -> Option<Location> {
        self.get(path).and_then(|l| Location::from_span(&l.span))
    }

    /// The leading comment of the element at `path`, if any.
    pub fn leading_comments(&self, path: &[i32]) -> Option<&str> {
        self.get(path).and_then(|l| l.leading_comments.as_deref())
    }

    pub fn trailing_comments(&self, path: &[i32]) -> Option<&str> {
        self.get(path).and_then(|l| l.trailing_comments.as_deref())
    }

    pub fn has(&self, path: &[i32]) -> bool {
        self.by_path.contains_key(path)
    }

    /// Every location as `(path, span)`, in the order of the
    /// `SourceCodeInfo` (declaration order); a path may come more than once.
    pub fn locations(&self) -> impl Iterator<Item = (&[i32], &[i32])> {
        self.info
            .location
            .iter()
            .map(|l| (l.path.as_slice(), l.span.as_slice()))
    }
}
