//! Many errors in one file cost time linear in the file: each location is
//! found through a line index, not by scanning the file from the top.

use std::time::Instant;

use schemactl_compile::compile_tree;
use schemactl_config::Config;
use schemactl_source::read_dir_tree;

#[test]
fn twenty_thousand_bad_imports_in_one_file_are_located_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let count = 20_000;
    let text: String = std::iter::once("syntax = \"proto3\";\n".to_owned())
        .chain((0..count).map(|i| format!("import \"../x{i}.proto\";\n")))
        .collect();
    std::fs::write(dir.path().join("a.proto"), text).expect("write");
    let tree = read_dir_tree(dir.path()).expect("tree");
    let started = Instant::now();
    let compilation = compile_tree(&tree, &Config::buf_default(), ".");
    let elapsed = started.elapsed();
    assert_eq!(compilation.diagnostics.len(), count);
    let last = compilation.diagnostics.last().expect("last");
    let location = last.location.expect("located");
    assert_eq!(
        (
            location.start_line,
            location.start_column,
            location.end_column
        ),
        (count as u32 + 1, 1, 26)
    );
    // Scanning from the top took over 30 s here in a debug build.
    assert!(elapsed.as_secs() < 15, "{elapsed:?}");
}
