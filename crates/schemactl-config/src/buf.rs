//! Buf's configuration files: `buf.yaml` (v1beta1, v1, v2) and `buf.work.yaml`.

use std::collections::BTreeMap;

use crate::decode::{Ctx, get};
use crate::yaml::{self, Node};
use crate::{BreakingConfig, Config, ConfigError, ConfigKind, LintConfig, Module, display_path};

/// Which version's keys a `lint`/`breaking` section takes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    V1,
    V2,
    /// schemactl.yaml: Buf v2's keys plus `severity` and
    /// `topic_name_pattern`.
    Schemactl,
}

const LINT_COMMON: &[&str] = &[
    "use",
    "except",
    "ignore",
    "ignore_only",
    "enum_zero_value_suffix",
    "rpc_allow_same_request_response",
    "rpc_allow_google_protobuf_empty_requests",
    "rpc_allow_google_protobuf_empty_responses",
    "service_suffix",
];
const BREAKING_KEYS_V1: &[&str] = &[
    "use",
    "except",
    "ignore",
    "ignore_only",
    "ignore_unstable_packages",
];
const BREAKING_KEYS_V2: &[&str] = &[
    "use",
    "except",
    "ignore",
    "ignore_only",
    "ignore_unstable_packages",
    "disable_builtin",
];
const V1_TOP: &[&str] = &["version", "name", "deps", "build", "lint", "breaking"];
const V2_TOP: &[&str] = &[
    "version", "name", "modules", "deps", "lint", "breaking", "plugins", "policies",
];
const V2_MODULE: &[&str] = &["path", "name", "includes", "excludes", "lint", "breaking"];
const V1_BUILD: &[&str] = &["excludes", "roots"];
const WORK_TOP: &[&str] = &["version", "directories"];

pub(crate) fn parse_lint(
    ctx: &Ctx<'_>,
    node: &Node,
    flavor: Flavor,
    defaults: &LintConfig,
) -> Result<LintConfig, ConfigError> {
    let entries = ctx.map(node, "lint")?;
    let mut valid = LINT_COMMON.to_vec();
    match flavor {
        Flavor::V1 => valid.push("allow_comment_ignores"),
        Flavor::V2 => valid.extend(["disallow_comment_ignores", "disable_builtin"]),
        Flavor::Schemactl => {
            valid.extend(["disallow_comment_ignores", "severity", "topic_name_pattern"])
        }
    }
    ctx.check_keys(entries, &valid, "lint")?;
    let mut lint = defaults.clone();
    for (key, value) in entries {
        let k = key.name.as_str();
        match k {
            "use" => lint.use_ = rule_list(ctx, value, k)?,
            "except" => lint.except = rule_list(ctx, value, k)?,
            "ignore" => lint.ignore = path_list(ctx, value, k)?,
            "ignore_only" => lint.ignore_only = ignore_only(ctx, value)?,
            "enum_zero_value_suffix" => {
                lint.enum_zero_value_suffix = scalar_or_empty(ctx, value, k)?
            }
            "service_suffix" => lint.service_suffix = scalar_or_empty(ctx, value, k)?,
            "rpc_allow_same_request_response" => {
                lint.rpc_allow_same_request_response = ctx.bool(value, k)?
            }
            "rpc_allow_google_protobuf_empty_requests" => {
                lint.rpc_allow_google_protobuf_empty_requests = ctx.bool(value, k)?;
            }
            "rpc_allow_google_protobuf_empty_responses" => {
                lint.rpc_allow_google_protobuf_empty_responses = ctx.bool(value, k)?;
            }
            "allow_comment_ignores" => lint.allow_comment_ignores = ctx.bool(value, k)?,
            "disallow_comment_ignores" => lint.allow_comment_ignores = !ctx.bool(value, k)?,
            "severity" => lint.severity = severities(ctx, value)?,
            "topic_name_pattern" => lint.topic_name_pattern = Some(ctx.string(value, k)?),
            _ => {}
        }
    }
    Ok(lint)
}

pub(crate) fn parse_breaking(
    ctx: &Ctx<'_>,
    node: &Node,
    flavor: Flavor,
) -> Result<BreakingConfig, ConfigError> {
    let entries = ctx.map(node, "breaking")?;
    let valid = match flavor {
        Flavor::V1 => BREAKING_KEYS_V1,
        Flavor::V2 | Flavor::Schemactl => BREAKING_KEYS_V2,
    };
    ctx.check_keys(entries, valid, "breaking")?;
    let mut breaking = BreakingConfig::default();
    for (key, value) in entries {
        let k = key.name.as_str();
        match k {
            "use" => breaking.use_ = rule_list(ctx, value, k)?,
            "except" => breaking.except = rule_list(ctx, value, k)?,
            "ignore" => breaking.ignore = path_list(ctx, value, k)?,
            "ignore_only" => breaking.ignore_only = ignore_only(ctx, value)?,
            "ignore_unstable_packages" => breaking.ignore_unstable_packages = ctx.bool(value, k)?,
            _ => {}
        }
    }
    Ok(breaking)
}

fn severities(
    ctx: &Ctx<'_>,
    node: &Node,
) -> Result<BTreeMap<String, crate::RuleSeverity>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, value) in ctx.map(node, "severity")? {
        let level = match ctx.string(value, &key.name)?.as_str() {
            "warn" | "warning" => crate::RuleSeverity::Warn,
            "error" => crate::RuleSeverity::Error,
            other => {
                let mut err = ctx.error(
                    value.pos(),
                    format!("unknown severity `{other}` for `{}`", key.name),
                );
                err.hint = Some("use `warn` (printed, does not fail) or `error`".to_owned());
                return Err(err);
            }
        };
        out.insert(key.name.clone(), level);
    }
    Ok(out)
}

fn scalar_or_empty(ctx: &Ctx<'_>, node: &Node, key: &str) -> Result<String, ConfigError> {
    match node {
        Node::Scalar { value, .. } => Ok(if node.is_null() {
            String::new()
        } else {
            value.clone()
        }),
        _ => Err(ctx.expected(node, "a string", key)),
    }
}

/// Rule and category IDs: upper snake case. Whether each one exists is
/// checked by the rules, which know the registry.
fn rule_list(ctx: &Ctx<'_>, node: &Node, key: &str) -> Result<Vec<String>, ConfigError> {
    let items = match node {
        Node::Seq { items, .. } => items.as_slice(),
        _ if node.is_null() => &[],
        _ => return Err(ctx.expected(node, "a list of rule or category IDs", key)),
    };
    items
        .iter()
        .map(|item| {
            let id = ctx.string(item, key)?;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                let mut err = ctx.error(
                    item.pos(),
                    format!("`{id}` in `{key}` is not a rule or category ID"),
                );
                err.hint = Some(format!(
                    "IDs are UPPER_SNAKE_CASE, e.g. `{}`",
                    id.to_ascii_uppercase().replace('-', "_")
                ));
                return Err(err);
            }
            Ok(id)
        })
        .collect()
}

fn path_list(ctx: &Ctx<'_>, node: &Node, key: &str) -> Result<Vec<String>, ConfigError> {
    ctx.seq(node, key)?
        .iter()
        .map(|n| parse_module_path(ctx, n, key))
        .collect()
}

fn ignore_only(ctx: &Ctx<'_>, node: &Node) -> Result<BTreeMap<String, Vec<String>>, ConfigError> {
    let mut out = BTreeMap::new();
    for (key, value) in ctx.map(node, "ignore_only")? {
        out.insert(key.name.clone(), path_list(ctx, value, "ignore_only")?);
    }
    Ok(out)
}

/// A relative directory or file path that must stay inside the input:
/// normalised to `/` separators without `./`; `..` and absolute paths are
/// errors (configuration must not reach outside the repository).
pub(crate) fn parse_module_path(
    ctx: &Ctx<'_>,
    node: &Node,
    key: &str,
) -> Result<String, ConfigError> {
    let raw = ctx.string(node, key)?;
    let normalized = raw.replace('\\', "/");
    if normalized.starts_with('/')
        || normalized.split('/').any(|p| p == "..")
        || normalized.contains(':')
    {
        let mut err = ctx.error(
            node.pos(),
            format!("path `{raw}` in `{key}` leaves the input directory"),
        );
        err.hint = Some("use a path relative to the configuration file, without `..`".to_owned());
        return Err(err);
    }
    let parts: Vec<&str> = normalized
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

fn read_version<'n>(
    ctx: &Ctx<'_>,
    entries: &'n [(crate::yaml::Key, Node)],
    root: &Node,
) -> Result<(String, Option<&'n Node>), ConfigError> {
    match get(entries, "version") {
        Some(v) => Ok((ctx.string(v, "version")?, Some(v))),
        None => {
            let mut err = ctx.error(root.pos(), "missing required key `version`");
            err.hint = Some("add `version: v2` (or `v1`) at the top of the file".to_owned());
            Err(err)
        }
    }
}

/// `buf.yaml` at the input root.
pub(crate) fn parse_buf_yaml(text: &str, display: &str, file: &str) -> Result<Config, ConfigError> {
    let ctx = Ctx::new(display);
    let root = yaml::parse(text).map_err(|e| ctx.syntax_error(e))?;
    let ctx = ctx.with_root(&root);
    let top = ctx.map(&root, "the file")?;
    let (version, version_node) = read_version(&ctx, top, &root)?;
    match version.as_str() {
        "v1" | "v1beta1" => {
            let beta = version == "v1beta1";
            let mut config = parse_v1_module(&ctx, top, ".", beta)?;
            let file = file.to_owned();
            config.kind = if beta {
                ConfigKind::BufV1Beta1 { file }
            } else {
                ConfigKind::BufV1 { file }
            };
            Ok(config)
        }
        "v2" => parse_v2(&ctx, top, file),
        other => {
            let pos = version_node.map_or(root.pos(), Node::pos);
            let mut err = ctx.error(pos, format!("unsupported buf.yaml version `{other}`"));
            err.hint = Some("Buf configuration versions are v1beta1, v1 and v2".to_owned());
            Err(err)
        }
    }
}

/// A v1 (or v1beta1) `buf.yaml` whose directory is `module_dir` relative to
/// the input. Ignore paths are relative to the module in v1; they are stored
/// relative to the input.
///
/// `build.roots` is v1beta1's (`beta`): several roots make one module each,
/// sharing the file's `lint` and `breaking` sections. Buf rejects it in v1.
fn parse_v1_module(
    ctx: &Ctx<'_>,
    top: &[(crate::yaml::Key, Node)],
    module_dir: &str,
    beta: bool,
) -> Result<Config, ConfigError> {
    ctx.check_keys(top, V1_TOP, "")?;
    let mut config = Config::buf_default();
    let mut excludes = Vec::new();
    let mut roots = vec![".".to_owned()];
    if let Some(build) = get(top, "build") {
        let entries = ctx.map(build, "build")?;
        ctx.check_keys(entries, V1_BUILD, "build")?;
        if let Some(ex) = get(entries, "excludes") {
            excludes = path_list(ctx, ex, "excludes")?;
        }
        if let Some(r) = get(entries, "roots") {
            let listed = path_list(ctx, r, "roots")?;
            if !beta && !listed.is_empty() {
                let mut err = ctx.error(r.pos(), "`build.roots` cannot be set in version v1");
                err.hint = Some(
                    "move the files of each root into one directory, or use a `buf.work.yaml` \
                     listing the roots as `directories`"
                        .to_owned(),
                );
                return Err(err);
            }
            if !listed.is_empty() {
                roots = listed;
            }
        }
    }
    if let Some(lint) = get(top, "lint") {
        config.lint = parse_lint(ctx, lint, Flavor::V1, &LintConfig::v1_default())?;
    }
    if let Some(breaking) = get(top, "breaking") {
        config.breaking = parse_breaking(ctx, breaking, Flavor::V1)?;
    }
    let join = |p: &str| display_path(module_dir, p);
    // Ignore paths are relative to each root (`.` unless v1beta1 lists
    // roots): one listed path ignores it under every root, as in Buf.
    let root_dirs: Vec<String> = roots.iter().map(|r| join(r)).collect();
    rebase_paths(
        &mut config.lint.ignore,
        &mut config.lint.ignore_only,
        &root_dirs,
    );
    rebase_paths(
        &mut config.breaking.ignore,
        &mut config.breaking.ignore_only,
        &root_dirs,
    );
    config.modules = roots
        .iter()
        .enumerate()
        .map(|(i, r)| Module {
            path: join(r),
            excludes: excludes.iter().map(|e| join(e)).collect(),
            lint: None,
            breaking: None,
            first_root: (i > 0).then_some(0),
            version: None,
        })
        .collect();
    Ok(config)
}

/// Make ignore paths relative to the input: each path, relative to a root,
/// becomes one path per root in `dirs`.
fn rebase_paths(
    ignore: &mut Vec<String>,
    ignore_only: &mut BTreeMap<String, Vec<String>>,
    dirs: &[String],
) {
    let rebase = |paths: &mut Vec<String>| {
        *paths = paths
            .iter()
            .flat_map(|p| dirs.iter().map(move |dir| display_path(dir, p)))
            .collect();
    };
    rebase(ignore);
    for paths in ignore_only.values_mut() {
        rebase(paths);
    }
}

fn parse_v2(
    ctx: &Ctx<'_>,
    top: &[(crate::yaml::Key, Node)],
    file: &str,
) -> Result<Config, ConfigError> {
    ctx.check_keys(top, V2_TOP, "")?;
    let mut config = Config {
        kind: ConfigKind::BufV2 {
            file: file.to_owned(),
        },
        lint: LintConfig::default(),
        ..Config::buf_default()
    };
    if let Some(lint) = get(top, "lint") {
        config.lint = parse_lint(ctx, lint, Flavor::V2, &LintConfig::default())?;
    }
    if let Some(breaking) = get(top, "breaking") {
        config.breaking = parse_breaking(ctx, breaking, Flavor::V2)?;
    }
    if let Some(modules) = get(top, "modules") {
        let items = ctx.seq(modules, "modules")?;
        if !items.is_empty() {
            config.modules = Vec::new();
        }
        for item in items {
            let entries = ctx.map(item, "modules[]")?;
            ctx.check_keys(entries, V2_MODULE, "modules[]")?;
            let path = match get(entries, "path") {
                Some(p) => parse_module_path(ctx, p, "path")?,
                None => ".".to_owned(),
            };
            let excludes = match get(entries, "excludes") {
                Some(e) => path_list(ctx, e, "excludes")?,
                None => Vec::new(),
            };
            let lint = get(entries, "lint")
                .filter(|l| !section_is_empty(l))
                .map(|l| parse_lint(ctx, l, Flavor::V2, &LintConfig::default()))
                .transpose()?;
            for section in ["lint", "breaking"] {
                if let Some(node) = get(entries, section) {
                    check_paths_in_module(ctx, node, section, &path)?;
                }
            }
            let breaking = get(entries, "breaking")
                .filter(|b| !section_is_empty(b))
                .map(|b| parse_breaking(ctx, b, Flavor::V2))
                .transpose()?;
            if config.modules.iter().any(|m| m.path == path) {
                return Err(ctx.error(item.pos(), format!("module path `{path}` is listed twice")));
            }
            config.modules.push(Module {
                path,
                excludes,
                lint,
                breaking,
                first_root: None,
                version: None,
            });
        }
    }
    Ok(config)
}

/// Whether a module's `lint` or `breaking` section sets nothing (every key
/// null, empty, `false` or `""`): Buf then applies the top-level section,
/// as if the module had none.
fn section_is_empty(node: &Node) -> bool {
    match node {
        Node::Map { entries, .. } => entries.iter().all(|(_, value)| match value {
            Node::Seq { items, .. } => items.is_empty(),
            Node::Map { entries, .. } => entries.is_empty(),
            Node::Scalar { value, .. } => value.is_empty() || value == "false" || node_null(value),
        }),
        other => other.is_null(),
    }
}

fn node_null(value: &str) -> bool {
    matches!(value, "~" | "null" | "Null" | "NULL")
}

/// Buf v2: `ignore` and `ignore_only` paths of a module's own `lint` or
/// `breaking` section must lie inside that module (they are relative to
/// `buf.yaml`, like every path in it).
fn check_paths_in_module(
    ctx: &Ctx<'_>,
    node: &Node,
    section: &str,
    module: &str,
) -> Result<(), ConfigError> {
    let Node::Map { entries, .. } = node else {
        return Ok(());
    };
    let mut items: Vec<&Node> = Vec::new();
    if let Some(Node::Seq { items: ignore, .. }) = get(entries, "ignore") {
        items.extend(ignore);
    }
    if let Some(Node::Map { entries: only, .. }) = get(entries, "ignore_only") {
        for (_, paths) in only {
            if let Node::Seq { items: list, .. } = paths {
                items.extend(list);
            }
        }
    }
    for item in items {
        let path = parse_module_path(ctx, item, "ignore")?;
        let inside = module == "." || path == module || path.starts_with(&format!("{module}/"));
        if !inside {
            let mut err = ctx.error(
                item.pos(),
                format!("`{section}` path `{path}` is not inside module directory `{module}`"),
            );
            err.hint = Some(format!(
                "paths in buf.yaml are relative to buf.yaml: write `{}`",
                display_path(module, &path)
            ));
            return Err(err);
        }
    }
    Ok(())
}

/// A v1 `buf.work.yaml`: one module per listed directory, each with its own
/// optional v1 `buf.yaml`.
pub(crate) fn parse_buf_work(
    text: &str,
    display_dir: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, ConfigError> {
    let display = display_path(display_dir, "buf.work.yaml");
    let ctx = Ctx::new(&display);
    let root = yaml::parse(text).map_err(|e| ctx.syntax_error(e))?;
    let ctx = ctx.with_root(&root);
    let top = ctx.map(&root, "the file")?;
    ctx.check_keys(top, WORK_TOP, "")?;
    let (version, version_node) = read_version(&ctx, top, &root)?;
    if version != "v1" {
        let pos = version_node.map_or(root.pos(), Node::pos);
        return Err(ctx.error(
            pos,
            format!("unsupported buf.work.yaml version `{version}`"),
        ));
    }
    let Some(dirs) = get(top, "directories") else {
        return Err(ctx.error(root.pos(), "missing required key `directories`"));
    };
    let mut config = Config {
        kind: ConfigKind::BufV1 {
            file: "buf.work.yaml".to_owned(),
        },
        modules: Vec::new(),
        ..Config::buf_default()
    };
    for dir_node in ctx.seq(dirs, "directories")? {
        let dir = parse_module_path(&ctx, dir_node, "directories")?;
        let module_file = display_path(&dir, "buf.yaml");
        let module_config = match read(&module_file) {
            Some(text) => {
                let module_display = display_path(display_dir, &module_file);
                let mctx = Ctx::new(&module_display);
                let mroot = yaml::parse(&text).map_err(|e| mctx.syntax_error(e))?;
                let mctx = mctx.with_root(&mroot);
                let mtop = mctx.map(&mroot, "the file")?;
                let (v, vnode) = read_version(&mctx, mtop, &mroot)?;
                if v != "v1" && v != "v1beta1" {
                    let pos = vnode.map_or(mroot.pos(), Node::pos);
                    return Err(mctx.error(pos, format!("a module of a buf.work.yaml workspace must use `version: v1`, found `{v}`")));
                }
                let mut module = parse_v1_module(&mctx, mtop, &dir, v == "v1beta1")?;
                let file = module_file.clone();
                module.kind = if v == "v1beta1" {
                    ConfigKind::BufV1Beta1 { file }
                } else {
                    ConfigKind::BufV1 { file }
                };
                module.rule_refs = crate::rule_refs::collect(&text, &module_display);
                module
            }
            None => {
                let mut c = Config::buf_default();
                c.modules = vec![Module::root(&dir)];
                c
            }
        };
        config.rule_refs.extend(module_config.rule_refs);
        let base = config.modules.len();
        for mut module in module_config.modules {
            module.first_root = module.first_root.map(|i| i + base);
            module.version = Some(module_config.kind.buf_version());
            module.lint = Some(module_config.lint.clone());
            module.breaking = Some(module_config.breaking.clone());
            config.modules.push(module);
        }
    }
    if config.modules.is_empty() {
        return Err(ctx.error(dirs.pos(), "`directories` must list at least one directory"));
    }
    Ok(config)
}
