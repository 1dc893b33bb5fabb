//! The web UI: server-rendered HTML, no JavaScript, no build step. Topics,
//! a topic's versions, a version's `.proto` files with highlighting, and the
//! diff between two versions.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use schemactl_registry::{Topic, TopicVersion};

use crate::jobs::JobError;
use crate::state::{AppState, Snapshot};

const STYLE: &str = r#"
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{background:#1d2330;color:#fff;padding:.7em 1.5em}header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:1em 1.5em;max-width:1200px}a{color:#0b5cad}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:.35em .6em;border-bottom:1px solid #e3e6ea;vertical-align:top}
th{background:#f0f2f5;font-weight:600}code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#fff;border:1px solid #e3e6ea;padding:.8em;overflow:auto}
.kw{color:#a626a4;font-weight:600}.ty{color:#0b7285}.st{color:#50a14f}.nu{color:#986801}.co{color:#8a8f98;font-style:italic}
.add{background:#e6ffec;display:block}.del{background:#ffebe9;display:block}.hunk{color:#6f42c1;display:block}
.tag{display:inline-block;background:#eef1f5;border-radius:3px;padding:0 .4em;margin-right:.3em}
.bump-major{color:#b42318;font-weight:700}.bump-minor{color:#0b7285;font-weight:700}.bump-patch{color:#555;font-weight:700}
.muted{color:#6b7280}form{margin:.6em 0}
h2 code,h3 code{font-size:.85em;font-weight:600}
"#;

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{} · schemactl</title><style>{STYLE}</style></head><body><header><a href=\"/\">schemactl registry</a></header><main>{body}</main></body></html>",
        esc(title)
    );
    let mut r = Response::new(Body::from(html));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn not_found(message: &str) -> Response {
    let mut r = page(
        "Not found",
        &format!("<h1>Not found</h1><p>{}</p>", esc(message)),
    );
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

fn loading() -> Response {
    let mut r = page(
        "Loading",
        "<h1>Loading</h1><p>The registry is loading the schema repository.</p>",
    );
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r
}

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Percent-encode a path segment.
fn seg(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `GET /` for browsers (and the Confluent `{}` for API clients).
pub async fn index(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if !wants_html {
        return crate::confluent::root_json();
    }
    let Some(snap) = state.snapshot.load_full() else {
        return loading();
    };
    let mut body = String::from("<h1>Topics</h1>");
    let _ = write!(
        body,
        "<p class=\"muted\">{} topic(s) across {} release(s); latest release <code>{}</code>.</p>",
        snap.registry.topics.len(),
        snap.registry.releases.len(),
        esc(snap
            .registry
            .latest_release()
            .map_or("-", |r| r.name.as_str()))
    );
    body.push_str("<table data-testid=\"topics\"><thead><tr><th>Topic</th><th>Message</th><th>Owners</th><th>Latest</th><th>Description</th></tr></thead><tbody>");
    for t in snap.registry.topics.values() {
        let _ = write!(
            body,
            "<tr data-topic=\"{name}\"><td><a href=\"/ui/topics/{link}\">{name}</a>{retired}</td><td><code>{msg}</code></td><td>{owners}</td><td><a href=\"/ui/topics/{link}/versions/{v}\">v{v}</a></td><td>{desc}</td></tr>",
            name = esc(&t.name),
            link = seg(&t.name),
            retired = if t.active {
                ""
            } else {
                " <span class=\"tag\">retired</span>"
            },
            msg = esc(&t.message),
            owners = tags(&t.owners),
            v = t.latest().version,
            desc = esc(&t.description),
        );
    }
    body.push_str("</tbody></table>");
    if !snap.registry.errors.is_empty() {
        body.push_str("<h2>Releases not served</h2><ul>");
        for e in &snap.registry.errors {
            let _ = write!(
                body,
                "<li><code>{}</code>: <pre>{}</pre></li>",
                esc(&e.release),
                esc(&e.message)
            );
        }
        body.push_str("</ul>");
    }
    page("Topics", &body)
}

fn tags(items: &[String]) -> String {
    items
        .iter()
        .map(|o| format!("<span class=\"tag\">{}</span>", esc(o)))
        .collect()
}

fn find<'s>(snap: &'s Snapshot, name: &str) -> Option<&'s Topic> {
    snap.registry.topics.get(name)
}

pub async fn topic(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> Response {
    let Some(snap) = state.snapshot.load_full() else {
        return loading();
    };
    let Some(t) = find(&snap, &name) else {
        return not_found(&format!("no topic `{name}`"));
    };
    let mut body = format!("<h1 data-testid=\"topic-name\">{}</h1>", esc(&t.name));
    let _ = write!(
        body,
        "<p>{}</p><table data-testid=\"topic-facts\"><tr><th>Message</th><td><code>{}</code></td></tr><tr><th>Owners</th><td data-testid=\"owners\">{}</td></tr><tr><th>Producers</th><td>{}</td></tr><tr><th>Partitions</th><td>{}</td></tr><tr><th>Retention</th><td>{}</td></tr><tr><th>Confluent subject</th><td><code>{}-value</code></td></tr></table>",
        esc(&t.description),
        esc(&t.message),
        tags(&t.owners),
        tags(&t.producers),
        t.partitions.map_or("-".to_owned(), |p| p.to_string()),
        esc(t.retention.as_deref().unwrap_or("-")),
        esc(&t.name),
    );
    body.push_str("<h2>Versions</h2><table data-testid=\"versions\"><thead><tr><th>Version</th><th>Release</th><th>Message</th><th>Schema id</th><th>Fingerprint</th><th>Diff</th></tr></thead><tbody>");
    for v in t.versions.iter().rev() {
        let diff = if v.version > 1 {
            format!(
                "<a href=\"/ui/topics/{}/diff?from={}&amp;to={}\">from v{}</a>",
                seg(&t.name),
                v.version - 1,
                v.version,
                v.version - 1
            )
        } else {
            "-".to_owned()
        };
        let _ = write!(
            body,
            "<tr data-version=\"{n}\"><td><a href=\"/ui/topics/{link}/versions/{n}\">v{n}</a></td><td><code>{rel}</code></td><td><code>{msg}</code></td><td>{id}</td><td><code title=\"{fp}\">{short}</code></td><td>{diff}</td></tr>",
            n = v.version,
            link = seg(&t.name),
            rel = esc(&v.release.name),
            msg = esc(&v.message),
            id = v.schema.id,
            fp = esc(&v.fingerprint),
            short = esc(&v.fingerprint[..v.fingerprint.len().min(19)]),
        );
    }
    body.push_str("</tbody></table>");
    page(&t.name, &body)
}

pub async fn version(
    State(state): State<Arc<AppState>>,
    Path((name, which)): Path<(String, String)>,
) -> Response {
    let Some(snap) = state.snapshot.load_full() else {
        return loading();
    };
    let Some(t) = find(&snap, &name) else {
        return not_found(&format!("no topic `{name}`"));
    };
    let Some(v) = t.version(&which) else {
        return not_found(&format!("topic `{name}` has no version `{which}`"));
    };
    let mut body = format!(
        "<h1><a href=\"/ui/topics/{}\">{}</a> · v{}</h1>",
        seg(&t.name),
        esc(&t.name),
        v.version
    );
    let _ = write!(
        body,
        "<table data-testid=\"version-facts\"><tr><th>Message</th><td><code>{}</code></td></tr><tr><th>File</th><td><code>{}</code></td></tr><tr><th>Release</th><td><code>{}</code> ({})</td></tr><tr><th>Schema id</th><td data-testid=\"schema-id\">{}</td></tr><tr><th>Fingerprint</th><td><code>{}</code></td></tr><tr><th>API</th><td><a href=\"/api/v1/topics/{link}/versions/{n}\">JSON</a> · <a href=\"/api/v1/topics/{link}/versions/{n}/descriptor\">FileDescriptorSet</a></td></tr></table>",
        esc(&v.message),
        esc(&v.file),
        esc(&v.release.name),
        esc(&v.release.commit[..v.release.commit.len().min(12)]),
        v.schema.id,
        esc(&v.fingerprint),
        link = seg(&t.name),
        n = v.version,
    );
    for f in v.sources() {
        let _ = write!(
            body,
            "<h2 id=\"{}\"><code>{}</code></h2><pre class=\"proto\" data-testid=\"source\" data-path=\"{}\"><code>{}</code></pre>",
            esc(&f.name),
            esc(&f.name),
            esc(&f.name),
            highlight(&f.text)
        );
    }
    page(&format!("{} v{}", t.name, v.version), &body)
}

pub async fn diff(
    State(state): State<Arc<AppState>>,
    Path(name): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(snap) = state.snapshot.load_full() else {
        return loading();
    };
    let Some(t) = find(&snap, &name) else {
        return not_found(&format!("no topic `{name}`"));
    };
    let latest = t.latest().version;
    let pick = |key: &str, default: u32| -> Option<&Arc<TopicVersion>> {
        match query.get(key) {
            Some(w) => t.version(w),
            None => t.version(&default.to_string()),
        }
    };
    let (Some(from), Some(to)) = (
        pick("from", latest.saturating_sub(1).max(1)),
        pick("to", latest),
    ) else {
        return not_found(&format!("topic `{name}` has versions 1..{latest}"));
    };
    let mut body = format!(
        "<h1><a href=\"/ui/topics/{}\">{}</a> · diff v{} → v{}</h1>",
        seg(&t.name),
        esc(&t.name),
        from.version,
        to.version
    );
    let options = |selected: u32| -> String {
        t.versions
            .iter()
            .map(|v| {
                let sel = if v.version == selected {
                    " selected"
                } else {
                    ""
                };
                format!(
                    "<option value=\"{n}\"{sel}>v{n} ({})</option>",
                    esc(&v.release.name),
                    n = v.version
                )
            })
            .collect()
    };
    let _ = write!(
        body,
        "<form method=\"get\">From <select name=\"from\">{}</select> to <select name=\"to\">{}</select> <button type=\"submit\">Compare</button></form>",
        options(from.version),
        options(to.version)
    );
    let outcome = state
        .jobs
        .topic_diff(
            snap.registry.clone(),
            name.clone(),
            from.clone(),
            to.clone(),
        )
        .await;
    let diff = match outcome {
        Ok(Some(d)) => d.map_err(|e| e.to_string()),
        Ok(None) => Err(format!("no topic `{name}`")),
        Err(JobError::Busy) => {
            Err("the server is busy with other diffs; reload in a moment".to_owned())
        }
        Err(JobError::Expired) => {
            Err("it took longer than the server's --request-timeout".to_owned())
        }
        Err(JobError::Panicked) => Err("internal error; the server log has the details".to_owned()),
    };
    match diff {
        Ok(d) => {
            let bump = d.bump.as_str();
            let _ = write!(
                body,
                "<p>Releases <code>{}</code> → <code>{}</code>: <span data-testid=\"bump\" class=\"bump-{bump}\">{bump}</span></p>",
                esc(&d.from_release),
                esc(&d.to_release)
            );
            if !d.breaking.is_empty() {
                body.push_str("<h2>Breaking</h2><ul data-testid=\"breaking\">");
                for b in &d.breaking {
                    let _ = write!(body, "<li>{}</li>", esc(b));
                }
                body.push_str("</ul>");
            }
            body.push_str("<h2>Changes</h2>");
            if d.changes.is_empty() {
                body.push_str("<p data-testid=\"no-changes\">No change to the message or what it references.</p>");
            } else {
                body.push_str("<table data-testid=\"changes\"><thead><tr><th>Change</th><th>Element</th><th>Name</th><th>Detail</th></tr></thead><tbody>");
                for c in &d.changes {
                    let kind = serde_json::to_value(c.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let _ = write!(
                        body,
                        "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                        esc(&kind),
                        esc(c.element),
                        esc(&c.name),
                        esc(c.detail.as_deref().unwrap_or(""))
                    );
                }
                body.push_str("</tbody></table>");
            }
            body.push_str("<h2>Files</h2>");
            if d.files.is_empty() {
                body.push_str("<p class=\"muted\">No file changed.</p>");
            }
            for f in &d.files {
                let _ = write!(
                    body,
                    "<h3><code>{}</code></h3><pre class=\"diff\" data-testid=\"file-diff\" data-path=\"{}\"><code>",
                    esc(&f.path),
                    esc(&f.path)
                );
                for line in f.unified.lines() {
                    let class = if line.starts_with("+++") || line.starts_with("---") {
                        ""
                    } else if line.starts_with('+') {
                        "add"
                    } else if line.starts_with('-') {
                        "del"
                    } else if line.starts_with("@@") {
                        "hunk"
                    } else {
                        ""
                    };
                    if class.is_empty() {
                        let _ = writeln!(body, "{}", esc(line));
                    } else {
                        let _ = write!(body, "<span class=\"{class}\">{}\n</span>", esc(line));
                    }
                }
                body.push_str("</code></pre>");
            }
        }
        Err(e) => {
            let _ = write!(body, "<p>Could not compute the diff: {}</p>", esc(&e));
        }
    }
    page(&format!("{} diff", t.name), &body)
}

const KEYWORDS: &[&str] = &[
    "syntax",
    "edition",
    "package",
    "import",
    "public",
    "weak",
    "option",
    "message",
    "enum",
    "service",
    "rpc",
    "returns",
    "stream",
    "repeated",
    "optional",
    "required",
    "oneof",
    "map",
    "reserved",
    "extensions",
    "extend",
    "to",
    "max",
    "true",
    "false",
    "group",
];
const TYPES: &[&str] = &[
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32",
    "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
];

/// `.proto` text as HTML with spans for keywords, scalar types, strings,
/// numbers and comments.
pub fn highlight(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "co", &rest[..end]);
            i += end;
        } else if let Some(body) = rest.strip_prefix("/*") {
            let end = body.find("*/").map_or(rest.len(), |e| e + 4);
            span(&mut out, "co", &rest[..end]);
            i += end;
        } else if bytes[i] == b'"' || bytes[i] == b'\'' {
            let quote = bytes[i];
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != quote && bytes[j] != b'\n' {
                if bytes[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            let end = (j + 1).min(bytes.len());
            span(&mut out, "st", &text[i..end]);
            i = end;
        } else if bytes[i].is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(rest.len());
            span(&mut out, "nu", &rest[..end]);
            i += end;
        } else if bytes[i].is_ascii_alphabetic() || bytes[i] == b'_' {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            let word = &rest[..end];
            if KEYWORDS.contains(&word) {
                span(&mut out, "kw", word);
            } else if TYPES.contains(&word) {
                span(&mut out, "ty", word);
            } else {
                out.push_str(&esc(word));
            }
            i += end;
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push_str(&esc(&c.to_string()));
            i += c.len_utf8();
        }
    }
    out
}

fn span(out: &mut String, class: &str, text: &str) {
    let _ = write!(out, "<span class=\"{class}\">{}</span>", esc(text));
}
