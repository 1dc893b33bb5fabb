//! Topic bindings for python.

use prost_types::compiler::code_generator_response::File as ResponseFile;

use crate::inprocess::Input;

pub(crate) fn generate(_input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    Err("`topics: python` is not implemented yet".to_owned())
}
