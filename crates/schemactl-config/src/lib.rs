//! One typed configuration from `schemactl.yaml`, or, for Buf users, from
//! `buf.yaml` (v1beta1, v1, v2) and `buf.work.yaml`, or Buf's defaults when
//! there is no configuration file at all.
//!
//! Every error names the file, line and key, and suggests the closest valid
//! key. Nothing here reads files: callers hand in the text (the input may be a
//! git ref), which keeps this crate free of I/O.

mod buf;
mod decode;
mod error;
mod generate;
mod rule_refs;
mod schemactl;
mod types;
pub mod workspace;
pub mod yaml;

pub use decode::closest;
pub use error::ConfigError;
pub use types::*;

/// Configuration file names, in the order they are looked for.
pub const SCHEMACTL_FILES: [&str; 2] = ["schemactl.yaml", "schemactl.yml"];

/// Find and parse the configuration at the top of an input.
///
/// `read(name)` returns the text of a file at the input root (or in a module
/// directory, for Buf v1 workspaces), `None` if absent. `display_dir` is the
/// input as the user wrote it; error paths are `display_dir/name`.
pub fn discover(
    read: &dyn Fn(&str) -> Option<String>,
    display_dir: &str,
) -> Result<Config, ConfigError> {
    let config = discover_main(read, display_dir)?;
    with_buf_gen(config, read, display_dir)
}

fn discover_main(
    read: &dyn Fn(&str) -> Option<String>,
    display_dir: &str,
) -> Result<Config, ConfigError> {
    for name in SCHEMACTL_FILES {
        if let Some(text) = read(name) {
            let display = display_path(display_dir, name);
            return with_rule_refs(schemactl::parse(&text, &display, name), &text, &display);
        }
    }
    if let Some(text) = read("buf.yaml") {
        let display = display_path(display_dir, "buf.yaml");
        return with_rule_refs(
            buf::parse_buf_yaml(&text, &display, "buf.yaml"),
            &text,
            &display,
        );
    }
    if let Some(text) = read("buf.work.yaml") {
        return buf::parse_buf_work(&text, display_dir, read);
    }
    Ok(Config::buf_default())
}

/// The file Buf reads its generation configuration from.
pub const BUF_GEN_FILE: &str = "buf.gen.yaml";

/// Without a `generate:` section, a `buf.gen.yaml` at the input root
/// configures generation (a drop-in for Buf users).
fn with_buf_gen(
    mut config: Config,
    read: &dyn Fn(&str) -> Option<String>,
    display_dir: &str,
) -> Result<Config, ConfigError> {
    if config.generate.is_some() {
        return Ok(config);
    }
    if let Some(text) = read(BUF_GEN_FILE) {
        let display = display_path(display_dir, BUF_GEN_FILE);
        config.generate = Some(generate::parse_buf_gen(&text, &display)?);
    }
    Ok(config)
}

/// Parse a configuration file named explicitly (`--config FILE`). The format
/// is chosen by the file name: `buf.yaml`/`buf.work.yaml` are Buf's, anything
/// else is schemactl's.
pub fn parse_file(
    file_name: &str,
    text: &str,
    display: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let config = match base {
        "buf.yaml" | "buf.yml" => {
            with_rule_refs(buf::parse_buf_yaml(text, display, base), text, display)
        }
        "buf.work.yaml" | "buf.work.yml" => buf::parse_buf_work(text, display, read),
        _ => with_rule_refs(schemactl::parse(text, display, base), text, display),
    }?;
    with_buf_gen(config, read, "")
}

/// A parsed configuration with the rule IDs its file names recorded.
fn with_rule_refs(
    config: Result<Config, ConfigError>,
    text: &str,
    display: &str,
) -> Result<Config, ConfigError> {
    let mut config = config?;
    config.rule_refs.extend(rule_refs::collect(text, display));
    Ok(config)
}

/// `dir/name`, or `name` when `dir` is `.` or empty, as Buf prints paths.
pub fn display_path(dir: &str, name: &str) -> String {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() || dir == "." {
        name.to_owned()
    } else if name.is_empty() || name == "." {
        dir.to_owned()
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(test)]
mod tests;
