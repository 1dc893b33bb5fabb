//! `third_party/prost-reflect/src/descriptor/feature_set_defaults.binpb`
//! (the defaults prost-reflect resolves features with) is what protoc 33.5 writes with
//! `--edition_defaults_out` for the checked-in `descriptor.proto`, editions
//! PROTO2 to 2024 (scripts/regenerate-descriptor.sh writes it).
//!
//! Needs `SCHEMACTL_PROTOC_JAVA` (protoc 33.5, from Maven Central's
//! `com.google.protobuf:protoc`; scripts/test.sh installs it). Without it
//! the test skips with a note, unless `SCHEMACTL_REQUIRE_PROTOC_JAVA` is
//! set.

mod common;

use std::path::Path;
use std::process::Command;

use common::protoc;

#[test]
fn the_checked_in_defaults_are_protocs() {
    let Some(protoc) = protoc() else { return };
    let krate = Path::new(env!("CARGO_MANIFEST_DIR"));
    let version = Command::new(&protoc)
        .arg("--version")
        .output()
        .expect("run protoc");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        "libprotoc 33.5",
        "SCHEMACTL_PROTOC_JAVA is protoc 33.5 (the descriptor.proto's release)"
    );
    let out = tempfile::tempdir().expect("temporary directory");
    let written = out.path().join("defaults.binpb");
    let run = Command::new(&protoc)
        .arg(format!(
            "-I{}",
            krate.join("../../third_party/prost-types/proto").display()
        ))
        .arg(format!("--edition_defaults_out={}", written.display()))
        .arg("--edition_defaults_minimum=PROTO2")
        .arg("--edition_defaults_maximum=2024")
        .arg("google/protobuf/descriptor.proto")
        .output()
        .expect("run protoc");
    assert!(
        run.status.success(),
        "protoc: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let fresh = std::fs::read(&written).expect("protoc's output");
    let checked_in = std::fs::read(
        krate.join("../../third_party/prost-reflect/src/descriptor/feature_set_defaults.binpb"),
    )
    .expect("checked-in defaults");
    assert!(
        fresh == checked_in,
        "third_party/prost-reflect/src/descriptor/feature_set_defaults.binpb differs from protoc's --edition_defaults_out \
         ({} bytes against {}): write it again with scripts/regenerate-descriptor.sh",
        checked_in.len(),
        fresh.len()
    );
    // And the crate decodes the same defaults it compiled in.
    let decoded =
        <schemactl_descriptor::FeatureSetDefaults as prost::Message>::decode(fresh.as_slice())
            .expect("decode protoc's defaults");
    assert_eq!(
        decoded,
        schemactl_descriptor::feature_set_defaults().expect("compiled-in defaults")
    );
}
