//! Versioned packages (`packages:`): the manifest that makes an output
//! directory a package a consumer pins: `go.mod`, `Cargo.toml` (with the
//! crate's `src/lib.rs`), `pyproject.toml`, `package.json`.

pub(crate) mod go;
pub(crate) mod python;
pub(crate) mod rust;
pub(crate) mod typescript;

use prost_types::compiler::code_generator_response::File as ResponseFile;
use schemactl_config::{PackageConfig, PackageLang};

use crate::output::Outputs;

/// What a package writer reads.
pub(crate) struct PackageInput<'a> {
    pub package: &'a PackageConfig,
    /// `--version`; without one, packages are written as version `0.0.0`
    /// (a development build nobody publishes).
    pub version: &'a str,
    /// Every file the plugins generated inside the package's directory,
    /// relative to it, sorted.
    pub generated: &'a [String],
    /// What the plugins generated, to read a file of `generated`.
    pub outputs: &'a Outputs,
}

impl PackageInput<'_> {
    /// The content of a file of `generated`.
    pub fn content(&self, name: &str) -> Option<&str> {
        self.outputs.content(&self.package.out, name)
    }
}

/// The manifest files for one package, relative to its directory; `Err` is
/// the message of a finding on the package entry.
pub(crate) fn generate(input: &PackageInput<'_>) -> Result<Vec<ResponseFile>, String> {
    match input.package.lang {
        PackageLang::Go => go::generate(input),
        PackageLang::Rust => rust::generate(input),
        PackageLang::Python => python::generate(input),
        PackageLang::TypeScript => typescript::generate(input),
    }
}
