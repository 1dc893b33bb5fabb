//! The well-known types, which always resolve with nothing on disk.

/// Whether `name` is one of the files every protobuf compiler ships.
pub fn is_well_known(name: &str) -> bool {
    matches!(
        name,
        "google/protobuf/any.proto"
            | "google/protobuf/api.proto"
            | "google/protobuf/descriptor.proto"
            | "google/protobuf/duration.proto"
            | "google/protobuf/empty.proto"
            | "google/protobuf/field_mask.proto"
            | "google/protobuf/source_context.proto"
            | "google/protobuf/struct.proto"
            | "google/protobuf/timestamp.proto"
            | "google/protobuf/type.proto"
            | "google/protobuf/wrappers.proto"
            | "google/protobuf/compiler/plugin.proto"
    )
}
