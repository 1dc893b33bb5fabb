//! `--path` and `--exclude-path` as the user writes them: relative to the
//! current directory, starting with the input (`proto/acme/v1`, a file or
//! a directory). They are checked and made relative to the input here;
//! [`PathFilter`] then selects the files on each side.

use schemactl_check::PathFilter;
use schemactl_check::paths::under;
use schemactl_source::InputSpec;

use crate::Failure;
use crate::args::{InputArgs, PathArgs};

/// The selection the flags make, relative to the input, or `None` when
/// neither flag was given (every file). Refused as Buf refuses: a path
/// outside the input, an excluded path holding a targeted one. For an
/// image input (`.binpb`) and Buf's `.git#...` form the paths are, as in
/// Buf, paths inside the input (an image's file names).
pub fn filter(input: &InputArgs, args: &PathArgs) -> Result<Option<PathFilter>, Failure> {
    if args.paths.is_empty() && args.exclude_paths.is_empty() {
        return Ok(None);
    }
    let inside = matches!(
        InputSpec::parse(&input.input, input.git_ref.as_deref()),
        Ok(InputSpec::Image(_) | InputSpec::GitUrl { .. })
    );
    let input = if inside {
        ".".to_owned()
    } else {
        normalize(&input.input)
    };
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
    let paths = args
        .paths
        .iter()
        .map(|p| check("--path", p))
        .collect::<Result<Vec<_>, _>>()?;
    let excludes = args
        .exclude_paths
        .iter()
        .map(|p| check("--exclude-path", p))
        .collect::<Result<Vec<_>, _>>()?;
    // Buf's refusals of the input itself, in its words.
    if paths.contains(&input) {
        return Err(Failure::new(
            "given input is equal to a value of --path, this has no effect and is disallowed",
        )
        .hint(Some(
            "drop that `--path`: every file of the input is checked without it".to_owned(),
        )));
    }
    if excludes.contains(&input) {
        return Err(Failure::new(format!(
            "given input \"{input}\" is equal to a value of --exclude-path \"{input}\", this \
             would exclude everything"
        ))
        .hint(Some(
            "exclude a directory or file inside the input".to_owned(),
        )));
    }
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
    let inside = |path: &String| relative(&input, path);
    Ok(Some(PathFilter {
        paths: paths.iter().map(inside).collect(),
        excludes: excludes.iter().map(inside).collect(),
    }))
}

/// `path` (inside `input`, both normalized) relative to `input`.
fn relative(input: &str, path: &str) -> String {
    if input == "." {
        return path.to_owned();
    }
    match path.strip_prefix(input) {
        Some("") => ".".to_owned(),
        Some(rest) => rest.trim_start_matches('/').to_owned(),
        None => path.to_owned(),
    }
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
    fn paths_are_made_relative_to_the_input() {
        assert_eq!(relative("p", "p/a/x.proto"), "a/x.proto");
        assert_eq!(relative("p", "p"), ".");
        assert_eq!(relative(".", "a"), "a");
    }
}
