//! Managed mode: file options set from the configuration (Buf's defaults
//! and overrides), applied to the encoded descriptors before any plugin
//! sees them.

use schemactl_compile::naming::to_pascal_case;
use schemactl_config::{FileOption, ManagedConfig, OptionValue};

use crate::wire;

/// `FileDescriptorProto.options`.
const FILE_OPTIONS: u32 = 8;

/// The file's descriptor with the managed options set; unchanged when
/// managed mode is off or leaves the file alone (the well-known types).
pub(crate) fn apply(
    config: &ManagedConfig,
    name: &str,
    module: &str,
    package: &str,
    bytes: &[u8],
) -> Vec<u8> {
    if !config.enabled || name.starts_with("google/protobuf/") {
        return bytes.to_vec();
    }
    let file = Target {
        config,
        name,
        module,
        package,
    };
    let mut set: Vec<(u32, OptionValue)> = Vec::new();
    for option in [
        FileOption::JavaPackage,
        FileOption::JavaOuterClassname,
        FileOption::JavaMultipleFiles,
        FileOption::GoPackage,
        FileOption::ObjcClassPrefix,
        FileOption::CsharpNamespace,
        FileOption::PhpNamespace,
        FileOption::PhpMetadataNamespace,
        FileOption::RubyPackage,
    ] {
        if let Some(value) = file.value(option) {
            set.push((field_number(option), value));
        }
    }
    if set.is_empty() {
        return bytes.to_vec();
    }
    let Some(fields) = wire::fields(bytes) else {
        return bytes.to_vec();
    };
    // Several `options` fields merge into one message.
    let mut options: Vec<u8> = fields
        .iter()
        .filter(|f| f.number == FILE_OPTIONS)
        .flat_map(|f| f.payload.iter().copied())
        .collect();
    for (number, value) in &set {
        let present = wire::fields(&options)
            .unwrap_or_default()
            .iter()
            .any(|f| f.number == *number);
        // `false` is the default: written only over an explicit value, as
        // Buf does, so the descriptor matches its output byte for byte.
        if *value == OptionValue::Bool(false) && !present {
            continue;
        }
        options = wire::without(&options, *number);
        match value {
            OptionValue::String(s) => wire::put_bytes(&mut options, *number, s.as_bytes()),
            OptionValue::Bool(b) => wire::put_varint(&mut options, *number, u64::from(*b)),
        }
    }
    let mut encoded_options = Vec::new();
    wire::put_bytes(&mut encoded_options, FILE_OPTIONS, &options);
    // Where a canonical encoder puts it: after the fields numbered below it.
    let mut out = Vec::with_capacity(bytes.len() + encoded_options.len());
    let mut placed = false;
    for f in &fields {
        if f.number == FILE_OPTIONS {
            continue;
        }
        if !placed && f.number > FILE_OPTIONS {
            out.extend_from_slice(&encoded_options);
            placed = true;
        }
        out.extend_from_slice(f.raw);
    }
    if !placed {
        out.extend_from_slice(&encoded_options);
    }
    out
}

fn field_number(option: FileOption) -> u32 {
    match option.target() {
        FileOption::JavaPackage => 1,
        FileOption::JavaOuterClassname => 8,
        FileOption::JavaMultipleFiles => 10,
        FileOption::GoPackage => 11,
        FileOption::ObjcClassPrefix => 36,
        FileOption::CsharpNamespace => 37,
        FileOption::PhpNamespace => 41,
        FileOption::PhpMetadataNamespace => 44,
        _ => 45,
    }
}

struct Target<'a> {
    config: &'a ManagedConfig,
    name: &'a str,
    module: &'a str,
    package: &'a str,
}

impl Target<'_> {
    fn matches(&self, path: Option<&str>, module: Option<&str>) -> bool {
        let path_ok = path
            .is_none_or(|p| p == "." || self.name == p || self.name.starts_with(&format!("{p}/")));
        path_ok && module.is_none_or(|m| m == self.module)
    }

    fn disabled(&self, option: FileOption) -> bool {
        self.config.disables.iter().any(|d| {
            d.file_option.is_none_or(|o| o.target() == option)
                && self.matches(d.path.as_deref(), d.module.as_deref())
        })
    }

    /// The last override of exactly `option` that matches the file.
    fn last(&self, option: FileOption) -> Option<&OptionValue> {
        self.config
            .overrides
            .iter()
            .rev()
            .find(|o| {
                o.file_option == option && self.matches(o.path.as_deref(), o.module.as_deref())
            })
            .map(|o| &o.value)
    }

    /// The last override of `option` or of the options that set it (a
    /// prefix), which wins over earlier ones.
    fn last_of(&self, option: FileOption) -> Option<(FileOption, &OptionValue)> {
        self.config
            .overrides
            .iter()
            .rev()
            .find(|o| {
                o.file_option.target() == option
                    && matches!(o.file_option, x if x == option || is_prefix(x))
                    && self.matches(o.path.as_deref(), o.module.as_deref())
            })
            .map(|o| (o.file_option, &o.value))
    }

    fn string(&self, option: FileOption) -> Option<String> {
        match self.last(option) {
            Some(OptionValue::String(s)) => Some(s.clone()),
            _ => None,
        }
    }

    fn value(&self, option: FileOption) -> Option<OptionValue> {
        if self.disabled(option) {
            return None;
        }
        let components: Vec<&str> = self.package.split('.').filter(|c| !c.is_empty()).collect();
        let pascal = |sep: &str| {
            components
                .iter()
                .map(|c| to_pascal_case(c))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let s = |v: String| Some(OptionValue::String(v));
        match option {
            FileOption::GoPackage => match self.last_of(option)? {
                (FileOption::GoPackage, v) => Some(v.clone()),
                (_, OptionValue::String(prefix)) => s(go_package(prefix, self.name, self.package)),
                _ => None,
            },
            // Without a package there is no default, only an explicit value.
            FileOption::JavaPackage if components.is_empty() => self.last(option).cloned(),
            FileOption::JavaPackage => match self.last_of(option) {
                Some((FileOption::JavaPackage, v)) => Some(v.clone()),
                _ => {
                    let prefix = self
                        .string(FileOption::JavaPackagePrefix)
                        .unwrap_or_else(|| "com".to_owned());
                    let mut value = format!("{prefix}.{}", self.package);
                    if let Some(suffix) = self.string(FileOption::JavaPackageSuffix) {
                        value = format!("{value}.{suffix}");
                    }
                    s(value)
                }
            },
            FileOption::JavaMultipleFiles => Some(
                self.last(option)
                    .cloned()
                    .unwrap_or(OptionValue::Bool(true)),
            ),
            FileOption::JavaOuterClassname => self.last(option).cloned().or_else(|| {
                let base = self.name.rsplit('/').next().unwrap_or(self.name);
                s(format!(
                    "{}Proto",
                    to_pascal_case(base.strip_suffix(".proto").unwrap_or(base))
                ))
            }),
            _ if components.is_empty() => self.last(option).cloned(),
            FileOption::CsharpNamespace => match self.last_of(option) {
                Some((FileOption::CsharpNamespace, v)) => Some(v.clone()),
                Some((_, OptionValue::String(prefix))) => s(format!("{prefix}.{}", pascal("."))),
                _ => s(pascal(".")),
            },
            FileOption::PhpNamespace => self.last(option).cloned().or_else(|| s(pascal("\\"))),
            // From the package, whatever `php_namespace` is set to (Buf's
            // rule).
            FileOption::PhpMetadataNamespace => self
                .last(option)
                .cloned()
                .or_else(|| s(format!("{}\\GPBMetadata", pascal("\\")))),
            FileOption::RubyPackage => match self.last_of(option) {
                Some((FileOption::RubyPackage, v)) => Some(v.clone()),
                Some((_, OptionValue::String(suffix))) => s(format!("{}::{suffix}", pascal("::"))),
                _ => s(pascal("::")),
            },
            FileOption::ObjcClassPrefix => self
                .last(option)
                .cloned()
                .or_else(|| s(objc_class_prefix(&components))),
            _ => None,
        }
    }
}

fn is_prefix(option: FileOption) -> bool {
    matches!(
        option,
        FileOption::GoPackagePrefix
            | FileOption::JavaPackagePrefix
            | FileOption::CsharpNamespacePrefix
            | FileOption::RubyPackageSuffix
    )
}

/// `prefix/dir;name`: the file's directory under the prefix, and for a
/// versioned package (`acme.identity.v1`) the package name Buf gives it
/// (`identityv1`).
fn go_package(prefix: &str, name: &str, package: &str) -> String {
    let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
    let mut value = if dir.is_empty() {
        prefix.to_owned()
    } else {
        format!("{}/{dir}", prefix.trim_end_matches('/'))
    };
    let parts: Vec<&str> = package.split('.').collect();
    if parts.len() >= 2 && parts.last().is_some_and(|v| is_version(v)) {
        value = format!(
            "{value};{}{}",
            parts[parts.len() - 2],
            parts[parts.len() - 1]
        );
    }
    value
}

/// `v1`, `v1beta1`, `v2alpha`, `v1p1beta1`, `v1test2`: a package version
/// component, as Buf recognises one.
fn is_version(part: &str) -> bool {
    fn digits(s: &str) -> (&str, &str) {
        let n = s.chars().take_while(char::is_ascii_digit).count();
        (&s[..n], &s[n..])
    }
    let Some(rest) = part.strip_prefix('v') else {
        return false;
    };
    let (major, rest) = digits(rest);
    if major.is_empty() || major.starts_with('0') {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let stage = |s: &str| -> bool {
        ["alpha", "beta", "test"].iter().any(|stage| {
            s.strip_prefix(stage)
                .is_some_and(|n| digits(n).1.is_empty())
        })
    };
    if let Some(patch) = rest.strip_prefix('p') {
        let (number, tail) = digits(patch);
        return !number.is_empty() && !tail.starts_with("test") && stage(tail);
    }
    stage(rest)
}

/// The initials of the package's components (a final version left out),
/// upper case; padded with `X` to three letters, and never
/// `GPB` (reserved by the Objective-C runtime).
fn objc_class_prefix(components: &[&str]) -> String {
    let kept = match components.split_last() {
        Some((last, rest)) if is_version(last) => rest,
        _ => components,
    };
    let mut initials: String = kept
        .iter()
        .filter_map(|c| c.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    while initials.chars().count() < 3 {
        initials.push('X');
    }
    if initials == "GPB" {
        initials = "GPX".to_owned();
    }
    initials
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_bufs_defaults() {
        assert_eq!(
            go_package(
                "example.com/gen",
                "acme/identity/v1/user.proto",
                "acme.identity.v1"
            ),
            "example.com/gen/acme/identity/v1;identityv1"
        );
        assert_eq!(go_package("x.com/g", "a.proto", "a"), "x.com/g");
        assert_eq!(objc_class_prefix(&["acme", "identity", "v1"]), "AIX");
        assert_eq!(objc_class_prefix(&["grafeas", "v1"]), "GXX");
        assert_eq!(objc_class_prefix(&["google", "protobuf", "bits"]), "GPX");
        assert_eq!(
            objc_class_prefix(&["google", "actions", "sdk", "v2", "conversation"]),
            "GASVC"
        );
        assert_eq!(to_pascal_case("user_created"), "UserCreated");
        assert!(is_version("v1") && is_version("v1beta1") && is_version("v2alpha"));
        assert!(is_version("v1p1beta1") && is_version("v1test") && is_version("v2beta3"));
        assert!(!is_version("v") && !is_version("vendor") && !is_version("v0"));
        assert!(!is_version("v1p1") && !is_version("v1gamma"));
    }
}
