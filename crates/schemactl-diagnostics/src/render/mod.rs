//! Renderers: one module per `--error-format`. Each takes the findings in the
//! order given (callers sort them) and writes the whole report.

use std::io::{self, Write};

use crate::{Diagnostic, SourceLookup};

mod github_actions;
mod gitlab;
mod gojson;
mod json;
mod junit;
mod markdown;
mod msvs;
mod sarif;
mod shake256;
mod text;

/// Every output format `--error-format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ErrorFormat {
    /// rustc-style snippets with carets and the rule ID.
    #[default]
    Text,
    /// One object per line, exactly Buf's shape.
    Json,
    /// GitHub workflow commands (`::error file=..::message`).
    GithubActions,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, one test case per finding, grouped by file.
    Junit,
    /// Visual Studio's `file(line,col) : error RULE : message`.
    Msvs,
    /// GitLab Code Quality report (a JSON array).
    GitlabCodeQuality,
    /// A markdown table, for pull-request comments.
    Markdown,
}

impl ErrorFormat {
    /// The names accepted on the command line, in the order shown in `--help`.
    pub const ALL: [(&'static str, ErrorFormat); 8] = [
        ("text", ErrorFormat::Text),
        ("json", ErrorFormat::Json),
        ("github-actions", ErrorFormat::GithubActions),
        ("sarif", ErrorFormat::Sarif),
        ("junit", ErrorFormat::Junit),
        ("msvs", ErrorFormat::Msvs),
        ("gitlab-code-quality", ErrorFormat::GitlabCodeQuality),
        ("markdown", ErrorFormat::Markdown),
    ];

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("text", |(n, _)| n)
    }
}

/// Options shared by the renderers.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// ANSI colours (text format only). The caller decides from `--color`,
    /// `NO_COLOR` and whether stdout is a terminal.
    pub color: bool,
    /// The tool name and version, for formats that record it (SARIF).
    pub tool_version: String,
    /// Documentation URL template for a rule, `{rule}` replaced (SARIF
    /// `helpUri`). Empty for none.
    pub rule_help_uri: String,
}

/// Render `diagnostics` in `format` to `out`.
pub fn render(
    out: &mut dyn Write,
    format: ErrorFormat,
    diagnostics: &[Diagnostic],
    sources: &dyn SourceLookup,
    options: &RenderOptions,
) -> io::Result<()> {
    // Every format prints Buf's columns; the text format draws its carets
    // with the characters' columns of the findings themselves.
    let shown = crate::with_buf_columns(diagnostics, sources);
    let diagnostics_as_found = diagnostics;
    let diagnostics = &*shown;
    match format {
        ErrorFormat::Text => text::render(out, diagnostics_as_found, diagnostics, sources, options),
        ErrorFormat::Json => json::render(out, diagnostics),
        ErrorFormat::GithubActions => github_actions::render(out, diagnostics),
        ErrorFormat::Sarif => sarif::render(out, diagnostics, options),
        ErrorFormat::Junit => junit::render(out, diagnostics),
        ErrorFormat::Msvs => msvs::render(out, diagnostics),
        ErrorFormat::GitlabCodeQuality => gitlab::render(out, diagnostics),
        ErrorFormat::Markdown => markdown::render(out, diagnostics),
    }
}

/// Render to a `String` (tests, PR comments).
pub fn render_to_string(
    format: ErrorFormat,
    diagnostics: &[Diagnostic],
    sources: &dyn SourceLookup,
    options: &RenderOptions,
) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = render(&mut buf, format, diagnostics, sources, options);
    String::from_utf8_lossy(&buf).into_owned()
}
