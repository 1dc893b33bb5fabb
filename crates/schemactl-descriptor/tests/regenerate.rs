//! The prost-types fork's descriptor types are what prost-build generates
//! from the checked-in `.proto` files (compiled by the protox fork), byte
//! for byte; the `.proto` files are protobuf 33.5's; and the well-known
//! types' descriptors in the prost-reflect fork are what protoc 33.5
//! writes for them. Nothing generated is edited by hand.

mod common;
#[path = "../codegen/generate.rs"]
mod generate;

use std::process::Command;

#[test]
fn the_checked_in_code_is_what_the_checked_in_protos_generate() {
    let out = tempfile::tempdir().expect("temporary directory");
    let generated = generate::generate(out.path()).expect("generate");
    for ((target, _), text) in generate::GENERATED.iter().zip(generated) {
        let checked_in = std::fs::read_to_string(generate::fork_dir().join(target))
            .unwrap_or_else(|e| panic!("read {target}: {e}"));
        assert!(
            text == checked_in,
            "third_party/prost-types/{target} differs from what its .proto files generate: run \
             `cargo run -p schemactl-descriptor --example regenerate` and commit the result"
        );
    }
}

#[test]
fn the_checked_in_protos_keep_their_licence() {
    for source in generate::SOURCES {
        let text = std::fs::read_to_string(generate::fork_dir().join("proto").join(source))
            .unwrap_or_else(|e| panic!("read {source}: {e}"));
        assert!(
            text.starts_with("// Protocol Buffers - Google's data interchange format\n"),
            "{source}"
        );
        assert!(
            text.contains("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS")
                || text.contains("license that can be found in the LICENSE file"),
            "{source} lost its licence"
        );
    }
}

/// Every checked-in `.proto` but `plugin.proto` (which protobuf-java does
/// not ship; it comes from grpcio-tools' copy) is protobuf-java 4.33.5's,
/// unchanged.
#[test]
fn the_checked_in_protos_are_the_releases() {
    let Some(jar) = common::protobuf_java_jar() else {
        return;
    };
    for source in generate::SOURCES
        .iter()
        .filter(|s| !s.ends_with("compiler/plugin.proto"))
    {
        let unzip = Command::new("unzip")
            .arg("-p")
            .arg(&jar)
            .arg(source)
            .output()
            .expect("run unzip (scripts/test.sh checks it is installed)");
        assert!(
            unzip.status.success(),
            "unzip {source}: {}",
            String::from_utf8_lossy(&unzip.stderr)
        );
        let checked_in = std::fs::read(generate::fork_dir().join("proto").join(source))
            .unwrap_or_else(|e| panic!("read {source}: {e}"));
        assert!(
            unzip.stdout == checked_in,
            "{source} differs from the one in {}: run scripts/regenerate-descriptor.sh",
            jar.display()
        );
    }
}

/// `third_party/prost-reflect/src/reflect/wkt.binpb` (the global pool's
/// well-known types) is what protoc 33.5 writes for them.
#[test]
fn the_well_known_types_are_protocs() {
    let Some(protoc) = common::protoc() else {
        return;
    };
    let out = tempfile::tempdir().expect("temporary directory");
    let set = out.path().join("wkt.binpb");
    let status = Command::new(&protoc)
        .arg("-I")
        .arg(generate::fork_dir().join("proto"))
        .arg("--include_imports")
        .arg(format!("--descriptor_set_out={}", set.display()))
        .args(generate::WELL_KNOWN)
        .status()
        .expect("run protoc");
    assert!(status.success());
    let fresh = std::fs::read(&set).expect("protoc's set");
    let checked_in =
        std::fs::read(generate::fork_dir().join(generate::WELL_KNOWN_SET)).expect("read wkt.binpb");
    assert!(
        fresh == checked_in,
        "{} differs from protoc's: run scripts/regenerate-descriptor.sh",
        generate::WELL_KNOWN_SET
    );
}
