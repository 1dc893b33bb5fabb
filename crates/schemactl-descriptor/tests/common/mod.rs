//! What the tests that run protoc or read the protobuf-java jar share.

// Not every test binary uses every helper.
#![allow(dead_code)]

use std::path::PathBuf;

/// protoc 33.5 from `SCHEMACTL_PROTOC_JAVA`, or `None` (with a note) when it
/// is unset and `SCHEMACTL_REQUIRE_PROTOC_JAVA` is not.
pub fn protoc() -> Option<PathBuf> {
    tool("PROTOC_JAVA")
}

/// protobuf-java 4.33.5's jar from `SCHEMACTL_PROTOBUF_JAVA_JAR`, or `None`
/// (with a note) when it is unset and `SCHEMACTL_REQUIRE_PROTOBUF_JAVA_JAR`
/// is not.
pub fn protobuf_java_jar() -> Option<PathBuf> {
    tool("PROTOBUF_JAVA_JAR")
}

/// The path in `SCHEMACTL_<name>`, or `None` (with a note) when it is unset
/// and `SCHEMACTL_REQUIRE_<name>` is not.
fn tool(name: &str) -> Option<PathBuf> {
    let var = format!("SCHEMACTL_{name}");
    match std::env::var(&var) {
        Ok(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(path.exists(), "{var}={} does not exist", path.display());
            Some(path)
        }
        _ => {
            assert!(
                std::env::var_os(format!("SCHEMACTL_REQUIRE_{name}")).is_none(),
                "{var} is not set and SCHEMACTL_REQUIRE_{name} is: scripts/test.sh installs it"
            );
            eprintln!("note: skipping: {var} is not set (scripts/test.sh installs it)");
            None
        }
    }
}
