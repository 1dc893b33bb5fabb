//! `schemactl github comment` and `schemactl github consumers`: the CLI side
//! of the schemactl-github crate (which does the talking).

use schemactl_github::{Client, ClientConfig, GithubError, RetryPolicy};

use crate::args::{GithubApiArgs, GithubCommand, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

mod comment;
mod consumers;

pub fn run(global: &GlobalArgs, command: &GithubCommand, out: &Output) -> Result<Outcome, Failure> {
    match command {
        GithubCommand::Comment(args) => comment::run(global, args, out),
        GithubCommand::Consumers(args) => consumers::run(global, args, out),
    }
}

impl From<GithubError> for Failure {
    fn from(e: GithubError) -> Self {
        Failure::new(e.to_string()).hint(e.hint())
    }
}

/// The client for `api`, printing each wait before a retry as a note on
/// stderr (so a workflow's log shows why a step took long). Must be called
/// inside the runtime.
fn client(api: &GithubApiArgs, read_only: bool) -> Result<Client, Failure> {
    let token = schemactl_github::token(api.token_file.as_deref())?;
    if token.is_none() && !read_only {
        return Err(GithubError::NoToken.into());
    }
    let mut retry = RetryPolicy::default();
    // Tests shorten the backoff; a user has no reason to.
    if let Some(ms) = std::env::var("SCHEMACTL_GITHUB_BACKOFF_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        retry.backoff = std::time::Duration::from_millis(ms);
    }
    let client = Client::new(ClientConfig {
        api_url: schemactl_github::api_url(api.github_api_url.as_deref()),
        token,
        retry,
        read_only,
    })?;
    Ok(client.observe(|wait| {
        crate::output::note_from_callback(&format!(
            "GitHub: {} {} answered {} (attempt {}); retrying in {:.1} s",
            wait.method.as_str(),
            wait.path,
            wait.reason,
            wait.attempt,
            wait.wait.as_secs_f64()
        ));
    }))
}

/// HEAD of the git repository holding `input`.
fn repository_head(input: &str) -> Option<String> {
    let repo = schemactl_source::GitRepo::discover(std::path::Path::new(input)).ok()?;
    let head = repo.resolve("HEAD").ok()?;
    Some(head.id().to_string())
}
