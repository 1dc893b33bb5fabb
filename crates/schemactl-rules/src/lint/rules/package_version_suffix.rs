use crate::lint::visit::tag;
use crate::lint::{Check, FileCx, Sink};
use crate::registry::{RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_VERSION_SUFFIX",
    kind: RuleKind::Lint,
    categories: &["STANDARD"],
    v1_categories: None,
    v1_exists: true,
    summary: "The last component of a package is a version such as `v1` or `v1beta1`.",
    doc: r#"## What it catches

A package whose last component is not a version. Accepted versions are
`v<major>` (stable, `v1`, `v2`, ...), `v<major>alpha<n>` and
`v<major>beta<n>` (the number after `alpha`/`beta` is optional), the same
with a patch (`v1p1alpha1`), and `v<major>test<anything>`. Numbers start at
1, so `v0` is rejected. A package with a single component (`v1` alone) is
rejected as well. Files without a package are left to `PACKAGE_DEFINED`.

## Why it matters

A version in the package is what lets a schema make a breaking change at
all: `acme.billing.v2` can live next to `acme.billing.v1`, with its own
generated code, while clients migrate. Without one, the only way to break
compatibility is to break every client at once. The stability suffix also
tells consumers (and `STABLE_PACKAGE_NO_IMPORT_UNSTABLE`) which packages may
still change.

## Bad

```proto
package acme.billing;
```

## Good

```proto
package acme.billing.v1;
```

## How to evolve safely

Renaming the package renames every type and service in it, which breaks
JSON `Any` payloads, gRPC paths and generated code, though not the binary
encoding of messages. Create the versioned package next to the old one,
move producers and consumers over, then delete the old package.
"#,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let package = cx.file.package_name();
    if package.is_empty() || stability(package).is_some() {
        return;
    }
    sink.report(
        cx.file.name(),
        &[tag::PACKAGE],
        &[tag::PACKAGE],
        format!(
            "Package name \"{package}\" should be suffixed with a correctly formed version, \
             such as \"{package}.v1\"."
        ),
    );
}

/// How stable a versioned package says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stability {
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
pub(crate) fn stability(package: &str) -> Option<Stability> {
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
