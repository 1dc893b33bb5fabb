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
//! handling (lookup, compatibility) of the registry, and whole HTTP requests
//! to the server (every route, the Confluent and native request parsers, the
//! webhook), in process.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, OnceLock};

use schemactl_compile::Image;
use schemactl_config::Config;
use schemactl_registry::confluent::{Format, SchemaRequest, compatibility, lookup};
use schemactl_registry::validate::{Encoding, validate};
use schemactl_registry::{Deadline, Registry};
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
    ("http", http),
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
        let _ = schemactl_rules::lint::lint(&schemactl_rules::Subject {
            image: &image,
            config: &config,
            config_path: "schemactl.yaml",
        });
    }
}

/// A `schemactl.yaml`, a `buf.yaml`, a `buf.work.yaml` and a `buf.gen.yaml`
/// of the same text.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in [
        "schemactl.yaml",
        "buf.yaml",
        "buf.work.yaml",
        "buf.gen.yaml",
    ] {
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
    let _ = schemactl_rules::lint::lint(&schemactl_rules::Subject {
        image: &image,
        config: &config,
        config_path: "schemactl.yaml",
    });
    let _ = schemactl_rules::breaking::breaking(
        &schemactl_rules::Subject {
            image: &image,
            config: &config,
            config_path: "schemactl.yaml",
        },
        &schemactl_rules::Subject {
            image: &image,
            config: &config,
            config_path: "schemactl.yaml",
        },
    );
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
    let _ = lookup(
        registry,
        &subject.name,
        &request,
        Format::Text,
        &Deadline::none(),
    );
    let _ = compatibility(
        registry,
        &subject.name,
        Some("latest"),
        &request,
        &Deadline::none(),
    );
}

/// The secret of the webhook in [`http`].
const WEBHOOK_SECRET: &str = "fuzz-secret";

/// A whole HTTP request to `schemactl serve` (its router, layers, limits and
/// handlers, in process): `METHOD PATH` on the first line, `Name: value`
/// header lines, an empty line, the body. A webhook request without a
/// signature is signed with the server's secret when its body length is
/// even, so the fuzzer gets past the HMAC to the event handling.
pub fn http(data: &[u8]) {
    static SERVER: OnceLock<schemactl_server::InProcess> = OnceLock::new();
    let server = SERVER.get_or_init(|| {
        let mut options = schemactl_server::ServeOptions::new(
            schemactl_server::Source::Local(std::env::temp_dir()),
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        );
        options.webhook_secret = Some(WEBHOOK_SECRET.to_owned());
        options.request_timeout = std::time::Duration::from_secs(5);
        schemactl_server::InProcess::new(options, load_registry())
            .unwrap_or_else(|e| panic!("the in-process server does not start: {e}"))
    });
    let (head, body) = match data.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let mut lines = head.lines();
    let Some((method, path)) = lines.next().and_then(|l| l.split_once(' ')) else {
        return;
    };
    let mut headers: Vec<(&str, Vec<u8>)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(name, value)| (name.trim(), value.trim().as_bytes().to_vec()))
        .collect();
    let unsigned = !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("x-hub-signature-256"));
    if path.starts_with("/api/v1/hooks/github") && unsigned && body.len() % 2 == 0 {
        headers.push(("x-hub-signature-256", sign(body).into_bytes()));
    }
    let headers: Vec<(&str, &[u8])> = headers.iter().map(|(n, v)| (*n, v.as_slice())).collect();
    if let Some((status, _)) = server.call(method, path, &headers, body.to_vec()) {
        assert!(status != 500, "{method} {path}: 500");
    }
}

/// `sha256=<hex HMAC>` of `body` with [`WEBHOOK_SECRET`], as GitHub signs.
fn sign(body: &[u8]) -> String {
    use hmac::Mac as _;
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(WEBHOOK_SECRET.as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// The example repository loaded once per process.
fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Arc<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Arc::new(load_registry()))
}

/// The example repository (`schemas/`) tagged v1.0.0 in a git repository
/// made for the purpose, loaded as `schemactl serve` loads it.
fn load_registry() -> Registry {
    static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("schemactl-fuzz-{}-{n}", std::process::id()));
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
    registry.unwrap_or_else(|| panic!("the example repository has no release"))
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
