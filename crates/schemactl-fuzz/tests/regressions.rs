//! Every input a fuzzer found (`fuzz/regressions/<target>/*`) and the seed
//! corpus (`fuzz/seeds/<target>/*`, and the example repository's `.proto`
//! files for `compile`) replayed through its target on stable Rust: a
//! regression panics, aborts or overflows the stack here too.

use std::path::Path;

#[test]
fn every_found_input_and_seed_runs_clean() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut replayed = 0;
    for (target, run) in schemactl_fuzz::TARGETS {
        for kind in ["regressions", "seeds"] {
            let dir = fuzz.join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
            paths.sort();
            if *target == "compile" && kind == "seeds" {
                paths.extend(proto_files(&fuzz.join("../schemas")));
            }
            for path in paths {
                let data = std::fs::read(&path).expect("read input");
                eprintln!("{target}: {}", path.display());
                run(&data);
                replayed += 1;
            }
        }
    }
    // The seeds alone are more than this: an empty replay means the paths
    // are wrong, not that all is well.
    assert!(replayed >= 10, "only {replayed} inputs replayed");
}

/// Every `.proto` file under `dir`, sorted.
fn proto_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read schemas").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "proto") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}
