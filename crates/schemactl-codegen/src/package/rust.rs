//! The rust package manifest.

use prost_types::compiler::code_generator_response::File as ResponseFile;

use super::PackageInput;

pub(crate) fn generate(_input: &PackageInput<'_>) -> Result<Vec<ResponseFile>, String> {
    Err("`packages: rust` is not implemented yet".to_owned())
}
