//! Buf's `--path` and `--exclude-path`: which files of an input are
//! checked. The selection is written relative to the input directory and
//! applies to each side of a comparison the same way: a side keeps the
//! files it picks as its input files, the files they import as imports,
//! and drops the rest, as Buf's image for `--path` does.

use crate::{CheckError, Loaded};

/// Files and directories to check, and inside them files and directories
/// not to, relative to the input directory (module root included:
/// `proto/acme/v1`, or `acme/v1` when the module is the input). Each is
/// normalized: no `.` component, no repeated or trailing `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathFilter {
    /// Check only these (every file when empty).
    pub paths: Vec<String>,
    /// Never these.
    pub excludes: Vec<String>,
}

impl PathFilter {
    /// Whether the file at `input_path` (relative to its side's input
    /// directory) is checked.
    pub fn picks(&self, input_path: &str) -> bool {
        (self.paths.is_empty() || self.paths.iter().any(|p| under(p, input_path)))
            && !self.excludes.iter().any(|e| under(e, input_path))
    }
}

/// Whether `path` is `dir` or inside it, by whole components (`.` holds
/// every relative path).
pub fn under(dir: &str, path: &str) -> bool {
    if dir == "." {
        return !path.starts_with("../") && path != "..";
    }
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

impl Loaded {
    /// Keep only the files `filter` picks (and their imports) in the image.
    /// `Err(CheckError::NothingTargeted)` when it picks none; an input that
    /// did not compile is left as it is (its errors are reported whatever
    /// the paths).
    pub fn select(&mut self, filter: &PathFilter) -> Result<(), CheckError> {
        self.select_files(filter)?;
        match self.image() {
            Some(image) if image.input_files().next().is_none() => Err(CheckError::NothingTargeted),
            _ => Ok(()),
        }
    }

    /// [`Loaded::select`], where picking no file is no error (the side
    /// compared against, when the files checked are all new).
    pub(crate) fn select_files(&mut self, filter: &PathFilter) -> Result<(), CheckError> {
        if let Some(image) = self.image() {
            let selected = image.select(|f| filter.picks(&f.input_path))?;
            self.compilation.image = Some(selected);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_is_by_whole_components() {
        assert!(under("p/a", "p/a/x.proto"));
        assert!(under("p/a", "p/a"));
        assert!(!under("p/a", "p/ab/x.proto"));
        assert!(under(".", "a/x.proto"));
        assert!(!under(".", "../a"));
    }

    #[test]
    fn excludes_win_over_paths() {
        let filter = PathFilter {
            paths: vec!["a".to_owned()],
            excludes: vec!["a/v1/y.proto".to_owned()],
        };
        assert!(filter.picks("a/v1/x.proto"));
        assert!(!filter.picks("a/v1/y.proto"));
        assert!(!filter.picks("b/v1/x.proto"));
        assert!(PathFilter::default().picks("b/v1/x.proto"));
    }
}
