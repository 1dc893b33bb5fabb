//! Finding the configuration that controls an input, as Buf does: walking
//! up from the input directory to the first `buf.work.yaml`, or `buf.yaml`
//! with `version: v2`, whose modules include the input (or, for a v2 file,
//! lie inside it). `schemactl.yaml` follows the same rule as a v2
//! `buf.yaml`, and wins over Buf's files in the same directory.
//!
//! Nothing here reads files: `read(path)` returns the text of a file
//! relative to the root the caller walks in (the filesystem root, or a git
//! tree), `None` if absent.

use crate::{Config, ConfigError, ConfigKind, SCHEMACTL_FILES, buf, schemactl};

/// The directory whose configuration controls an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The workspace directory, relative to the root (`.` for the root).
    pub dir: String,
    /// The input relative to `dir`, `/`-separated (`.` when the input is
    /// the workspace itself).
    pub sub: String,
    /// The controlling file's name in `dir` (`buf.work.yaml`, `buf.yaml`,
    /// `schemactl.yaml`).
    pub file: String,
}

/// How deep a walk goes at most (a path has no more components than this
/// in practice; the bound keeps a hostile path from costing more).
const MAX_DEPTH: usize = 256;

/// Walk up from `input` (relative to the root, normalised, `.` for the
/// root) to the workspace that controls it. `None` when none does: then the
/// input directory is a module by itself, configured by its own files.
pub fn find_workspace(
    read: &dyn Fn(&str) -> Option<String>,
    input: &str,
) -> Result<Option<Workspace>, ConfigError> {
    let input = normalize(input);
    let mut dir = input.clone();
    for _ in 0..MAX_DEPTH {
        let sub = relative(&input, &dir);
        if let Some(file) = controls(read, &dir, &sub)? {
            return Ok(Some(Workspace { dir, sub, file }));
        }
        if dir == "." {
            break;
        }
        dir = parent(&dir);
    }
    Ok(None)
}

/// Buf's fallback when no workspace controls the input: the nearest
/// directory strictly above `input` and at or below `stop` (the working
/// directory, an ancestor of `input`) with a v1 `buf.yaml`. Such a module
/// contains the input, which Buf refuses; `None` when there is none.
pub fn v1_module_above(
    read: &dyn Fn(&str) -> Option<String>,
    input: &str,
    stop: &str,
) -> Result<Option<String>, ConfigError> {
    let input = normalize(input);
    let stop = normalize(stop);
    if input == stop || !contains(&stop, &input) {
        return Ok(None);
    }
    let mut dir = parent(&input);
    for _ in 0..MAX_DEPTH {
        let file = crate::display_path(&dir, "buf.yaml");
        if let Some(text) = read(&file) {
            let config = buf::parse_buf_yaml(&text, &file, "buf.yaml")?;
            if config.kind.is_buf_v1() {
                return Ok(Some(dir));
            }
        }
        if dir == stop || dir == "." {
            break;
        }
        dir = parent(&dir);
    }
    Ok(None)
}

/// The file in `dir` that makes it the workspace of the input at `sub`
/// below it, if any.
fn controls(
    read: &dyn Fn(&str) -> Option<String>,
    dir: &str,
    sub: &str,
) -> Result<Option<String>, ConfigError> {
    let at = |name: &str| crate::display_path(dir, name);
    let includes = |config: &Config| {
        sub == "."
            || config
                .modules
                .iter()
                .any(|m| contains(&m.path, sub) || contains(sub, &m.path))
    };
    if sub == "." {
        // The input itself: its own configuration is read (and its errors
        // reported) by the caller; only a v1 `buf.yaml` lets the walk go
        // on, to a `buf.work.yaml` that may list the input.
        for name in SCHEMACTL_FILES.into_iter().chain(["buf.work.yaml"]) {
            if read(&at(name)).is_some() {
                return Ok(Some(name.to_owned()));
            }
        }
        return Ok(read(&at("buf.yaml")).and_then(|text| {
            match buf::parse_buf_yaml(&text, &at("buf.yaml"), "buf.yaml") {
                Ok(config) if config.kind.is_buf_v1() => None,
                _ => Some("buf.yaml".to_owned()),
            }
        }));
    }
    for name in SCHEMACTL_FILES {
        if let Some(text) = read(&at(name)) {
            let config = schemactl::parse(&text, &at(name), name)?;
            return Ok(includes(&config).then(|| name.to_owned()));
        }
    }
    let buf_yaml = read(&at("buf.yaml"));
    let buf_work = read(&at("buf.work.yaml"));
    if buf_yaml.is_some() && buf_work.is_some() {
        return Err(ConfigError {
            file: at("buf.work.yaml"),
            line: 0,
            column: 0,
            message: format!("`{dir}` has both a buf.work.yaml and a buf.yaml"),
            hint: Some("keep one: a v2 buf.yaml replaces buf.work.yaml".to_owned()),
        });
    }
    if let Some(text) = buf_yaml {
        let config = buf::parse_buf_yaml(&text, &at("buf.yaml"), "buf.yaml")?;
        let v2 = matches!(config.kind, ConfigKind::BufV2 { .. });
        return Ok((v2 && includes(&config)).then(|| "buf.yaml".to_owned()));
    }
    if let Some(text) = buf_work {
        // v1: only a listed directory or a path inside one.
        let read_in = |name: &str| read(&at(name));
        let config = buf::parse_buf_work(&text, dir, &read_in)?;
        let listed = sub == "." || config.modules.iter().any(|m| contains(&m.path, sub));
        return Ok(listed.then(|| "buf.work.yaml".to_owned()));
    }
    Ok(None)
}

/// Whether `path` is `dir` or lies inside it (both relative, normalised).
pub fn contains(dir: &str, path: &str) -> bool {
    dir == "."
        || path == dir
        || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

/// `path` relative to its ancestor `dir`.
pub fn relative(path: &str, dir: &str) -> String {
    if dir == "." {
        return path.to_owned();
    }
    match path.strip_prefix(dir) {
        Some("") => ".".to_owned(),
        Some(rest) => rest.trim_start_matches('/').to_owned(),
        None => path.to_owned(),
    }
}

fn parent(dir: &str) -> String {
    match dir.rsplit_once('/') {
        Some((up, _)) if !up.is_empty() => up.to_owned(),
        _ => ".".to_owned(),
    }
}

fn normalize(path: &str) -> String {
    let parts: Vec<&str> = path
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The modules of `config` the input at `sub` (relative to the workspace)
/// targets: those at or below it. `Err` with Buf's message when there is
/// none.
pub fn targets(config: &Config, sub: &str, input: &str) -> Result<Vec<usize>, TargetError> {
    let found: Vec<usize> = config
        .modules
        .iter()
        .enumerate()
        .filter(|(_, m)| contains(sub, &m.path))
        .map(|(i, _)| i)
        .collect();
    if !found.is_empty() {
        return Ok(found);
    }
    match config.modules.iter().find(|m| contains(&m.path, sub)) {
        Some(module) => Err(TargetError::InsideModule {
            input: input.to_owned(),
            module: module.path.clone(),
        }),
        None => Err(TargetError::NoModule {
            input: input.to_owned(),
            modules: config.modules.iter().map(|m| m.path.clone()).collect(),
        }),
    }
}

/// An input that names no module of the workspace controlling it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// The input is a directory inside a module.
    #[error("cannot build input `{input}`: it is a directory inside the module at `{module}`")]
    InsideModule { input: String, module: String },
    /// The input is a v1 module inside another one.
    #[error("cannot build input `{inner}`: it is a module nested in the module at `{outer}`")]
    Nested { outer: String, inner: String },
    /// The input contains no module.
    #[error("input `{input}` holds none of the workspace's modules ({})", modules.join(", "))]
    NoModule { input: String, modules: Vec<String> },
}

impl TargetError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            TargetError::InsideModule { module, .. } => format!(
                "give the module's directory (`{module}`), or the workspace's, as the input (Buf refuses this input too)"
            ),
            TargetError::Nested { .. } => {
                "remove one of the two buf.yaml files, or list both directories in a buf.work.yaml"
                    .to_owned()
            }
            TargetError::NoModule { .. } => {
                "give a module directory, or the directory of the workspace, as the input"
                    .to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files<'a>(list: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |p| {
            list.iter()
                .find(|(n, _)| *n == p)
                .map(|(_, t)| (*t).to_owned())
        }
    }

    #[test]
    fn a_v2_buf_yaml_above_a_module_controls_it() {
        let read = files(&[(
            "ws/buf.yaml",
            "version: v2\nmodules:\n  - path: a\n  - path: b\n",
        )]);
        let found = find_workspace(&read, "ws/a")
            .expect("valid")
            .expect("found");
        assert_eq!(
            found,
            Workspace {
                dir: "ws".into(),
                sub: "a".into(),
                file: "buf.yaml".into()
            }
        );
        assert_eq!(
            find_workspace(&read, "ws/a/x/y")
                .expect("valid")
                .map(|w| w.sub),
            Some("a/x/y".to_owned())
        );
        assert_eq!(find_workspace(&read, "ws/c").expect("valid"), None);
    }

    #[test]
    fn a_buf_work_yaml_controls_only_its_directories() {
        let read = files(&[
            ("buf.work.yaml", "version: v1\ndirectories: [proto]\n"),
            ("proto/buf.yaml", "version: v1\n"),
        ]);
        let found = find_workspace(&read, "proto")
            .expect("valid")
            .expect("found");
        assert_eq!((found.dir.as_str(), found.sub.as_str()), (".", "proto"));
        assert_eq!(find_workspace(&read, "other").expect("valid"), None);
    }

    #[test]
    fn a_v1_buf_yaml_alone_is_no_workspace() {
        let read = files(&[("buf.yaml", "version: v1\n")]);
        assert_eq!(find_workspace(&read, "a").expect("valid"), None);
    }

    #[test]
    fn a_v1_module_between_the_working_directory_and_the_input_contains_it() {
        let read = files(&[("w/buf.yaml", "version: v1\n")]);
        assert_eq!(
            v1_module_above(&read, "w/p/sub", "w").expect("valid"),
            Some("w".to_owned())
        );
        assert_eq!(
            v1_module_above(&read, "w/p/sub", "w/p").expect("valid"),
            None
        );
        assert_eq!(v1_module_above(&read, "w", "w").expect("valid"), None);
    }

    #[test]
    fn targets_are_the_modules_inside_the_input() {
        let config = buf::parse_buf_yaml(
            "version: v2\nmodules:\n  - path: dir/a\n  - path: dir/b\n  - path: c\n",
            "buf.yaml",
            "buf.yaml",
        )
        .expect("valid");
        assert_eq!(targets(&config, "dir", "dir"), Ok(vec![0, 1]));
        assert!(matches!(
            targets(&config, "c/x", "c/x"),
            Err(TargetError::InsideModule { .. })
        ));
    }
}
