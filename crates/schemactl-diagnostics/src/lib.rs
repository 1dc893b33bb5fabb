//! The one finding type every part of schemactl produces, and every format it
//! is rendered in.
//!
//! A [`Diagnostic`] is data: rules, the compiler and the config loader all
//! produce them, and only the renderers in [`render`] turn them into text.
//! Nothing in this crate does I/O except writing to the `io::Write` it is
//! given; source snippets come from a [`SourceLookup`] supplied by the caller.

mod diagnostic;
pub mod render;

pub use diagnostic::{Diagnostic, Location, Related, Severity, SourceLookup};
pub use render::{ErrorFormat, RenderOptions, render};
