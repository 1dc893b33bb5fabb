//! Generators that run inside schemactl rather than as plugin processes:
//! Rust types with prost (`rust: prost`) and topic bindings
//! (`topics: LANG`). They see the same files a plugin's request carries and
//! answer with the same `CodeGeneratorResponse` files, which go through the
//! same output checks.

use prost_types::compiler::code_generator_response::File as ResponseFile;
use schemactl_config::{PluginSource, TopicLang};

use crate::request::File;
use crate::{Catalog, prost_gen, topics};

/// What an in-process generator reads.
pub(crate) struct Input<'a> {
    /// Every file of the image, imports first, managed mode applied.
    pub files: &'a [File],
    /// Indexes into `files` of the files to generate.
    pub generate: &'a [usize],
    /// The plugin's `opt`, joined with `,`.
    pub parameter: &'a str,
    /// The topics and their schema ids.
    pub catalog: &'a Catalog,
}

impl Input<'_> {
    /// The descriptors of the files to generate.
    pub fn generated(&self) -> impl Iterator<Item = &File> {
        self.generate.iter().map(|&i| &self.files[i])
    }

    /// The file named `name` (an import path), if the image has it.
    pub fn file(&self, name: &str) -> Option<&File> {
        self.files.iter().find(|f| f.name == name)
    }

    /// The descriptor of the file that declares `topic`'s message, or the
    /// finding when the schemas being generated do not have it.
    pub fn topic_file(
        &self,
        topic: &crate::TopicBinding,
    ) -> Result<prost_types::FileDescriptorProto, String> {
        self.file(&topic.file).map(File::descriptor).ok_or_else(|| {
            format!(
                "topic `{}`: the file `{}` of its message `{}` is not in the schemas",
                topic.name, topic.file, topic.message
            )
        })
    }
}

/// Run the in-process generator of `source`; `Err` is the message of a
/// finding on the plugin entry.
pub(crate) fn run(source: &PluginSource, input: &Input<'_>) -> Result<Vec<ResponseFile>, String> {
    match source {
        PluginSource::Rust => prost_gen::generate(input),
        PluginSource::Topics { lang } => match lang {
            TopicLang::Go => topics::go::generate(input),
            TopicLang::Rust => topics::rust::generate(input),
            TopicLang::Python => topics::python::generate(input),
            TopicLang::TypeScript => topics::typescript::generate(input),
            TopicLang::Java => topics::java::generate(input),
        },
        PluginSource::Local { .. } | PluginSource::ProtocBuiltin { .. } => {
            Err("not an in-process generator".to_owned())
        }
    }
}

/// A generated file for the response.
pub(crate) fn file(name: impl Into<String>, content: impl Into<String>) -> ResponseFile {
    ResponseFile {
        name: Some(name.into()),
        insertion_point: None,
        content: Some(content.into()),
        generated_code_info: None,
    }
}
