//! Where Buf puts a protovalidate finding.
//!
//! Buf compiles with locations for every field written *inside* an option's
//! message value (`min_len: 10` in `(buf.validate.field).string = {min_len:
//! 10, max_len: 5}`), and points each finding at the closest one. The
//! `SourceCodeInfo` schemactl compiles with stops at the option statement,
//! so this module reads the option's value in the file text and adds a
//! location for every field (and list element) in it, in source order,
//! right after the option's own location. [`OptionLocations::find`] then
//! picks a location for a path the way Buf does.

use std::collections::HashMap;

use prost_reflect::{DescriptorPool, Kind, MessageDescriptor};
use schemactl_compile::SourceIndex;
use schemactl_diagnostics::Location;

use super::{EXTENSION_NUMBER, FIELD_OPTIONS, MESSAGE_OPTIONS, PREDEFINED_NUMBER};

/// How deep message values may nest before the scan stops (the compiler
/// already bounds nesting; this keeps the recursion here bounded on its own).
const MAX_DEPTH: usize = 64;

/// The locations of the protovalidate options of one file, the ones the
/// compiler recorded and those found inside option values.
pub(super) struct OptionLocations {
    locations: Vec<(Vec<i32>, Location)>,
    exact: HashMap<Vec<i32>, usize>,
}

impl OptionLocations {
    pub(super) fn new(index: &SourceIndex, text: Option<&str>, pool: &DescriptorPool) -> Self {
        let field_rules = pool.get_message_by_name("buf.validate.FieldRules");
        let message_rules = pool.get_message_by_name("buf.validate.MessageRules");
        let predefined_rules = pool.get_message_by_name("buf.validate.PredefinedRules");
        let lines = text.map(LineIndex::new);
        let mut locations = Vec::new();
        for (path, span) in index.locations() {
            let Some(k) = extension_position(path) else {
                continue;
            };
            let Some(location) = Location::from_span(span) else {
                continue;
            };
            locations.push((path.to_vec(), location));
            let root = if path[k] == PREDEFINED_NUMBER {
                predefined_rules.clone()
            } else if path[k - 1] == FIELD_OPTIONS {
                field_rules.clone()
            } else {
                message_rules.clone()
            };
            let (Some(root), Some(text), Some(lines)) = (root, text, lines.as_ref()) else {
                continue;
            };
            let Some(value_type) = resolve(root, &path[k + 1..]) else {
                continue;
            };
            let Some(start) = lines.offset(location.start_line, location.start_column) else {
                continue;
            };
            let Some(end) = lines.offset(location.end_line, location.end_column) else {
                continue;
            };
            let Some(option_text) = text.get(..end.min(text.len())) else {
                continue;
            };
            let mut scanner = Scanner {
                text: option_text,
                pos: start,
                pool,
                found: Vec::new(),
            };
            if scanner.skip_option_name() {
                scanner.value_of_option(path, value_type);
            }
            for (sub, from, to) in scanner.found {
                if let (Some(a), Some(b)) = (lines.position(from), lines.position(to)) {
                    locations.push((
                        sub,
                        Location {
                            start_line: a.0,
                            start_column: a.1,
                            end_line: b.0,
                            end_column: b.1,
                        },
                    ));
                }
            }
        }
        let mut exact = HashMap::with_capacity(locations.len());
        for (i, (path, _)) in locations.iter().enumerate() {
            exact.entry(path.clone()).or_insert(i);
        }
        OptionLocations { locations, exact }
    }

    /// The location of `path` (which goes through the protovalidate option
    /// at `extension_len`, the length of the path up to and including the
    /// extension's number), as Buf finds it: the exact path; else the first
    /// location inside it; else its longest recorded ancestor that is not
    /// shorter than the extension's path.
    pub(super) fn find(&self, path: &[i32], extension_len: usize) -> Option<Location> {
        if let Some(&i) = self.exact.get(path) {
            return Some(self.locations[i].1);
        }
        let mut best = None;
        let mut best_len = 0;
        for (candidate, location) in &self.locations {
            if candidate.len() >= extension_len
                && path.starts_with(candidate)
                && candidate.len() > best_len
            {
                best = Some(*location);
                best_len = candidate.len();
            } else if candidate.starts_with(path) {
                return Some(*location);
            }
        }
        best
    }
}

/// The position of protovalidate's extension number in `path` when the path
/// is inside the `(buf.validate.field)` or `(buf.validate.predefined)`
/// option of a field or the `(buf.validate.message)` option of a message.
fn extension_position(path: &[i32]) -> Option<usize> {
    // Field paths end in (2 | 6, index) inside a message or (7, index) at the
    // top; message paths end in (4 | 3, index).
    let k = path
        .iter()
        .position(|&n| n == EXTENSION_NUMBER || n == PREDEFINED_NUMBER)?;
    if path[k] == PREDEFINED_NUMBER && (k < 3 || path[k - 1] != FIELD_OPTIONS) {
        return None;
    }
    if k < 3 || k % 2 == 0 {
        return None;
    }
    let (kind, options) = (path[k - 3], path[k - 1]);
    let field = options == FIELD_OPTIONS && (kind == 2 || kind == 6 || (kind == 7 && k == 3));
    let message = options == MESSAGE_OPTIONS && (kind == 4 || kind == 3);
    (field || message).then_some(k)
}

/// The message type of the value at `sub` (field numbers) under `root`;
/// `None` when the value is not a message.
fn resolve(root: MessageDescriptor, sub: &[i32]) -> Option<MessageDescriptor> {
    let mut current = root;
    let mut i = 0;
    while i < sub.len() {
        let field = current.get_field(u32::try_from(sub[i]).ok()?)?;
        let Kind::Message(next) = field.kind() else {
            return None;
        };
        // Buf has no locations inside the value of an option that sets one
        // element of a repeated field (`option (buf.validate.message).oneof
        // = {...}`).
        if field.is_list() {
            return None;
        }
        current = next;
        i += 1;
    }
    Some(current)
}

/// Byte offsets of line starts, to turn 1-based line and column (as
/// `Location` has them; columns count characters, as Buf's do) into byte
/// offsets and back.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn offset(&self, line: u32, column: u32) -> Option<usize> {
        let start = *self
            .starts
            .get(usize::try_from(line).ok()?.checked_sub(1)?)?;
        let chars = usize::try_from(column).ok()?.checked_sub(1)?;
        let rest = self.text.get(start..)?;
        match rest.char_indices().nth(chars) {
            Some((i, _)) => Some(start + i),
            // The end of the text.
            None => (rest.chars().count() == chars).then_some(self.text.len()),
        }
    }

    fn position(&self, offset: usize) -> Option<(u32, u32)> {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .checked_sub(1)?;
        let column = self.text.get(self.starts[line]..offset)?.chars().count();
        Some((
            u32::try_from(line + 1).ok()?,
            u32::try_from(column + 1).ok()?,
        ))
    }
}

/// A reader of an option's value in the text-format syntax of `.proto`
/// files, recording `(path, start, end)` for each field and list element.
struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    pool: &'a DescriptorPool,
    found: Vec<(Vec<i32>, usize, usize)>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Skip whitespace and comments.
    fn skip_blank(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                b'/' if bytes.get(self.pos + 1) == Some(&b'/') => {
                    while self.pos < bytes.len() && bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'/' if bytes.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    while self.pos < bytes.len()
                        && !(bytes[self.pos] == b'*' && bytes.get(self.pos + 1) == Some(&b'/'))
                    {
                        self.pos += 1;
                    }
                    self.pos = (self.pos + 2).min(bytes.len());
                }
                b'#' => {
                    while self.pos < bytes.len() && bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Move past `name =` of the option; false if there is no `=`.
    fn skip_option_name(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b'=' if depth == 0 => {
                    self.pos += 1;
                    return true;
                }
                b'"' | b'\'' | b'{' => return false,
                _ => {}
            }
            self.pos += 1;
        }
        false
    }

    /// The value of the option whose location has `path`: record the fields
    /// inside when it is a message literal.
    fn value_of_option(&mut self, path: &[i32], ty: MessageDescriptor) {
        self.skip_blank();
        let close = match self.peek() {
            Some(b'{') => b'}',
            Some(b'<') => b'>',
            _ => return,
        };
        self.pos += 1;
        self.message(path, Some(ty), close, 0);
    }

    /// The fields of a message literal up to `close` (consumed).
    fn message(&mut self, path: &[i32], ty: Option<MessageDescriptor>, close: u8, depth: usize) {
        let mut counts: HashMap<i32, i32> = HashMap::new();
        loop {
            self.skip_blank();
            let Some(c) = self.peek() else { return };
            if c == close {
                self.pos += 1;
                return;
            }
            let start = self.pos;
            let number = if c == b'[' {
                let name_start = self.pos + 1;
                while self.peek().is_some_and(|b| b != b']') {
                    self.pos += 1;
                }
                let name: String = self
                    .text
                    .get(name_start..self.pos)
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                self.pos = (self.pos + 1).min(self.text.len());
                self.pool
                    .get_extension_by_name(&name)
                    .and_then(|e| i32::try_from(e.number()).ok())
                    .map(|n| {
                        (
                            n,
                            None::<prost_reflect::FieldDescriptor>,
                            Some(e_kind(self.pool, &name)),
                        )
                    })
            } else if c.is_ascii_alphabetic() || c == b'_' {
                let name_start = self.pos;
                while self
                    .peek()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    self.pos += 1;
                }
                let name = self.text.get(name_start..self.pos).unwrap_or_default();
                ty.as_ref()
                    .and_then(|t| {
                        t.get_field_by_name(name).or_else(|| {
                            // A group is written by its type's name.
                            t.fields().find(|f| {
                                f.is_group()
                                    && matches!(f.kind(), Kind::Message(m) if m.name() == name)
                            })
                        })
                    })
                    .and_then(|f| {
                        let n = i32::try_from(f.number()).ok()?;
                        Some((n, Some(f), None))
                    })
            } else {
                // Not a field name: stop reading this value.
                self.pos = self.text.len();
                return;
            };
            self.skip_blank();
            if self.peek() == Some(b':') {
                self.pos += 1;
                self.skip_blank();
            }
            let (sub_type, is_list) = match &number {
                Some((_, Some(f), _)) => (
                    match f.kind() {
                        Kind::Message(m) => Some(m),
                        _ => None,
                    },
                    f.is_list(),
                ),
                Some((_, None, Some(ext))) => ext.clone(),
                _ => (None, false),
            };
            let field_path = number.as_ref().map(|(n, _, _)| {
                let mut p = path.to_vec();
                p.push(*n);
                p
            });
            let slot = self.found.len();
            if let Some(p) = &field_path {
                self.found.push((p.clone(), start, start));
            }
            let message_value = matches!(self.peek(), Some(b'{' | b'<'));
            let mut list_of_messages = false;
            if self.peek() == Some(b'[') {
                self.pos += 1;
                // Buf has one location for the whole `name: [...]`, with the
                // index of its first element in the path, and none for the
                // elements.
                if let Some(p) = &field_path {
                    let n = p.last().copied().unwrap_or_default();
                    let first = counts.get(&n).copied().unwrap_or(0);
                    self.found[slot].0.push(first);
                }
                let list_start = self.found.len();
                loop {
                    self.skip_blank();
                    match self.peek() {
                        None => return,
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        Some(b',') => {
                            self.pos += 1;
                            continue;
                        }
                        Some(_) => {}
                    }
                    let index = field_path.as_ref().map(|p| {
                        let n = p.last().copied().unwrap_or_default();
                        let count = counts.entry(n).or_insert(0);
                        let index = *count;
                        *count += 1;
                        let mut ep = p.clone();
                        ep.push(index);
                        ep
                    });
                    let before = self.pos;
                    let element_is_message = matches!(self.peek(), Some(b'{' | b'<'));
                    self.single_value(index.as_deref(), sub_type.clone(), depth);
                    if self.pos == before {
                        self.pos = self.text.len();
                        return;
                    }
                    list_of_messages |= element_is_message;
                }
                // Buf has no locations inside a list of messages (only the
                // one of the whole `name: [...]`).
                if list_of_messages {
                    self.found.truncate(list_start);
                }
            } else {
                // A repeated field written once per element gets the
                // element's index in its path.
                let element_path = field_path.as_ref().map(|p| {
                    if !is_list {
                        return p.clone();
                    }
                    let n = p.last().copied().unwrap_or_default();
                    let count = counts.entry(n).or_insert(0);
                    let mut ep = p.clone();
                    ep.push(*count);
                    *count += 1;
                    ep
                });
                if let (true, Some(ep)) = (is_list, &element_path) {
                    self.found[slot].0 = ep.clone();
                }
                let before = self.pos;
                self.single_value(element_path.as_deref(), sub_type, depth);
                if self.pos == before {
                    self.pos = self.text.len();
                    return;
                }
            }
            if field_path.is_some() {
                self.found[slot].2 = self.pos;
                // Buf has no location for a field whose value is a message
                // literal, only for the fields inside it.
                if message_value {
                    self.found.remove(slot);
                }
            }
            self.skip_blank();
            if matches!(self.peek(), Some(b',' | b';')) {
                self.pos += 1;
            }
        }
    }

    /// One value: a message literal or a scalar (strings next to each
    /// other are one value).
    fn single_value(&mut self, path: Option<&[i32]>, ty: Option<MessageDescriptor>, depth: usize) {
        match self.peek() {
            Some(open @ (b'{' | b'<')) => {
                self.pos += 1;
                let close = if open == b'{' { b'}' } else { b'>' };
                if depth >= MAX_DEPTH {
                    self.pos = self.text.len();
                    return;
                }
                match path {
                    Some(p) => self.message(p, ty, close, depth + 1),
                    None => {
                        // Read past it without recording anything.
                        let saved = self.found.len();
                        self.message(&[], None, close, depth + 1);
                        self.found.truncate(saved);
                    }
                }
            }
            Some(b'"' | b'\'') => {
                while let Some(quote @ (b'"' | b'\'')) = self.peek() {
                    self.pos += 1;
                    while let Some(b) = self.peek() {
                        self.pos += 1;
                        if b == b'\\' {
                            self.pos = (self.pos + 1).min(self.text.len());
                        } else if b == quote {
                            break;
                        }
                    }
                    let end = self.pos;
                    self.skip_blank();
                    if !matches!(self.peek(), Some(b'"' | b'\'')) {
                        self.pos = end;
                        break;
                    }
                }
            }
            Some(_) => {
                if self.peek() == Some(b'-') {
                    self.pos += 1;
                    self.skip_blank();
                }
                let bytes = self.text.as_bytes();
                let mut previous = 0u8;
                while let Some(&b) = bytes.get(self.pos) {
                    let exponent_sign = (b == b'-' || b == b'+') && matches!(previous, b'e' | b'E');
                    if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || exponent_sign) {
                        break;
                    }
                    previous = b;
                    self.pos += 1;
                }
            }
            None => {}
        }
    }
}

/// The message type and list-ness of an extension used inside a value.
fn e_kind(pool: &DescriptorPool, name: &str) -> (Option<MessageDescriptor>, bool) {
    match pool.get_extension_by_name(name) {
        Some(e) => (
            match e.kind() {
                Kind::Message(m) => Some(m),
                _ => None,
            },
            e.is_list(),
        ),
        None => (None, false),
    }
}
