//! Leading comments as Buf reads them, for the `COMMENT_*` rules and for
//! comment ignores.

use std::cell::OnceCell;

use schemactl_compile::SourceIndex;

use crate::ignore::is_documentation;

use super::{FileCx, Sink};

/// The leading comments of a file's elements as Buf reads them.
///
/// protox and Buf's compiler agree on which comment leads an element except
/// for a comment that ends on the line where the element starts
/// (`/* note */ FOO = 1;`): protox makes it the element's leading comment,
/// Buf drops it (it is neither leading nor detached in Buf's source info).
/// Both the `COMMENT_*` rules and comment ignores go through here, so they
/// see what Buf sees.
pub(crate) struct Comments<'a> {
    pub(super) index: &'a SourceIndex,
    text: Option<&'a str>,
    /// Byte offsets of line starts in `text`, computed on first use.
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> Comments<'a> {
    /// `text` is the file's source, when the image was compiled from it.
    pub(crate) fn new(index: &'a SourceIndex, text: Option<&'a str>) -> Self {
        Comments {
            index,
            text,
            line_starts: OnceCell::new(),
        }
    }

    /// The leading comment of the element at `path`, if Buf sees one.
    pub(crate) fn leading(&self, path: &[i32]) -> Option<&'a str> {
        let comment = self.index.leading_comments(path)?;
        let shares_line = self.index.location(path).is_some_and(|l| {
            self.before(l.start_line, l.start_column)
                .is_some_and(|prefix| prefix.trim_end().ends_with("*/"))
        });
        (!shares_line).then_some(comment)
    }

    /// The text of 1-based `line` before the 1-based byte `column`.
    fn before(&self, line: u32, column: u32) -> Option<&'a str> {
        let text = self.text?;
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let start = *starts.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let column = usize::try_from(column).ok()?.checked_sub(1)?;
        text.get(start..start.checked_add(column)?)
    }
}

/// Whether the element at `path` has a leading comment that documents it.
pub(crate) fn has_doc_comment(comments: &Comments<'_>, path: &[i32]) -> bool {
    comments.leading(path).is_some_and(is_documentation)
}

/// The check shared by the `COMMENT_*` rules: report the element at `path`
/// (over its whole span) unless its leading comment documents it. Elements
/// without a source location (synthetic ones) are skipped, as Buf does.
pub(crate) fn require_doc_comment(
    cx: &FileCx<'_>,
    sink: &mut Sink,
    path: &[i32],
    what: &str,
    name: &str,
) {
    if cx.index.has(path) && !has_doc_comment(&cx.comments, path) {
        sink.report(
            cx.file.name(),
            path,
            path,
            format!("{what} \"{name}\" should have a non-empty comment for documentation."),
        );
    }
}

#[cfg(test)]
mod tests {
    use prost_types::SourceCodeInfo;
    use prost_types::source_code_info::Location;

    use schemactl_compile::SourceIndex;

    use super::*;

    #[test]
    fn a_block_comment_on_the_element_line_does_not_lead() {
        let text = "enum E {\n  // Own line.\n  A = 0;\n  /* Same line. */ B = 1;\n  /* Two\n  lines */ C = 2;\n}\n";
        let located = |path: &[i32], line: i32, col: i32, comment: &str| Location {
            path: path.to_vec(),
            span: vec![line, col, col + 5],
            leading_comments: Some(comment.to_owned()),
            ..Location::default()
        };
        let index = SourceIndex::new(Some(SourceCodeInfo {
            location: vec![
                located(&[5, 0, 2, 0], 2, 2, " Own line.\n"),
                located(&[5, 0, 2, 1], 3, 19, " Same line. "),
                located(&[5, 0, 2, 2], 5, 11, " Two\n lines "),
            ],
        }));
        let comments = Comments::new(&index, Some(text));
        assert_eq!(comments.leading(&[5, 0, 2, 0]), Some(" Own line.\n"));
        assert_eq!(comments.leading(&[5, 0, 2, 1]), None);
        assert_eq!(comments.leading(&[5, 0, 2, 2]), None);
        // Without the source, protox's attribution is all there is.
        assert!(Comments::new(&index, None).leading(&[5, 0, 2, 1]).is_some());
    }
}
