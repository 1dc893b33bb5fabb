//! The dependency invariants of docs/ARCHITECTURE.md, checked.

use crate::common::repo_root;

fn manifest(krate: &str) -> String {
    std::fs::read_to_string(repo_root().join("crates").join(krate).join("Cargo.toml"))
        .expect("manifest")
}

fn depends_on(krate: &str, dep: &str) -> bool {
    manifest(krate).lines().any(|l| {
        l.trim_start().starts_with(&format!("{dep} "))
            || l.trim_start().starts_with(&format!("{dep}."))
    })
}

#[test]
fn heavy_dependencies_live_in_one_crate_each() {
    let crates: Vec<String> = std::fs::read_dir(repo_root().join("crates"))
        .expect("crates")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for (dep, owner) in [
        ("git2", "schemactl-source"),
        ("protox", "schemactl-compile"),
        ("clap", "schemactl"),
        ("yaml-rust2", "schemactl-config"),
        ("axum", "schemactl-server"),
        ("tokio", "schemactl-server"),
        ("tower-http", "schemactl-server"),
        ("hyper", "schemactl-server"),
    ] {
        for krate in &crates {
            if krate != owner {
                assert!(
                    !depends_on(krate, dep),
                    "{krate} depends on {dep}; only {owner} may"
                );
            }
        }
        assert!(depends_on(owner, dep), "{owner} should own {dep}");
    }
}

#[test]
fn leaf_crates_stay_leaves() {
    for leaf in [
        "schemactl-source",
        "schemactl-config",
        "schemactl-diagnostics",
    ] {
        for other in [
            "schemactl-source",
            "schemactl-config",
            "schemactl-diagnostics",
            "schemactl-compile",
        ] {
            if leaf != other {
                assert!(
                    !depends_on(leaf, other),
                    "{leaf} must not depend on {other}"
                );
            }
        }
    }
}

#[test]
fn the_registry_model_knows_nothing_of_http() {
    for dep in ["axum", "tokio", "tower", "hyper", "schemactl-server"] {
        assert!(
            !depends_on("schemactl-registry", dep),
            "schemactl-registry must not depend on {dep}"
        );
    }
}
