//! `schemactl serve` against hostile clients: connections that send
//! nothing or send slowly, CPU-heavy requests past their deadline, bad
//! descriptors, all on a real server process.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::common::serve::{Server, fixture_repo, try_request};
use base64::Engine as _;
use prost::Message as _;
use serde_json::json;

const SUBJECT: &str = "billing.payment-captured.v1-value";
const FILE: &str = "acme/billing/v1/payment_captured.proto";
const CT: (&str, &str) = ("Content-Type", "application/vnd.schemaregistry.v1+json");

/// Wait until the server closes `stream` (EOF or reset), reading and
/// discarding whatever it sends; `None` if still open after `limit`.
fn closed_within(stream: &TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut reader = stream.try_clone().expect("clone");
    reader
        .set_read_timeout(Some(Duration::from_millis(100)))
        .expect("timeout");
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match reader.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(started.elapsed()),
        }
    }
    None
}

fn metric(server: &Server, line_prefix: &str) -> f64 {
    let text = server.get("/metrics").text();
    text.lines()
        .find_map(|l| l.strip_prefix(line_prefix)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no metric `{line_prefix}` in\n{text}"))
}

#[test]
fn slow_and_idle_connections_are_closed_and_cannot_lock_out_good_clients() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(
        &repo,
        &[
            "--header-timeout",
            "2",
            "--max-connections",
            "4",
            "--request-timeout",
            "5",
        ],
    );
    let limit = Duration::from_secs(6);

    // Sends nothing at all.
    let silent = TcpStream::connect(&server.addr).expect("connect");
    let closed = closed_within(&silent, limit);
    assert!(
        closed.is_some_and(|t| t >= Duration::from_millis(1500)),
        "a silent connection must be closed after --header-timeout 2: {closed:?}"
    );

    // Sends a request head, a header line every 300 ms, never finishing.
    let mut slow = TcpStream::connect(&server.addr).expect("connect");
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .expect("write");
    let mut writer = slow.try_clone().expect("clone");
    let dripping = std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(8) {
            if writer.write_all(b"X-Slow: 1\r\n").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    });
    let closed = closed_within(&slow, limit);
    assert!(
        closed.is_some(),
        "a connection sending its head slowly must be closed within the header timeout"
    );
    drop(slow);
    dripping.join().expect("writer");

    // A kept-alive connection that goes quiet after its request.
    let mut idle = TcpStream::connect(&server.addr).expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    idle.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut first = [0u8; 12];
    idle.read_exact(&mut first).expect("response");
    assert_eq!(&first, b"HTTP/1.1 200");
    let closed = closed_within(&idle, limit);
    assert!(
        closed.is_some(),
        "an idle kept-alive connection must be closed after the header timeout"
    );

    // Sends its body slowly: the request timeout answers 503 and the
    // connection is closed (the rest of the body is not waited for).
    let mut trickle = TcpStream::connect(&server.addr).expect("connect");
    trickle
        .write_all(
            b"POST /api/v1/topics/billing.payment-captured.v1/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
        )
        .expect("write");
    let mut writer = trickle.try_clone().expect("clone");
    let dripping = std::thread::spawn(move || {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if writer.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    trickle
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = trickle.read_to_end(&mut answer);
    let took = started.elapsed();
    dripping.join().expect("writer");
    assert!(
        answer.starts_with(b"HTTP/1.1 503"),
        "{}",
        String::from_utf8_lossy(&answer)
    );
    assert!(
        took < Duration::from_secs(8),
        "a slow body must end at the 5 s request timeout: {took:?}"
    );

    // Sends many pipelined requests and never reads an answer: once the
    // socket buffers are full the server's writes stall, and the connection
    // is closed after the header timeout instead of being held forever.
    let pipelined = 4000;
    let mut stalled = TcpStream::connect(&server.addr).expect("connect");
    stalled
        .set_write_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut writer = stalled.try_clone().expect("clone");
    let flood = std::thread::spawn(move || {
        let request = b"GET /schemas HTTP/1.1\r\nHost: x\r\n\r\n";
        for _ in 0..pipelined {
            if writer.write_all(request).is_err() {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_secs(5));
    stalled
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut received = Vec::new();
    let _ = stalled.read_to_end(&mut received);
    flood.join().expect("writer");
    let answers = received
        .windows(12)
        .filter(|w| *w == b"HTTP/1.1 200")
        .count();
    assert!(
        answers < pipelined,
        "a client that does not read must be dropped, not served all {pipelined} answers"
    );

    // Every connection slot held by a silent client: the one idle the
    // longest is closed to make room, and the next client is served at
    // once instead of waiting for the header timeout.
    let hogs: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(&server.addr).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let good = try_request(&server.addr, "GET", "/healthz", &[], b"").expect("served");
    let waited = started.elapsed();
    assert_eq!(good.status, 200);
    assert!(
        waited < Duration::from_millis(1500),
        "with every slot held by a silent client, a good one must not wait for their timeout: {waited:?}"
    );
    assert!(
        closed_within(&hogs[0], Duration::from_millis(500)).is_some(),
        "the silent connection idle the longest makes room"
    );
    assert!(metric(&server, "schemactl_connections_evicted_total ") >= 1.0);
    for hog in &hogs {
        assert!(closed_within(hog, limit).is_some(), "silent hog left open");
    }
    assert!(metric(&server, "schemactl_connections_open ") <= 4.0);

    // Shutting down with a slow client connected still exits, cleanly.
    let lingering = TcpStream::connect(&server.addr).expect("connect");
    std::thread::sleep(Duration::from_millis(200));
    let status = server.terminate();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    drop(lingering);
}

/// A `.proto` of `values` enum values, each with an option: about 25 bytes
/// a value, so 34,000 fit in the 1 MiB body limit.
fn many_enum_values(values: usize) -> String {
    let mut text = String::from("syntax = \"proto3\";\npackage acme.billing.v1;\nenum Big {\n");
    for i in 0..values {
        text.push_str(&format!("B{i}={i}[deprecated=true];"));
    }
    text.push_str("}\nmessage PaymentCaptured { Big big = 1; }\n");
    text
}

#[test]
fn heavy_requests_stop_at_their_deadline_and_cheap_ones_keep_being_served() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    // Compatibility work is linear in the schema; about 6 MB of enum values
    // (under a raised body limit) take seconds here, well past the 1 s
    // timeout.
    let server = Server::start(
        &repo,
        &[
            "--request-timeout",
            "1",
            "--max-jobs",
            "1",
            "--body-limit",
            "16777216",
        ],
    );
    let body = json!({ "schema": many_enum_values(150_000), "schemaType": "PROTOBUF" }).to_string();
    let path = format!("/compatibility/subjects/{SUBJECT}/versions/latest");

    let heavy = |body: String| {
        let addr = server.addr.clone();
        let path = path.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let r = try_request(&addr, "POST", &path, &[CT], body.as_bytes()).expect("answer");
            (r.status, r.json(), started.elapsed())
        })
    };
    let first = heavy(body.clone());
    std::thread::sleep(Duration::from_millis(200));
    // The only job slot is taken: a second heavy request is refused after a
    // short wait instead of queueing behind it.
    let second = heavy(body.clone());
    // Cheap reads are served meanwhile.
    let mut slowest = Duration::ZERO;
    for _ in 0..10 {
        let started = Instant::now();
        let r = server.get(&format!("/subjects/{SUBJECT}/versions/latest"));
        assert_eq!(r.status, 200);
        slowest = slowest.max(started.elapsed());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        slowest < Duration::from_secs(2),
        "a cheap lookup took {slowest:?} while a heavy request ran"
    );

    let (status, json, took) = first.join().expect("first");
    assert_eq!(status, 503, "{json}");
    assert!(
        took < Duration::from_secs(4),
        "the timeout answered late: {took:?}"
    );
    let (status, json, _) = second.join().expect("second");
    assert_eq!(
        (status, json["error_code"].clone()),
        (429, json!(42901)),
        "{json}"
    );

    // The work itself stops, not only the answer: the job is counted as
    // cancelled and its slot comes free.
    let started = Instant::now();
    loop {
        let running = metric(&server, "schemactl_jobs_running ");
        let cancelled = metric(&server, "schemactl_jobs_total{outcome=\"cancelled\"} ");
        if running == 0.0 && cancelled >= 1.0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the heavy job still runs after its request timed out (running {running}, cancelled {cancelled})"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // And the server answers heavy requests again.
    let small = json!({ "schema": many_enum_values(10), "schemaType": "PROTOBUF" }).to_string();
    let r = server.request("POST", &path, &[CT], small.as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["is_compatible"].is_boolean(), "{}", r.text());

    // SIGTERM during a heavy request: the request still gets its answer,
    // and compiler work that outlives it does not keep the process alive.
    let last = heavy(body);
    std::thread::sleep(Duration::from_millis(300));
    let status = server.terminate();
    assert!(status.success(), "exit after SIGTERM: {status:?}");
    let (status, json, _) = last.join().expect("in flight");
    assert_eq!(status, 503, "{json}");
}

/// Descriptors with a syntax prost-reflect does not know (it panicked on
/// them): the answer is never a panic's text and the server stays up.
#[test]
fn unknown_descriptor_syntax_is_refused_without_a_panic() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);
    let file = server
        .get(&format!(
            "/subjects/{SUBJECT}/versions/latest?format=serialized"
        ))
        .json();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(file["schema"].as_str().expect("schema"))
        .expect("base64");
    let original = prost_types::FileDescriptorProto::decode(bytes.as_slice()).expect("descriptor");
    assert!(original.name().ends_with(FILE) || !original.message_type.is_empty());
    for syntax in ["proto9", "editions"] {
        let mut proto = original.clone();
        proto.syntax = Some(syntax.to_owned());
        let schema = base64::engine::general_purpose::STANDARD.encode(proto.encode_to_vec());
        for path in [
            format!("/compatibility/subjects/{SUBJECT}/versions/latest"),
            format!("/compatibility/subjects/{SUBJECT}/versions"),
            format!("/subjects/{SUBJECT}"),
        ] {
            let body = json!({ "schema": schema, "schemaType": "PROTOBUF" }).to_string();
            let r = server.request("POST", &path, &[CT], body.as_bytes());
            let text = r.text();
            assert!(
                !text.contains("panick") && !text.contains(".rs:"),
                "{syntax} to {path}: a panic's text reached the client: {text}"
            );
            let json = r.json();
            // Descriptors from outside are checked before prost-reflect
            // sees them (it panicked on an unknown syntax).
            assert_eq!(r.status, 422, "{syntax} to {path}: {text}");
            assert_eq!(json["error_code"], 42201, "{text}");
            let message = json["message"].as_str().unwrap_or_default();
            assert!(message.contains(syntax), "{text}");
        }
    }
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(
        server
            .get(&format!("/subjects/{SUBJECT}/versions/latest"))
            .status,
        200
    );
}

/// The requests that used to kill the whole server (a 21 KB option
/// aggregate nested 5,000 levels overflowed the stack of the worker
/// thread) or make it allocate gigabytes (a 60 KB `package a.a.a...`): each
/// is a located 422 now, and the server keeps answering.
#[test]
fn deeply_nested_and_huge_name_schemas_are_refused_and_the_server_lives() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = fixture_repo(tmp.path());
    let server = Server::start(&repo, &[]);
    let header = "syntax = \"proto3\";\npackage acme.billing.v1;\n\
        import \"google/protobuf/descriptor.proto\";\n\
        message R { R r = 1; }\n\
        extend google.protobuf.MessageOptions { R ro = 50000; }\n";
    let cases = [
        (
            format!(
                "{header}message M {{ option (ro) = {}{{}}{}; }}\n",
                "{ r: ".repeat(5000),
                " }".repeat(5000)
            ),
            "nesting deeper than 64 levels",
        ),
        (
            format!(
                "{header}message M {{ option (ro) = {}{{}}{}; }}\n",
                "{ r ".repeat(5000),
                " }".repeat(5000)
            ),
            "nesting deeper than 64 levels",
        ),
        (
            format!(
                "syntax = \"proto3\";\npackage {};\n",
                vec!["a"; 30_000].join(".")
            ),
            "package name is 59999 bytes, more than 512",
        ),
    ];
    for (schema, expected) in cases {
        let body = json!({ "schema": schema, "schemaType": "PROTOBUF" }).to_string();
        for path in [
            format!("/subjects/{SUBJECT}"),
            format!("/compatibility/subjects/{SUBJECT}/versions/latest"),
        ] {
            let r = server.request("POST", &path, &[CT], body.as_bytes());
            assert_eq!(r.status, 422, "{path}: {}", r.text());
            let json = r.json();
            assert_eq!(json["error_code"], 42201, "{json}");
            let message = json["message"].as_str().unwrap_or_default();
            assert!(message.contains(expected), "{path}: {message}");
        }
    }
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(
        server
            .get(&format!("/subjects/{SUBJECT}/versions/latest"))
            .status,
        200
    );
}
