//! What the tests that run protoc share.

use std::path::PathBuf;

/// protoc 33.5 from `SCHEMACTL_PROTOC_JAVA`, or `None` (with a note) when it
/// is unset and `SCHEMACTL_REQUIRE_PROTOC_JAVA` is not.
pub fn protoc() -> Option<PathBuf> {
    match std::env::var("SCHEMACTL_PROTOC_JAVA") {
        Ok(path) if !path.is_empty() => {
            let path = PathBuf::from(path);
            assert!(
                path.exists(),
                "SCHEMACTL_PROTOC_JAVA={} does not exist",
                path.display()
            );
            Some(path)
        }
        _ => {
            assert!(
                std::env::var_os("SCHEMACTL_REQUIRE_PROTOC_JAVA").is_none(),
                "SCHEMACTL_PROTOC_JAVA is not set and SCHEMACTL_REQUIRE_PROTOC_JAVA is: \
                 scripts/test.sh installs it"
            );
            eprintln!(
                "note: skipping: SCHEMACTL_PROTOC_JAVA is not set (scripts/test.sh installs it)"
            );
            None
        }
    }
}
