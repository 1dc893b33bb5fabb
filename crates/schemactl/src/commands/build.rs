//! `schemactl build`: compile, and write a `FileDescriptorSet`.

use std::time::Instant;

use crate::args::{BuildArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &BuildArgs, out: &Output) -> Result<Outcome, Failure> {
    let started = Instant::now();
    let paths = crate::paths::filter(&args.input, &args.paths)?;
    let mut loaded = load::load(global, &args.input, out)?;
    if let Some(filter) = &paths {
        loaded.select(filter)?;
    }
    let compilation = &loaded.compilation;
    if !compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(&compilation.diagnostics, &compilation.sources)?;
        return Ok(Outcome::Findings);
    }
    let Some(image) = loaded.image() else {
        return Err(Failure::new("compilation produced no image"));
    };
    let roots: Vec<&str> = loaded
        .config
        .modules
        .iter()
        .map(|m| m.path.as_str())
        .collect();
    out.info(&format!(
        "configuration: {}; roots: {}",
        loaded.config.kind.file().unwrap_or("none (Buf's defaults)"),
        roots.join(", ")
    ))?;
    out.info(&format!(
        "compiled {} files ({} imports) in {:.0?}",
        loaded.file_count,
        image.files().len() - image.input_files().count(),
        started.elapsed()
    ))?;
    if let Some(path) = &args.output {
        let bytes = image.encode(!args.exclude_imports, !args.exclude_source_info);
        if path.as_os_str() == "-" {
            out.data_bytes(&bytes)?;
        } else {
            write_atomically(path, &bytes)?;
            out.info(&format!(
                "wrote {} bytes to {}",
                bytes.len(),
                path.display()
            ))?;
        }
    }
    Ok(Outcome::Clean)
}

/// Write through a temporary file in the same directory and rename it into
/// place, so an interrupted run never leaves a truncated image behind.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail = |e: std::io::Error| Failure::new(format!("cannot write `{}`: {e}", path.display()));
    // A device, FIFO or other special file (`/dev/null`, a pipe) is written
    // to, never replaced.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::write(path, bytes).map_err(fail);
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        fail(e)
    })
}
