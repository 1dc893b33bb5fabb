//! What the module rules about packages share: files grouped by package,
//! a file's directory, and the check of the `PACKAGE_SAME_<OPTION>` rules.

use std::collections::{BTreeMap, BTreeSet};

use prost_reflect::FileDescriptor;
use schemactl_compile::walk::tag;

use super::{ModuleCx, Sink};

/// The module's files grouped by package (`""` for files without one), in
/// file order.
pub(crate) fn by_package<'a>(cx: &'a ModuleCx<'_>) -> BTreeMap<&'a str, Vec<&'a FileDescriptor>> {
    let mut out: BTreeMap<&str, Vec<&FileDescriptor>> = BTreeMap::new();
    for (file, _) in &cx.files {
        out.entry(file.package_name()).or_default().push(file);
    }
    out
}

/// The directory of a file path, `.` at the root.
pub(crate) fn dir(name: &str) -> &str {
    name.rfind('/').map_or(".", |i| &name[..i])
}

/// The shared check of the `PACKAGE_SAME_<OPTION>` rules: within each
/// package, every file sets the file option `option` (field `number` of
/// `FileOptions`) to the same value, where `value` returns `None` or `""`
/// for a file that does not set it. Findings point at the option, or at the
/// file when it has none.
pub(crate) fn check_same_file_option(
    cx: &ModuleCx<'_>,
    sink: &mut Sink,
    option: &str,
    number: i32,
    value: fn(&prost_types::FileOptions) -> Option<String>,
) {
    for (package, files) in by_package(cx) {
        let values: Vec<String> = files
            .iter()
            .map(|f| {
                f.file_descriptor_proto()
                    .options
                    .as_ref()
                    .and_then(value)
                    .unwrap_or_default()
            })
            .collect();
        let distinct: BTreeSet<&str> = values.iter().map(String::as_str).collect();
        if distinct.len() < 2 {
            continue;
        }
        let unset = distinct.contains("");
        let list = distinct
            .iter()
            .copied()
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join(",");
        let message = if unset {
            format!(
                "Files in package \"{package}\" have both values \"{list}\" and no value for \
                 option \"{option}\" and all values must be equal."
            )
        } else {
            format!(
                "Files in package \"{package}\" have multiple values \"{list}\" for option \
                 \"{option}\" and all values must be equal."
            )
        };
        let path = [tag::OPTIONS, number];
        for file in files {
            sink.report(file.name(), &path, &path, message.clone());
        }
    }
}
