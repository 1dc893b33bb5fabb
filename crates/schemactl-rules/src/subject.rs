//! What the engines check: one version of the schemas with the configuration
//! it was read with.

use schemactl_compile::Image;
use schemactl_config::Config;

/// A compiled image, its configuration, and the configuration file as the
/// user should see it (where TOPIC findings about the catalog point).
#[derive(Clone, Copy)]
pub struct Subject<'a> {
    pub image: &'a Image,
    pub config: &'a Config,
    /// The configuration file's display path (`schemactl.yaml` when there
    /// is none).
    pub config_path: &'a str,
}

impl Subject<'_> {
    /// The configuration file relative to the input root, as `ignore` and
    /// `ignore_only` paths name it.
    pub fn config_input_path(&self) -> &str {
        self.config.kind.file().unwrap_or("schemactl.yaml")
    }
}

/// The index of the module (of `config`) that holds the file at
/// `input_path`: the first whose root contains it, as lint groups files; for
/// a later root of a v1beta1 module with several roots, the module's first
/// root (its roots are one module to Buf).
pub(crate) fn module_of(config: &Config, input_path: &str) -> usize {
    config
        .modules
        .iter()
        .position(|m| crate::ignore::under(input_path, &m.path))
        .map_or(0, |i| config.modules[i].first_root.unwrap_or(i))
}
