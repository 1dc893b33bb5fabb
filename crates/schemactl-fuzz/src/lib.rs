//! The bodies of the fuzz targets in `fuzz/` (cargo-fuzz), kept in the
//! workspace so that they build, lint and run on stable Rust: each target
//! there is one call to a function here, and `tests/regressions.rs` replays
//! every input the fuzzers ever found (`fuzz/regressions/<target>/`) through
//! the same function. A target fails by panicking, aborting or overflowing
//! its stack; every function here returns normally on any input.
//!
//! Targets cover the untrusted surfaces of `docs/SECURITY.md`: the `.proto`
//! front end, the configuration loader, the image reader (and the rules run
//! on what it accepts), the payload validator and the Confluent request
//! handling (lookup, compatibility) of the registry.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use schemactl_compile::Image;
use schemactl_config::Config;
use schemactl_registry::Registry;
use schemactl_registry::confluent::{Format, SchemaRequest, compatibility, lookup};
use schemactl_registry::validate::{Encoding, validate};
use schemactl_source::{FileEntry, Tree};

/// A fuzz target's body: it must return normally on any input.
pub type Target = fn(&[u8]);

/// Every target, by the name of its directory under `fuzz/regressions/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("compile", compile),
    ("config", config),
    ("image", image),
    ("validate", validate_payload),
    ("confluent", confluent),
];

/// A `.proto` file, compiled with a small library beside it to import, then
/// linted when it compiles.
pub fn compile(data: &[u8]) {
    let mut tree = Tree::new("fuzz");
    tree.insert("fuzz.proto", FileEntry::new(data.to_vec()));
    tree.insert(
        "lib/v1/lib.proto",
        FileEntry::new(
            b"syntax = \"proto3\";\npackage lib.v1;\nmessage L { int32 x = 1; }\n".to_vec(),
        ),
    );
    let config = Config::buf_default();
    let compilation = schemactl_compile::compile_tree(&tree, &config, ".");
    if let Some(image) = compilation.image {
        let _ = schemactl_rules::lint::lint(&image, &config);
    }
}

/// A `schemactl.yaml`, a `buf.yaml` and a `buf.work.yaml` of the same text.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["schemactl.yaml", "buf.yaml", "buf.work.yaml"] {
        let read = |file: &str| (file == name).then(|| text.to_owned());
        let _ = schemactl_config::discover(&read, ".");
    }
}

/// A serialized `FileDescriptorSet` (`.binpb`); what it accepts is linted
/// and compared with itself, which walks every descriptor.
pub fn image(data: &[u8]) {
    let Ok(image) = Image::decode("fuzz.binpb", data) else {
        return;
    };
    let config = Config::buf_default();
    let _ = schemactl_rules::lint::lint(&image, &config);
    let _ = schemactl_rules::breaking::breaking(&image, &image, &config);
}

/// A payload for `POST /api/v1/topics/{t}/validate`: the first byte picks
/// the topic and the encoding, the rest is the payload.
pub fn validate_payload(data: &[u8]) {
    let Some((&pick, payload)) = data.split_first() else {
        return;
    };
    let registry = registry();
    let topics: Vec<_> = registry.topics.values().collect();
    if topics.is_empty() {
        return;
    }
    let topic = topics[usize::from(pick >> 1) % topics.len()];
    let encoding = if pick & 1 == 0 {
        Encoding::Json
    } else {
        Encoding::Binary
    };
    let _ = validate(registry, topic, None, encoding, payload);
}

/// The JSON body of `POST /subjects/{s}` and
/// `POST /compatibility/subjects/{s}/versions/latest`, as the server parses
/// it, against the first topic subject.
pub fn confluent(data: &[u8]) {
    let Ok(request) = serde_json::from_slice::<SchemaRequest>(data) else {
        return;
    };
    let registry = registry();
    let Some(subject) = registry.subjects.values().find(|s| s.topic.is_some()) else {
        return;
    };
    let _ = lookup(registry, &subject.name, &request, Format::Text);
    let _ = compatibility(registry, &subject.name, Some("latest"), &request);
}

/// The example repository (`schemas/`) tagged v1.0.0 in a git repository
/// made once per process, loaded as `schemactl serve` loads it.
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Arc<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("schemactl-fuzz-{}", std::process::id()));
        let repo = dir.join("repo");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas"),
            &repo,
        );
        for args in [
            &["init", "-q"][..],
            &["add", "-A"],
            &["commit", "-q", "-m", "fuzz"],
            &["tag", "v1.0.0"],
        ] {
            let ok = Command::new("git")
                .args(["-c", "user.name=fuzz", "-c", "user.email=fuzz@example.com"])
                .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
                .args(args)
                .current_dir(&repo)
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                ok,
                "git {args:?} failed: the fuzz registry needs the git CLI"
            );
        }
        let (_, registry) = schemactl_registry::Loader::new(&repo)
            .refresh()
            .unwrap_or_else(|e| panic!("the example repository does not load: {e}"));
        let _ = std::fs::remove_dir_all(&dir);
        Arc::new(registry.unwrap_or_else(|| panic!("the example repository has no release")))
    })
}

fn copy_dir(from: &Path, to: &Path) {
    let copy = || -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy_dir(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target)?;
            }
        }
        Ok(())
    };
    if let Err(e) = copy() {
        panic!("copying {} for the fuzz registry: {e}", from.display());
    }
}
