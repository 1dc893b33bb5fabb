//! The types carry what protoc 33.5 writes for editions files: the
//! descriptors of `tests/editions/` (2023 with features at every level
//! they may be set, 2024 with `export`/`local` and `import option`) decode
//! and encode again to protoc's bytes, and the editions fields read back as
//! the files wrote them.
//!
//! Needs `SCHEMACTL_PROTOC_JAVA` (see `common::protoc`).

mod common;

use std::path::Path;
use std::process::Command;

use prost::Message;
use schemactl_descriptor::feature_set::{
    EnumType, FieldPresence, JsonFormat, MessageEncoding, RepeatedFieldEncoding, Utf8Validation,
};
use schemactl_descriptor::{Edition, FeatureSet, FileDescriptorSet, SymbolVisibility};

/// protoc's `--descriptor_set_out` (with imports and source info) for
/// `files` under `tests/editions/`.
fn protoc_descriptors(protoc: &Path, files: &[&str]) -> Vec<u8> {
    let krate = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temporary directory");
    let set = out.path().join("set.binpb");
    let run = Command::new(protoc)
        // protoc from Maven Central has no include directory: the
        // checked-in descriptor.proto is the one `import option` names.
        .arg(format!(
            "-I{}",
            krate.join("../../third_party/prost-types/proto").display()
        ))
        .arg(format!("-I{}", krate.join("tests/editions").display()))
        .arg("--include_imports")
        .arg("--include_source_info")
        .arg(format!("--descriptor_set_out={}", set.display()))
        .args(files)
        .output()
        .expect("run protoc");
    assert!(
        run.status.success(),
        "protoc: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read(&set).expect("protoc's descriptor set")
}

fn feature(value: Option<FeatureSet>, get: impl Fn(&FeatureSet) -> Option<i32>) -> Option<i32> {
    value.as_ref().and_then(get)
}

#[test]
fn editions_descriptors_round_trip_through_the_types() {
    let Some(protoc) = common::protoc() else {
        return;
    };
    let bytes = protoc_descriptors(&protoc, &["acme/v1/shop.proto", "acme/v1/visibility.proto"]);
    let set = FileDescriptorSet::decode(bytes.as_slice()).expect("decode protoc's descriptors");
    assert_eq!(
        set.encode_to_vec(),
        bytes,
        "encoding the decoded set gives protoc's bytes again (nothing dropped)"
    );
    let file = |name: &str| {
        set.file
            .iter()
            .find(|f| f.name() == name)
            .unwrap_or_else(|| panic!("{name} in the set"))
    };

    let shop = file("acme/v1/shop.proto");
    assert_eq!(shop.syntax(), "editions");
    assert_eq!(shop.edition(), Edition::Edition2023);
    let file_features = shop
        .options
        .as_ref()
        .and_then(|o| o.features.as_deref().copied());
    assert_eq!(
        feature(file_features, |f| f.field_presence),
        Some(FieldPresence::Implicit as i32)
    );
    assert_eq!(
        feature(file_features, |f| f.enum_type),
        Some(EnumType::Closed as i32)
    );
    let order = &shop.message_type[0];
    assert_eq!(
        feature(
            order
                .options
                .as_ref()
                .and_then(|o| o.features.as_deref().copied()),
            |f| f.json_format
        ),
        Some(JsonFormat::Allow as i32)
    );
    let field_feature = |number: i32, get: fn(&FeatureSet) -> Option<i32>| {
        let field = order
            .field
            .iter()
            .find(|f| f.number() == number)
            .expect("field");
        feature(
            field
                .options
                .as_ref()
                .and_then(|o| o.features.as_deref().copied()),
            get,
        )
    };
    assert_eq!(
        field_feature(1, |f| f.field_presence),
        Some(FieldPresence::Explicit as i32)
    );
    assert_eq!(
        field_feature(2, |f| f.repeated_field_encoding),
        Some(RepeatedFieldEncoding::Expanded as i32)
    );
    assert_eq!(
        field_feature(3, |f| f.message_encoding),
        Some(MessageEncoding::Delimited as i32)
    );
    assert_eq!(
        field_feature(4, |f| f.utf8_validation),
        Some(Utf8Validation::Verify as i32)
    );
    let item = &shop.message_type[1];
    assert_eq!(
        feature(
            item.field[0]
                .options
                .as_ref()
                .and_then(|o| o.features.as_deref().copied()),
            |f| f.field_presence
        ),
        Some(FieldPresence::LegacyRequired as i32)
    );
    assert_eq!(
        feature(
            shop.extension[0]
                .options
                .as_ref()
                .and_then(|o| o.features.as_deref().copied()),
            |f| f.utf8_validation
        ),
        Some(Utf8Validation::Verify as i32)
    );
    assert_eq!(
        feature(
            shop.enum_type[0]
                .options
                .as_ref()
                .and_then(|o| o.features.as_deref().copied()),
            |f| f.enum_type
        ),
        Some(EnumType::Open as i32)
    );

    let visibility = file("acme/v1/visibility.proto");
    assert_eq!(visibility.syntax(), "editions");
    assert_eq!(visibility.edition(), Edition::Edition2024);
    assert_eq!(
        visibility.option_dependency,
        ["google/protobuf/descriptor.proto"]
    );
    assert!(
        visibility.dependency.is_empty(),
        "`import option` is no dependency"
    );
    let shared = &visibility.message_type[0];
    assert_eq!(shared.visibility(), SymbolVisibility::VisibilityExport);
    assert_eq!(
        shared.nested_type[0].visibility(),
        SymbolVisibility::VisibilityLocal
    );
    assert_eq!(
        visibility.enum_type[0].visibility(),
        SymbolVisibility::VisibilityLocal
    );
    assert_eq!(
        visibility.message_type[1].visibility(),
        SymbolVisibility::VisibilityUnset
    );
}
