//! A running `schemactl serve` for tests, a fixture schema repository with
//! release tags, and a minimal HTTP/1.1 client (std only).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{copy_dir, git, repo_root};

/// The server process; killed on drop.
pub struct Server {
    pub url: String,
    pub addr: String,
    child: Child,
    pub log: PathBuf,
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A free local port (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Server {
    /// Start `schemactl serve REPO` (polling off unless `extra` sets it) and
    /// wait until it is ready.
    pub fn start(repo: &Path, extra: &[&str]) -> Server {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let log = std::env::temp_dir().join(format!("schemactl-serve-{port}.log"));
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut args: Vec<String> = vec![
            "serve".into(),
            repo.display().to_string(),
            "--addr".into(),
            addr.clone(),
        ];
        if !extra.contains(&"--poll") {
            args.extend(["--poll".into(), "0".into()]);
        }
        args.extend(extra.iter().map(|s| (*s).to_owned()));
        let child = Command::new(env!("CARGO_BIN_EXE_schemactl"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .expect("start schemactl serve");
        let server = Server {
            url: format!("http://{addr}"),
            addr,
            child,
            log,
        };
        server.wait_ready(Duration::from_secs(60));
        server
    }

    pub fn wait_ready(&self, limit: Duration) {
        let started = Instant::now();
        loop {
            if let Ok(r) = try_request(&self.addr, "GET", "/readyz", &[], b"") {
                if r.status == 200 {
                    return;
                }
            }
            assert!(
                started.elapsed() < limit,
                "schemactl serve not ready after {limit:?}:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn get(&self, path: &str) -> HttpResponse {
        self.request("GET", path, &[], b"")
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> HttpResponse {
        try_request(&self.addr, method, path, headers, body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log_text()))
    }

    /// Send SIGTERM and wait for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no exit after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn try_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        let start = end + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
}

/// The example repository `schemas/` as a git repository with two release
/// tags: `v1.0.0` (as committed) and `v1.1.0`, which adds
/// `card_nickname = 99` to `acme.billing.v1.PaymentCaptured`.
pub fn fixture_repo(dir: &Path) -> PathBuf {
    let repo = dir.join("proto-schema");
    copy_dir(&repo_root().join("schemas"), &repo);
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "schemas"]);
    git(&repo, &["tag", "v1.0.0"]);
    add_field(
        &repo,
        "proto/acme/billing/v1/payment_captured.proto",
        "PaymentCaptured",
        "  // A name the customer gave the card.\n  string card_nickname = 99;",
    );
    git(
        &repo,
        &["commit", "-q", "-am", "PaymentCaptured.card_nickname"],
    );
    git(&repo, &["tag", "v1.1.0"]);
    repo
}

/// Insert `lines` before the closing brace of top-level `message`.
pub fn add_field(repo: &Path, file: &str, message: &str, lines: &str) {
    let path = repo.join(file);
    let text = std::fs::read_to_string(&path).expect("read proto");
    let mut out: Vec<String> = text.lines().map(str::to_owned).collect();
    let start = out
        .iter()
        .position(|l| l.starts_with(&format!("message {message} ")))
        .expect("message");
    let end = out
        .iter()
        .enumerate()
        .skip(start)
        .find(|(_, l)| *l == "}")
        .map(|(i, _)| i)
        .expect("closing brace");
    out.insert(end, lines.to_owned());
    std::fs::write(&path, out.join("\n") + "\n").expect("write proto");
}

/// GitHub's `X-Hub-Signature-256` of `body` under `secret`.
pub fn hub_signature(secret: &str, body: &[u8]) -> String {
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// A GitHub webhook delivery of `event` with `body`, signed with `secret`.
pub fn github_hook(server: &Server, event: &str, secret: &str, body: &[u8]) -> HttpResponse {
    server.request(
        "POST",
        "/api/v1/hooks/github",
        &[
            ("X-GitHub-Event", event),
            ("X-Hub-Signature-256", &hub_signature(secret, body)),
            ("Content-Type", "application/json"),
        ],
        body,
    )
}
