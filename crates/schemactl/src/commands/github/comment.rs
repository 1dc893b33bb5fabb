//! `schemactl github comment`.

use crate::args::{GithubCommentArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(
    _global: &GlobalArgs,
    _args: &GithubCommentArgs,
    _out: &Output,
) -> Result<Outcome, Failure> {
    let _ = (super::runtime, super::client);
    Err(Failure::new("not built yet"))
}
