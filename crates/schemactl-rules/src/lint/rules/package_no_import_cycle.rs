use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use prost_reflect::FileDescriptor;

use crate::lint::{ModuleCx, Sink};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "PACKAGE_NO_IMPORT_CYCLE",
    kind: RuleKind::Lint,
    categories: &[Category::Minimal, Category::Basic, Category::Standard],
    v1_categories: Some(&[]),
    v1_exists: true,
    summary: "Packages do not import each other in a cycle.",
    doc: r#"## What it catches

Packages that depend on each other in a cycle: a file of package `a`
imports a file of package `b`, and a file of `b` (directly or through other
packages) imports a file of `a`. Files are allowed to import each other only
in a tree, and so are packages. Every import of a module file that starts a
cycle is reported; imports within one package, and files without a
package, do not count. Imported files from outside the module take part in
the cycle but are never reported.

## Why it matters

Many languages generate one unit per package (a Go package, a Java package,
a Python module tree) and do not allow those units to import each other in a
cycle: Go refuses to build, others fail at import time. A cycle between
packages also means neither can be released, versioned or moved on its
own.

## Bad

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
import "acme/customer/v1/customer.proto";

// acme/customer/v1/customer.proto
package acme.customer.v1;
import "acme/billing/v1/invoice.proto";
```

## Good

```proto
// acme/billing/v1/invoice.proto
package acme.billing.v1;
import "acme/customer/v1/customer.proto";

// acme/customer/v1/customer.proto
package acme.customer.v1;
// no import of acme.billing.v1: move what both need into a third package
```

## How to evolve safely

Move the definitions both packages need into a package of their own that
imports neither, or move the type that closes the cycle into the package
that uses it. Moving a message between packages renames it, which breaks
JSON `Any` payloads and generated code (not the binary encoding): add the
new type, migrate users, and delete the old one in a later release.
"#,
    check: Check::Module(check),
};

fn check(cx: &ModuleCx<'_>, sink: &mut Sink) {
    // The package graph over the module's files and everything they import
    // (Buf builds it from the whole image, imports included).
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut stack: Vec<FileDescriptor> = cx.files.iter().map(|(f, _)| f.clone()).collect();
    while let Some(file) = stack.pop() {
        if !seen.insert(file.name().to_owned()) {
            continue;
        }
        let package = file.package_name();
        for import in file.dependencies() {
            let imported = import.package_name();
            if !package.is_empty() && !imported.is_empty() && imported != package {
                graph
                    .entry(package.to_owned())
                    .or_default()
                    .insert(imported.to_owned());
            }
            stack.push(import);
        }
    }
    // Many files of a package import the same packages: search once per
    // pair of packages.
    let mut cycles: HashMap<(String, String), Option<Vec<String>>> = HashMap::new();
    for (file, _) in &cx.files {
        let package = file.package_name();
        if package.is_empty() {
            continue;
        }
        for (index, import) in file.dependencies().enumerate() {
            let imported = import.package_name();
            if imported.is_empty() || imported == package {
                continue;
            }
            let cycle = cycles
                .entry((package.to_owned(), imported.to_owned()))
                .or_insert_with(|| path_back(&graph, imported, package));
            let Some(cycle) = cycle else {
                continue;
            };
            let mut packages = vec![package];
            packages.extend(cycle.iter().map(String::as_str));
            sink.report_import(
                file.name(),
                index,
                // Buf's words; a cycle through more packages than a
                // message can usefully list is elided (it is reported at
                // every import that closes it).
                format!(
                    "Package import cycle: {}",
                    schemactl_diagnostics::bounded_list(&packages, " -> ")
                ),
            );
        }
    }
}

/// The shortest chain of packages `from -> ... -> to` in `graph`, if `to`
/// can be reached from `from`.
fn path_back(
    graph: &BTreeMap<String, BTreeSet<String>>,
    from: &str,
    to: &str,
) -> Option<Vec<String>> {
    let mut parent: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    let mut visited: HashSet<&str> = HashSet::from([from]);
    while let Some(package) = queue.pop_front() {
        if package == to {
            let mut chain = vec![package.to_owned()];
            let mut at = package;
            while let Some(&p) = parent.get(at) {
                chain.push(p.to_owned());
                at = p;
            }
            chain.reverse();
            return Some(chain);
        }
        for next in graph.get(package).into_iter().flatten() {
            if visited.insert(next) {
                parent.insert(next, package);
                queue.push_back(next);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::path_back;

    fn graph(edges: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry((*a).to_owned())
                .or_default()
                .insert((*b).to_owned());
        }
        g
    }

    #[test]
    fn finds_the_shortest_way_back() {
        let g = graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("b", "a")]);
        assert_eq!(path_back(&g, "b", "a"), Some(vec!["b".into(), "a".into()]));
        assert_eq!(
            path_back(&g, "c", "b"),
            Some(vec!["c".into(), "a".into(), "b".into()])
        );
    }

    #[test]
    fn no_way_back_is_no_cycle() {
        let g = graph(&[("a", "b"), ("b", "c")]);
        assert_eq!(path_back(&g, "b", "a"), None);
    }
}
