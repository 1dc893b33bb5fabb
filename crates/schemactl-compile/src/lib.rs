//! Compiling a schema tree into an [`Image`]: descriptors with source info,
//! the text of every file, and display paths for findings.
//!
//! Compile problems (syntax errors, unknown imports, duplicate numbers,
//! unresolved types, import cycles, imports escaping the root, editions) are
//! [`Diagnostic`](schemactl_diagnostics::Diagnostic)s with the file and line, never `Err`: `Err` is reserved for
//! the tool being unable to run. This is the only crate that links protox.

mod compile;
mod editions;
mod fast;
mod image;
mod incremental;
pub mod limits;
pub mod naming;
mod source_index;
mod text;
mod validate;
pub mod walk;
mod wkt;

pub use compile::{Compilation, Sources, compile_tree};
pub use image::{Image, ImageError, ImageFile};
pub use incremental::{
    CompileStats, FileSet, Hash, Incremental, IncrementalCompilation, LinkedFile, ReadImport,
    TextError, compile_text,
};
pub use source_index::SourceIndex;
pub use text::Text;

pub use prost_reflect;
pub use prost_types;

/// The rule ID of every compile diagnostic (Buf prints compile errors with
/// this type in its JSON output).
pub const COMPILE: &str = "COMPILE";
