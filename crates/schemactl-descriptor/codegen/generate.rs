//! Generating the descriptor types of the workspace's prost-types fork
//! (`third_party/prost-types/src/protobuf.rs` and `compiler.rs`) from the
//! checked-in `.proto` files of protobuf 33.5 under
//! `third_party/prost-types/proto/`: shared by the `regenerate` example
//! (which writes them) and the `regenerate` test (which compares).
//!
//! The configuration is prost-types' own (prost's `tests/src/bootstrap.rs`:
//! well-known types compiled, `BTreeMap` for maps); only the `.proto`
//! files are newer, so the generated code gains editions (`edition`,
//! `features`, `FeatureSet`, `SymbolVisibility`, ...) and nothing else.

use std::path::{Path, PathBuf};

/// The prost-types fork's directory.
pub fn fork_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../third_party/prost-types")
}

/// The generated files, relative to the fork's directory, with the
/// prost-build output each one is.
pub const GENERATED: [(&str, &str); 2] = [
    ("src/protobuf.rs", "google.protobuf.rs"),
    ("src/compiler.rs", "google.protobuf.compiler.rs"),
];

/// The checked-in sources, relative to the fork's `proto/` directory, in
/// the order prost-types compiles them.
pub const SOURCES: [&str; 10] = [
    "google/protobuf/descriptor.proto",
    "google/protobuf/compiler/plugin.proto",
    "google/protobuf/any.proto",
    "google/protobuf/api.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/source_context.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/type.proto",
];

/// Compiles the checked-in sources with protox and generates their Rust
/// types with prost-build into `out_dir`; returns the text of each of
/// [`GENERATED`], in order.
pub fn generate(out_dir: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let proto_dir = fork_dir().join("proto");
    let fds = protox::compile(SOURCES, [&proto_dir])?;
    let rust_dir = out_dir.join("rust");
    std::fs::create_dir_all(&rust_dir)?;
    prost_build::Config::new()
        // The files define the well-known types themselves: generate them
        // instead of mapping them to prost-types'.
        .compile_well_known_types()
        .btree_map(["."])
        // schemactl: editions made every options message larger; the
        // editions-only parts (`features`, `feature_support`) are boxed, so an
        // options message without them costs 8 bytes each for them, as the
        // descriptor copies of a large tree are many.
        .boxed(".google.protobuf.FileOptions.features")
        .boxed(".google.protobuf.MessageOptions.features")
        .boxed(".google.protobuf.FieldOptions.features")
        .boxed(".google.protobuf.FieldOptions.feature_support")
        .boxed(".google.protobuf.OneofOptions.features")
        .boxed(".google.protobuf.EnumOptions.features")
        .boxed(".google.protobuf.EnumValueOptions.features")
        .boxed(".google.protobuf.EnumValueOptions.feature_support")
        .boxed(".google.protobuf.ServiceOptions.features")
        .boxed(".google.protobuf.MethodOptions.features")
        .boxed(".google.protobuf.ExtensionRangeOptions.features")
        .type_attribute(
            ".",
            "#[cfg_attr(feature = \"arbitrary\", derive(arbitrary::Arbitrary))]",
        )
        .out_dir(&rust_dir)
        .compile_fds(fds)?;
    GENERATED
        .iter()
        .map(|(_, output)| Ok(std::fs::read_to_string(rust_dir.join(output))?))
        .collect()
}

/// The well-known types of prost-reflect's global pool, in the order
/// protoc is given them.
pub const WELL_KNOWN: [&str; 12] = [
    "google/protobuf/any.proto",
    "google/protobuf/source_context.proto",
    "google/protobuf/type.proto",
    "google/protobuf/api.proto",
    "google/protobuf/descriptor.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/empty.proto",
    "google/protobuf/field_mask.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/wrappers.proto",
    "google/protobuf/compiler/plugin.proto",
];

/// Their descriptor set, relative to the prost-types fork's directory.
pub const WELL_KNOWN_SET: &str = "../prost-reflect/src/reflect/wkt.binpb";
