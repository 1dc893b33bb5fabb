//! Running one plugin process: argv (never a shell), the request on stdin,
//! a bounded read of stdout, and a deadline after which it is killed.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why a plugin run produced no response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunError {
    #[error("cannot start `{program}`: {message}")]
    Spawn { program: String, message: String },
    #[error("`{program}` did not finish within {seconds} s and was killed")]
    Timeout { program: String, seconds: u64 },
    #[error("`{program}` failed ({status}){stderr}")]
    Failed {
        program: String,
        status: String,
        /// The end of what it printed on stderr, introduced by `: `.
        stderr: String,
    },
    #[error("`{program}` wrote more than {limit} bytes")]
    TooLarge { program: String, limit: usize },
}

impl RunError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            RunError::Spawn { program, .. } => Some(format!(
                "install `{program}` on PATH, or give its path or argument list in `local:`"
            )),
            RunError::Timeout { .. } => Some(
                "a plugin that hangs usually waits for input it never gets; check that it is a protoc plugin (`protoc-gen-*`)"
                    .to_owned(),
            ),
            RunError::Failed { .. } | RunError::TooLarge { .. } => None,
        }
    }
}

/// How much of a plugin's stderr a failure quotes.
const STDERR_SHOWN: usize = 4096;

/// Run `argv` with `input` on stdin; its stdout, read up to `limit` bytes.
pub(crate) fn run(
    argv: &[String],
    input: &[u8],
    timeout: Duration,
    limit: usize,
) -> Result<Vec<u8>, RunError> {
    let program = argv.first().cloned().unwrap_or_default();
    let mut child = Command::new(&program)
        .args(&argv[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| RunError::Spawn {
            program: program.clone(),
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "not found".to_owned()
            } else {
                e.to_string()
            },
        })?;
    let mut stdin = child.stdin.take();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let started = Instant::now();
    let (out, err, status) = std::thread::scope(|scope| {
        // A plugin may write its response before reading all of its
        // request, so the request is written and the output read at once.
        scope.spawn(move || {
            if let Some(mut pipe) = stdin.take() {
                // A plugin that exits without reading is not an error here;
                // its exit status says what happened.
                let _ = pipe.write_all(input);
            }
        });
        let out = scope.spawn(move || read_bounded(stdout, limit));
        let err = scope.spawn(move || read_bounded(stderr, STDERR_SHOWN * 4));
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Ok(status),
                Ok(None) if started.elapsed() >= timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(());
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break Err(());
                }
            }
        };
        (
            out.join().unwrap_or_default(),
            err.join().unwrap_or_default(),
            status,
        )
    });
    let Ok(status) = status else {
        return Err(RunError::Timeout {
            program,
            seconds: timeout.as_secs().max(1),
        });
    };
    if !status.success() {
        let text = String::from_utf8_lossy(&err);
        let text = text.trim();
        let shown: String = if text.len() > STDERR_SHOWN {
            let mut cut = text.len() - STDERR_SHOWN;
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            format!("...{}", &text[cut..])
        } else {
            text.to_owned()
        };
        return Err(RunError::Failed {
            program,
            status: status.to_string(),
            stderr: if shown.is_empty() {
                String::new()
            } else {
                format!(": {shown}")
            },
        });
    }
    if out.len() > limit {
        return Err(RunError::TooLarge { program, limit });
    }
    Ok(out)
}

/// Up to `limit + 1` bytes (one more than allowed shows the limit was
/// passed); the rest is drained so the writer never blocks.
fn read_bounded(pipe: Option<impl Read>, limit: usize) -> Vec<u8> {
    let Some(mut pipe) = pipe else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let _ = (&mut pipe).take(limit as u64 + 1).read_to_end(&mut out);
    let _ = std::io::copy(&mut pipe, &mut std::io::sink());
    out
}
