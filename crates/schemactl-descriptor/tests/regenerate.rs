//! `src/google.protobuf.rs` is what prost-build generates from the checked-in
//! `descriptor.proto` (compiled by protox), byte for byte: the generated
//! code is never edited by hand.

mod common;
#[path = "../codegen/generate.rs"]
mod generate;

#[test]
fn the_checked_in_code_is_what_the_checked_in_proto_generates() {
    let out = tempfile::tempdir().expect("temporary directory");
    let generated = generate::generate(out.path()).expect("generate");
    let checked_in = std::fs::read_to_string(generate::crate_dir().join(generate::GENERATED))
        .expect("read src/google.protobuf.rs");
    assert!(
        generated == checked_in,
        "src/google.protobuf.rs differs from what {} generates: run \
         `cargo run -p schemactl-descriptor --example regenerate` and commit the result",
        generate::SOURCE
    );
}

#[test]
fn only_single_number_extension_ranges_are_respelled_for_protox() {
    let text = std::fs::read_to_string(generate::crate_dir().join(generate::SOURCE))
        .expect("read descriptor.proto");
    let (respelled, count) = generate::protox_compatible(&text);
    // FileDescriptorSet's and SourceCodeInfo's Buf extension declarations.
    assert_eq!(count, 2, "descriptor.proto's `extensions N [...]` ranges");
    let changed: Vec<(&str, &str)> = text
        .lines()
        .zip(respelled.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed.len(), count);
    for (before, after) in changed {
        let number = before
            .trim_start()
            .strip_prefix("extensions ")
            .and_then(|r| r.split_once(' '))
            .map(|(n, _)| n)
            .expect("an extension range");
        assert_eq!(
            after,
            before.replacen(
                &format!("extensions {number} "),
                &format!("extensions {number} to {number} "),
                1
            )
        );
    }
    assert_eq!(text.lines().count(), respelled.lines().count());
}

#[test]
fn the_checked_in_proto_keeps_its_licence() {
    let text = std::fs::read_to_string(generate::crate_dir().join(generate::SOURCE))
        .expect("read descriptor.proto");
    assert!(text.starts_with(
        "// Protocol Buffers - Google's data interchange format\n// Copyright 2008 Google Inc.  All rights reserved."
    ));
    assert!(text.contains("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS"));
}

/// The checked-in `descriptor.proto` is protobuf-java 4.33.5's, unchanged.
#[test]
fn the_checked_in_proto_is_the_releases() {
    let Some(jar) = common::protobuf_java_jar() else {
        return;
    };
    let unzip = std::process::Command::new("unzip")
        .arg("-p")
        .arg(&jar)
        .arg("google/protobuf/descriptor.proto")
        .output()
        .expect("run unzip (scripts/test.sh checks it is installed)");
    assert!(
        unzip.status.success(),
        "unzip: {}",
        String::from_utf8_lossy(&unzip.stderr)
    );
    let checked_in =
        std::fs::read(generate::crate_dir().join(generate::SOURCE)).expect("read descriptor.proto");
    assert!(
        unzip.stdout == checked_in,
        "{} differs from the one in {}: run scripts/regenerate-descriptor.sh",
        generate::SOURCE,
        jar.display()
    );
}
