//! Walking the elements of a file with their `SourceCodeInfo` paths, for
//! rules and code generation alike. Paths follow `descriptor.proto` field
//! numbers.

use prost_reflect::{EnumDescriptor, FileDescriptor, MessageDescriptor, OneofDescriptor};

/// Field numbers of `FileDescriptorProto` and friends, for building paths.
pub mod tag {
    pub const PACKAGE: i32 = 2;
    pub const DEPENDENCY: i32 = 3;
    pub const MESSAGE_TYPE: i32 = 4;
    pub const ENUM_TYPE: i32 = 5;
    pub const SERVICE: i32 = 6;
    pub const EXTENSION: i32 = 7;
    pub const OPTIONS: i32 = 8;
    pub const SYNTAX: i32 = 12;
    /// `name` in every descriptor message.
    pub const NAME: i32 = 1;
    pub const MESSAGE_FIELD: i32 = 2;
    pub const MESSAGE_NESTED: i32 = 3;
    pub const MESSAGE_ENUM: i32 = 4;
    pub const MESSAGE_ONEOF: i32 = 8;
    pub const ENUM_VALUE: i32 = 2;
    pub const SERVICE_METHOD: i32 = 2;
    pub const METHOD_INPUT: i32 = 2;
    pub const METHOD_OUTPUT: i32 = 3;
    pub const METHOD_CLIENT_STREAMING: i32 = 5;
    pub const METHOD_SERVER_STREAMING: i32 = 6;
    pub const FIELD_LABEL: i32 = 4;
    pub const FIELD_TYPE: i32 = 5;
    pub const FIELD_TYPE_NAME: i32 = 6;
}

/// Every message of the file, nested ones included, in declaration order;
/// the synthetic entry messages of `map<>` fields are left out.
pub fn messages(file: &FileDescriptor) -> Vec<MessageDescriptor> {
    let mut out = Vec::new();
    for m in file.messages() {
        push_message(m, &mut out);
    }
    out
}

fn push_message(m: MessageDescriptor, out: &mut Vec<MessageDescriptor>) {
    if m.is_map_entry() {
        return;
    }
    let nested: Vec<_> = m.child_messages().collect();
    out.push(m);
    for n in nested {
        push_message(n, out);
    }
}

/// The name and source path of every field and extension of the file:
/// each message's fields then the extensions declared in it, message by
/// message as [`messages`] orders them, then the file's own extensions.
pub fn fields_and_extensions(file: &FileDescriptor) -> Vec<(String, Vec<i32>)> {
    let mut out: Vec<(String, Vec<i32>)> = Vec::new();
    for message in messages(file) {
        out.extend(
            message
                .fields()
                .map(|f| (f.name().to_owned(), f.path().to_vec())),
        );
        out.extend(
            message
                .child_extensions()
                .map(|x| (x.name().to_owned(), x.path().to_vec())),
        );
    }
    out.extend(
        file.extensions()
            .map(|x| (x.name().to_owned(), x.path().to_vec())),
    );
    out
}

/// Every enum of the file, nested ones included.
pub fn enums(file: &FileDescriptor) -> Vec<EnumDescriptor> {
    let mut out: Vec<EnumDescriptor> = file.enums().collect();
    for m in messages(file) {
        out.extend(m.child_enums());
    }
    out
}

/// Every oneof written in the source (not the synthetic oneofs of proto3
/// `optional` fields).
pub fn oneofs(file: &FileDescriptor) -> Vec<OneofDescriptor> {
    messages(file)
        .iter()
        .flat_map(|m| m.oneofs().filter(|o| !o.is_synthetic()).collect::<Vec<_>>())
        .collect()
}

/// `path` with `suffix` appended.
pub fn join(path: &[i32], suffix: &[i32]) -> Vec<i32> {
    let mut p = path.to_vec();
    p.extend_from_slice(suffix);
    p
}
