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
    #[error("`{program}` wrote `{file}`, which is not UTF-8 text")]
    NotText { program: String, file: String },
    #[error("cannot prepare the run of `{program}`: {message}")]
    Prepare { program: String, message: String },
}

impl RunError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            RunError::Spawn { program, .. } => Some(format!(
                "install `{program}` on PATH, or give its path or argument list in the configuration (`local:`, `protoc_path:`)"
            )),
            RunError::Timeout { .. } => Some(
                "a plugin that hangs usually waits for input it never gets; check that it is a protoc plugin (`protoc-gen-*`)"
                    .to_owned(),
            ),
            RunError::Failed { .. }
            | RunError::TooLarge { .. }
            | RunError::NotText { .. }
            | RunError::Prepare { .. } => None,
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
    let deadline = Instant::now() + timeout;
    let timed_out = |child: &mut std::process::Child| {
        let _ = child.kill();
        let _ = child.wait();
        RunError::Timeout {
            program: program.clone(),
            seconds: timeout.as_secs().max(1),
        }
    };
    // The request is written and the output read on threads of their own:
    // a plugin may write before it has read everything, and a process the
    // plugin started may keep the pipes open after the plugin is killed, so
    // nothing here waits on a pipe past the deadline.
    if let Some(mut pipe) = child.stdin.take() {
        let input = input.to_vec();
        std::thread::spawn(move || {
            // A plugin that exits without reading its request is not an
            // error here; its exit status says what happened.
            let _ = pipe.write_all(&input);
        });
    }
    let out = reader(child.stdout.take(), limit);
    let err = reader(child.stderr.take(), STDERR_SHOWN * 4);
    let Ok(out) = out.recv_timeout(timeout) else {
        return Err(timed_out(&mut child));
    };
    // Its output is complete: the plugin is exiting. Polled from a few
    // microseconds up: hundreds of runs (one per directory) each waiting a
    // whole millisecond would add up.
    let mut pause = Duration::from_micros(20);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(5));
            }
            Ok(None) | Err(_) => return Err(timed_out(&mut child)),
        }
    };
    let err = err
        .recv_timeout(Duration::from_millis(500))
        .unwrap_or_default();
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

/// A thread reading `pipe` to its end; what it read arrives on the
/// channel: up to `limit + 1` bytes (one more than allowed shows the limit
/// was passed), the rest drained so the writer never blocks.
fn reader(
    pipe: Option<impl Read + Send + 'static>,
    limit: usize,
) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = (&mut pipe).take(limit as u64 + 1).read_to_end(&mut out);
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
        }
        let _ = send.send(out);
    });
    receive
}

/// One run of a protoc built-in generator.
pub(crate) struct Protoc<'a> {
    /// protoc's argument vector; empty for `protoc` on `PATH`.
    pub path: &'a [String],
    /// `python` for `--python_out`.
    pub generator: &'a str,
    pub opt: &'a [String],
    pub files: &'a [String],
}

/// Run protoc's built-in `generator` on `set` (a `FileDescriptorSet`, read
/// with `--descriptor_set_in`, so protoc parses nothing) into a temporary
/// directory, and return what it wrote as an encoded
/// `CodeGeneratorResponse`, like a plugin's.
pub(crate) fn protoc(
    run_spec: &Protoc<'_>,
    set: &[u8],
    timeout: Duration,
    limit: usize,
) -> Result<Vec<u8>, RunError> {
    use prost::Message;
    use prost_types::compiler::{CodeGeneratorResponse, code_generator_response::File};

    let mut argv: Vec<String> = if run_spec.path.is_empty() {
        vec!["protoc".to_owned()]
    } else {
        run_spec.path.to_vec()
    };
    let program = argv[0].clone();
    let prepare = |e: std::io::Error| RunError::Prepare {
        program: program.clone(),
        message: e.to_string(),
    };
    let tmp = tempfile::tempdir().map_err(prepare)?;
    let set_path = tmp.path().join("input.binpb");
    let out = tmp.path().join("out");
    std::fs::write(&set_path, set).map_err(prepare)?;
    std::fs::create_dir(&out).map_err(prepare)?;
    argv.push(format!("--descriptor_set_in={}", set_path.display()));
    argv.push(format!("--{}_out={}", run_spec.generator, out.display()));
    if !run_spec.opt.is_empty() {
        argv.push(format!(
            "--{}_opt={}",
            run_spec.generator,
            run_spec.opt.join(",")
        ));
    }
    argv.extend(run_spec.files.iter().cloned());
    run(&argv, &[], timeout, limit)?;
    let mut files = Vec::new();
    let mut total = 0usize;
    let mut stack = vec![out.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).map_err(prepare)? {
            let path = entry.map_err(prepare)?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path
                .strip_prefix(&out)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&path).map_err(prepare)?;
            total += bytes.len();
            if total > limit {
                return Err(RunError::TooLarge { program, limit });
            }
            let content = String::from_utf8(bytes).map_err(|_| RunError::NotText {
                program: program.clone(),
                file: name.clone(),
            })?;
            files.push(File {
                name: Some(name),
                content: Some(content),
                ..File::default()
            });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    use prost_types::Edition;
    use prost_types::compiler::code_generator_response::Feature;
    Ok(CodeGeneratorResponse {
        // protoc's generators support proto3 `optional`, and protoc itself
        // checks the editions it knows: it refuses a descriptor set beyond
        // them (a protoc before 27 refuses any editions file), and that
        // refusal is the plugin's error.
        supported_features: Some(Feature::Proto3Optional as u64 | Feature::SupportsEditions as u64),
        minimum_edition: Some(Edition::Proto2 as i32),
        maximum_edition: Some(Edition::Max as i32),
        file: files,
        ..CodeGeneratorResponse::default()
    }
    .encode_to_vec())
}
