//! Generated code in a check: which `generate:` section a check follows
//! (who decides what runs), and the freshness check itself.
//!
//! A pull request is untrusted: its `.proto` files and its configuration
//! are data. Running the plugins its own `generate:` section names would
//! run whatever it chose, so on a pull request generation follows the
//! section of the trusted base ref instead; a plugin the change adds is not
//! run until the change is merged.

use std::path::{Path, PathBuf};

use schemactl_config::{GenerateConfig, PluginConfig, PluginSource};
use schemactl_source::{Input, InputSpec, read_input};

use crate::{CheckError, Loaded};

/// Whose `generate:` section a check follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// The input's own (a local run: the tree is the user's).
    Own,
    /// A pull request: the section as it is at this git ref (the base
    /// branch) of the repository holding the input.
    Base(String),
}

/// The section a check follows, and what it leaves out.
#[derive(Debug, Clone, Default)]
pub struct Trusted {
    /// `None`: nothing to generate.
    pub config: Option<GenerateConfig>,
    /// One line per plugin that is not run, and why.
    pub not_run: Vec<String>,
}

/// The `generate:` section to follow for `current`, read from `input_dir`
/// at the trusted ref when `trust` names one.
pub fn trusted(current: &Loaded, input_dir: &str, trust: &Trust) -> Result<Trusted, CheckError> {
    let reference = match trust {
        Trust::Own => {
            return Ok(Trusted {
                config: current.config.generate.clone(),
                not_run: Vec::new(),
            });
        }
        Trust::Base(reference) => reference,
    };
    let spec = InputSpec::Git {
        dir: PathBuf::from(input_dir),
        reference: reference.clone(),
    };
    let Input::Tree(tree) = read_input(&spec)? else {
        return Ok(Trusted::default());
    };
    let read = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
    let display = format!("{}@{reference}", current.display_dir);
    let base = schemactl_config::discover(&read, &display).map_err(|error| {
        let file_name = error.file.rsplit('/').next().unwrap_or(&error.file);
        let text = read(file_name).unwrap_or_default();
        CheckError::Config { error, text }
    })?;
    let mut not_run = Vec::new();
    let own = current.config.generate.as_ref();
    for plugin in own.map_or(&[][..], |c| &c.plugins[..]) {
        let trusted = base
            .generate
            .as_ref()
            .is_some_and(|b| b.plugins.iter().any(|p| same_plugin(p, plugin)));
        if !trusted {
            not_run.push(format!(
                "`{}` (out: {}) is configured by this change but not on {reference}; \
                 it runs once the change is merged",
                plugin.name(),
                plugin.out
            ));
        }
    }
    let config = base.generate.map(|mut config| {
        config
            .plugins
            .retain(|plugin| match in_tree_program(plugin) {
                Some(program) => {
                    not_run.push(format!(
                        "`{}` runs `{program}`, a program inside the repository, which a pull \
                     request can change; it is not run on pull requests",
                        plugin.name()
                    ));
                    false
                }
                None => true,
            });
        config
    });
    Ok(Trusted { config, not_run })
}

/// Whether two entries run the same plugin the same way (positions aside).
fn same_plugin(a: &PluginConfig, b: &PluginConfig) -> bool {
    a.source == b.source
        && a.out == b.out
        && a.opt == b.opt
        && a.strategy == b.strategy
        && a.include_imports == b.include_imports
        && a.include_wkt == b.include_wkt
        && a.types == b.types
        && a.exclude_types == b.exclude_types
}

/// The program of a plugin given as a relative path (`./tools/gen`): it
/// would run the pull request's copy of it.
fn in_tree_program(plugin: &PluginConfig) -> Option<&str> {
    let program = match &plugin.source {
        PluginSource::Local { argv } => argv.first()?,
        PluginSource::ProtocBuiltin { protoc_path, .. } => protoc_path.first()?,
        PluginSource::Rust | PluginSource::Topics { .. } => return None,
    };
    (program.contains('/') && !Path::new(program).is_absolute()).then_some(program.as_str())
}

/// What a check regenerates: the section to follow and how.
#[derive(Debug, Clone, Copy)]
pub struct Generation<'a> {
    pub config: &'a GenerateConfig,
    pub options: &'a schemactl_codegen::Options,
}
