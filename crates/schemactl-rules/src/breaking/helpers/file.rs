//! The per-file values compared by `FILE_SAME_PACKAGE`, `FILE_SAME_SYNTAX`
//! and the `FILE_SAME_*` option rules.

use prost_reflect::FileDescriptor;
use prost_types::FileOptions;

use crate::breaking::{BreakingSink, PairCx};

/// The check shared by the `FILE_SAME_*` rules: compare a per-file value
/// of each previous file with the current file of the same path, and report
/// `File {what} changed from "a" to "b".` at `at` (the statement's source
/// path, such as `[8, 11]` for `option go_package`). When the statement is
/// gone from the current file the path has no span and the finding lands on
/// the whole file at 1:1, as in Buf.
///
/// Values are effective values, so an option set to its default is the same
/// as no option at all (`java_multiple_files = false` is unset).
pub fn check_file_value(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    at: &[i32],
    what: &str,
    value: impl Fn(&FileDescriptor) -> String,
) {
    for (previous, current) in cx.matched_file_pairs() {
        let (before, after) = (value(&previous), value(&current));
        if before != after {
            sink.report(
                current.name(),
                at,
                at,
                format!("File {what} changed from {before:?} to {after:?}."),
            );
        }
    }
}

/// The check of a `FILE_SAME_*` rule about one file option: `option` is its
/// name, `field` its number in `FileOptions` (source path `[8, field]`) and
/// `get` reads its effective value.
pub fn check_file_option(
    cx: &PairCx<'_>,
    sink: &mut BreakingSink,
    option: &str,
    field: i32,
    get: impl Fn(&FileOptions) -> String,
) {
    let what = format!("option \"{option}\"");
    check_file_value(cx, sink, &[8, field], &what, |f| file_option(f, &get));
}

/// A file option read through `get`, with the option's declared default
/// when the file has no options at all.
pub fn file_option<T>(file: &FileDescriptor, get: impl Fn(&FileOptions) -> T) -> T {
    match &file.file_descriptor_proto().options {
        Some(options) => get(options),
        None => get(&FileOptions::default()),
    }
}
