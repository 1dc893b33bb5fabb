//! The one finding type every part of schemactl produces, and every format it
//! is rendered in.
//!
//! A [`Diagnostic`] is data: rules, the compiler and the config loader all
//! produce them, and only the renderers in [`mod@render`] turn them into text.
//! Nothing in this crate does I/O except writing to the `io::Write` it is
//! given; source snippets come from a [`SourceLookup`] supplied by the caller.

mod columns;
mod diagnostic;
mod line_index;
pub mod render;

pub use columns::{buf_column, with_buf_columns};
pub use diagnostic::{Diagnostic, Location, Related, Severity, SourceLookup};
pub use line_index::LineIndex;
pub use render::{ErrorFormat, RenderOptions, render};

/// How many items of an input-sized list (an import cycle, a chain of
/// packages) a message names before eliding the rest.
pub const MAX_LISTED: usize = 20;

/// `items` joined with `separator`, at most [`MAX_LISTED`] of them and then
/// `... and N more`: a message stays a bounded size whatever the input, and
/// a finding repeated per element does not grow quadratically.
pub fn bounded_list<T: std::fmt::Display>(items: &[T], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().take(MAX_LISTED).enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(&item.to_string());
    }
    if items.len() > MAX_LISTED {
        out.push_str(&format!(
            "{separator}... and {} more",
            items.len() - MAX_LISTED
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bounded_list_elides_after_the_limit() {
        assert_eq!(super::bounded_list(&["a", "b"], " -> "), "a -> b");
        let many: Vec<usize> = (0..25).collect();
        let text = super::bounded_list(&many, ", ");
        assert!(text.starts_with("0, 1, 2"), "{text}");
        assert!(text.ends_with("18, 19, ... and 5 more"), "{text}");
    }
}
