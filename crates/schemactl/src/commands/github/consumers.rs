//! `schemactl github consumers`.

use crate::args::{GithubConsumersArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(
    _global: &GlobalArgs,
    _args: &GithubConsumersArgs,
    _out: &Output,
) -> Result<Outcome, Failure> {
    let _ = super::client;
    Err(Failure::new("not built yet"))
}
