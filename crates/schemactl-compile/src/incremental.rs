//! Incremental compilation of a history of trees (one per release tag), for
//! the registry.
//!
//! Two caches make the cost of a new tree the files that changed, not the
//! files it has:
//!
//! - parsed files by (import path, git blob id): a file whose blob did not
//!   change is not parsed again;
//! - linked files by *key*, a hash of the file's blob and the keys of
//!   everything it imports: a file whose key did not change is not linked
//!   again, and every tree that holds it shares one [`LinkedFile`].
//!
//! Only the files whose key changed are linked, in one small pool holding
//! them and the (already linked) files they import.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use prost_reflect::DescriptorPool;
use prost_types::{FileDescriptorProto, SourceCodeInfo};
use schemactl_config::Config;
use schemactl_diagnostics::{Diagnostic, Location};
use schemactl_source::Tree;
use sha2::{Digest, Sha256};

use crate::compile::{SourceFile, collect_files, compile_tree};
use crate::fast::{option_sites, parse_parallel, relocate_options, topological_order};
use crate::image::{Image, ImageError, ImageFile};
use crate::{Text, wkt};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// One compiled file, shared by every tree in which it has the same key.
#[derive(Debug)]
pub struct LinkedFile {
    /// The import path.
    pub name: String,
    pub input_path: String,
    pub display_path: String,
    /// The git blob id of the text.
    pub blob: String,
    pub text: Text,
    /// Import paths, as written.
    pub dependencies: Vec<String>,
    /// The linked `FileDescriptorProto`, encoded, without source info
    /// (custom options kept).
    pub descriptor: Arc<[u8]>,
    /// The encoded `SourceCodeInfo`.
    pub source_info: Arc<[u8]>,
    /// Hash of the name, the blob and the keys of the imports.
    pub key: Hash,
    /// Hash of the descriptor and the schema hashes of the imports: equal
    /// for files that mean the same thing, whatever their comments or
    /// formatting.
    pub schema_hash: Hash,
}

/// Every compiled file of one tree, by import path.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    files: BTreeMap<String, Arc<LinkedFile>>,
}

/// What one [`Incremental::compile`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CompileStats {
    /// Files in the tree.
    pub files: usize,
    /// Files parsed (their blob was new).
    pub parsed: usize,
    /// Files linked (their key was new).
    pub linked: usize,
}

/// What one [`Incremental::compile`] gives: the compiled files, or the
/// compile diagnostics when the tree does not compile (they are data, as
/// in [`Compilation`](crate::Compilation)).
#[derive(Debug)]
pub struct IncrementalCompilation {
    /// Every compiled file, when the tree compiled.
    pub files: Option<FileSet>,
    pub stats: CompileStats,
    /// The compile diagnostics (computed by the full compiler, so they are
    /// the same as `schemactl build` prints); empty when it compiled.
    pub diagnostics: Vec<Diagnostic>,
}

impl IncrementalCompilation {
    fn compiled((files, stats): (FileSet, CompileStats)) -> Self {
        IncrementalCompilation {
            files: Some(files),
            stats,
            diagnostics: Vec::new(),
        }
    }

    fn failed(diagnostics: Vec<Diagnostic>) -> Self {
        IncrementalCompilation {
            files: None,
            stats: CompileStats::default(),
            diagnostics,
        }
    }
}

/// The caches of an incremental compile.
#[derive(Default)]
pub struct Incremental {
    parsed: HashMap<(String, String), Arc<Parsed>>,
    linked: HashMap<Hash, Arc<LinkedFile>>,
    /// The extensions (extendee, number) each linked file declares, by key:
    /// two files that do not import each other can still use one number
    /// twice, which only the whole tree shows.
    extensions: HashMap<Hash, Vec<(String, u32)>>,
}

struct Parsed {
    proto: FileDescriptorProto,
    info: Vec<u8>,
}

impl Incremental {
    pub fn new() -> Self {
        Self::default()
    }

    /// Compile `tree`: its files, or its compile diagnostics.
    pub fn compile(
        &mut self,
        tree: &Tree,
        config: &Config,
        display_dir: &str,
    ) -> IncrementalCompilation {
        let mut diagnostics = Vec::new();
        let (files, poisoned) = collect_files(tree, config, display_dir, &mut diagnostics);
        if !tree.rejected.is_empty() || !diagnostics.is_empty() || !poisoned.is_empty() {
            // Whatever the full compiler says, the tree is refused: a file
            // this path rejected is never served.
            let mut slow = self.slow(tree, config, display_dir);
            slow.files = None;
            slow.stats = CompileStats::default();
            return slow;
        }
        match self.try_compile(tree, &files) {
            Some(done) => IncrementalCompilation::compiled(done),
            None => self.slow(tree, config, display_dir),
        }
    }

    fn try_compile(
        &mut self,
        tree: &Tree,
        files: &BTreeMap<String, SourceFile>,
    ) -> Option<(FileSet, CompileStats)> {
        let list: Vec<&SourceFile> = files.values().collect();
        let blobs: Vec<String> = list
            .iter()
            .map(|f| {
                tree.get(&f.input_path)
                    .map(|e| e.id().to_owned())
                    .unwrap_or_default()
            })
            .collect();

        // Parse what is new.
        let mut stats = CompileStats {
            files: list.len(),
            ..CompileStats::default()
        };
        let mut parsed: HashMap<(String, String), Arc<Parsed>> = HashMap::new();
        let mut misses = Vec::new();
        let mut miss_keys = Vec::new();
        for (f, blob) in list.iter().zip(&blobs) {
            let key = (f.name.clone(), blob.clone());
            match self.parsed.get(&key) {
                Some(p) => {
                    parsed.insert(key, p.clone());
                }
                None => {
                    misses.push((f.name.as_str(), &*f.text));
                    miss_keys.push(key);
                }
            }
        }
        if !misses.is_empty() {
            let (protos, infos) = parse_parallel(&misses)?;
            stats.parsed = protos.len();
            for ((proto, info), key) in protos.into_iter().zip(infos).zip(miss_keys) {
                parsed.insert(key, Arc::new(Parsed { proto, info }));
            }
        }
        // Keep only this tree's parses: the next tree is compared with it.
        self.parsed = parsed;
        let entries: Vec<Arc<Parsed>> = list
            .iter()
            .zip(&blobs)
            .map(|(f, b)| self.parsed.get(&(f.name.clone(), b.clone())).cloned())
            .collect::<Option<_>>()?;

        let index: HashMap<&str, usize> = list
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.as_str(), i))
            .collect();
        // `import option` (edition 2024): left to the batch compile, which
        // loads option imports.
        // The same for the language feature files, compiled from source.
        if entries.iter().any(|e| {
            !e.proto.option_dependency.is_empty()
                || e.proto
                    .dependency
                    .iter()
                    .any(|d| wkt::feature_source(d).is_some())
        }) {
            return None;
        }
        let order = topological_order(list.len(), |i| &entries[i].proto.dependency, &index)?;

        // Keys, imports first.
        let mut keys: Vec<Hash> = vec![[0; 32]; list.len()];
        for &i in &order {
            keys[i] = chained_hash(
                &[list[i].name.as_bytes(), &[0], blobs[i].as_bytes()],
                &entries[i].proto.dependency,
                |dep| index.get(dep).map(|&d| keys[d]),
            );
        }

        let to_link: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&i| !self.linked.contains_key(&keys[i]))
            .collect();
        if !to_link.is_empty() {
            stats.linked = to_link.len();
            self.link(&list, &blobs, &entries, &keys, &order, &index, &to_link)?;
        }
        let mut numbers: HashSet<(&str, u32)> = HashSet::new();
        for k in &keys {
            for (extendee, number) in self.extensions.get(k).into_iter().flatten() {
                if !numbers.insert((extendee, *number)) {
                    return None;
                }
            }
        }
        let files = list
            .iter()
            .zip(&keys)
            .map(|(f, k)| Some((f.name.clone(), self.linked.get(k)?.clone())))
            .collect::<Option<_>>()?;
        Some((FileSet { files }, stats))
    }

    #[allow(clippy::too_many_arguments)]
    fn link(
        &mut self,
        list: &[&SourceFile],
        blobs: &[String],
        entries: &[Arc<Parsed>],
        keys: &[Hash],
        order: &[usize],
        index: &HashMap<&str, usize>,
        to_link: &[usize],
    ) -> Option<()> {
        // Everything the files to link import, transitively.
        let linking: HashSet<usize> = to_link.iter().copied().collect();
        let mut needed: HashSet<usize> = HashSet::new();
        let mut stack: Vec<usize> = to_link.to_vec();
        while let Some(i) = stack.pop() {
            for dep in &entries[i].proto.dependency {
                if let Some(&d) = index.get(dep.as_str()) {
                    if !linking.contains(&d) && needed.insert(d) {
                        stack.push(d);
                    }
                }
            }
        }
        let mut wkts: HashSet<&str> = HashSet::new();
        for &i in to_link.iter().chain(&needed) {
            for dep in &entries[i].proto.dependency {
                if wkt::is_well_known(dep) {
                    wkts.insert(dep);
                }
            }
        }
        let mut pool = DescriptorPool::new();
        add_well_known(&mut pool, &wkts)?;
        let mut set = Vec::new();
        for &i in order.iter().filter(|i| needed.contains(i)) {
            append_file(&mut set, &self.linked.get(&keys[i])?.descriptor);
        }
        if !set.is_empty() {
            pool.decode_file_descriptor_set(set.as_slice()).ok()?;
        }
        pool.add_file_descriptor_protos(to_link.iter().map(|&i| entries[i].proto.clone()))
            .ok()?;
        // Definitions protoc refuses: the full compiler reports them.
        let names: HashMap<&str, &str> = to_link
            .iter()
            .map(|&i| (list[i].name.as_str(), &*list[i].text))
            .collect();
        if !crate::validate::check(&pool, |n| names.get(n).copied()).is_empty() {
            return None;
        }
        for x in pool.all_extensions() {
            if names.contains_key(x.parent_file().name()) {
                let key = keys[*index.get(x.parent_file().name())?];
                let extendee = x.containing_message().full_name().to_owned();
                self.extensions
                    .entry(key)
                    .or_default()
                    .push((extendee, x.number()));
            }
        }

        for &i in to_link {
            let f = list[i];
            let file = pool.get_file_by_name(&f.name)?;
            let descriptor: Arc<[u8]> = Arc::from(file.encode_to_vec());
            let sites = option_sites(&entries[i].proto);
            let source_info: Arc<[u8]> = if sites.is_empty() {
                Arc::from(entries[i].info.as_slice())
            } else {
                let mut info =
                    <SourceCodeInfo as prost::Message>::decode(entries[i].info.as_slice()).ok()?;
                relocate_options(&pool, &sites, &mut info);
                Arc::from(prost::Message::encode_to_vec(&info))
            };
            let schema_hash = chained_hash(&[&descriptor], &entries[i].proto.dependency, |dep| {
                let &d = index.get(dep)?;
                Some(self.linked.get(&keys[d])?.schema_hash)
            });
            let linked = LinkedFile {
                name: f.name.clone(),
                input_path: f.input_path.clone(),
                display_path: f.display_path.clone(),
                blob: blobs[i].clone(),
                text: f.text.clone(),
                dependencies: entries[i].proto.dependency.clone(),
                descriptor,
                source_info,
                key: keys[i],
                schema_hash,
            };
            self.linked.insert(keys[i], Arc::new(linked));
        }
        Some(())
    }

    /// The full compiler: for diagnostics, and for trees the fast path
    /// declines (its result is correct, only not shared).
    fn slow(&mut self, tree: &Tree, config: &Config, display_dir: &str) -> IncrementalCompilation {
        let compilation = compile_tree(tree, config, display_dir);
        let image = match compilation.image {
            Some(image) if compilation.diagnostics.is_empty() => image,
            _ => return IncrementalCompilation::failed(compilation.diagnostics),
        };
        let mut files = BTreeMap::new();
        let mut hashes: HashMap<String, Hash> = HashMap::new();
        for (file, meta) in image.pool().files().zip(image.files()) {
            let deps: Vec<String> = file.dependencies().map(|d| d.name().to_owned()).collect();
            let mut bytes = file.encode_to_vec();
            bytes = crate::image::strip_field(&bytes, 9);
            let schema_hash = chained_hash(&[&bytes], &deps, |dep| hashes.get(dep).copied());
            hashes.insert(meta.name.clone(), schema_hash);
            if meta.is_import {
                continue;
            }
            let blob = tree
                .get(&meta.input_path)
                .map(|e| e.id().to_owned())
                .unwrap_or_default();
            let mut k = Sha256::new();
            k.update(b"slow");
            k.update(schema_hash);
            k.update(blob.as_bytes());
            let info = image
                .source_info(&meta.name)
                .map(|i| prost::Message::encode_to_vec(&i))
                .unwrap_or_default();
            let Some(text) = meta.source.clone() else {
                continue;
            };
            files.insert(
                meta.name.clone(),
                Arc::new(LinkedFile {
                    name: meta.name.clone(),
                    input_path: meta.input_path.clone(),
                    display_path: meta.display_path.clone(),
                    blob,
                    text,
                    dependencies: deps,
                    descriptor: Arc::from(bytes),
                    source_info: Arc::from(info),
                    key: k.finalize().into(),
                    schema_hash,
                }),
            );
        }
        let stats = CompileStats {
            files: files.len(),
            parsed: files.len(),
            linked: files.len(),
        };
        IncrementalCompilation::compiled((FileSet { files }, stats))
    }
}

/// SHA-256 of `head`, then for each import its hash (`of`), or its name for
/// a file outside the set (a well-known type). Keys and schema hashes chain
/// through imports this way.
fn chained_hash(head: &[&[u8]], imports: &[String], of: impl Fn(&str) -> Option<Hash>) -> Hash {
    let mut h = Sha256::new();
    for part in head {
        h.update(part);
    }
    for dep in imports {
        h.update([1]);
        match of(dep) {
            Some(hash) => h.update(hash),
            None => h.update(dep.as_bytes()),
        }
    }
    h.finalize().into()
}

/// Add the well-known files `names` (and what they import) to `pool`.
fn add_well_known(pool: &mut DescriptorPool, names: &HashSet<&str>) -> Option<()> {
    if names.is_empty() {
        return Some(());
    }
    let global = DescriptorPool::global();
    let mut needed: HashSet<String> = HashSet::new();
    let mut todo: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    while let Some(name) = todo.pop() {
        if needed.insert(name.clone()) {
            if let Some(file) = global.get_file_by_name(&name) {
                todo.extend(file.dependencies().map(|d| d.name().to_owned()));
            }
        }
    }
    let protos: Vec<FileDescriptorProto> = global
        .files()
        .filter(|f| needed.contains(f.name()))
        .map(|f| f.file_descriptor_proto().clone())
        .collect();
    pool.add_file_descriptor_protos(protos).ok()
}

/// Append one encoded file to an encoded `FileDescriptorSet`.
fn append_file(set: &mut Vec<u8>, file: &[u8]) {
    prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, set);
    prost::encoding::encode_varint(file.len() as u64, set);
    set.extend_from_slice(file);
}

impl FileSet {
    pub fn get(&self, name: &str) -> Option<&Arc<LinkedFile>> {
        self.files.get(name)
    }

    /// Every file, by import path.
    pub fn files(&self) -> impl Iterator<Item = &Arc<LinkedFile>> {
        self.files.values()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// `roots` and every file they import (well-known types aside),
    /// imports first.
    pub fn closure(&self, roots: &[&str]) -> Vec<&Arc<LinkedFile>> {
        let mut out = Vec::new();
        let mut done: HashSet<&str> = HashSet::new();
        for root in roots {
            let Some(file) = self.files.get(*root) else {
                continue;
            };
            // Depth-first, post-order: (file, next import).
            let mut stack = vec![(file, 0usize)];
            if !done.insert(&file.name) {
                continue;
            }
            while let Some((f, next)) = stack.pop() {
                if let Some(dep) = f.dependencies.get(next) {
                    stack.push((f, next + 1));
                    if let Some(d) = self.files.get(dep) {
                        if done.insert(&d.name) {
                            stack.push((d, 0));
                        }
                    }
                } else {
                    out.push(f);
                }
            }
        }
        out
    }

    /// An image of `roots` and everything they import.
    pub fn image(&self, roots: &[&str]) -> Result<Image, ImageError> {
        Self::image_of(&self.closure(roots))
    }

    /// An image of every file.
    pub fn image_all(&self) -> Result<Image, ImageError> {
        let names: Vec<&str> = self.files.keys().map(String::as_str).collect();
        self.image(&names)
    }

    fn image_of(files: &[&Arc<LinkedFile>]) -> Result<Image, ImageError> {
        image_from_parts(files, None)
    }
}

/// An image of compiled `files` (imports first) and, optionally, one more
/// encoded file `(name, bytes, imports)` from outside, which is then the only
/// input.
fn image_from_parts(
    files: &[&Arc<LinkedFile>],
    extra: Option<(&str, &[u8], &[String])>,
) -> Result<Image, ImageError> {
    let extra_deps = extra.map_or(&[][..], |(_, _, deps)| deps);
    let wkts: HashSet<&str> = files
        .iter()
        .flat_map(|f| f.dependencies.iter())
        .chain(extra_deps)
        .filter(|d| wkt::is_well_known(d))
        .map(String::as_str)
        .collect();
    let mut pool = DescriptorPool::new();
    add_well_known(&mut pool, &wkts).ok_or(ImageError::WellKnownTypes)?;
    let mut set = Vec::new();
    for f in files {
        append_file(&mut set, &f.descriptor);
    }
    if let Some((_, bytes, _)) = extra {
        append_file(&mut set, bytes);
    }
    pool.decode_file_descriptor_set(set.as_slice())
        .map_err(|e| ImageError::Link {
            message: e.to_string(),
        })?;
    let mut meta: HashMap<String, ImageFile> = files
        .iter()
        .map(|f| {
            let file = ImageFile {
                name: f.name.clone(),
                input_path: f.input_path.clone(),
                display_path: f.display_path.clone(),
                is_import: extra.is_some(),
                source: Some(f.text.clone()),
                source_info: Some(f.source_info.clone()),
                info_in_pool: false,
            };
            (f.name.clone(), file)
        })
        .collect();
    if let Some((name, _, _)) = extra {
        meta.insert(
            name.to_owned(),
            ImageFile {
                name: name.to_owned(),
                input_path: name.to_owned(),
                display_path: name.to_owned(),
                is_import: false,
                source: None,
                source_info: None,
                info_in_pool: false,
            },
        );
    }
    Ok(Image::new(pool, meta))
}

impl FileSet {
    /// An image of `file` (an encoded `FileDescriptorProto` from outside,
    /// linked or not) and the files of this set it imports; only `file` is
    /// an input.
    pub fn image_with(&self, file: &[u8]) -> Result<Image, ImageError> {
        let proto = <FileDescriptorProto as prost::Message>::decode(file).map_err(|e| {
            ImageError::NotAFile {
                message: e.to_string(),
            }
        })?;
        crate::limits::check_descriptor(&proto).map_err(ImageError::Limit)?;
        let name = proto.name().to_owned();
        let deps: Vec<&str> = proto.dependency.iter().map(String::as_str).collect();
        for dep in &deps {
            if !wkt::is_well_known(dep) && !self.files.contains_key(*dep) {
                return Err(ImageError::MissingImport {
                    file: name,
                    import: (*dep).to_owned(),
                });
            }
        }
        image_from_parts(&self.closure(&deps), Some((&name, file, &proto.dependency)))
    }
}

/// Reads an import by path, for [`compile_text`].
pub type ReadImport = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Why [`compile_text`] refused a file: its first problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The file name is not a valid import path.
    #[error("file name: {message}")]
    FileName { message: String },
    /// A problem in the text (syntax, an import, a limit, a definition
    /// protoc refuses), shown as `file:line:column: message`.
    #[error("{}", located(.file, .location.as_ref(), .message))]
    Invalid {
        file: String,
        location: Option<Location>,
        message: String,
    },
    /// The file linked but is not in the result (a compiler bug).
    #[error("`{file}` did not compile")]
    Missing { file: String },
}

fn located(file: &str, location: Option<&Location>, message: &str) -> String {
    match location {
        Some(l) => format!("{file}:{}:{}: {message}", l.start_line, l.start_column),
        None => format!("{file}: {message}"),
    }
}

/// Compile one `.proto` text named `name`; its imports are read with
/// `read` (the well-known types always resolve). Returns the linked
/// `FileDescriptorProto`, encoded, or the first problem.
pub fn compile_text(name: &str, text: &str, read: ReadImport) -> Result<Vec<u8>, TextError> {
    struct Resolver {
        name: String,
        file: std::sync::Mutex<Option<protox::file::File>>,
        read: ReadImport,
        google: protox::file::GoogleFileResolver,
    }
    impl protox::file::FileResolver for Resolver {
        fn open_file(&self, name: &str) -> Result<protox::file::File, protox::Error> {
            if name == self.name {
                if let Some(file) = self.file.lock().ok().and_then(|mut f| f.take()) {
                    return Ok(file);
                }
            }
            if let Some(text) = wkt::feature_source(name) {
                return protox::file::File::from_source(name, text);
            }
            if wkt::is_well_known(name) {
                return self.google.open_file(name);
            }
            match (self.read)(name) {
                Some(text) => protox::file::File::from_source(name, &text),
                None => Err(protox::Error::file_not_found(name)),
            }
        }
    }
    if let Some((message, _)) = crate::compile::import_problem(name) {
        return Err(TextError::FileName { message });
    }
    let text = text.strip_prefix(crate::limits::BOM).unwrap_or(text);
    let at = |location: Option<Location>, message: &str| TextError::Invalid {
        file: name.to_owned(),
        location,
        message: message.to_owned(),
    };
    crate::limits::scan_text(text).map_err(|e| {
        let location = e
            .span
            .map(|(s, end)| Location::from_byte_range(text, s, end));
        at(location, &e.message)
    })?;
    let located = |e: protox::Error| {
        let location = miette::Diagnostic::labels(&e)
            .and_then(|mut l| l.next())
            .map(|span| {
                let start = span.offset().min(text.len());
                Location::from_byte_range(text, start, start)
            });
        at(location, &e.to_string())
    };
    if let Some((import, location)) = crate::compile::bad_imports_in_text(text).first() {
        let (message, _) = crate::compile::import_problem(import).unwrap_or_default();
        return Err(at(Some(*location), &message));
    }
    let parsed = protox::file::File::from_source(name, text).map_err(located)?;
    let proto = parsed.file_descriptor_proto();
    if let Err(e) = crate::limits::check_names(proto) {
        let location = e
            .path
            .as_deref()
            .and_then(|p| crate::compile::span_of(proto, p));
        return Err(at(location, &e.message));
    }
    for (i, import) in proto.dependency.iter().enumerate() {
        if let Some((message, _)) = crate::compile::import_problem(import) {
            let index = i32::try_from(i).unwrap_or(i32::MAX);
            return Err(at(crate::compile::span_of(proto, &[3, index]), &message));
        }
    }
    // Linking with source info costs time quadratic in the options times
    // the locations of the file (prost-reflect rewrites every location for
    // every option it interprets): link without it, and only for a small
    // file that failed, link again with it to locate the error.
    let mut bare = proto.clone();
    bare.source_code_info = None;
    let link = |file: protox::file::File| {
        let resolver = Resolver {
            name: name.to_owned(),
            file: std::sync::Mutex::new(Some(file)),
            read: read.clone(),
            google: protox::file::GoogleFileResolver::new(),
        };
        let mut compiler = protox::Compiler::with_file_resolver(resolver);
        compiler.include_imports(true).include_source_info(false);
        compiler.open_file(name)?;
        Ok::<_, protox::Error>(compiler.descriptor_pool())
    };
    let pool = match link(protox::file::File::from_file_descriptor_proto(bare)) {
        Ok(pool) => pool,
        Err(e) if text.len() <= LOCATE_LINK_ERRORS_UP_TO => {
            return Err(link(parsed)
                .err()
                .map_or_else(|| at(None, &e.to_string()), located));
        }
        Err(e) => return Err(at(None, &e.to_string())),
    };
    if let Some((location, message)) = crate::validate::refusal_of_text(&pool, name, text) {
        return Err(at(location, &message));
    }
    let file = pool
        .get_file_by_name(name)
        .ok_or_else(|| TextError::Missing {
            file: name.to_owned(),
        })?;
    Ok(file.encode_to_vec())
}

/// The largest submitted file whose link errors are located by linking it a
/// second time with source info (bounded: that costs quadratic time).
const LOCATE_LINK_ERRORS_UP_TO: usize = 64 << 10;

impl Image {
    /// The same image with only `names` as input files (the rest become
    /// imports, which rules skip).
    pub fn only_inputs(mut self, names: &[&str]) -> Image {
        for f in &mut self.files {
            f.is_import = !names.contains(&f.name.as_str());
        }
        self
    }
}
