//! Our Buf-compatible formats against the bytes Buf 1.75.0 printed for the
//! same findings (see `tests/buf-1.75.0/README.md` for the inputs).

use schemactl_diagnostics::render::render_to_string;
use schemactl_diagnostics::{Diagnostic, ErrorFormat, Location, RenderOptions};

fn at(
    d: Diagnostic,
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
) -> Diagnostic {
    d.with_location(Location {
        start_line,
        start_column,
        end_line,
        end_column,
    })
}

fn lint() -> Vec<Diagnostic> {
    vec![
        at(
            Diagnostic::new(
                "MESSAGE_PASCAL_CASE",
                "foo/v1/a.proto",
                "Message name \"bad_name\" should be PascalCase, such as \"BadName\".",
            ),
            5,
            9,
            5,
            17,
        ),
        at(
            Diagnostic::new(
                "FIELD_LOWER_SNAKE_CASE",
                "foo/v1/a.proto",
                "Field name \"FooBar\" should be lower_snake_case, such as \"foo_bar\".",
            ),
            6,
            10,
            6,
            16,
        ),
        at(
            Diagnostic::new(
                "ENUM_ZERO_VALUE_SUFFIX",
                "foo/v1/b.proto",
                "Enum zero value name \"KIND_A\" should be suffixed with \"_UNSPECIFIED\".",
            ),
            6,
            3,
            6,
            9,
        ),
    ]
}

fn compile() -> Vec<Diagnostic> {
    [
        "unexpected `<` after definition",
        "unexpected `<` in message definition",
    ]
    .into_iter()
    .map(|m| at(Diagnostic::new("COMPILE", "a.proto", m), 7, 15, 7, 16))
    .collect()
}

fn breaking() -> Vec<Diagnostic> {
    vec![
        // Buf attaches no file to a deleted file's finding.
        Diagnostic::new(
            "FILE_NO_DELETE",
            "",
            "Previously present file \"bar.proto\" was deleted.",
        ),
        at(
            Diagnostic::new(
                "FIELD_NO_DELETE",
                "foo.proto",
                "Previously present field \"2\" with name \"id\" on message \"Foo\" was deleted.",
            ),
            3,
            1,
            5,
            2,
        ),
    ]
}

fn ours(format: ErrorFormat, diagnostics: &[Diagnostic]) -> String {
    render_to_string(format, diagnostics, &(), &RenderOptions::default())
}

macro_rules! buf {
    ($case:literal, $format:literal) => {
        include_str!(concat!("buf-1.75.0/", $case, ".", $format))
    };
}

#[test]
fn json_matches_buf() {
    assert_eq!(ours(ErrorFormat::Json, &lint()), buf!("lint", "json"));
    assert_eq!(ours(ErrorFormat::Json, &compile()), buf!("compile", "json"));
    assert_eq!(
        ours(ErrorFormat::Json, &breaking()),
        buf!("breaking", "json")
    );
}

#[test]
fn msvs_matches_buf() {
    assert_eq!(ours(ErrorFormat::Msvs, &lint()), buf!("lint", "msvs"));
    assert_eq!(ours(ErrorFormat::Msvs, &compile()), buf!("compile", "msvs"));
    assert_eq!(
        ours(ErrorFormat::Msvs, &breaking()),
        buf!("breaking", "msvs")
    );
}

#[test]
fn junit_matches_buf() {
    assert_eq!(ours(ErrorFormat::Junit, &lint()), buf!("lint", "junit"));
    assert_eq!(
        ours(ErrorFormat::Junit, &compile()),
        buf!("compile", "junit")
    );
    assert_eq!(
        ours(ErrorFormat::Junit, &breaking()),
        buf!("breaking", "junit")
    );
}

#[test]
fn gitlab_matches_buf_including_fingerprints() {
    let gitlab = ErrorFormat::GitlabCodeQuality;
    assert_eq!(ours(gitlab, &lint()), buf!("lint", "gitlab-code-quality"));
    assert_eq!(
        ours(gitlab, &compile()),
        buf!("compile", "gitlab-code-quality")
    );
    assert_eq!(
        ours(gitlab, &breaking()),
        buf!("breaking", "gitlab-code-quality")
    );
}

/// Ours adds `title=RULE` (the spec asks for it); everything else is Buf's.
#[test]
fn github_actions_matches_buf_plus_title() {
    for (diagnostics, expected) in [
        (lint(), buf!("lint", "github-actions")),
        (compile(), buf!("compile", "github-actions")),
        (breaking(), buf!("breaking", "github-actions")),
    ] {
        let with_titles: String = expected
            .lines()
            .zip(&diagnostics)
            .map(|(line, d)| {
                let (command, message) =
                    line[2..].split_once("::").expect("::command ...::message");
                format!("::{command},title={}::{message}\n", d.rule)
            })
            .collect();
        assert_eq!(ours(ErrorFormat::GithubActions, &diagnostics), with_titles);
    }
}
