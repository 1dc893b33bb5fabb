//! A chain of imports deeper than `limits::MAX_IMPORT_DEPTH` is refused at
//! the file where it crosses the limit, in every compile path, instead of
//! overflowing the stack of protox's recursive import resolution; a chain
//! at the limit compiles (or reports its errors) on a 2 MiB thread, the
//! default stack of spawned and tokio blocking threads.

use schemactl_compile::{Incremental, compile_tree, limits::MAX_IMPORT_DEPTH};
use schemactl_config::Config;
use schemactl_source::{FileEntry, Tree};

/// `f0` imports `f1` ... imports `f{len-1}`; the last file holds `last`.
fn chain(len: usize, last: &str) -> Tree {
    let mut tree = Tree::new("chain");
    for i in 0..len {
        let body = if i + 1 < len {
            format!(
                "import \"f{}.proto\";\nmessage M{i} {{ M{} x = 1; }}\n",
                i + 1,
                i + 1
            )
        } else {
            last.to_owned()
        };
        let text = format!("syntax = \"proto3\";\n{body}");
        tree.insert(format!("f{i}.proto"), FileEntry::new(text.into_bytes()));
    }
    tree
}

fn on_small_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn_scoped(s, f)
            .expect("spawn")
            .join()
            .expect("no overflow, no panic")
    })
}

#[test]
fn a_chain_at_the_limit_compiles_on_a_small_stack() {
    let config = Config::buf_default();
    let good = chain(
        MAX_IMPORT_DEPTH,
        &format!("message M{} {{}}\n", MAX_IMPORT_DEPTH - 1),
    );
    let compilation = on_small_stack(|| compile_tree(&good, &config, "."));
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics.first()
    );
    // An error at the end forces the file-by-file path, which recurses.
    let bad = chain(MAX_IMPORT_DEPTH, "message Last { Missing x = 1; }\n");
    let compilation = on_small_stack(|| compile_tree(&bad, &config, "."));
    assert!(
        compilation
            .diagnostics
            .iter()
            .any(|d| d.message.contains("Missing")),
        "{:?}",
        compilation.diagnostics
    );
}

#[test]
fn a_deeper_chain_is_refused_at_the_file_crossing_the_limit() {
    let config = Config::buf_default();
    for len in [MAX_IMPORT_DEPTH + 1, 20_000] {
        let tree = chain(len, "message Last {}\n");
        let compilation = on_small_stack(|| compile_tree(&tree, &config, "."));
        let deep: Vec<_> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("deeper than 256 files"))
            .collect();
        assert_eq!(deep.len(), 1, "{:?}", compilation.diagnostics.first());
        let start = len - MAX_IMPORT_DEPTH - 1;
        assert_eq!(deep[0].path, format!("f{start}.proto"));
        assert_eq!(deep[0].location.map(|l| l.start_line), Some(2));
        assert!(compilation.image.is_none());
        let mut incremental = Incremental::new();
        let result = on_small_stack(|| incremental.compile(&tree, &config, "."));
        assert!(result.files.is_none());
    }
}
