use crate::breaking::{BreakingSink, PairCx};
use crate::rule::Check;
use crate::rule::{Category, RuleKind, RuleSpec};

pub(crate) static RULE: RuleSpec = RuleSpec {
    id: "RESERVED_MESSAGE_NO_DELETE",
    kind: RuleKind::Breaking,
    categories: &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
        Category::Csr,
    ],
    v1_categories: Some(&[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
    ]),
    v1_exists: true,
    summary: "Reserved field numbers and names stay reserved in messages.",
    doc: r#"## What it catches

A message that reserved field numbers or names and no longer reserves all of
them: a `reserved` range that was removed or narrowed, or a reserved name
that was dropped. Ranges are compared as sets of numbers, so rewriting,
splitting, merging or widening ranges is fine (`reserved 5 to 10;` becoming
`reserved 1 to 20;` reserves more, not less). The finding is placed on the
current message and lists the numbers that are no longer reserved.

## Why it matters

A number or name is reserved because a field used to have it and old data
or old clients may still carry it. Dropping the reservation lets someone add
a new field on that number (binary data from old writers is then misread,
silently) or with that name (JSON from old writers lands in the new field).
The reservation is the only thing that stops `protoc` from accepting the
reuse.

## Bad

```proto
message User {
  // before: reserved 2 to 4; reserved "email";
  reserved 2;
}
```

## Good

```proto
message User {
  reserved 2 to 4, 9;  // widening or adding is fine
  reserved "email";
}
```

## How to evolve safely

Treat reservations as permanent: only ever add to them. If a number really
must be reused, do it in a new message (or a new major version of the
package), never in place.
"#,
    check: Check::Breaking(check),
};

/// Field numbers of messages go up to 2^29 - 1; Buf prints that as `max`.
pub(super) const MESSAGE_MAX: i64 = 536_870_911;
/// Enum numbers go up to 2^31 - 1.
pub(super) const ENUM_MAX: i64 = 2_147_483_647;

fn check(cx: &PairCx<'_>, sink: &mut BreakingSink) {
    for (previous, current) in cx.message_pairs_in_package() {
        let Some(current) = current else { continue };
        let file = current.parent_file();
        for text in removed_ranges(
            "reserved",
            "message",
            current.name(),
            MESSAGE_MAX,
            &inclusive(previous.reserved_ranges()),
            &inclusive(current.reserved_ranges()),
        ) {
            sink.report(file.name(), current.path(), current.path(), text);
        }
        for name in previous.reserved_names() {
            if !current.reserved_names().any(|n| n == name) {
                sink.report(
                    file.name(),
                    current.path(),
                    current.path(),
                    format!(
                        "Previously present reserved name \"{name}\" on message \"{}\" was deleted.",
                        current.name()
                    ),
                );
            }
        }
    }
}

/// Message ranges (end exclusive) as inclusive `(start, end)` pairs.
pub(super) fn inclusive(ranges: impl Iterator<Item = std::ops::Range<u32>>) -> Vec<(i64, i64)> {
    ranges
        .map(|r| (i64::from(r.start), i64::from(r.end) - 1))
        .collect()
}

/// One message per `previous` range (inclusive bounds) that `current` no
/// longer covers entirely, naming the numbers that were removed, worded
/// like Buf's. `kind` is `reserved` or `extension`; `element` is `message`
/// or `enum` and `name` its short name.
pub(super) fn removed_ranges(
    kind: &str,
    element: &str,
    name: &str,
    max: i64,
    previous: &[(i64, i64)],
    current: &[(i64, i64)],
) -> Vec<String> {
    let covered = collapse(current);
    let show = |(start, end): (i64, i64)| {
        if start == end {
            format!("[{start}]")
        } else if end == max {
            format!("[{start},max]")
        } else {
            format!("[{start},{end}]")
        }
    };
    let mut out = Vec::new();
    for &(start, end) in previous {
        let missing = uncovered(start, end, &covered);
        if missing.is_empty() {
            continue;
        }
        let removed: Vec<String> = missing.into_iter().map(show).collect();
        out.push(format!(
            "Previously present {kind} range \"{}\" on {element} \"{name}\" is missing values: {} were removed.",
            show((start, end)),
            removed.join(", ")
        ));
    }
    out
}

/// Sorted ranges with overlapping and adjacent ones merged.
fn collapse(ranges: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(sorted.len());
    for (start, end) in sorted {
        match out.last_mut() {
            Some(last) if start <= last.1 + 1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The parts of `start..=end` that no range of `covered` (collapsed) has.
fn uncovered(start: i64, end: i64, covered: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut cursor = start;
    for &(s, e) in covered {
        if e < cursor {
            continue;
        }
        if s > end {
            break;
        }
        if s > cursor {
            out.push((cursor, s - 1));
        }
        cursor = e + 1;
        if cursor > end {
            return out;
        }
    }
    if cursor <= end {
        out.push((cursor, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_removes_nothing() {
        assert!(uncovered(5, 10, &collapse(&[(1, 20)])).is_empty());
        assert!(uncovered(5, 10, &collapse(&[(5, 6), (7, 10)])).is_empty());
    }

    #[test]
    fn narrowing_lists_the_holes() {
        let covered = collapse(&[(5, 5), (7, 8), (30, 40)]);
        assert_eq!(uncovered(5, 10, &covered), vec![(6, 6), (9, 10)]);
        assert_eq!(uncovered(20, 20, &covered), vec![(20, 20)]);
        assert_eq!(
            uncovered(30, MESSAGE_MAX, &covered),
            vec![(41, MESSAGE_MAX)]
        );
    }
}
