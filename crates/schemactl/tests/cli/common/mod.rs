//! Helpers shared by the CLI integration tests: run the real binary, build
//! real git repositories, call real protoc.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use prost::Message;

/// The repository root (where `schemas/` lives).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub raw_stdout: Vec<u8>,
}

impl Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            raw_stdout: out.stdout,
        }
    }

    /// Assert the process neither panicked nor crashed.
    pub fn assert_no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("internal error"),
            "schemactl panicked:\n{}",
            self.stderr
        );
        // 100: findings under `--exit-code buf`.
        assert!(
            (0..=2).contains(&self.code) || self.code == 100,
            "unexpected exit code {}: {}",
            self.code,
            self.stderr
        );
        self
    }
}

/// One JSON finding as Buf and schemactl print it: path, line, column,
/// rule, message.
pub type JsonFinding = (String, i64, i64, String, String);

/// The findings of `--error-format json` output (one object per line),
/// sorted.
pub fn json_findings(stdout: &str) -> Vec<JsonFinding> {
    let mut out: Vec<JsonFinding> = stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a JSON finding: {line}: {e}"));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            let n = |k: &str| v[k].as_i64().unwrap_or_default();
            (
                s("path"),
                n("start_line"),
                n("start_column"),
                s("type"),
                s("message"),
            )
        })
        .collect();
    out.sort();
    out
}

/// A git repository holding a copy of the example `schemas/`, committed and
/// tagged v1.0.0 (annotated): the first release of a pull request's story.
pub fn released_schemas() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    copy_dir(&repo_root().join("schemas"), &tmp.path().join("schemas"));
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "."]);
    git(tmp.path(), &["commit", "-q", "-m", "schemas"]);
    git(tmp.path(), &["tag", "-a", "v1.0.0", "-m", "v1.0.0"]);
    tmp
}

/// Run `schemactl` in `dir` with these environment variables; the ones
/// GitHub Actions sets (repository, event, token, API URL) are removed
/// unless given, so a test runs the same inside a workflow.
pub fn schemactl_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schemactl"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SCHEMACTL_NO_CACHE", "1");
    for name in [
        "GITHUB_BASE_REF",
        "GITHUB_REPOSITORY",
        "GITHUB_SERVER_URL",
        "GITHUB_EVENT_PATH",
        "GITHUB_API_URL",
        "GITHUB_TOKEN",
        "GITHUB_STEP_SUMMARY",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let run = Run::from(command.output().expect("run schemactl"));
    run.assert_no_panic();
    run
}

/// Run `schemactl` with `args` in `dir`, without colour.
pub fn schemactl(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Set by GitHub Actions on pull requests; it changes whose
        // `generate:` section `check` follows.
        .env_remove("GITHUB_BASE_REF")
        // Plugins run every time, so tests see what they do; the cache has
        // its own tests (generate_cache.rs).
        .env("SCHEMACTL_NO_CACHE", "1")
        .output()
        .expect("run schemactl");
    let run = Run::from(out);
    run.assert_no_panic();
    run
}

/// Run a command and require success.
pub fn run_ok(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A git command with a fixed identity, so tests do not depend on the
/// machine's git config.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=schemactl-test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Write `files` (path → content) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (path, content) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }
}

/// Copy a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Split an encoded `FileDescriptorSet` into its files' encoded bytes, keyed
/// by file name, without decoding (so extension options are kept exactly).
pub fn split_descriptor_set(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut buf = bytes;
    while !buf.is_empty() {
        let (tag, wire_type) = prost::encoding::decode_key(&mut buf).expect("key");
        assert_eq!(tag, 1, "FileDescriptorSet has only field 1");
        assert_eq!(wire_type, prost::encoding::WireType::LengthDelimited);
        let len =
            usize::try_from(prost::encoding::decode_varint(&mut buf).expect("len")).expect("len");
        let (file, rest) = buf.split_at(len);
        let name = prost_types::FileDescriptorProto::decode(file)
            .expect("file")
            .name()
            .to_owned();
        assert!(
            files.insert(name.clone(), file.to_vec()).is_none(),
            "{name} twice"
        );
        buf = rest;
    }
    files
}

/// How two encoded sets compare, file by file.
#[derive(Debug, Default)]
pub struct SetComparison {
    /// Human-readable differences; empty when the sets agree.
    pub differences: Vec<String>,
    /// Files whose bytes differ but whose decoded descriptors, options
    /// included, are equal (an equivalent wire encoding such as a packed
    /// versus unpacked repeated option value).
    pub encoding_only: Vec<String>,
}

/// Compare two encoded sets file by file: names, then bytes, then — where
/// the bytes differ — the decoded descriptors with every option, custom
/// extensions included, resolved through the second set's own pool.
pub fn compare_descriptor_sets(ours: &[u8], theirs: &[u8]) -> SetComparison {
    let pool = prost_reflect::DescriptorPool::decode(theirs).expect("protoc's set decodes");
    let pool = if pool
        .get_message_by_name("google.protobuf.FileDescriptorProto")
        .is_some()
    {
        pool
    } else {
        prost_reflect::DescriptorPool::global()
    };
    let file_desc = pool
        .get_message_by_name("google.protobuf.FileDescriptorProto")
        .expect("descriptor.proto");
    let decode = |b: &[u8]| {
        let mut message =
            prost_reflect::DynamicMessage::decode(file_desc.clone(), b).expect("decode file");
        drop_empty_options(&mut message);
        message
    };

    let ours = split_descriptor_set(ours);
    let theirs = split_descriptor_set(theirs);
    let mut result = SetComparison::default();
    for name in ours
        .keys()
        .chain(theirs.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (ours.get(name), theirs.get(name)) {
            (Some(_), None) => result
                .differences
                .push(format!("{name}: only in schemactl's output")),
            (None, Some(_)) => result
                .differences
                .push(format!("{name}: only in protoc's output")),
            // Each compiler bundles its own copy of the well-known types
            // (protoc 3.21's descriptor.proto predates editions); only their
            // presence is compared.
            (Some(_), Some(_)) if name.starts_with("google/protobuf/") => {}
            (Some(a), Some(b)) if a != b => {
                let (da, db) = (decode(a), decode(b));
                if da == db {
                    result.encoding_only.push(name.clone());
                } else {
                    result.differences.push(format!(
                        "{name}: descriptors differ:\nschemactl: {da:?}\nprotoc: {db:?}"
                    ));
                }
            }
            _ => {}
        }
    }
    result
}

/// protoc records `rpc M(A) returns (B) {}` with an empty, present
/// `MethodOptions`, and `;` with none; the two mean the same thing, so the
/// comparison treats an empty `options` message as absent.
fn drop_empty_options(message: &mut prost_reflect::DynamicMessage) {
    use prost_reflect::{ReflectMessage, Value};
    let fields: Vec<_> = message.descriptor().fields().collect();
    for field in fields {
        if !message.has_field(&field) {
            continue;
        }
        let empty_options = field.name() == "options"
            && matches!(message.get_field(&field).as_ref(), Value::Message(m) if m.fields().next().is_none() && m.unknown_fields().next().is_none());
        if empty_options {
            message.clear_field(&field);
            continue;
        }
        match message.get_field_mut(&field) {
            Value::Message(m) => drop_empty_options(m),
            Value::List(items) => {
                for item in items {
                    if let Value::Message(m) = item {
                        drop_empty_options(m);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The path in `SCHEMACTL_<name>` (a tool scripts/test.sh installs), or
/// `None` (with a note) when it is unset and `SCHEMACTL_REQUIRE_<name>` is
/// not.
pub fn tool(name: &str) -> Option<PathBuf> {
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

pub fn has_command(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}
/// protoc's FileDescriptorSet of `file` (a path under `proto_root`) and
/// everything it imports, written to `out`: a producer's descriptors that
/// do not come from schemactl. Panics when protoc fails.
pub fn protoc_descriptor_set(proto_root: &Path, file: &str, out: &Path) {
    let run = Command::new("protoc")
        .arg("-I")
        .arg(proto_root)
        .arg("--include_imports")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .arg(file)
        .output()
        .expect("run protoc");
    assert!(
        run.status.success(),
        "protoc {file}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

pub mod broker;
pub mod serve;
