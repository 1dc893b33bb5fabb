//! `schemactl serve`: parse the options and hand over to the server crate.

use std::path::{Path, PathBuf};
use std::time::Duration;

use schemactl_server::{ServeOptions, Source, default_cache_dir, serve};

use crate::args::ServeArgs;
use crate::{Failure, Outcome};

pub fn run(args: &ServeArgs) -> Result<Outcome, Failure> {
    let source = if is_remote(&args.repo) {
        let cache = args
            .cache_dir
            .clone()
            .unwrap_or_else(|| default_cache_dir(&args.repo));
        Source::Remote {
            url: args.repo.clone(),
            cache,
        }
    } else {
        let path = PathBuf::from(&args.repo);
        if !path.is_dir() {
            return Err(Failure::new(format!(
                "`{}` is not a directory or a git URL",
                args.repo
            ))
            .hint(Some(
                "pass the schema repository's directory, or a URL such as https://github.com/acme/proto-schema.git".to_owned(),
            )));
        }
        Source::Local(path)
    };
    let mut options = ServeOptions::new(source, args.addr);
    options.poll = Duration::from_secs(args.poll);
    options.token = read_secret(args.token_file.as_deref(), "--token-file")?;
    options.webhook_secret =
        read_secret(args.webhook_secret_file.as_deref(), "--webhook-secret-file")?;
    options.body_limit = args.body_limit;
    options.request_timeout = Duration::from_secs(args.request_timeout.max(1));
    options.header_timeout = Duration::from_secs(args.header_timeout.max(1));
    options.max_connections = args.max_connections.max(1);
    if let Some(n) = args.max_jobs {
        options.max_jobs = n.max(1);
    }
    serve(options).map_err(|e| Failure::new(e.to_string()).hint(e.hint()))?;
    Ok(Outcome::Clean)
}

/// URLs and scp-like addresses (`git@host:org/repo.git`) are remote.
fn is_remote(repo: &str) -> bool {
    repo.contains("://") || (repo.contains('@') && repo.contains(':') && !Path::new(repo).exists())
}

fn read_secret(path: Option<&Path>, flag: &str) -> Result<Option<String>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format!("cannot read {flag} `{}`: {e}", path.display())))?;
    let secret = text.trim().to_owned();
    if secret.is_empty() {
        return Err(Failure::new(format!(
            "{flag} `{}` is empty",
            path.display()
        )));
    }
    Ok(Some(secret))
}
