//! Code generation: the `generate:` section of `schemactl.yaml` and Buf's
//! `buf.gen.yaml` v2, which share their keys.

use crate::buf::parse_module_path;
use crate::decode::{Ctx, get};
use crate::yaml::{self, Key, Node};
use crate::{
    ConfigError, FileOption, GenerateConfig, ManagedConfig, ManagedDisable, ManagedOverride,
    OptionValue, PackageConfig, PackageLang, PluginConfig, PluginSource, Strategy, TopicLang,
};

const SECTION_KEYS: &[&str] = &["clean", "plugins", "managed", "packages"];
const PACKAGE_KEYS: &[&str] = &["out", "name"];
const BUF_GEN_KEYS: &[&str] = &["version", "clean", "plugins", "managed", "inputs"];
/// The keys that say what a plugin entry runs; exactly one per entry.
const SOURCE_KEYS: &[&str] = &["local", "protoc_builtin", "rust", "topics", "remote"];
const PLUGIN_KEYS: &[&str] = &[
    "local",
    "protoc_builtin",
    "rust",
    "topics",
    "remote",
    "revision",
    "out",
    "opt",
    "strategy",
    "include_imports",
    "include_wkt",
    "types",
    "exclude_types",
    "protoc_path",
];
const MANAGED_KEYS: &[&str] = &["enabled", "override", "disable"];
const OVERRIDE_KEYS: &[&str] = &[
    "file_option",
    "field_option",
    "value",
    "path",
    "module",
    "field",
];
const DISABLE_KEYS: &[&str] = &["file_option", "field_option", "path", "module", "field"];

/// The `generate:` section of `schemactl.yaml`.
pub(crate) fn parse_section(ctx: &Ctx<'_>, node: &Node) -> Result<GenerateConfig, ConfigError> {
    let entries = ctx.map(node, "generate")?;
    ctx.check_keys(entries, SECTION_KEYS, "generate")?;
    parse_entries(ctx, node, entries, "generate.")
}

/// A `buf.gen.yaml` (only `version: v2` is read).
pub(crate) fn parse_buf_gen(text: &str, display: &str) -> Result<GenerateConfig, ConfigError> {
    let ctx = Ctx::new(display);
    let root = yaml::parse(text).map_err(|e| ctx.syntax_error(e))?;
    let ctx = ctx.with_root(&root);
    let entries = ctx.map(&root, "the file")?;
    match get(entries, "version") {
        None => {
            let mut err = ctx.error(root.pos(), "missing required key `version`");
            err.hint = Some("add `version: v2` at the top of the file".to_owned());
            return Err(err);
        }
        Some(v) => {
            let version = ctx.string(v, "version")?;
            if version != "v2" {
                let mut err = ctx.error(
                    v.pos(),
                    format!("unsupported buf.gen.yaml version `{version}`"),
                );
                err.hint = Some(
                    "schemactl reads buf.gen.yaml v2; `buf config migrate` converts older files"
                        .to_owned(),
                );
                return Err(err);
            }
        }
    }
    ctx.check_keys(entries, BUF_GEN_KEYS, "")?;
    if let Some((key, _)) = entries.iter().find(|(k, _)| k.name == "inputs") {
        let mut err = ctx.error(key.pos, "`inputs` is not supported yet");
        err.hint = Some(
            "remove `inputs` and name the input on the command line: `schemactl generate INPUT`"
                .to_owned(),
        );
        return Err(err);
    }
    parse_entries(&ctx, &root, entries, "")
}

fn parse_entries(
    ctx: &Ctx<'_>,
    node: &Node,
    entries: &[(Key, Node)],
    prefix: &str,
) -> Result<GenerateConfig, ConfigError> {
    let mut config = GenerateConfig {
        file: ctx.file.to_owned(),
        ..GenerateConfig::default()
    };
    if let Some(clean) = get(entries, "clean") {
        config.clean = ctx.bool(clean, "clean")?;
    }
    match get(entries, "plugins") {
        Some(plugins) => {
            config.plugins = ctx
                .seq(plugins, "plugins")?
                .iter()
                .map(|n| parse_plugin(ctx, n))
                .collect::<Result<_, _>>()?;
        }
        None => {
            let mut err = ctx.error(
                node.pos(),
                format!("missing required key `{prefix}plugins`"),
            );
            err.hint = Some(
                "list the plugins to run, e.g. `plugins: [{local: protoc-gen-go, out: gen/go}]`"
                    .to_owned(),
            );
            return Err(err);
        }
    }
    if let Some(managed) = get(entries, "managed") {
        config.managed = parse_managed(ctx, managed)?;
    }
    if let Some(packages) = get(entries, "packages") {
        config.packages = parse_packages(ctx, packages)?;
    }
    Ok(config)
}

/// `packages:`, keyed by language: `go: {out: gen/go, name: MODULE}`.
fn parse_packages(ctx: &Ctx<'_>, node: &Node) -> Result<Vec<PackageConfig>, ConfigError> {
    let mut packages = Vec::new();
    for (key, value) in ctx.map(node, "packages")? {
        let Some(lang) = PackageLang::ALL.into_iter().find(|l| l.name() == key.name) else {
            let mut err = ctx.error(key.pos, format!("unknown package language `{}`", key.name));
            let names: Vec<&str> = PackageLang::ALL.iter().map(|l| l.name()).collect();
            err.hint = Some(format!("use one of: {}", names.join(", ")));
            return Err(err);
        };
        let what = format!("packages.{}", key.name);
        let entries = ctx.map(value, &what)?;
        ctx.check_keys(entries, PACKAGE_KEYS, &what)?;
        let out = match get(entries, "out") {
            Some(n) => parse_module_path(ctx, n, "out")?,
            None => {
                let mut err = ctx.error(value.pos(), format!("`{what}` is missing `out`"));
                err.hint = Some(
                    "add the package's directory, relative to this file: `out: gen/go`".to_owned(),
                );
                return Err(err);
            }
        };
        let name = match get(entries, "name") {
            Some(n) => ctx.string(n, "name")?,
            None => String::new(),
        };
        if !valid_package_name(lang, &name) {
            let at = get(entries, "name").map_or(value.pos(), Node::pos);
            let mut err = ctx.error(at, format!("`{what}` needs a valid `name`"));
            err.hint = Some(
                match lang {
                    PackageLang::Go => {
                        "the Go module path, e.g. `name: github.com/acme/schemas/gen/go`"
                    }
                    PackageLang::Rust => "the crate name, e.g. `name: acme-schemas`",
                    PackageLang::Python => "the distribution name, e.g. `name: acme-schemas`",
                    PackageLang::TypeScript => {
                        "the npm package name, e.g. `name: \"@acme/schemas\"`"
                    }
                }
                .to_owned(),
            );
            return Err(err);
        }
        packages.push(PackageConfig {
            lang,
            out,
            name,
            line: key.pos.line,
            column: key.pos.column,
        });
    }
    Ok(packages)
}

/// Whether `name` can name a package of `lang` (and is safe to write into
/// a manifest verbatim: no quotes, spaces or control characters).
fn valid_package_name(lang: PackageLang, name: &str) -> bool {
    let plain = |c: char, extra: &str| c.is_ascii_alphanumeric() || extra.contains(c);
    !name.is_empty()
        && name.len() <= 214
        && match lang {
            PackageLang::Go => {
                name.chars().all(|c| plain(c, "-._~/"))
                    && !name.starts_with('/')
                    && !name.ends_with('/')
                    && !name
                        .split('/')
                        .any(|p| p.is_empty() || p == "." || p == "..")
            }
            PackageLang::Rust => {
                name.chars().all(|c| plain(c, "-_"))
                    && name.starts_with(|c: char| c.is_ascii_alphabetic())
            }
            PackageLang::Python => {
                name.chars().all(|c| plain(c, "-_."))
                    && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && name.ends_with(|c: char| c.is_ascii_alphanumeric())
            }
            PackageLang::TypeScript => {
                let bare = name
                    .strip_prefix('@')
                    .and_then(|scoped| scoped.split_once('/'))
                    .map_or(name, |(_, package)| package);
                name.chars().all(|c| plain(c, "-._~@/"))
                    && name == name.to_ascii_lowercase()
                    && !bare.is_empty()
                    && !bare.contains('/')
                    && !bare.starts_with(['.', '_'])
            }
        }
}

fn parse_plugin(ctx: &Ctx<'_>, node: &Node) -> Result<PluginConfig, ConfigError> {
    let entries = ctx.map(node, "plugins[]")?;
    ctx.check_keys(entries, PLUGIN_KEYS, "plugins[]")?;
    let sources: Vec<&(Key, Node)> = entries
        .iter()
        .filter(|(k, _)| SOURCE_KEYS.contains(&k.name.as_str()))
        .collect();
    let (key, value) = match sources.as_slice() {
        [one] => (&one.0, &one.1),
        [] => {
            let mut err = ctx.error(node.pos(), "plugin entry names no plugin");
            err.hint = Some(
                "add one of `local: protoc-gen-NAME`, `protoc_builtin: LANG` or `rust: prost`"
                    .to_owned(),
            );
            return Err(err);
        }
        [_, second, ..] => {
            let mut err = ctx.error(
                second.0.pos,
                format!(
                    "plugin entry has both `{}` and `{}`",
                    sources[0].0.name, second.0.name
                ),
            );
            err.hint = Some("one entry runs one plugin: split it into two entries".to_owned());
            return Err(err);
        }
    };
    let source = match key.name.as_str() {
        "local" => {
            let argv = ctx.strings(value, "local")?;
            if argv.is_empty() || argv.iter().any(String::is_empty) {
                return Err(ctx.expected(
                    value,
                    "a program name or a non-empty list of arguments",
                    "local",
                ));
            }
            PluginSource::Local { argv }
        }
        "protoc_builtin" => {
            let name = ctx.string(value, "protoc_builtin")?;
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(ctx.expected(
                    value,
                    "the name of a protoc generator such as `python` or `java`",
                    "protoc_builtin",
                ));
            }
            let protoc_path = get(entries, "protoc_path")
                .map_or(Ok(Vec::new()), |n| ctx.strings(n, "protoc_path"))?;
            PluginSource::ProtocBuiltin { name, protoc_path }
        }
        "rust" => {
            let generator = ctx.string(value, "rust")?;
            if generator != "prost" {
                let mut err =
                    ctx.error(value.pos(), format!("unknown Rust generator `{generator}`"));
                err.hint = Some("the Rust generator is `prost`: write `rust: prost`".to_owned());
                return Err(err);
            }
            PluginSource::Rust
        }
        "topics" => {
            let lang = ctx.string(value, "topics")?;
            let Some(lang) = TopicLang::ALL.into_iter().find(|l| l.name() == lang) else {
                let mut err = ctx.error(
                    value.pos(),
                    format!("unsupported topic binding language `{lang}`"),
                );
                let names: Vec<&str> = TopicLang::ALL.iter().map(|l| l.name()).collect();
                err.hint = Some(format!("use one of: {}", names.join(", ")));
                return Err(err);
            };
            PluginSource::Topics { lang }
        }
        _ => {
            let mut err = ctx.error(key.pos, "remote plugins are not supported");
            err.hint = Some(
                "schemactl runs no plugin fetched from the network: install the plugin and name it with `local:`"
                    .to_owned(),
            );
            return Err(err);
        }
    };
    for only in ["protoc_path", "revision"] {
        let allowed = match only {
            "protoc_path" => matches!(source, PluginSource::ProtocBuiltin { .. }),
            _ => false,
        };
        if let (Some((k, _)), false) = (entries.iter().find(|(k, _)| k.name == only), allowed) {
            let mut err = ctx.error(k.pos, format!("`{only}` does not apply to this plugin"));
            err.hint = Some(match only {
                "protoc_path" => "`protoc_path` goes with `protoc_builtin:`; remove it".to_owned(),
                _ => "`revision` goes with remote plugins; remove it".to_owned(),
            });
            return Err(err);
        }
    }
    let out = match get(entries, "out") {
        Some(n) => parse_module_path(ctx, n, "out")?,
        None => {
            let mut err = ctx.error(node.pos(), "plugin entry is missing `out`");
            err.hint =
                Some("add the output directory, relative to this file: `out: gen/go`".to_owned());
            return Err(err);
        }
    };
    let strategy = match get(entries, "strategy") {
        None => Strategy::default(),
        Some(n) => match ctx.string(n, "strategy")?.as_str() {
            "directory" => Strategy::Directory,
            "all" => Strategy::All,
            other => {
                let mut err = ctx.error(n.pos(), format!("unknown strategy `{other}`"));
                err.hint = Some(match crate::closest(other, &["directory", "all"]) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "use `directory` (one request per directory) or `all`".to_owned(),
                });
                return Err(err);
            }
        },
    };
    let flag = |k: &str| get(entries, k).map_or(Ok(false), |n| ctx.bool(n, k));
    let list = |k: &str| get(entries, k).map_or(Ok(Vec::new()), |n| ctx.strings(n, k));
    let include_imports = flag("include_imports")?;
    let include_wkt = flag("include_wkt")?;
    if include_wkt && !include_imports {
        let key = entries
            .iter()
            .find(|(k, _)| k.name == "include_wkt")
            .map_or(node.pos(), |(k, _)| k.pos);
        let mut err = ctx.error(key, "`include_wkt` needs `include_imports: true`");
        err.hint = Some("add `include_imports: true`, as Buf requires".to_owned());
        return Err(err);
    }
    Ok(PluginConfig {
        source,
        out,
        opt: list("opt")?,
        strategy,
        include_imports,
        include_wkt,
        types: list("types")?,
        exclude_types: list("exclude_types")?,
        // The entry's first key: where a reader looks for it.
        line: entries.first().map_or(node.pos(), |(k, _)| k.pos).line,
        column: entries.first().map_or(node.pos(), |(k, _)| k.pos).column,
    })
}

fn parse_managed(ctx: &Ctx<'_>, node: &Node) -> Result<ManagedConfig, ConfigError> {
    let entries = ctx.map(node, "managed")?;
    ctx.check_keys(entries, MANAGED_KEYS, "managed")?;
    let mut managed = ManagedConfig::default();
    if let Some(n) = get(entries, "enabled") {
        managed.enabled = ctx.bool(n, "enabled")?;
    }
    if let Some(n) = get(entries, "override") {
        for item in ctx.seq(n, "override")? {
            managed.overrides.push(parse_override(ctx, item)?);
        }
    }
    if let Some(n) = get(entries, "disable") {
        for item in ctx.seq(n, "disable")? {
            managed.disables.push(parse_disable(ctx, item)?);
        }
    }
    Ok(managed)
}

/// `file_option` of an override or disable entry; `field_option` is refused.
fn file_option(
    ctx: &Ctx<'_>,
    node: &Node,
    entries: &[(Key, Node)],
    required: bool,
) -> Result<Option<FileOption>, ConfigError> {
    for unsupported in ["field_option", "field"] {
        if let Some((k, _)) = entries.iter().find(|(k, _)| k.name == unsupported) {
            let mut err = ctx.error(k.pos, format!("`{unsupported}` is not supported yet"));
            err.hint = Some("managed mode sets file options only, for now".to_owned());
            return Err(err);
        }
    }
    let Some(n) = get(entries, "file_option") else {
        if required {
            let mut err = ctx.error(node.pos(), "override is missing `file_option`");
            err.hint = Some("name the option, e.g. `file_option: go_package_prefix`".to_owned());
            return Err(err);
        }
        return Ok(None);
    };
    let name = ctx.string(n, "file_option")?;
    match FileOption::from_name(&name) {
        Some(option) => Ok(Some(option)),
        None => {
            let names: Vec<&str> = FileOption::ALL.iter().map(|(_, n)| *n).collect();
            let mut err = ctx.error(n.pos(), format!("unknown file option `{name}`"));
            err.hint = Some(match crate::closest(&name, &names) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("managed mode sets: {}", names.join(", ")),
            });
            Err(err)
        }
    }
}

fn filters(
    ctx: &Ctx<'_>,
    entries: &[(Key, Node)],
) -> Result<(Option<String>, Option<String>), ConfigError> {
    let path = get(entries, "path")
        .map(|n| parse_module_path(ctx, n, "path"))
        .transpose()?;
    let module = get(entries, "module")
        .map(|n| ctx.string(n, "module"))
        .transpose()?;
    Ok((path, module))
}

fn parse_override(ctx: &Ctx<'_>, node: &Node) -> Result<ManagedOverride, ConfigError> {
    let entries = ctx.map(node, "override[]")?;
    ctx.check_keys(entries, OVERRIDE_KEYS, "managed.override[]")?;
    let option = file_option(ctx, node, entries, true)?.unwrap_or(FileOption::GoPackage);
    let value = match get(entries, "value") {
        None => {
            let mut err = ctx.error(node.pos(), "override is missing `value`");
            err.hint = Some(format!("give `{}` its value: `value: ...`", option.name()));
            return Err(err);
        }
        Some(n) if option.is_bool() => OptionValue::Bool(ctx.bool(n, "value")?),
        Some(n) => {
            let value = ctx.string(n, "value")?;
            if value.is_empty() {
                return Err(ctx.expected(n, "a non-empty string", "value"));
            }
            OptionValue::String(value)
        }
    };
    let (path, module) = filters(ctx, entries)?;
    Ok(ManagedOverride {
        file_option: option,
        value,
        path,
        module,
        line: node.pos().line,
    })
}

fn parse_disable(ctx: &Ctx<'_>, node: &Node) -> Result<ManagedDisable, ConfigError> {
    let entries = ctx.map(node, "disable[]")?;
    ctx.check_keys(entries, DISABLE_KEYS, "managed.disable[]")?;
    let file_option = file_option(ctx, node, entries, false)?;
    let (path, module) = filters(ctx, entries)?;
    if file_option.is_none() && path.is_none() && module.is_none() {
        let mut err = ctx.error(node.pos(), "disable entry matches nothing");
        err.hint = Some(
            "name a `file_option`, a `path` or a `module` (to turn managed mode off, set `enabled: false`)"
                .to_owned(),
        );
        return Err(err);
    }
    Ok(ManagedDisable {
        file_option,
        path,
        module,
        line: node.pos().line,
    })
}
