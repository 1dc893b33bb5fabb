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
    ) || feature_source(name).is_some()
}

/// The text of the feature files of other languages that buf resolves as
/// well-known (`google/protobuf/cpp_features.proto` and `java_features.proto`
/// from protobuf 33.5, Go's `go_features.proto` from google.golang.org/protobuf
/// 1.36.12; checked in under `third_party/wkt-features` with their
/// licences). They are compiled from source like any import.
pub fn feature_source(name: &str) -> Option<&'static str> {
    match name {
        "google/protobuf/cpp_features.proto" => Some(include_str!(
            "../../../third_party/wkt-features/google/protobuf/cpp_features.proto"
        )),
        "google/protobuf/java_features.proto" => Some(include_str!(
            "../../../third_party/wkt-features/google/protobuf/java_features.proto"
        )),
        "google/protobuf/go_features.proto" => Some(include_str!(
            "../../../third_party/wkt-features/google/protobuf/go_features.proto"
        )),
        _ => None,
    }
}
