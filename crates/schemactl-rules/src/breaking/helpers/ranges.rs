//! Number ranges that must stay covered: the reserved ranges of messages
//! and enums (`RESERVED_*_NO_DELETE`) and the extension ranges of messages
//! (`EXTENSION_MESSAGE_NO_DELETE`).

use prost_reflect::{EnumDescriptor, MessageDescriptor};

/// Field numbers of messages go up to 2^29 - 1; Buf prints that as `max`.
pub const MESSAGE_MAX: i64 = 536_870_911;
/// Enum numbers go up to 2^31 - 1.
pub const ENUM_MAX: i64 = 2_147_483_647;

/// Message ranges (end exclusive) as inclusive `(start, end)` pairs.
pub fn inclusive(ranges: impl Iterator<Item = std::ops::Range<u32>>) -> Vec<(i64, i64)> {
    ranges
        .map(|r| (i64::from(r.start), i64::from(r.end) - 1))
        .collect()
}

/// One message per `previous` range (inclusive bounds) that `current` no
/// longer covers entirely, naming the numbers that were removed, worded
/// like Buf's. `kind` is `reserved` or `extension`; `element` is `message`
/// or `enum` and `name` its short name.
pub fn removed_ranges(
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

/// What a message or an enum reserves: number ranges (inclusive bounds)
/// and names.
pub struct Reserved {
    pub ranges: Vec<(i64, i64)>,
    pub names: Vec<String>,
}

impl Reserved {
    pub fn of_message(m: &MessageDescriptor) -> Reserved {
        Reserved {
            ranges: inclusive(m.reserved_ranges()),
            names: m.reserved_names().map(str::to_owned).collect(),
        }
    }

    pub fn of_enum(e: &EnumDescriptor) -> Reserved {
        Reserved {
            ranges: e
                .reserved_ranges()
                .map(|r| (i64::from(*r.start()), i64::from(*r.end())))
                .collect(),
            names: e.reserved_names().map(str::to_owned).collect(),
        }
    }
}

/// The findings of the `RESERVED_*_NO_DELETE` rules for one paired
/// `element` (`message` or `enum`, `name` its short name): one per
/// previous reserved range that lost numbers and per previous reserved name
/// that is gone.
pub fn unreserved(
    element: &str,
    name: &str,
    max: i64,
    previous: &Reserved,
    current: &Reserved,
) -> Vec<String> {
    let mut out = removed_ranges(
        "reserved",
        element,
        name,
        max,
        &previous.ranges,
        &current.ranges,
    );
    for reserved in &previous.names {
        if !current.names.contains(reserved) {
            out.push(format!(
                "Previously present reserved name \"{reserved}\" on {element} \"{name}\" was deleted."
            ));
        }
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
