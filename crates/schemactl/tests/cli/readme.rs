//! README.md's commands, run as written: the set-up line in this repository,
//! and the tour's code block (parsed from README.md, so the test breaks when
//! the README and reality part) in the throwaway repository that
//! `scripts/tour.sh` makes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::common::serve::Server;
use crate::common::*;

fn readme() -> String {
    std::fs::read_to_string(repo_root().join("README.md")).expect("README.md")
}

/// The lines of the first ```sh block after `heading`.
fn sh_block(readme: &str, heading: &str) -> Vec<String> {
    let start = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README.md has no `{heading}`"));
    let rest = &readme[start..];
    let open = rest.find("```sh\n").expect("a ```sh block") + "```sh\n".len();
    let close = rest[open..].find("```").expect("the block's end") + open;
    rest[open..close]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// The directory holding the built binary, to put first on PATH.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_schemactl"))
        .parent()
        .expect("bin dir")
        .to_path_buf()
}

fn path_with_bin() -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    format!("{}:{path}", bin_dir().display())
}

/// `cargo run --release -p schemactl -- check schemas`, with the built
/// binary: clean, nothing on stdout, at most `note:` lines on stderr (the
/// README says so).
#[test]
fn set_up_and_run_line() {
    let block = sh_block(&readme(), "**Set up and run**");
    assert_eq!(block.len(), 1, "{block:?}");
    let args: Vec<&str> = block[0]
        .split_once(" -- ")
        .expect("`cargo run ... -- ARGS`")
        .1
        .split_whitespace()
        .collect();
    let run = schemactl(&repo_root(), &args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.is_empty(),
        "README: prints nothing: {}",
        run.stdout
    );
    for line in run.stderr.lines() {
        assert!(
            line.starts_with("note:") && line.contains("breaking checks skipped"),
            "README: only a note on stderr: {}",
            run.stderr
        );
    }
}

/// One tour command and what it did.
struct Step {
    line: String,
    code: i32,
    stdout: String,
    stderr: String,
}

#[test]
fn the_tour_runs_as_written() {
    let block = sh_block(&readme(), "## A short tour");
    let work = tempfile::tempdir().expect("tmp");
    let logs = work.path().join("logs");
    let tmpdir = work.path().join("tmp");
    std::fs::create_dir_all(&logs).expect("mkdir");
    std::fs::create_dir_all(&tmpdir).expect("mkdir");

    // One bash script, so `cd` and variables carry from line to line like
    // in the reader's shell; each line's output and status are kept.
    let mut script = String::from("set -u\n");
    let mut lines = Vec::new();
    let mut serve_lines = Vec::new();
    for line in &block {
        let command = line.split("  #").next().unwrap_or(line).trim();
        if command.starts_with("cargo build --release -p schemactl") {
            // The test runs the binary cargo built for it instead; the line
            // must still put target/release on PATH.
            assert!(command.contains("target/release"), "{line}");
            continue;
        }
        if command.starts_with("schemactl serve") {
            serve_lines.push(command.to_owned());
            continue;
        }
        assert!(
            command.starts_with("schemactl ") || command.contains("scripts/tour.sh"),
            "a README tour line this test does not know how to run: {line}"
        );
        let i = lines.len();
        script.push_str(&format!(
            "{{ {command}\n}} >{logs}/{i}.out 2>{logs}/{i}.err\necho $? >{logs}/{i}.code\n",
            logs = logs.display()
        ));
        lines.push(command.to_owned());
    }
    script.push_str(&format!("pwd >{}/pwd\n", logs.display()));
    let status = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(repo_root())
        .env("PATH", path_with_bin())
        .env("TMPDIR", &tmpdir)
        .env("NO_COLOR", "1")
        .status()
        .expect("bash");
    assert!(status.success(), "the tour script failed to run");
    let read = |name: &str| std::fs::read_to_string(logs.join(name)).unwrap_or_default();
    let steps: Vec<Step> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| Step {
            line: line.clone(),
            code: read(&format!("{i}.code")).trim().parse().unwrap_or(-1),
            stdout: read(&format!("{i}.out")),
            stderr: read(&format!("{i}.err")),
        })
        .collect();
    let tour = PathBuf::from(read("pwd").trim());
    assert!(
        tour.starts_with(&tmpdir) && tour.join(".git").is_dir(),
        "the tour moves into the repository scripts/tour.sh made: {}",
        tour.display()
    );

    for step in &steps {
        let Step {
            line,
            code,
            stdout,
            stderr,
        } = step;
        assert_eq!(*code, 0, "`{line}`:\n{stdout}\n{stderr}");
        assert!(!stderr.contains("panicked"), "`{line}`: {stderr}");
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        match args.first().copied() {
            _ if line.contains("scripts/tour.sh") => {}
            Some("check") | Some("breaking") => {
                assert!(stdout.is_empty(), "`{line}`: {stdout}");
                // A release exists: nothing was skipped.
                assert!(stderr.is_empty(), "`{line}`: {stderr}");
            }
            Some("generate") => {
                assert!(stdout.is_empty(), "`{line}`: {stdout}");
                assert!(stderr.is_empty(), "`{line}`: {stderr}");
            }
            Some("diff") => {
                assert!(stdout.contains("payout_id"), "`{line}`: {stdout}");
                assert!(stdout.contains("minor"), "`{line}`: {stdout}");
            }
            Some("release") => {
                let readme_says = block
                    .iter()
                    .find(|l| l.contains(line.as_str()))
                    .and_then(|l| l.split("(v").nth(1))
                    .and_then(|v| v.split(')').next())
                    .map(|v| format!("v{v}"))
                    .expect("the README names the next tag");
                assert_eq!(readme_says, "v1.1.0");
                assert_eq!(
                    stdout.lines().next(),
                    Some(readme_says.as_str()),
                    "{stdout}"
                );
                assert!(stdout.contains("payout_id"), "{stdout}");
                assert!(
                    git(&tour, &["tag", "--list"]).trim() == "v1.0.0",
                    "--dry-run tags nothing"
                );
            }
            Some("rules") => assert!(stdout.contains("ENUM_ZERO_VALUE_SUFFIX"), "{stdout}"),
            Some("explain") => assert!(stdout.contains("ENUM_ZERO_VALUE_SUFFIX"), "{stdout}"),
            Some("lint") | Some("build") => {
                if let Some(at) = args.iter().position(|a| *a == "-o") {
                    let written = tour.join(args[at + 1]);
                    let len = std::fs::metadata(&written).map(|m| m.len()).unwrap_or(0);
                    assert!(len > 0, "`{line}` wrote {}", written.display());
                }
            }
            _ => panic!("a README tour command this test does not check: {line}"),
        }
    }
    assert!(
        steps.len() > 10
            && steps
                .iter()
                .any(|s| s.line.starts_with("schemactl release")),
        "the tour's commands were all found: {:?}",
        lines
    );

    // `serve` runs until stopped: start it on a free port and ask for the
    // topics the README promises.
    assert_eq!(serve_lines.len(), 1, "{serve_lines:?}");
    let repo_arg = serve_lines[0]
        .split_whitespace()
        .nth(2)
        .unwrap_or(".")
        .to_owned();
    let server = Server::start(&tour.join(repo_arg), &[]);
    server.wait_ready(Duration::from_secs(60));
    let topics = server.get("/api/v1/topics").json();
    let names: Vec<&str> = topics["topics"]
        .as_array()
        .map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"billing.payment-captured.v1"),
        "serve lists the example's topics: {topics}"
    );
}
