//! GitLab Code Quality report, byte for byte what `buf lint --error-format
//! gitlab-code-quality` prints: one compact JSON array of
//! `{description, check_name, fingerprint, location: {path, positions:
//! {begin: {line, column}, end: {line, column}}}, severity}`.
//!
//! GitLab matches issues between the base and head pipelines by fingerprint,
//! so ours are computed as Buf computes them (SHAKE256, 64 bytes, of the
//! issue's JSON without the fingerprint): switching from Buf does not make
//! every finding show up as new in the next merge request.
//!
//! Buf marks every finding `minor` (it has no warnings); errors stay `minor`
//! so fingerprints stay equal, and warnings are `info`, one step below.
//! Unlike Buf, which prints nothing for a clean run, we print `[]`: an empty
//! artifact is not JSON at all, so it cannot say "no issues".

use std::io::{self, Write};

use super::gojson::{push_key, push_string};
use super::shake256::{shake256, to_hex};
use crate::{Diagnostic, Severity};

pub(super) fn render(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let mut report = String::from("[");
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            report.push(',');
        }
        report.push_str(&issue(d));
    }
    report.push_str("]\n");
    out.write_all(report.as_bytes())
}

/// One issue object. Buf builds it twice, without and then with the
/// fingerprint, and hashes the first; splicing the fingerprint in after
/// `check_name` gives the same bytes.
fn issue(d: &Diagnostic) -> String {
    let mut head = String::from("{");
    push_key(&mut head, "description");
    push_string(&mut head, &d.message);
    head.push(',');
    push_key(&mut head, "check_name");
    push_string(&mut head, &d.rule);

    let mut tail = String::from(",");
    push_key(&mut tail, "location");
    tail.push('{');
    if !d.path.is_empty() {
        push_key(&mut tail, "path");
        push_string(&mut tail, &d.path);
        tail.push(',');
    }
    push_key(&mut tail, "positions");
    tail.push('{');
    push_key(&mut tail, "begin");
    push_position(&mut tail, d.start_line(), d.start_column());
    tail.push(',');
    push_key(&mut tail, "end");
    push_position(&mut tail, d.end_line(), d.end_column());
    tail.push_str("}},");
    push_key(&mut tail, "severity");
    push_string(
        &mut tail,
        match d.severity {
            Severity::Error => "minor",
            Severity::Warning => "info",
        },
    );
    tail.push('}');

    let fingerprint = to_hex(&shake256::<64>(format!("{head}{tail}").as_bytes()));
    let mut issue = head;
    issue.push(',');
    push_key(&mut issue, "fingerprint");
    push_string(&mut issue, &fingerprint);
    issue.push_str(&tail);
    issue
}

/// `{"line":L,"column":C}`, each field left out when zero as Go's
/// `omitempty` does (a finding without a location has `{}`).
fn push_position(out: &mut String, line: u32, column: u32) {
    out.push('{');
    if line != 0 {
        push_key(out, "line");
        out.push_str(&line.to_string());
    }
    if column != 0 {
        if line != 0 {
            out.push(',');
        }
        push_key(out, "column");
        out.push_str(&column.to_string());
    }
    out.push('}');
}
