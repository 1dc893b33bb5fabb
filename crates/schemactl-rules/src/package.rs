//! Package names, for lint and breaking alike: the stability a version
//! suffix declares (`v1`, `v1beta2`, `v2test`), as Buf reads it.

/// How stable a versioned package says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stability {
    Stable,
    Alpha,
    Beta,
    Test,
}

/// The stability of `package`'s version suffix, or `None` when the package
/// has no well-formed version as its last component (Buf's rules: `v` and a
/// major version of at least 1, optionally `p<patch>` before `alpha`/`beta`
/// and a number of at least 1 after it, or `test` and anything after it;
/// at least two components).
pub fn stability(package: &str) -> Option<Stability> {
    let (_, last) = package.rsplit_once('.')?;
    let version = last.strip_prefix('v').filter(|v| !v.is_empty())?;
    if let Some((major, _suffix)) = version.split_once("test") {
        number(major)?;
        return Some(Stability::Test);
    }
    let level = match (version.contains("alpha"), version.contains("beta")) {
        (false, false) => {
            number(version)?;
            return Some(Stability::Stable);
        }
        (true, false) => ("alpha", Stability::Alpha),
        (false, true) => ("beta", Stability::Beta),
        (true, true) => return None,
    };
    let (before, minor) = version.split_once(level.0)?;
    if !minor.is_empty() {
        number(minor)?;
    }
    match before.split_once('p') {
        Some((major, patch)) => {
            number(major)?;
            number(patch)?;
        }
        None => {
            number(before)?;
        }
    }
    Some(level.1)
}

/// A decimal of at least 1 that fits in an `i32` (Go's `ParseInt(s, 10, 32)`
/// also takes a sign, but a package component cannot hold one).
fn number(s: &str) -> Option<i32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok().filter(|&n| n >= 1)
}

/// An alpha, beta or test package (`ignore_unstable_packages`).
pub fn is_unstable(package: &str) -> bool {
    matches!(
        stability(package),
        Some(Stability::Alpha | Stability::Beta | Stability::Test)
    )
}

#[cfg(test)]
mod tests {
    use super::{Stability, stability};

    #[test]
    fn versions_buf_accepts() {
        for (package, expected) in [
            ("foo.v1", Stability::Stable),
            ("foo.bar.v2", Stability::Stable),
            ("foo.v01", Stability::Stable),
            ("foo.bar.v1alpha1", Stability::Alpha),
            ("foo.bar.v1alpha", Stability::Alpha),
            ("foo.bar.v1p1alpha2", Stability::Alpha),
            ("foo.bar.v1p1alpha", Stability::Alpha),
            ("foo.bar.v1beta2", Stability::Beta),
            ("foo.bar.v1p1beta1", Stability::Beta),
            ("foo.bar.v1test", Stability::Test),
            ("foo.bar.v4testfoo", Stability::Test),
            ("foo.bar.v1testalpha", Stability::Test),
        ] {
            assert_eq!(stability(package), Some(expected), "{package}");
        }
    }

    #[test]
    fn versions_buf_rejects() {
        for package in [
            "",
            "foo",
            "foo.bar",
            "foo.v1.bar",
            "v1",
            "v1beta1",
            "foo.v",
            "foo.v0",
            "foo.bar.v0alpha1",
            "foo.bar.v0p1beta1",
            "foo.bar.v0test",
            "foo.bar.v1alpha0",
            "foo.bar.v1p0alpha1",
            "foo.bar.v1p1beta0",
            "foo.bar.vv1",
            "foo.bar.v1aalpha1",
            "foo.bar.v1p1test",
            "foo.bar.v1alphabeta",
            "foo.bar.v1p",
            "foo.bar.v1x",
            "foo.bar.V1",
            "foo.bar.v99999999999",
            "foo.bar.v1alpha1test",
        ] {
            assert_eq!(stability(package), None, "{package}");
        }
    }
}
