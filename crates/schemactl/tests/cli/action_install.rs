//! The action's `install.sh`: download a release archive of schemactl and
//! its checksum from a local HTTP server (a real archive of the binary under
//! test), verify it, install it; refuse a wrong checksum and install nothing.
#![cfg(any(target_os = "linux", target_os = "macos"))]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

use crate::common::*;

const VERSION: &str = "0.2.0";

/// The target triple install.sh picks on this machine from `RUNNER_OS` and
/// `RUNNER_ARCH`, with those two values.
fn runner() -> (String, &'static str, &'static str) {
    let (runner_arch, arch) = match std::env::consts::ARCH {
        "aarch64" => ("ARM64", "aarch64"),
        _ => ("X64", "x86_64"),
    };
    if cfg!(target_os = "macos") {
        (format!("{arch}-apple-darwin"), "macOS", runner_arch)
    } else {
        (format!("{arch}-unknown-linux-gnu"), "Linux", runner_arch)
    }
}

/// Serve `files` (URL path → body) over HTTP/1.1 on a free local port, one
/// connection at a time, until the test process ends; 404 for anything else.
fn serve(files: HashMap<String, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(stream, &files);
        }
    });
    format!("http://{address}")
}

fn answer(mut stream: TcpStream, files: &HashMap<String, Vec<u8>>) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        request.extend_from_slice(&buf[..n]);
    }
    let request = String::from_utf8_lossy(&request);
    let path = request.split_whitespace().nth(1).unwrap_or("");
    match files.get(path) {
        Some(body) => {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            stream.write_all(body)?;
        }
        None => stream.write_all(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?,
    }
    stream.flush()
}

/// A release archive as release.yml makes it: `schemactl` (the binary under
/// test) at the top of `schemactl-<target>.tar.gz`. Made once: compressing
/// a debug build takes seconds.
fn archive(target: &str) -> &'static [u8] {
    static ARCHIVE: OnceLock<Vec<u8>> = OnceLock::new();
    ARCHIVE.get_or_init(|| {
        let work = tempfile::tempdir().expect("tmp");
        let stage = work.path().join("stage");
        std::fs::create_dir_all(&stage).expect("mkdir");
        std::fs::copy(env!("CARGO_BIN_EXE_schemactl"), stage.join("schemactl")).expect("copy");
        let name = format!("schemactl-{target}.tar.gz");
        run_ok(&stage, "tar", &["-czf", &format!("../{name}"), "schemactl"]);
        std::fs::read(work.path().join(name)).expect("read archive")
    })
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

struct Installed {
    code: i32,
    stdout: String,
    stderr: String,
    runner_temp: PathBuf,
    github_path: PathBuf,
    _tmp: tempfile::TempDir,
}

/// Run install.sh with the environment the action gives it.
fn install(download_url: &str, version: &str) -> Installed {
    let tmp = tempfile::tempdir().expect("tmp");
    let runner_temp = tmp.path().join("runner-temp");
    std::fs::create_dir(&runner_temp).expect("mkdir");
    let github_path = tmp.path().join("github-path");
    let (_, os, arch) = runner();
    let script = repo_root().join(".github/actions/schemactl/install.sh");
    let out = Command::new("bash")
        .arg(&script)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", tmp.path())
        .env("SCHEMACTL_VERSION", version)
        .env("SCHEMACTL_DOWNLOAD_URL", download_url)
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_PATH", &github_path)
        .env("RUNNER_OS", os)
        .env("RUNNER_ARCH", arch)
        .output()
        .expect("run install.sh");
    Installed {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        runner_temp,
        github_path,
        _tmp: tmp,
    }
}

/// A server with a release `v0.2.0` whose checksum file says `checksum`
/// (`None`: the archive's real checksum); returns the download URL.
fn release(checksum: Option<&str>) -> (String, String) {
    let (target, _, _) = runner();
    let bytes = archive(&target).to_vec();
    let real = hex_sha256(&bytes);
    let name = format!("schemactl-{target}.tar.gz");
    let sum = format!("{}  {name}\n", checksum.unwrap_or(&real));
    let dir = format!("/releases/download/v{VERSION}");
    let files = HashMap::from([
        (format!("{dir}/{name}"), bytes),
        (format!("{dir}/{name}.sha256"), sum.into_bytes()),
    ]);
    (format!("{}/releases/download", serve(files)), real)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn installs_a_verified_release_and_adds_it_to_the_path() {
    let (url, _) = release(None);
    let run = install(&url, VERSION);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    let path = std::fs::read_to_string(&run.github_path).expect("GITHUB_PATH written");
    let bin = run.runner_temp.join(format!("schemactl-{VERSION}/bin"));
    assert_eq!(path, format!("{}\n", bin.display()));
    let version = run_ok(
        &bin,
        &bin.join("schemactl").display().to_string(),
        &["--version"],
    );
    let expected = run_ok(
        Path::new("."),
        env!("CARGO_BIN_EXE_schemactl"),
        &["--version"],
    );
    assert_eq!(version, expected);
    assert!(version.starts_with("schemactl "), "{version}");
    // The download's staging directory is gone.
    assert_eq!(entries(&run.runner_temp), [format!("schemactl-{VERSION}")]);
    // `v0.2.0` is the same release.
    let again = install(&url, &format!("v{VERSION}"));
    assert_eq!(again.code, 0, "{}", again.stderr);
}

#[test]
fn a_wrong_checksum_installs_nothing() {
    let wrong = "0".repeat(64);
    let (url, real) = release(Some(&wrong));
    let run = install(&url, VERSION);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("error: checksum mismatch"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&wrong),
        "expected hash named:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&real),
        "actual hash named:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
    assert!(!run.github_path.exists(), "nothing added to GITHUB_PATH");
    assert_eq!(
        entries(&run.runner_temp),
        Vec::<String>::new(),
        "nothing left in RUNNER_TEMP"
    );
}

#[test]
fn a_missing_release_or_a_bad_version_is_refused() {
    let (url, _) = release(None);
    let run = install(&url, "0.3.0");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot download"), "{}", run.stderr);
    assert!(run.stderr.contains("/v0.3.0/schemactl-"), "{}", run.stderr);
    assert!(!run.github_path.exists());
    assert_eq!(entries(&run.runner_temp), Vec::<String>::new());

    let run = install(&url, "../../etc");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is not a schemactl version"),
        "{}",
        run.stderr
    );
    assert!(!run.github_path.exists());
}
