//! `--path` and `--exclude-path`: which of the input's files are checked,
//! as Buf selects them. Paths are written as the input is, relative to the
//! current directory (`proto/acme/v1`, a file or a directory); the other
//! files are still compiled (they may be imported) but not reported on.

use std::collections::BTreeSet;

use schemactl_check::Loaded;
use schemactl_diagnostics::Diagnostic;

use crate::Failure;

/// Buf's message when the paths leave no file to check.
const NOTHING_TARGETED: &str = "no .proto files were targeted. This can occur if no .proto \
     files are found in your input, --path points to files that do not exist, or \
     --exclude-path excludes all files";

/// The files to report on (their display paths), or `None` when neither
/// flag was given (every file).
pub fn targets(
    loaded: &Loaded,
    input: &str,
    paths: &[String],
    excludes: &[String],
) -> Result<Option<BTreeSet<String>>, Failure> {
    if paths.is_empty() && excludes.is_empty() {
        return Ok(None);
    }
    let input = normalize(input);
    let check = |flag: &str, given: &String| -> Result<String, Failure> {
        let path = normalize(given);
        if under(&input, &path) {
            Ok(path)
        } else {
            Err(
                Failure::new(format!("{flag} `{given}` is outside the input `{input}`")).hint(
                    Some(format!(
                        "write the path from the current directory, starting with the input: \
                     `{}`",
                        join(&input, "PATH")
                    )),
                ),
            )
        }
    };
    let paths = paths
        .iter()
        .map(|p| check("--path", p))
        .collect::<Result<Vec<_>, _>>()?;
    let excludes = excludes
        .iter()
        .map(|p| check("--exclude-path", p))
        .collect::<Result<Vec<_>, _>>()?;
    for exclude in &excludes {
        if let Some(path) = paths.iter().find(|p| under(exclude, p)) {
            return Err(Failure::new(format!(
                "excluded path \"{exclude}\" contains targeted path \"{path}\", which means \
                 all paths in \"{path}\" will be excluded"
            ))
            .hint(Some(format!(
                "drop `--path {path}`, or exclude only part of it"
            ))));
        }
    }
    let Some(image) = loaded.image() else {
        // Compile errors: they are reported whatever the paths.
        return Ok(Some(BTreeSet::new()));
    };
    let targeted: BTreeSet<String> = image
        .input_files()
        .map(|f| normalize(&f.display_path))
        .filter(|file| paths.is_empty() || paths.iter().any(|p| under(p, file)))
        .filter(|file| !excludes.iter().any(|e| under(e, file)))
        .collect();
    if targeted.is_empty() {
        return Err(Failure::new(NOTHING_TARGETED).hint(Some(
            "check the `--path` and `--exclude-path` values: they name files or directories \
             of the input, from the current directory"
                .to_owned(),
        )));
    }
    Ok(Some(targeted))
}

/// Keep the findings in `targets`; compile errors, and findings about no
/// file, stay whatever the paths.
pub fn retain(findings: &mut Vec<Diagnostic>, targets: Option<&BTreeSet<String>>) {
    let Some(targets) = targets else { return };
    findings.retain(|d| {
        d.rule == "COMPILE" || d.path.is_empty() || targets.contains(&normalize(&d.path))
    });
}

/// `path` with `.` components, repeated and trailing `/` removed and `..`
/// resolved where it can be, lexically: `./p//a/` is `p/a`, `.` stays `.`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// Whether `path` is `dir` or inside it (both normalized).
fn under(dir: &str, path: &str) -> bool {
    if dir == "." {
        return !path.starts_with("../") && path != "..";
    }
    path == dir || (path.starts_with(dir) && path.as_bytes().get(dir.len()) == Some(&b'/'))
}

fn join(dir: &str, path: &str) -> String {
    if dir == "." {
        path.to_owned()
    } else {
        format!("{dir}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(normalize("./p//a/"), "p/a");
        assert_eq!(normalize("."), ".");
        assert_eq!(normalize("p/../q"), "q");
        assert_eq!(normalize("../a"), "../a");
    }

    #[test]
    fn under_is_by_whole_components() {
        assert!(under("p/a", "p/a/x.proto"));
        assert!(under("p/a", "p/a"));
        assert!(!under("p/a", "p/ab/x.proto"));
        assert!(under(".", "a/x.proto"));
        assert!(!under(".", "../a"));
    }
}
