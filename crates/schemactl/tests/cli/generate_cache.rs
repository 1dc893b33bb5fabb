//! The cache of plugin responses: a plugin whose program and request did
//! not change is not run again, and its output is written the same; a
//! schema change, another plugin binary or `--no-cache` runs it. The plugin
//! is a small C program compiled in the test (only native programs are
//! cached), which counts its runs in a log file.

use std::path::Path;
use std::process::Command;

use crate::common::{Run, has_command, write_files};

const PLUGIN: &str = r#"#include <stdio.h>
#include <stdlib.h>
int main(void) {
    char buf[4096];
    while (fread(buf, 1, sizeof buf, stdin) > 0) {}
    FILE *log = fopen(getenv("CACHE_TEST_LOG"), "a");
    if (log) { fputs("ran\n", log); fclose(log); }
    /* CodeGeneratorResponse { file { name: "out.txt" content: "VERSION\n" } } */
    static const unsigned char response[] = {
        0x7a, 0x0d, 0x0a, 0x07, 'o', 'u', 't', '.', 't', 'x', 't',
        0x7a, 0x02, VERSION, '\n'};
    fwrite(response, 1, sizeof response, stdout);
    return 0;
}
"#;

fn compile(dir: &Path, version: char) {
    std::fs::write(dir.join("plugin.c"), PLUGIN).expect("write");
    let out = Command::new("gcc")
        .args(["-O0", &format!("-DVERSION='{version}'"), "-o"])
        .arg(dir.join("protoc-gen-count"))
        .arg(dir.join("plugin.c"))
        .output()
        .expect("run gcc");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn generate(dir: &Path, cache: &Path, log: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_schemactl"))
        .arg("generate")
        .args(extra)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("SCHEMACTL_NO_CACHE")
        .env("SCHEMACTL_CACHE_DIR", cache)
        .env("CACHE_TEST_LOG", log)
        .output()
        .expect("run schemactl");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        raw_stdout: out.stdout,
    };
    run.assert_no_panic();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    run
}

fn runs(log: &Path) -> usize {
    std::fs::read_to_string(log).map_or(0, |t| t.lines().count())
}

#[test]
fn an_unchanged_plugin_run_comes_from_the_cache() {
    if !has_command("gcc") {
        assert!(
            std::env::var_os("SCHEMACTL_REQUIRE_CLIENTS").is_none(),
            "gcc is missing (the Rust toolchain's linker needs it anyway)"
        );
        eprintln!("note: skipping: no gcc to compile the test plugin");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    compile(&bin, 'a');
    let plugin = bin.join("protoc-gen-count").display().to_string();
    write_files(
        &dir,
        &[
            (
                "a.proto",
                "syntax = \"proto3\";\npackage a;\nmessage A {}\n",
            ),
            (
                "schemactl.yaml",
                &format!(
                    "version: v1\ngenerate:\n  plugins:\n    - local: {plugin}\n      out: gen\n"
                ),
            ),
        ],
    );
    let (cache, log) = (tmp.path().join("cache"), tmp.path().join("log"));
    let out = dir.join("gen/out.txt");

    generate(&dir, &cache, &log, &[]);
    assert_eq!(runs(&log), 1);
    assert_eq!(std::fs::read_to_string(&out).expect("out"), "a\n");

    // Nothing changed: the response comes from the cache, and the output
    // is written again from it.
    std::fs::remove_dir_all(dir.join("gen")).expect("rm");
    generate(&dir, &cache, &log, &[]);
    assert_eq!(runs(&log), 1, "the plugin ran again");
    assert_eq!(std::fs::read_to_string(&out).expect("out"), "a\n");
    let check = generate(&dir, &cache, &log, &["--check"]);
    assert_eq!(check.stdout, "");
    assert_eq!(runs(&log), 1);

    // --no-cache runs it.
    generate(&dir, &cache, &log, &["--no-cache"]);
    assert_eq!(runs(&log), 2);

    // A schema change is another request.
    std::fs::write(
        dir.join("a.proto"),
        "syntax = \"proto3\";\npackage a;\nmessage A { string b = 1; }\n",
    )
    .expect("write");
    generate(&dir, &cache, &log, &[]);
    assert_eq!(runs(&log), 3);

    // Another plugin binary is another identity, even at the same path.
    compile(&bin, 'b');
    generate(&dir, &cache, &log, &[]);
    assert_eq!(runs(&log), 4);
    assert_eq!(std::fs::read_to_string(&out).expect("out"), "b\n");

    // The cache keeps one run's responses per command: the entries its
    // last run did not use, and the old binary's, are gone.
    let mut entries = Vec::new();
    let mut stack = vec![cache.join("plugin-responses")];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                entries.push(path);
            }
        }
    }
    assert_eq!(entries.len(), 1, "{entries:?}");
}
