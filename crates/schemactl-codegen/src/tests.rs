use prost::Message;
use prost_types::compiler::CodeGeneratorRequest;
use schemactl_config::{FileOption, ManagedConfig, ManagedDisable, ManagedOverride, OptionValue};

use super::*;

use crate::test_support::image;

const B: &str = "syntax = \"proto3\";\npackage b.v1;\nmessage B {}\n";
const A: &str = "syntax = \"proto3\";\npackage a.v1;\nimport \"b/v1/b.proto\";\nimport \"google/protobuf/timestamp.proto\";\n// A thing.\nmessage A {\n  b.v1.B b = 1;\n  google.protobuf.Timestamp at = 2;\n  optional string note = 3;\n}\n";

#[test]
fn the_request_is_what_protoc_sends() {
    let image = image(&[("a/v1/a.proto", A), ("b/v1/b.proto", B)]);
    let files = request::files(&image, &ManagedConfig::default());
    let a = files
        .iter()
        .position(|f| f.name == "a/v1/a.proto")
        .expect("a");
    let bytes = request::encode(&files, &[a], "paths=source_relative,x=1");
    let request = CodeGeneratorRequest::decode(bytes.as_slice()).expect("decodes");
    assert_eq!(request.file_to_generate, ["a/v1/a.proto"]);
    assert_eq!(request.parameter(), "paths=source_relative,x=1");
    let names: Vec<&str> = request.proto_file.iter().map(|f| f.name()).collect();
    // Every dependency, before the files that import it.
    let position = |n: &str| names.iter().position(|x| *x == n).expect(n);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(position("b/v1/b.proto") < position("a/v1/a.proto"));
    assert!(position("google/protobuf/timestamp.proto") < position("a/v1/a.proto"));
    // Source info (comments) on the file to generate only.
    for file in &request.proto_file {
        assert_eq!(
            file.source_code_info.is_some(),
            file.name() == "a/v1/a.proto",
            "{}",
            file.name()
        );
    }
    assert!(files[a].proto3_optional);
    // Field 17, newer than prost-types' copy of plugin.proto.
    let sources: Vec<String> = wire::fields(&bytes)
        .expect("valid")
        .iter()
        .filter(|f| f.number == 17)
        .map(|f| {
            let file = prost_types::FileDescriptorProto::decode(f.payload).expect("file");
            assert!(file.source_code_info.is_some());
            file.name().to_owned()
        })
        .collect();
    assert_eq!(sources, ["a/v1/a.proto"]);
    let version = request.compiler_version.expect("compiler_version");
    let (major, minor, patch) = compiler_version();
    assert_eq!(
        (
            version.major(),
            version.minor(),
            version.patch(),
            version.suffix()
        ),
        (major, minor, patch, "")
    );
    assert_eq!(
        format!("{major}.{minor}.{patch}"),
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn the_directory_strategy_runs_once_per_directory() {
    let image = image(&[
        ("a/v1/a.proto", A),
        ("b/v1/b.proto", B),
        (
            "b/v1/c.proto",
            "syntax = \"proto3\";\npackage b.v1;\nmessage C {}\n",
        ),
    ]);
    let files = request::files(&image, &ManagedConfig::default());
    let mut plugin = PluginConfig {
        source: PluginSource::Local {
            argv: vec!["x".into()],
        },
        out: "gen".into(),
        opt: Vec::new(),
        strategy: Strategy::Directory,
        include_imports: false,
        include_wkt: false,
        types: Vec::new(),
        exclude_types: Vec::new(),
        line: 1,
        column: 1,
    };
    let names = |groups: Vec<Vec<usize>>| -> Vec<Vec<String>> {
        groups
            .into_iter()
            .map(|g| g.into_iter().map(|i| files[i].name.clone()).collect())
            .collect()
    };
    assert_eq!(
        names(groups(&files, &plugin)),
        [
            vec!["a/v1/a.proto".to_owned()],
            vec!["b/v1/b.proto".to_owned(), "b/v1/c.proto".to_owned()]
        ]
    );
    plugin.strategy = Strategy::All;
    assert_eq!(groups(&files, &plugin).len(), 1);
    plugin.include_imports = true;
    assert_eq!(groups(&files, &plugin)[0].len(), 3, "no well-known types");
    plugin.include_wkt = true;
    assert_eq!(groups(&files, &plugin)[0].len(), 4);
}

#[test]
fn managed_mode_sets_options_and_keeps_custom_ones() {
    // a.v1's file with `options { [50000]: 7 }`, an extension the plugin
    // must still see.
    let mut options = Vec::new();
    wire::put_varint(&mut options, 50000, 7);
    wire::put_bytes(&mut options, 11, b"old/go/path");
    let mut file = Vec::new();
    wire::put_bytes(&mut file, 1, b"acme/identity/v1/user_events.proto");
    wire::put_bytes(&mut file, 2, b"acme.identity.v1");
    wire::put_bytes(&mut file, 8, &options);
    wire::put_bytes(&mut file, 12, b"proto3");
    let config = ManagedConfig {
        enabled: true,
        overrides: vec![
            ManagedOverride {
                file_option: FileOption::GoPackagePrefix,
                value: OptionValue::String("example.com/gen".into()),
                path: None,
                module: None,
                line: 1,
            },
            ManagedOverride {
                file_option: FileOption::JavaPackagePrefix,
                value: OptionValue::String("org.acme".into()),
                path: Some("acme/identity".into()),
                module: None,
                line: 2,
            },
            ManagedOverride {
                file_option: FileOption::JavaPackagePrefix,
                value: OptionValue::String("net.other".into()),
                path: Some("other".into()),
                module: None,
                line: 3,
            },
        ],
        disables: vec![ManagedDisable {
            file_option: Some(FileOption::RubyPackage),
            path: None,
            module: None,
            line: 4,
        }],
    };
    let out = managed::apply(
        &config,
        "acme/identity/v1/user_events.proto",
        ".",
        "acme.identity.v1",
        &file,
    );
    let decoded = prost_types::FileDescriptorProto::decode(out.as_slice()).expect("decodes");
    let o = decoded.options.clone().expect("options");
    assert_eq!(
        o.go_package(),
        "example.com/gen/acme/identity/v1;identityv1"
    );
    assert_eq!(o.java_package(), "org.acme.acme.identity.v1");
    assert!(o.java_multiple_files());
    assert_eq!(o.java_outer_classname(), "UserEventsProto");
    assert_eq!(o.csharp_namespace(), "Acme.Identity.V1");
    assert_eq!(o.php_namespace(), "Acme\\Identity\\V1");
    assert_eq!(
        o.php_metadata_namespace(),
        "Acme\\Identity\\V1\\GPBMetadata"
    );
    assert_eq!(o.objc_class_prefix(), "AIX");
    assert_eq!(o.ruby_package, None, "disabled");
    assert_eq!(decoded.syntax(), "proto3");
    let options_bytes: Vec<u8> = wire::fields(&out)
        .expect("valid")
        .iter()
        .filter(|f| f.number == 8)
        .flat_map(|f| f.payload.to_vec())
        .collect();
    assert!(
        wire::fields(&options_bytes)
            .expect("valid")
            .iter()
            .any(|f| f.number == 50000),
        "the custom option is kept"
    );
    // The well-known types and a disabled managed mode are left alone.
    assert_eq!(
        managed::apply(
            &config,
            "google/protobuf/any.proto",
            ".",
            "google.protobuf",
            &file
        ),
        file
    );
    let off = ManagedConfig {
        enabled: false,
        ..config
    };
    assert_eq!(managed::apply(&off, "a.proto", ".", "a", &file), file);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_output_directory_is_not_followed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::create_dir_all(tmp.path().join("root/gen")).expect("mkdir");
    std::os::unix::fs::symlink(&outside, tmp.path().join("root/gen/a")).expect("symlink");
    let config = GenerateConfig {
        file: "schemactl.yaml".into(),
        ..GenerateConfig::default()
    };
    let mut outputs = output::Outputs::default();
    outputs
        .add(
            0,
            "gen",
            "p",
            vec![prost_types::compiler::code_generator_response::File {
                name: Some("a/x.go".into()),
                content: Some("x".into()),
                ..Default::default()
            }],
        )
        .expect("valid name");
    let err = output::write(
        &tmp.path().join("root"),
        &config,
        outputs,
        &mut Report::default(),
    )
    .expect_err("refused");
    assert!(matches!(err, CodegenError::OutsideOutput { .. }), "{err}");
    assert!(!outside.join("x.go").exists());
}

#[test]
fn a_response_error_and_a_missing_feature_are_refused() {
    use prost_types::compiler::CodeGeneratorResponse;
    let image = image(&[("a/v1/a.proto", A), ("b/v1/b.proto", B)]);
    let files = request::files(&image, &ManagedConfig::default());
    let a = files
        .iter()
        .position(|f| f.name == "a/v1/a.proto")
        .expect("a");
    let b = files
        .iter()
        .position(|f| f.name == "b/v1/b.proto")
        .expect("b");
    let encode = |r: CodeGeneratorResponse| r.encode_to_vec();
    let error = CodeGeneratorResponse {
        error: Some("bad option `x`\n".into()),
        ..Default::default()
    };
    assert_eq!(
        request::check_response(&files, &[b], "p", &encode(error)).expect_err("error"),
        "`p`: bad option `x`"
    );
    // a.proto uses proto3 `optional`: a plugin must declare it supports it.
    let silent = CodeGeneratorResponse::default();
    let message = request::check_response(&files, &[a], "p", &encode(silent.clone()))
        .expect_err("no proto3 optional");
    assert!(
        message.starts_with("a/v1/a.proto is a proto3 file that contains optional fields, but code generator `p` hasn't been updated"),
        "{message}"
    );
    assert!(request::check_response(&files, &[b], "p", &encode(silent)).is_ok());
    let declared = CodeGeneratorResponse {
        supported_features: Some(1),
        ..Default::default()
    };
    assert!(request::check_response(&files, &[a], "p", &encode(declared)).is_ok());
    assert!(request::check_response(&files, &[a], "p", b"\xff\xff").is_err());
}

#[test]
fn an_editions_file_needs_a_plugin_declaring_its_edition() {
    use prost_types::Edition;
    use prost_types::compiler::CodeGeneratorResponse;
    use prost_types::compiler::code_generator_response::Feature;
    let file = |edition: Edition| request::File {
        name: "e.proto".into(),
        bytes: Vec::new(),
        deps: Vec::new(),
        is_import: false,
        is_wkt: false,
        proto3_optional: false,
        editions: true,
        edition: Some(edition as i32),
    };
    let response = |features: u64, min: Edition, max: Edition| {
        CodeGeneratorResponse {
            supported_features: Some(features),
            minimum_edition: Some(min as i32),
            maximum_edition: Some(max as i32),
            ..Default::default()
        }
        .encode_to_vec()
    };
    let editions = Feature::SupportsEditions as u64 | Feature::Proto3Optional as u64;
    let files = [file(Edition::Edition2024)];
    let silent = request::check_response(
        &files,
        &[0],
        "p",
        &response(1, Edition::Edition2023, Edition::Edition2024),
    )
    .expect_err("no editions support");
    assert!(
        silent.starts_with(
            "e.proto is an editions file, but code generator `p` does not support editions"
        ),
        "{silent}"
    );
    let old = request::check_response(
        &files,
        &[0],
        "p",
        &response(editions, Edition::Proto2, Edition::Edition2023),
    )
    .expect_err("2024 is past the plugin's maximum");
    assert!(
        old.starts_with("e.proto uses edition 2024, which is later than code generator `p`'s maximum supported edition 2023"),
        "{old}"
    );
    let new = request::check_response(
        &[file(Edition::Edition2023)],
        &[0],
        "p",
        &response(editions, Edition::Edition2024, Edition::Edition2024),
    )
    .expect_err("2023 is before the plugin's minimum");
    assert!(
        new.contains("earlier than code generator `p`'s minimum supported edition 2024"),
        "{new}"
    );
    assert!(
        request::check_response(
            &files,
            &[0],
            "p",
            &response(editions, Edition::Proto2, Edition::Edition2024)
        )
        .is_ok()
    );
}
