//! Topic bindings for rust.

use prost_types::compiler::code_generator_response::File as ResponseFile;

use crate::inprocess::Input;

pub(crate) fn generate(_input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    Err("`topics: rust` is not implemented yet".to_owned())
}
