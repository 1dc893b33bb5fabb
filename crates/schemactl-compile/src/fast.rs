//! The fast path: parse every file in parallel, link them all in one batch
//! into a descriptor pool *without* source info, and keep each file's source
//! info aside.
//!
//! Linking with source info inside the pool costs time quadratic in a file's
//! options times its locations (prost-reflect rewrites every location for
//! every interpreted option), which dominates on large real-world trees. Here
//! the same rewrite is done once per location with a map. Anything unusual —
//! a parse error, a missing import, a cycle, a link error — returns `None`, and
//! the caller falls back to the file-by-file path that produces precise
//! diagnostics.

use std::collections::HashMap;

use prost_reflect::{DescriptorPool, Kind, MessageDescriptor};
use prost_types::{FileDescriptorProto, SourceCodeInfo, UninterpretedOption};

use crate::wkt;

/// A linked pool and each input file's encoded source info (by file name).
pub(crate) struct Linked {
    pub pool: DescriptorPool,
    pub infos: HashMap<String, Vec<u8>>,
}

/// `(name, text)` of every file to compile.
pub(crate) fn try_link(files: &[(&str, &str)]) -> Option<Linked> {
    let (parsed, encoded_infos) = parse_parallel(files)?;
    // `import option` (edition 2024) orders files beyond their imports:
    // left to the file-by-file path, where protox loads option imports.
    // The same for the language feature files, compiled from source.
    if parsed.iter().any(|f| {
        !f.option_dependency.is_empty()
            || f.dependency
                .iter()
                .any(|d| crate::wkt::feature_source(d).is_some())
    }) {
        return None;
    }
    let index: HashMap<&str, usize> = parsed
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name(), i))
        .collect();
    let order = topological_order(parsed.len(), |i| &parsed[i].dependency, &index)?;

    let mut sites = Vec::with_capacity(parsed.len());
    let mut infos: HashMap<String, Vec<u8>> = parsed
        .iter()
        .map(|f| f.name().to_owned())
        .zip(encoded_infos)
        .collect();
    let mut slots: Vec<Option<FileDescriptorProto>> = parsed.into_iter().map(Some).collect();
    let mut sorted = Vec::with_capacity(slots.len());
    for i in order {
        let file = slots[i].take()?;
        let file_sites = option_sites(&file);
        if !file_sites.is_empty() {
            sites.push((file.name().to_owned(), file_sites));
        }
        sorted.push(file);
    }

    let mut pool = DescriptorPool::new();
    let needed_wkts = well_known_imports(&sorted);
    if !needed_wkts.is_empty() {
        // The global pool holds the well-known types in dependency order.
        let wkts: Vec<FileDescriptorProto> = DescriptorPool::global()
            .files()
            .filter(|f| needed_wkts.contains(f.name()))
            .map(|f| f.file_descriptor_proto().clone())
            .collect();
        pool.add_file_descriptor_protos(wkts).ok()?;
    }
    pool.add_file_descriptor_protos(sorted).ok()?;

    // Decode, relocate and re-encode one file at a time (in parallel), so
    // only a few decoded infos are alive at once.
    let mut relocated_names = Vec::with_capacity(sites.len());
    let mut work: Vec<(Vec<OptionSite>, Vec<u8>)> = sites
        .into_iter()
        .filter_map(|(name, s)| infos.remove(&name).map(|bytes| (name, s, bytes)))
        .map(|(name, s, bytes)| {
            relocated_names.push(name);
            (s, bytes)
        })
        .collect();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = work.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        for part in work.chunks_mut(chunk) {
            let pool = &pool;
            scope.spawn(move || {
                for (file_sites, bytes) in part {
                    if let Ok(mut info) =
                        <SourceCodeInfo as prost::Message>::decode(bytes.as_slice())
                    {
                        relocate_options(pool, file_sites, &mut info);
                        *bytes = prost::Message::encode_to_vec(&info);
                    }
                }
            });
        }
    });
    for (name, (_, bytes)) in relocated_names.into_iter().zip(work) {
        infos.insert(name, bytes);
    }
    Some(Linked { pool, infos })
}

/// Parse every file on all cores; each file's source info is taken out and
/// kept encoded (a fraction of the memory of the decoded form).
#[allow(clippy::type_complexity)]
pub(crate) fn parse_parallel(
    files: &[(&str, &str)],
) -> Option<(Vec<FileDescriptorProto>, Vec<Vec<u8>>)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Option<Vec<(FileDescriptorProto, Vec<u8>)>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(name, text)| {
                            let mut file = protox_parse::parse(name, text).ok()?;
                            crate::limits::check_names(&file).ok()?;
                            let info = file
                                .source_code_info
                                .take()
                                .map(|i| prost::Message::encode_to_vec(&i))
                                .unwrap_or_default();
                            Some((file, info))
                        })
                        .collect::<Option<Vec<_>>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut parsed = Vec::with_capacity(files.len());
    let mut infos = Vec::with_capacity(files.len());
    for part in results {
        for (file, info) in part? {
            parsed.push(file);
            infos.push(info);
        }
    }
    Some((parsed, infos))
}

/// Files in dependency order (imports first). `None` on a missing import, a
/// duplicate import, a cycle or a chain of imports deeper than
/// [`crate::limits::MAX_IMPORT_DEPTH`]: the slow path reports those precisely.
pub(crate) fn topological_order<'a>(
    len: usize,
    dependencies: impl Fn(usize) -> &'a [String],
    index: &HashMap<&str, usize>,
) -> Option<Vec<usize>> {
    const NEW: u8 = 0;
    const ACTIVE: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; len];
    let mut depth = vec![0usize; len];
    let mut order = Vec::with_capacity(len);
    for start in 0..len {
        if state[start] != NEW {
            continue;
        }
        // Iterative depth-first search: (file, next dependency to look at).
        let mut stack = vec![(start, 0usize)];
        state[start] = ACTIVE;
        while let Some((file, next)) = stack.pop() {
            let deps = dependencies(file);
            if next == 0 {
                let mut seen = std::collections::HashSet::new();
                if !deps.iter().all(|d| seen.insert(d)) {
                    return None;
                }
            }
            if let Some(dep) = deps.get(next) {
                stack.push((file, next + 1));
                match index.get(dep.as_str()) {
                    Some(&d) => match state[d] {
                        NEW => {
                            state[d] = ACTIVE;
                            stack.push((d, 0));
                        }
                        ACTIVE => return None,
                        _ => {}
                    },
                    None if wkt::is_well_known(dep) => {}
                    None => return None,
                }
            } else {
                state[file] = DONE;
                // Every import is done: a chain too deep for protox and
                // prost-reflect is left to the slow path, which reports it.
                depth[file] = 1 + deps
                    .iter()
                    .filter_map(|d| index.get(d.as_str()))
                    .map(|&d| depth[d])
                    .max()
                    .unwrap_or(0);
                if depth[file] > crate::limits::MAX_IMPORT_DEPTH {
                    return None;
                }
                order.push(file);
            }
        }
    }
    Some(order)
}

pub(crate) fn well_known_imports(
    files: &[FileDescriptorProto],
) -> std::collections::HashSet<String> {
    let mut needed = std::collections::HashSet::new();
    let mut todo: Vec<String> = files
        .iter()
        .flat_map(|f| f.dependency.iter())
        .filter(|d| wkt::is_well_known(d))
        .cloned()
        .collect();
    let global = DescriptorPool::global();
    while let Some(name) = todo.pop() {
        if needed.insert(name.clone()) {
            if let Some(file) = global.get_file_by_name(&name) {
                todo.extend(file.dependencies().map(|d| d.name().to_owned()));
            }
        }
    }
    needed
}

/// An options message in a file, with its uninterpreted options as written.
pub(crate) struct OptionSite {
    /// Path of the options message (e.g. `[4, 0, 2, 1, 8]`).
    path: Vec<i32>,
    /// Full name of the element, the scope extension names resolve from.
    scope: String,
    /// `google.protobuf.FieldOptions`, ...
    options_type: &'static str,
    /// Each option's name parts: (part, is_extension).
    names: Vec<Vec<(String, bool)>>,
}

fn names_of(uninterpreted: &[UninterpretedOption]) -> Vec<Vec<(String, bool)>> {
    uninterpreted
        .iter()
        .map(|o| {
            o.name
                .iter()
                .map(|p| (p.name_part.clone(), p.is_extension))
                .collect()
        })
        .collect()
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

fn path(base: &[i32], rest: &[i32]) -> Vec<i32> {
    let mut p = base.to_vec();
    p.extend_from_slice(rest);
    p
}

fn idx(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

/// Every options message of a file that has uninterpreted options, in the
/// same paths and scopes the linker uses.
pub(crate) fn option_sites(file: &FileDescriptorProto) -> Vec<OptionSite> {
    let mut sites = Vec::new();
    let mut push = |path: Vec<i32>,
                    scope: String,
                    options_type: &'static str,
                    uninterpreted: &[UninterpretedOption]| {
        if !uninterpreted.is_empty() {
            sites.push(OptionSite {
                path,
                scope,
                options_type,
                names: names_of(uninterpreted),
            });
        }
    };
    let package = file.package();
    if let Some(o) = &file.options {
        push(
            vec![8],
            package.to_owned(),
            "google.protobuf.FileOptions",
            &o.uninterpreted_option,
        );
    }
    for (i, m) in file.message_type.iter().enumerate() {
        message_sites(m, &[4, idx(i)], package, &mut push);
    }
    for (i, e) in file.enum_type.iter().enumerate() {
        enum_sites(e, &[5, idx(i)], package, &mut push);
    }
    for (i, s) in file.service.iter().enumerate() {
        let base = [6, idx(i)];
        let name = join(package, s.name());
        if let Some(o) = &s.options {
            push(
                path(&base, &[3]),
                name.clone(),
                "google.protobuf.ServiceOptions",
                &o.uninterpreted_option,
            );
        }
        for (j, m) in s.method.iter().enumerate() {
            if let Some(o) = &m.options {
                push(
                    path(&base, &[2, idx(j), 4]),
                    join(&name, m.name()),
                    "google.protobuf.MethodOptions",
                    &o.uninterpreted_option,
                );
            }
        }
    }
    for (i, x) in file.extension.iter().enumerate() {
        if let Some(o) = &x.options {
            push(
                vec![7, idx(i), 8],
                join(package, x.name()),
                "google.protobuf.FieldOptions",
                &o.uninterpreted_option,
            );
        }
    }
    sites
}

type Push<'a> = dyn FnMut(Vec<i32>, String, &'static str, &[UninterpretedOption]) + 'a;

fn message_sites(m: &prost_types::DescriptorProto, base: &[i32], scope: &str, push: &mut Push<'_>) {
    let name = join(scope, m.name());
    if let Some(o) = &m.options {
        push(
            path(base, &[7]),
            name.clone(),
            "google.protobuf.MessageOptions",
            &o.uninterpreted_option,
        );
    }
    for (j, f) in m.field.iter().enumerate() {
        if let Some(o) = &f.options {
            push(
                path(base, &[2, idx(j), 8]),
                join(&name, f.name()),
                "google.protobuf.FieldOptions",
                &o.uninterpreted_option,
            );
        }
    }
    for (j, x) in m.extension.iter().enumerate() {
        if let Some(o) = &x.options {
            push(
                path(base, &[6, idx(j), 8]),
                join(&name, x.name()),
                "google.protobuf.FieldOptions",
                &o.uninterpreted_option,
            );
        }
    }
    for (j, r) in m.extension_range.iter().enumerate() {
        if let Some(o) = &r.options {
            push(
                path(base, &[5, idx(j), 3]),
                name.clone(),
                "google.protobuf.ExtensionRangeOptions",
                &o.uninterpreted_option,
            );
        }
    }
    for (j, o) in m.oneof_decl.iter().enumerate() {
        if let Some(opts) = &o.options {
            push(
                path(base, &[8, idx(j), 2]),
                join(&name, o.name()),
                "google.protobuf.OneofOptions",
                &opts.uninterpreted_option,
            );
        }
    }
    for (j, nested) in m.nested_type.iter().enumerate() {
        message_sites(nested, &path(base, &[3, idx(j)]), &name, push);
    }
    for (j, e) in m.enum_type.iter().enumerate() {
        enum_sites(e, &path(base, &[4, idx(j)]), &name, push);
    }
}

fn enum_sites(
    e: &prost_types::EnumDescriptorProto,
    base: &[i32],
    scope: &str,
    push: &mut Push<'_>,
) {
    let name = join(scope, e.name());
    if let Some(o) = &e.options {
        push(
            path(base, &[3]),
            name.clone(),
            "google.protobuf.EnumOptions",
            &o.uninterpreted_option,
        );
    }
    for (j, v) in e.value.iter().enumerate() {
        if let Some(o) = &v.options {
            push(
                path(base, &[2, idx(j), 3]),
                join(&name, v.name()),
                "google.protobuf.EnumValueOptions",
                &o.uninterpreted_option,
            );
        }
    }
}

/// Find an extension of `extendee` named `name`, resolved from `scope`
/// outwards (`a.b.c` tries `a.b.c.name`, `a.b.name`, `a.name`, `name`).
fn find_extension(
    pool: &DescriptorPool,
    scope: &str,
    name: &str,
    extendee: &MessageDescriptor,
) -> Option<prost_reflect::ExtensionDescriptor> {
    let matches = |full: &str| {
        pool.get_extension_by_name(full)
            .filter(|x| x.containing_message() == *extendee)
    };
    if let Some(absolute) = name.strip_prefix('.') {
        return matches(absolute);
    }
    let mut scope = scope;
    loop {
        if let Some(x) = matches(&join(scope, name)) {
            return Some(x);
        }
        if scope.is_empty() {
            return None;
        }
        scope = scope.rfind('.').map_or("", |i| &scope[..i]);
    }
}

/// Rewrite source locations of uninterpreted options (`…, 999, i, …`) to the
/// path of the option they set (`…, field number[, list index], …`), as
/// protoc and the linker do.
pub(crate) fn relocate_options(
    pool: &DescriptorPool,
    sites: &[OptionSite],
    info: &mut SourceCodeInfo,
) {
    let global = DescriptorPool::global();
    let mut rewrites: HashMap<Vec<i32>, Vec<i32>> = HashMap::new();
    for site in sites {
        let Some(options_desc) = pool
            .get_message_by_name(site.options_type)
            .or_else(|| global.get_message_by_name(site.options_type))
        else {
            continue;
        };
        let mut list_lengths: HashMap<Vec<i32>, i32> = HashMap::new();
        'option: for (i, name) in site.names.iter().enumerate() {
            let mut resolved = site.path.clone();
            let mut message = options_desc.clone();
            for (k, (part, is_extension)) in name.iter().enumerate() {
                let (number, kind, is_list) = if *is_extension {
                    match find_extension(pool, &site.scope, part, &message) {
                        Some(x) => (x.number(), x.kind(), x.is_list()),
                        None => continue 'option,
                    }
                } else {
                    match message.get_field_by_name(part) {
                        Some(f) => (f.number(), f.kind(), f.is_list()),
                        None => continue 'option,
                    }
                };
                resolved.push(i32::try_from(number).unwrap_or(i32::MAX));
                if k + 1 == name.len() {
                    if is_list {
                        let len = list_lengths.entry(resolved.clone()).or_insert(0);
                        resolved.push(*len);
                        *len += 1;
                    }
                } else if let Kind::Message(next) = kind {
                    message = next;
                } else {
                    continue 'option;
                }
            }
            rewrites.insert(path(&site.path, &[999, idx(i)]), resolved);
        }
    }
    if rewrites.is_empty() {
        return;
    }
    for location in &mut info.location {
        let Some(k) = location.path.iter().position(|&p| p == 999) else {
            continue;
        };
        let mut k = k;
        loop {
            if k + 1 < location.path.len() {
                if let Some(to) = rewrites.get(&location.path[..k + 2]) {
                    location.path.splice(..k + 2, to.iter().copied());
                    break;
                }
            }
            match location.path[k + 1..].iter().position(|&p| p == 999) {
                Some(next) => k += next + 1,
                None => break,
            }
        }
    }
}
