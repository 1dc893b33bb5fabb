//! The `CodeGeneratorRequest` a plugin reads, and the checks on the
//! `CodeGeneratorResponse` it writes back.

use std::collections::HashMap;
use std::sync::OnceLock;

use prost::Message;
use prost_types::compiler::CodeGeneratorResponse;
use prost_types::compiler::code_generator_response::Feature;
use schemactl_compile::Image;
use schemactl_config::ManagedConfig;

use crate::{managed, wire};

/// One file of the image, encoded as plugins see it.
pub(crate) struct File {
    pub name: String,
    /// The descriptor with managed mode applied and source info kept.
    pub bytes: Vec<u8>,
    pub deps: Vec<String>,
    pub is_import: bool,
    pub is_wkt: bool,
    pub proto3_optional: bool,
    pub editions: bool,
    /// The file's `edition` (an `Edition` number), for editions files.
    pub edition: Option<i32>,
}

/// Every file of the image, imports first (the image's order).
pub(crate) fn files(image: &Image, managed: &ManagedConfig) -> Vec<File> {
    let set = image.encode(true, true);
    let encoded: Vec<&[u8]> = wire::fields(&set)
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.number == 1)
        .map(|f| f.payload)
        .collect();
    let pairs: Vec<_> = image.files().iter().zip(encoded).collect();
    // Each file is decoded and edited on its own: spread over the cores (a
    // large tree has thousands of files).
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let chunk = pairs.len().div_ceil(workers).max(64);
    std::thread::scope(|scope| {
        let handles: Vec<_> = pairs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(meta, bytes)| file(meta, bytes, managed))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

fn file(meta: &schemactl_compile::ImageFile, bytes: &[u8], managed: &ManagedConfig) -> File {
    // What is read here is outside the source info, by far the largest
    // part of a descriptor: not decoded.
    let proto =
        prost_types::FileDescriptorProto::decode(&*wire::without(bytes, 9)).unwrap_or_default();
    let module = meta
        .input_path
        .strip_suffix(meta.name.as_str())
        .map(|m| m.trim_end_matches('/'))
        .filter(|m| !m.is_empty())
        .unwrap_or(".");
    File {
        name: meta.name.clone(),
        bytes: managed::apply(managed, &meta.name, module, proto.package(), bytes),
        deps: wire::strings(bytes, 3),
        is_import: meta.is_import,
        is_wkt: meta.name.starts_with("google/protobuf/"),
        proto3_optional: proto.message_type.iter().any(uses_proto3_optional),
        editions: proto.syntax() == "editions",
        edition: proto.edition.filter(|_| proto.syntax() == "editions"),
    }
}

impl File {
    /// The descriptor as plugins see it (managed mode applied, source info
    /// kept).
    pub fn descriptor(&self) -> prost_types::FileDescriptorProto {
        prost_types::FileDescriptorProto::decode(&*self.bytes).unwrap_or_default()
    }
}

pub(crate) fn uses_proto3_optional(message: &prost_types::DescriptorProto) -> bool {
    message.field.iter().any(|f| f.proto3_optional())
        || message.nested_type.iter().any(uses_proto3_optional)
}

/// The request for generating `generate` (indexes into `files`): every file
/// they depend on, in dependency order, with source info only on the files
/// to generate, as protoc sends it.
#[cfg(test)]
pub(crate) fn encode(files: &[File], generate: &[usize], parameter: &str) -> Vec<u8> {
    Requests::new(files).encode(generate, parameter)
}

/// Which files `generate` needs: themselves and everything they import.
pub(crate) fn needed(files: &[File], generate: &[usize]) -> Vec<bool> {
    Requests::new(files).needed(generate)
}

/// What the requests of one generation share, prepared once for all its
/// plugin runs (hundreds, with one run per directory): each file's imports
/// as indexes, and its descriptor without source info (what a request
/// carries for a file it does not generate), made on first use.
pub(crate) struct Requests<'a> {
    files: &'a [File],
    imports: Vec<Vec<usize>>,
    bare: Vec<OnceLock<Vec<u8>>>,
}

impl<'a> Requests<'a> {
    pub fn new(files: &'a [File]) -> Self {
        let index: HashMap<&str, usize> = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.name.as_str(), i))
            .collect();
        Requests {
            files,
            imports: files
                .iter()
                .map(|f| {
                    f.deps
                        .iter()
                        .filter_map(|d| index.get(d.as_str()).copied())
                        .collect()
                })
                .collect(),
            bare: files.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    pub fn files(&self) -> &'a [File] {
        self.files
    }

    /// Which files `generate` needs: themselves and everything they import.
    pub fn needed(&self, generate: &[usize]) -> Vec<bool> {
        let mut needed = vec![false; self.files.len()];
        let mut stack: Vec<usize> = generate.to_vec();
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut needed[i], true) {
                continue;
            }
            stack.extend(&self.imports[i]);
        }
        needed
    }

    /// About how large the request for `generate` is, in bytes: the cost of
    /// the run, for starting the longest runs first.
    pub fn size(&self, generate: &[usize]) -> usize {
        self.needed(generate)
            .iter()
            .zip(self.files)
            .filter(|(n, _)| **n)
            .map(|(_, f)| f.bytes.len())
            .sum()
    }

    /// The request for generating `generate` (indexes into the files): every
    /// file they depend on, in dependency order, with source info only on
    /// the files to generate, as protoc sends it.
    pub fn encode(&self, generate: &[usize], parameter: &str) -> Vec<u8> {
        let files = self.files;
        let needed = self.needed(generate);
        let mut generated = vec![false; files.len()];
        for &i in generate {
            generated[i] = true;
        }
        let mut out = Vec::new();
        for &i in generate {
            wire::put_bytes(&mut out, 1, files[i].name.as_bytes());
        }
        if !parameter.is_empty() {
            wire::put_bytes(&mut out, 2, parameter.as_bytes());
        }
        let (major, minor, patch) = crate::compiler_version();
        let mut version = Vec::new();
        for (number, value) in [(1, major), (2, minor), (3, patch)] {
            wire::put_varint(&mut version, number, u64::try_from(value).unwrap_or(0));
        }
        wire::put_bytes(&mut version, 4, b"");
        wire::put_bytes(&mut out, 3, &version);
        for (i, file) in files.iter().enumerate() {
            if !needed[i] {
                continue;
            }
            if generated[i] {
                wire::put_bytes(&mut out, 15, &file.bytes);
            } else {
                // FileDescriptorProto.source_code_info.
                let bare = self.bare[i].get_or_init(|| wire::without(&file.bytes, 9));
                wire::put_bytes(&mut out, 15, bare);
            }
        }
        for &i in generate {
            wire::put_bytes(&mut out, 17, &files[i].bytes);
        }
        out
    }

    /// The `FileDescriptorSet` protoc's built-in generators read
    /// (`--descriptor_set_in`): the files of `generate` and their
    /// dependencies, in dependency order.
    pub fn descriptor_set(&self, generate: &[usize]) -> Vec<u8> {
        let needed = self.needed(generate);
        let mut out = Vec::new();
        for (file, _) in self.files.iter().zip(&needed).filter(|(_, n)| **n) {
            wire::put_bytes(&mut out, 1, &file.bytes);
        }
        out
    }
}

/// The decoded response, or why it is refused: the plugin's own `error`, or
/// a feature the files need and the plugin does not declare.
pub(crate) fn check_response(
    files: &[File],
    generate: &[usize],
    plugin: &str,
    bytes: &[u8],
) -> Result<CodeGeneratorResponse, String> {
    let response = CodeGeneratorResponse::decode(bytes)
        .map_err(|e| format!("`{plugin}` wrote an invalid CodeGeneratorResponse: {e}"))?;
    if let Some(error) = &response.error {
        return Err(format!("`{plugin}`: {}", error.trim_end()));
    }
    let features = response.supported_features();
    for &i in generate {
        let file = &files[i];
        if file.proto3_optional && features & Feature::Proto3Optional as u64 == 0 {
            return Err(format!(
                "{} is a proto3 file that contains optional fields, but code generator `{plugin}` hasn't been updated to support optional fields in proto3; ask the owner of this code generator to support proto3 optional",
                file.name
            ));
        }
        if !file.editions {
            continue;
        }
        if features & Feature::SupportsEditions as u64 == 0 {
            return Err(format!(
                "{} is an editions file, but code generator `{plugin}` does not support editions; ask the owner of this code generator to support editions, or write the file with `syntax = \"proto3\"`",
                file.name
            ));
        }
        // Like protoc: a plugin declaring editions support names the range
        // of editions it knows.
        let edition = file.edition.unwrap_or_default();
        let (min, max) = (response.minimum_edition(), response.maximum_edition());
        if edition < min {
            return Err(format!(
                "{} uses edition {}, which is earlier than code generator `{plugin}`'s minimum supported edition {}",
                file.name,
                edition_name(edition),
                edition_name(min)
            ));
        }
        if edition > max {
            return Err(format!(
                "{} uses edition {}, which is later than code generator `{plugin}`'s maximum supported edition {}; upgrade the plugin, or write the file in an earlier edition",
                file.name,
                edition_name(edition),
                edition_name(max)
            ));
        }
    }
    Ok(response)
}

/// An `Edition` number as protobuf names it in messages (`2023`,
/// `PROTO3`), or the number itself when it is none of them.
fn edition_name(edition: i32) -> String {
    match prost_types::Edition::try_from(edition) {
        Ok(e) => e.as_str_name().trim_start_matches("EDITION_").to_owned(),
        Err(_) => edition.to_string(),
    }
}
