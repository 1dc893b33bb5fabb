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

/// A dependency of the library itself, not of its tests.
fn runtime_depends_on(krate: &str, dep: &str) -> bool {
    manifest(krate)
        .split("\n[")
        .filter(|section| section.starts_with("dependencies]"))
        .flat_map(str::lines)
        .any(|l| {
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
    // The async stack serves HTTP (the server) and talks to GitHub (the
    // github crate, whose `fake` feature is a test server on axum).
    for (dep, owners) in [
        ("git2", &["schemactl-source"][..]),
        ("protox", &["schemactl-compile"]),
        ("clap", &["schemactl"]),
        ("yaml-rust2", &["schemactl-config"]),
        ("axum", &["schemactl-server", "schemactl-github"]),
        ("tokio", &["schemactl-server", "schemactl-github"]),
        ("tower-http", &["schemactl-server"]),
        ("hyper", &["schemactl-server"]),
        ("octocrab", &["schemactl-github"]),
        // The Kafka protocol and the blocking TLS client of the Kafka side.
        ("kafka-protocol", &["schemactl-kafka"]),
        ("rustls", &["schemactl-kafka"]),
    ] {
        for krate in &crates {
            // The descriptor crate's protox regenerates its code in tests
            // and an example (see below): never a dependency of the library.
            let depends = if krate == "schemactl-descriptor" {
                runtime_depends_on(krate, dep)
            } else {
                depends_on(krate, dep)
            };
            if !owners.contains(&krate.as_str()) {
                assert!(!depends, "{krate} depends on {dep}; only {owners:?} may");
            }
        }
        for owner in owners {
            assert!(depends_on(owner, dep), "{owner} should own {dep}");
        }
    }
    // The github crate's axum is the fake's only (feature `fake`).
    assert!(
        manifest("schemactl-github")
            .lines()
            .any(|l| l.starts_with("axum = { workspace = true, optional = true }")),
        "axum stays optional in schemactl-github"
    );
}

/// The descriptor types are generated at development time and checked in
/// (into the prost-types fork, which the crate re-exports): the library
/// needs only prost, prost-types, prost-reflect (whose feature resolver
/// `defaults_for` uses) and thiserror; protox and prost-build serve the
/// regeneration example and its test.
#[test]
fn the_descriptor_crate_is_a_leaf_without_code_generation() {
    let runtime: Vec<String> = manifest("schemactl-descriptor")
        .split("\n[")
        .filter(|section| section.starts_with("dependencies]"))
        .flat_map(str::lines)
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split([' ', '.', '=']).next().map(str::to_owned))
        .collect();
    assert_eq!(
        runtime,
        ["prost", "prost-reflect", "prost-types", "thiserror"],
        "schemactl-descriptor's [dependencies]"
    );
    for dev in ["protox", "prost-build"] {
        assert!(
            depends_on("schemactl-descriptor", dev)
                && !runtime_depends_on("schemactl-descriptor", dev),
            "{dev} is a dev-dependency of schemactl-descriptor"
        );
    }
    assert!(
        !repo_root()
            .join("crates/schemactl-descriptor/build.rs")
            .exists(),
        "schemactl-descriptor has no build script: its code is checked in"
    );
}

#[test]
fn leaf_crates_stay_leaves() {
    for leaf in [
        "schemactl-source",
        "schemactl-config",
        "schemactl-diagnostics",
        "schemactl-descriptor",
    ] {
        for other in [
            "schemactl-source",
            "schemactl-config",
            "schemactl-diagnostics",
            "schemactl-descriptor",
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

/// Every `.rs` file under `dir` (relative to the repository root), with its
/// path relative to `dir` and its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    let root = repo_root().join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("source dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(&root)
                    .expect("under root")
                    .to_string_lossy()
                    .into_owned();
                out.push((rel, std::fs::read_to_string(&path).expect("read source")));
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its comments and its `#[cfg(test)]` module,
/// line by line: what the invariants below are about.
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, l)| l.trim() != "#[cfg(test)]")
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.starts_with("//"))
}

#[test]
fn lint_and_breaking_never_import_each_other() {
    let mut offenders = Vec::new();
    for (path, text) in sources("crates/schemactl-rules/src") {
        let forbidden = if path.starts_with("lint/") {
            "crate::breaking"
        } else if path.starts_with("breaking/") {
            "crate::lint"
        } else {
            continue;
        };
        for (line, code) in code_lines(&text) {
            if code.contains(forbidden)
                || code.contains(&forbidden.replace("crate::", "super::super::"))
            {
                offenders.push(format!("{path}:{line}: {code}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "lint/ and breaking/ must share code only through the neutral modules \
         (rule, select, ignore, package, topics):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn rules_do_no_io() {
    let mut offenders = Vec::new();
    for (path, text) in sources("crates/schemactl-rules/src") {
        for (line, code) in code_lines(&text) {
            for io in [
                "std::fs",
                "std::net",
                "std::process",
                "std::env",
                "SystemTime",
                "Instant::now",
            ] {
                if code.contains(io) {
                    offenders.push(format!("{path}:{line}: {code}"));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "rules see only in-memory images (no I/O, no clock):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn no_public_library_function_returns_a_string_error() {
    let libraries: Vec<String> = std::fs::read_dir(repo_root().join("crates"))
        .expect("crates")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "schemactl")
        .collect();
    let mut offenders = Vec::new();
    for krate in &libraries {
        for (path, text) in sources(&format!("crates/{krate}/src")) {
            // A signature may span lines: look at each `pub fn` up to its
            // body.
            let code: Vec<(usize, &str)> = code_lines(&text).collect();
            for (i, (line, l)) in code.iter().enumerate() {
                let is_pub_fn = (l.starts_with("pub fn") || l.starts_with("pub async fn"))
                    && !l.starts_with("pub(");
                if !is_pub_fn {
                    continue;
                }
                let signature: String = code[i..]
                    .iter()
                    .map(|(_, l)| *l)
                    .take_while(|l| !l.ends_with('{') || l.starts_with("pub"))
                    .take(12)
                    .collect::<Vec<_>>()
                    .join(" ");
                let signature = signature
                    .split('{')
                    .next()
                    .unwrap_or_default()
                    .replace(' ', "");
                // Only the return type: `Query<HashMap<String, String>>`
                // among the parameters is no error.
                let returns = signature.split_once(")->").map_or("", |(_, r)| r);
                if returns.contains(",String>") || returns.contains(",Vec<Diagnostic>>") {
                    offenders.push(format!("crates/{krate}/src/{path}:{line}: {l}"));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "public library functions return typed errors (thiserror, with a hint), \
         not strings; compile errors are data, not `Err`:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_check_policy_stays_below_the_registry_and_server() {
    for dep in [
        "schemactl-registry",
        "schemactl-server",
        "axum",
        "tokio",
        "clap",
    ] {
        assert!(
            !depends_on("schemactl-check", dep),
            "schemactl-check must not depend on {dep}"
        );
    }
    assert!(
        runtime_depends_on("schemactl-rules", "schemactl-compile")
            && !runtime_depends_on("schemactl-rules", "tempfile"),
        "runtime_depends_on reads [dependencies] and only them"
    );
    for dep in ["schemactl-source", "schemactl-registry", "schemactl-check"] {
        assert!(
            !runtime_depends_on("schemactl-rules", dep),
            "schemactl-rules must not depend on {dep} (rules see only in-memory images)"
        );
    }
    for dep in ["schemactl-rules", "schemactl-registry", "schemactl-check"] {
        assert!(
            !depends_on("schemactl-compile", dep),
            "schemactl-compile must not depend on {dep} (code generation uses it without rules)"
        );
    }
}

#[test]
fn the_server_lib_rs_is_wiring_only() {
    let text = std::fs::read_to_string(repo_root().join("crates/schemactl-server/src/lib.rs"))
        .expect("server lib.rs");
    let mut offenders = Vec::new();
    for (line, code) in code_lines(&text) {
        for handler in ["json!(", "Json(", "Hmac", "Html("] {
            if code.contains(handler) {
                offenders.push(format!("lib.rs:{line}: {code}"));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "handlers, responses and checks live in their own modules:\n{}",
        offenders.join("\n")
    );
}

/// Starting a process is running code: only the code generator (plugins)
/// and the source crate (git, to mirror a remote repository) do it.
/// `schemactl-fuzz` is exempt: it builds a fixture repository for the fuzz
/// targets and never ships.
#[test]
fn only_codegen_and_the_git_mirror_start_processes() {
    let crates: Vec<String> = std::fs::read_dir(repo_root().join("crates"))
        .expect("crates")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let mut offenders = Vec::new();
    for krate in crates {
        let allowed: &[&str] = match krate.as_str() {
            "schemactl-codegen" => &["run.rs"],
            "schemactl-source" => &["mirror.rs"],
            "schemactl-fuzz" => continue,
            _ => &[],
        };
        for (path, text) in sources(&format!("crates/{krate}/src")) {
            if allowed.contains(&path.as_str()) {
                continue;
            }
            for (line, code) in code_lines(&text) {
                if code.contains("process::Command") || code.contains("Command::new") {
                    offenders.push(format!("crates/{krate}/src/{path}:{line}: {code}"));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "only schemactl-codegen (run.rs) and schemactl-source (mirror.rs) start processes:\n{}",
        offenders.join("\n")
    );
    assert!(
        sources("crates/schemactl-codegen/src")
            .iter()
            .any(|(path, text)| path == "run.rs" && text.contains("Command::new")),
        "schemactl-codegen/src/run.rs is where plugins start"
    );
}

#[test]
fn codegen_sits_on_compile_and_config_only() {
    for dep in [
        "schemactl-rules",
        "schemactl-check",
        "schemactl-registry",
        "schemactl-server",
        "schemactl-source",
        "protox",
        "clap",
    ] {
        assert!(
            !runtime_depends_on("schemactl-codegen", dep),
            "schemactl-codegen must not depend on {dep}"
        );
    }
}
