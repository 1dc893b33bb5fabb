//! A local mirror of a remote repository, kept with the `git` CLI (which
//! has the user's credential helpers, SSH configuration and proxies, which
//! git2 would not).

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a mirror could not be brought up to date. The current mirror (if
/// any) is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum MirrorError {
    #[error("cannot create `{}`: {source}", path.display())]
    CreateDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot run git: {0}")]
    Spawn(#[source] std::io::Error),
    #[error("fetching `{url}` took more than {} s", limit.as_secs())]
    TimedOut { url: String, limit: Duration },
    #[error("fetching `{url}` failed: {stderr}")]
    Failed { url: String, stderr: String },
}

impl MirrorError {
    /// What the operator can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            MirrorError::CreateDir { .. } => {
                Some("pass a writable `--cache-dir`, or set `XDG_CACHE_HOME`".to_owned())
            }
            MirrorError::Spawn(_) => Some("install git and put it on `PATH`".to_owned()),
            MirrorError::TimedOut { url, .. } | MirrorError::Failed { url, .. } => Some(format!(
                "check that `git ls-remote {url}` works as the server's user (network, credentials)"
            )),
        }
    }
}

/// Mirror-clone `url` into `dir`, or fetch into the mirror already there
/// (pruning deleted refs, forcing moved ones). Blocks for at most `limit`,
/// then kills git.
///
/// git is run directly with an argument vector, never through a shell;
/// `--` keeps a URL from being read as an option, and git never prompts
/// for credentials.
pub fn mirror(url: &str, dir: &Path, limit: Duration) -> Result<(), MirrorError> {
    let mut cmd = Command::new("git");
    if dir.join("HEAD").exists() {
        cmd.arg("-C")
            .arg(dir)
            .args(["fetch", "--prune", "--quiet", "--force"]);
    } else {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(|source| MirrorError::CreateDir {
                path: parent.to_owned(),
                source,
            })?;
        }
        cmd.args(["clone", "--mirror", "--quiet", "--", url])
            .arg(dir);
    }
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(MirrorError::Spawn)?;
    // Read stderr on its own thread, so a chatty git cannot fill the pipe
    // and stall while this thread waits for it to exit.
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let _ = pipe.read_to_end(&mut text);
            text
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < limit => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(MirrorError::TimedOut {
                    url: url.to_owned(),
                    limit,
                });
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(MirrorError::Spawn(e));
            }
        }
    };
    if status.success() {
        return Ok(());
    }
    let stderr = stderr
        .and_then(|reader| reader.join().ok())
        .unwrap_or_default();
    Err(MirrorError::Failed {
        url: url.to_owned(),
        stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A URL that is not a repository is an error that names it, and
    /// nothing is left behind to be mistaken for a mirror.
    #[test]
    fn a_bad_url_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("repos").join("mirror");
        let missing = dir.path().join("no-such-repo");
        let url = missing.to_string_lossy().into_owned();
        let error = mirror(&url, &target, Duration::from_secs(60)).expect_err("not a repository");
        let text = error.to_string();
        assert!(
            text.starts_with(&format!("fetching `{url}` failed")),
            "{text}"
        );
        assert!(!target.join("HEAD").exists());
    }
}
