//! `schemactl generate`: run the configured plugins on a directory of
//! schemas and write their output, or with `--check` compare it with what
//! is committed (the work is `schemactl_codegen`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use schemactl_codegen::{CodegenError, Options};
use schemactl_config::PluginSource;
use schemactl_source::InputSpec;

use crate::args::{GenerateArgs, GlobalArgs};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, args: &GenerateArgs, out: &Output) -> Result<Outcome, Failure> {
    let spec = InputSpec::parse(&args.input, args.git_ref.as_deref())?;
    let (InputSpec::Dir(dir) | InputSpec::Git { dir, .. }) = &spec else {
        return Err(Failure::new(format!(
            "`{}` is not a directory; `schemactl generate` reads a directory of schemas",
            args.input
        ))
        .hint(Some(
            "generate from the working tree: check out the version you want first".to_owned(),
        )));
    };
    let loaded = schemactl_check::load(&spec, global.config.as_deref())?;
    let Some(config) = &loaded.config.generate else {
        return Err(Failure::new(format!(
            "nothing to generate: `{}` configures no plugins",
            loaded.config_display_path()
        ))
        .hint(Some(
            "add a `generate:` section with `plugins:` to schemactl.yaml, or a buf.gen.yaml (version: v2)"
                .to_owned(),
        )));
    };
    let compilation = &loaded.compilation;
    if !compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(&compilation.diagnostics, &compilation.sources)?;
        return Ok(Outcome::Findings);
    }
    let image = loaded.compiled()?;
    let mut options = Options::new(dir.clone());
    options.timeout = Duration::from_secs(args.timeout.max(1));
    options.version = args.version.as_ref().map(ToString::to_string);
    options.cache = plugin_cache(args.no_cache);
    if config
        .plugins
        .iter()
        .any(|p| matches!(p.source, PluginSource::Topics { .. }))
    {
        options.catalog =
            crate::catalog::catalog(dir, args.git_ref.as_deref(), args.version.as_ref())?;
    }
    if args.check {
        let findings = schemactl_codegen::check(image, config, &options).map_err(failure)?;
        if findings.is_empty() {
            return Ok(Outcome::Clean);
        }
        let sources = config_text(dir, &config.file);
        out.diagnostics_to_stdout(&findings, &sources)?;
        out.summary(findings.len(), 0)?;
        return Ok(Outcome::Findings);
    }
    let report = schemactl_codegen::generate(image, config, &options).map_err(failure)?;
    if !report.findings.is_empty() {
        let sources = config_text(dir, &config.file);
        out.diagnostics_to_stdout(&report.findings, &sources)?;
        out.summary(report.findings.len(), 0)?;
        return Ok(Outcome::Findings);
    }
    for path in &report.written {
        out.info(&format!("wrote {}", shown(dir, path)))?;
    }
    for path in &report.removed {
        out.info(&format!(
            "removed {} (no longer generated)",
            shown(dir, path)
        ))?;
    }
    out.info(&format!(
        "{} files written, {} unchanged, {} removed",
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    ))?;
    Ok(Outcome::Clean)
}

/// Where plugin responses are cached, unless `--no-cache` or
/// `SCHEMACTL_NO_CACHE` turns the cache off: `SCHEMACTL_CACHE_DIR`, else
/// the user's cache directory (`$XDG_CACHE_HOME/schemactl`,
/// `~/.cache/schemactl`); no cache when there is none.
pub fn plugin_cache(no_cache: bool) -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if no_cache || set("SCHEMACTL_NO_CACHE").is_some() {
        return None;
    }
    let base = match set("SCHEMACTL_CACHE_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => set("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| set("HOME").map(|home| PathBuf::from(home).join(".cache")))?
            .join("schemactl"),
    };
    Some(base.join("plugin-responses"))
}

/// The configuration file's text, so a finding on a plugin shows its entry.
fn config_text(dir: &Path, display: &str) -> HashMap<String, String> {
    let name = display.rsplit('/').next().unwrap_or(display);
    std::fs::read_to_string(dir.join(name))
        .map(|text| [(display.to_owned(), text)].into())
        .unwrap_or_default()
}

fn shown(dir: &Path, path: &str) -> String {
    let full: PathBuf = dir.join(path);
    full.display().to_string()
}

fn failure(e: CodegenError) -> Failure {
    let hint = e.hint();
    Failure::new(e.to_string()).hint(hint)
}
