//! An import cycle is one finding, however many files it runs through and
//! however many files lead into it, and its message stays a bounded size.

use schemactl_compile::compile_tree;
use schemactl_config::Config;
use schemactl_diagnostics::render::render_to_string;
use schemactl_diagnostics::{ErrorFormat, RenderOptions};
use schemactl_source::read_dir_tree;

/// `n` files `c/fI.proto`, each importing the next, the last the first; and
/// one file outside the cycle importing into it.
fn cycle_dir(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("c")).expect("mkdir");
    for i in 0..n {
        let text = format!(
            "syntax = \"proto3\";\npackage c;\nimport \"c/f{:05}.proto\";\nmessage M{i} {{}}\n",
            (i + 1) % n
        );
        std::fs::write(dir.path().join(format!("c/f{i:05}.proto")), text).expect("write");
    }
    std::fs::write(
        dir.path().join("c/a_outside.proto"),
        "syntax = \"proto3\";\npackage c;\nimport \"c/f00001.proto\";\nmessage Outside {}\n",
    )
    .expect("write");
    dir
}

fn compile_and_render(n: usize) -> (Vec<schemactl_diagnostics::Diagnostic>, String) {
    let dir = cycle_dir(n);
    let tree = read_dir_tree(dir.path()).expect("tree");
    let compilation = compile_tree(&tree, &Config::buf_default(), ".");
    let text = render_to_string(
        ErrorFormat::Text,
        &compilation.diagnostics,
        &compilation.sources,
        &RenderOptions::default(),
    );
    (compilation.diagnostics, text)
}

#[test]
fn a_cycle_through_three_files_is_reported_once() {
    let (diagnostics, text) = compile_and_render(3);
    assert_eq!(diagnostics.len(), 1, "{text}");
    let d = &diagnostics[0];
    assert_eq!(d.path, "c/f00000.proto");
    assert_eq!(
        d.message,
        "cycle found in imports: \"c/f00000.proto\" -> \"c/f00001.proto\" -> \"c/f00002.proto\" -> \"c/f00000.proto\""
    );
    let location = d.location.expect("located at the import");
    assert_eq!((location.start_line, location.start_column), (3, 1));
}

#[test]
fn a_long_cycle_is_one_bounded_finding() {
    let (diagnostics, text) = compile_and_render(200);
    assert_eq!(diagnostics.len(), 1, "{}", &text[..text.len().min(2000)]);
    assert!(
        diagnostics[0].message.ends_with("... and 181 more"),
        "{}",
        diagnostics[0].message
    );
    assert!(text.len() < 2_000, "{} bytes of output", text.len());
}

/// A cycle longer than the import depth limit is one finding too: the
/// chain is refused where it crosses the limit, before protox would follow
/// it file by file on the stack.
#[test]
fn a_cycle_through_two_thousand_files_is_one_bounded_finding() {
    let (diagnostics, text) = compile_and_render(2_000);
    assert_eq!(diagnostics.len(), 1, "{}", &text[..text.len().min(2000)]);
    assert!(
        diagnostics[0].message.contains("deeper than 256 files"),
        "{}",
        diagnostics[0].message
    );
    assert!(text.len() < 2_000, "{} bytes of output", text.len());
}
