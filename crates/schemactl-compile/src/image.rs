use std::collections::HashMap;
use std::sync::Arc;

use prost_reflect::DescriptorPool;

/// A compiled set of files: what lint, breaking, the registry and codegen
/// consume. Immutable once built.
#[derive(Debug, Clone)]
pub struct Image {
    pool: DescriptorPool,
    /// In the pool's order: every file after the files it imports.
    pub(crate) files: Vec<ImageFile>,
    by_name: HashMap<String, usize>,
}

/// One file of an [`Image`].
#[derive(Debug, Clone)]
pub struct ImageFile {
    /// The import path (`acme/identity/v1/user.proto`).
    pub name: String,
    /// The path relative to the input directory (module root + `name`);
    /// `ignore` paths in configuration are matched against it.
    pub input_path: String,
    /// The path findings print: the input as the user gave it, the module
    /// root, then `name` (Buf's convention).
    pub display_path: String,
    /// True for files that are only there because something imports them
    /// (the well-known types, files outside the input); rules skip them.
    pub is_import: bool,
    /// The `.proto` text, when compiled from source.
    pub source: Option<crate::Text>,
    /// Locations and comments as an encoded `SourceCodeInfo` (compact: a
    /// large tree holds millions of locations; decoded on demand by
    /// [`Image::source_info`]).
    pub(crate) source_info: Option<Arc<[u8]>>,
    /// Whether the pool's descriptor of this file carries the source info
    /// itself (decoded images, the file-by-file compile path) rather than
    /// only `source_info` holding it.
    pub(crate) info_in_pool: bool,
}

/// An image that could not be read ([`Image::decode`]) or assembled from
/// compiled files ([`FileSet::image`](crate::FileSet::image),
/// [`FileSet::image_with`](crate::FileSet::image_with)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// A serialized `FileDescriptorSet` (`.binpb`) that is not valid.
    #[error("`{path}` is not a valid FileDescriptorSet: {message}")]
    Decode { path: String, message: String },
    /// The well-known types the files import are not available.
    #[error("the well-known types did not load")]
    WellKnownTypes,
    /// The descriptors do not link together.
    #[error("{message}")]
    Link { message: String },
    /// Bytes submitted as one file that are not a `FileDescriptorProto`.
    #[error("not a FileDescriptorProto: {message}")]
    NotAFile { message: String },
    /// A submitted descriptor over one of the compiler's limits.
    #[error("{0}")]
    Limit(crate::limits::LimitError),
    /// A submitted descriptor imports a file the set does not have.
    #[error("`{file}` imports `{import}`, which the registry does not have")]
    MissingImport { file: String, import: String },
}

impl ImageError {
    /// What the user can do about it, when there is something.
    pub fn hint(&self) -> Option<String> {
        match self {
            ImageError::Decode { .. } => Some(
                "pass a file written by `schemactl build -o`, `buf build -o` or `protoc --descriptor_set_out`"
                    .to_owned(),
            ),
            ImageError::Limit(e) => e.hint(),
            ImageError::MissingImport { import, .. } => Some(format!(
                "submit `{import}` as a reference, or add it to the schema repository"
            )),
            ImageError::WellKnownTypes | ImageError::Link { .. } | ImageError::NotAFile { .. } => {
                None
            }
        }
    }
}

impl Image {
    pub(crate) fn new(pool: DescriptorPool, mut meta: HashMap<String, ImageFile>) -> Self {
        let files: Vec<ImageFile> = pool
            .files()
            .map(|f| {
                let mut file = meta.remove(f.name()).unwrap_or_else(|| ImageFile {
                    name: f.name().to_owned(),
                    input_path: f.name().to_owned(),
                    display_path: f.name().to_owned(),
                    is_import: true,
                    source: None,
                    source_info: None,
                    info_in_pool: false,
                });
                if file.source_info.is_none() {
                    file.source_info = f
                        .file_descriptor_proto()
                        .source_code_info
                        .as_ref()
                        .map(|i| Arc::from(prost::Message::encode_to_vec(i)));
                    file.info_in_pool = file.source_info.is_some();
                }
                file
            })
            .collect();
        let by_name = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.clone(), i))
            .collect();
        Image {
            pool,
            files,
            by_name,
        }
    }

    /// Read a serialized `FileDescriptorSet` (`.binpb`). Every file in it is
    /// treated as part of the input except the well-known types.
    pub fn decode(path: &str, bytes: &[u8]) -> Result<Self, ImageError> {
        let error = |message: String| ImageError::Decode {
            path: path.to_owned(),
            message,
        };
        let set = <prost_types::FileDescriptorSet as prost::Message>::decode(bytes)
            .map_err(|e| error(e.to_string()))?;
        for file in &set.file {
            crate::limits::check_descriptor(file).map_err(|e| error(e.message))?;
        }
        crate::limits::check_descriptor_set(&set.file).map_err(|e| error(e.message))?;
        let pool =
            DescriptorPool::from_file_descriptor_set(set).map_err(|e| error(e.to_string()))?;
        let meta = pool
            .files()
            .map(|f| {
                let name = f.name().to_owned();
                let file = ImageFile {
                    input_path: name.clone(),
                    display_path: name.clone(),
                    is_import: crate::wkt::is_well_known(&name),
                    name: name.clone(),
                    source: None,
                    source_info: None,
                    info_in_pool: false,
                };
                (name, file)
            })
            .collect();
        Ok(Image::new(pool, meta))
    }

    pub fn pool(&self) -> &DescriptorPool {
        &self.pool
    }

    /// The image of only the input files `targeted` picks, as Buf builds
    /// one for `--path`: those files stay input files, the files they
    /// import (directly or not) are kept as imports, and every other file
    /// is left out (an image with no file when `targeted` picks none).
    pub fn select(&self, targeted: impl Fn(&ImageFile) -> bool) -> Result<Image, ImageError> {
        let mut keep: std::collections::HashSet<&str> = self
            .input_files()
            .filter(|f| targeted(f))
            .map(|f| f.name.as_str())
            .collect();
        let targets = keep.clone();
        // Each file comes after its imports: walking backwards, a kept
        // file's imports are marked before they are reached.
        for file in self.pool.files().collect::<Vec<_>>().iter().rev() {
            if keep.contains(file.name()) {
                for dependency in file.dependencies() {
                    if let Some(known) = self.by_name.get_key_value(dependency.name()) {
                        keep.insert(known.0.as_str());
                    }
                }
            }
        }
        let mut pool = DescriptorPool::new();
        let mut meta = HashMap::new();
        for (file, image_file) in self.pool.files().zip(&self.files) {
            if !keep.contains(file.name()) {
                continue;
            }
            pool.decode_file_descriptor_proto(file.encode_to_vec().as_slice())
                .map_err(|e| ImageError::Link {
                    message: e.to_string(),
                })?;
            let mut image_file = image_file.clone();
            image_file.is_import = !targets.contains(image_file.name.as_str());
            meta.insert(image_file.name.clone(), image_file);
        }
        Ok(Image::new(pool, meta))
    }

    /// Every file, imports first.
    pub fn files(&self) -> &[ImageFile] {
        &self.files
    }

    /// The files of the input itself (not imports), in dependency order.
    pub fn input_files(&self) -> impl Iterator<Item = &ImageFile> {
        self.files.iter().filter(|f| !f.is_import)
    }

    pub fn file(&self, name: &str) -> Option<&ImageFile> {
        self.by_name.get(name).map(|&i| &self.files[i])
    }

    /// A file's source info (locations, comments), if it has any.
    ///
    /// Columns count characters, as every other location does: the
    /// compiler's spans count bytes, so on a line with non-ASCII text before
    /// an element they are converted from the file's text.
    pub fn source_info(&self, name: &str) -> Option<prost_types::SourceCodeInfo> {
        let file = self.file(name)?;
        let bytes = file.source_info.as_ref()?;
        let mut info: prost_types::SourceCodeInfo = prost::Message::decode(&**bytes).ok()?;
        if let Some(text) = file.source.as_deref().filter(|t| !t.is_ascii()) {
            spans_in_characters(&mut info, text);
        }
        Some(info)
    }

    /// Serialize as a `FileDescriptorSet`, files in dependency order.
    /// Extension options are kept: each file is encoded from the pool (which
    /// keeps them; prost-types would drop them) and source info is added or
    /// stripped at the wire level.
    pub fn encode(&self, include_imports: bool, include_source_info: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for (file, meta) in self.pool.files().zip(&self.files) {
            if meta.is_import && !include_imports {
                continue;
            }
            let mut bytes = file.encode_to_vec();
            if !include_source_info {
                bytes = strip_field(&bytes, 9);
            } else if let (false, Some(info)) = (meta.info_in_pool, &meta.source_info) {
                // FileDescriptorProto.source_code_info is field 9; put it
                // where a canonical encoder would, so re-encoding a decoded
                // image gives the same bytes.
                bytes = insert_field(&bytes, 9, info);
            }
            // FileDescriptorSet.file is field 1, length-delimited.
            prost::encoding::encode_key(1, prost::encoding::WireType::LengthDelimited, &mut out);
            prost::encoding::encode_varint(bytes.len() as u64, &mut out);
            out.extend_from_slice(&bytes);
        }
        out
    }
}

/// Insert length-delimited field `number` with `payload` before the first
/// top-level field with a higher number.
fn insert_field(bytes: &[u8], number: u32, payload: &[u8]) -> Vec<u8> {
    let mut at = bytes.len();
    let mut buf = bytes;
    while !buf.is_empty() {
        let start = bytes.len() - buf.len();
        let Ok((tag, wire_type)) = prost::encoding::decode_key(&mut buf) else {
            break;
        };
        if tag > number {
            at = start;
            break;
        }
        let ctx = prost::encoding::DecodeContext::default();
        if prost::encoding::skip_field(wire_type, tag, &mut buf, ctx).is_err() {
            break;
        }
    }
    let mut out = Vec::with_capacity(bytes.len() + payload.len() + 6);
    out.extend_from_slice(&bytes[..at]);
    prost::encoding::encode_key(number, prost::encoding::WireType::LengthDelimited, &mut out);
    prost::encoding::encode_varint(payload.len() as u64, &mut out);
    out.extend_from_slice(payload);
    out.extend_from_slice(&bytes[at..]);
    out
}

/// Remove every occurrence of length-delimited field `number` from an
/// encoded message (used to drop `source_code_info` without decoding).
pub(crate) fn strip_field(bytes: &[u8], number: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut buf = bytes;
    while !buf.is_empty() {
        let start = bytes.len() - buf.len();
        let Ok((tag, wire_type)) = prost::encoding::decode_key(&mut buf) else {
            return bytes.to_vec();
        };
        let skip = prost::encoding::skip_field(
            wire_type,
            tag,
            &mut buf,
            prost::encoding::DecodeContext::default(),
        );
        if skip.is_err() {
            return bytes.to_vec();
        }
        let end = bytes.len() - buf.len();
        if tag != number {
            out.extend_from_slice(&bytes[start..end]);
        }
    }
    out
}

/// Turn the byte columns of `info`'s spans into character columns of `text`
/// (spans are 0-based `[line, column, (end line,) end column]`). Lines that
/// are ASCII, and spans past the text, are left as they are.
fn spans_in_characters(info: &mut prost_types::SourceCodeInfo, text: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    let column = |line: i32, column: i32| -> i32 {
        let (Ok(l), Ok(c)) = (usize::try_from(line), usize::try_from(column)) else {
            return column;
        };
        match lines.get(l) {
            Some(text) if !text.is_ascii() => {
                let mut c = c.min(text.len());
                while !text.is_char_boundary(c) {
                    c -= 1;
                }
                i32::try_from(text[..c].chars().count()).unwrap_or(column)
            }
            _ => column,
        }
    };
    for location in &mut info.location {
        let span = &mut location.span;
        match span.len() {
            3 => {
                span[1] = column(span[0], span[1]);
                span[2] = column(span[0], span[2]);
            }
            4 => {
                span[1] = column(span[0], span[1]);
                span[3] = column(span[2], span[3]);
            }
            _ => {}
        }
    }
}
