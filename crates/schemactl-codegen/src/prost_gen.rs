//! `rust: prost`: Rust types generated in-process with prost-build from the
//! compiled descriptors (no protoc).

use prost_types::compiler::code_generator_response::File as ResponseFile;

use crate::inprocess::Input;

pub(crate) fn generate(_input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    Err("`rust: prost` is not implemented yet".to_owned())
}
