//! Deletions: the previous elements that have no pair in the current image,
//! found in one place for every `*_NO_DELETE` rule. Messages and enums that
//! left their file for another file of the same package are moves, not
//! deletions (beyond Buf): reported once, naming both places, and the types
//! nested in them are not reported again.

use std::collections::BTreeSet;

use prost_reflect::{
    EnumDescriptor, FieldDescriptor, FileDescriptor, MessageDescriptor, MethodDescriptor,
    OneofDescriptor, ServiceDescriptor,
};
use schemactl_diagnostics::Related;

use super::helpers::ranges::Reserved;
use super::location::{deleted_element_anchor, related_at};
use super::pair::{MapEntries, PairCx, enums, extensions, messages, nested_name};
use super::sink::BreakingSink;

/// The kinds of element the `*_NO_DELETE` and `PACKAGE_*_NO_DELETE` rules
/// look up by nested name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Element {
    Message,
    Enum,
    Extension,
    Service,
}

impl Element {
    /// The element as Buf names it in a message.
    pub fn word(self) -> &'static str {
        match self {
            Element::Message => "message",
            Element::Enum => "enum",
            Element::Extension => "extension",
            Element::Service => "service",
        }
    }

    /// The full names of the elements of this kind in `file`. Map entries
    /// count as messages: dropping a map field deletes its entry.
    fn full_names(self, file: &FileDescriptor) -> Vec<String> {
        match self {
            Element::Message => messages(file, MapEntries::Include)
                .iter()
                .map(|m| m.full_name().to_owned())
                .collect(),
            Element::Enum => enums(file)
                .iter()
                .map(|e| e.full_name().to_owned())
                .collect(),
            Element::Extension => extensions(file)
                .iter()
                .map(|e| e.full_name().to_owned())
                .collect(),
            Element::Service => file.services().map(|s| s.full_name().to_owned()).collect(),
        }
    }

    /// The nested names of the elements of this kind in `files`, each
    /// relative to its own file's package.
    fn nested_names(self, files: &[FileDescriptor]) -> Vec<String> {
        files
            .iter()
            .flat_map(|f| {
                self.full_names(f)
                    .into_iter()
                    .map(|n| nested_name(&n, f.package_name()).to_owned())
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A previous element with no pair.
pub struct Deletion {
    /// Its name without the package (`Outer.Inner`).
    pub name: String,
    /// The package it was deleted from.
    pub package: String,
    /// The current file the finding goes to; `None` when that file is gone
    /// too.
    pub file: Option<String>,
    /// The enclosing element that still exists (empty: the whole file).
    pub element: Vec<i32>,
    /// Where it went, when it moved to another file of the package.
    pub moved: Option<Move>,
}

/// A message or enum that left its file for another file of the package.
pub struct Move {
    pub from: String,
    pub to: String,
    pub related: Related,
}

/// When a deleted field or enum value is acceptable, for the `*_NO_DELETE`
/// rules and their `_UNLESS_NUMBER_RESERVED` / `_UNLESS_NAME_RESERVED`
/// variants.
#[derive(Clone, Copy)]
pub enum Unless {
    Never,
    NumberReserved,
    NameReserved,
}

impl Unless {
    /// `None` when the deletion of `number` with `names` is acceptable
    /// given what the current element `reserved`, else the end of the
    /// finding's message (`" without reserving the number \"3\""`).
    pub fn suffix(self, number: i64, names: &[String], reserved: &Reserved) -> Option<String> {
        match self {
            Unless::Never => Some(String::new()),
            Unless::NumberReserved => (!reserved
                .ranges
                .iter()
                .any(|&(start, end)| start <= number && number <= end))
            .then(|| format!(" without reserving the number \"{number}\"")),
            Unless::NameReserved => {
                if names.iter().all(|n| reserved.names.contains(n)) {
                    return None;
                }
                let plural = if names.len() > 1 { "s" } else { "" };
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                Some(format!(
                    " without reserving the name{plural} {}",
                    quoted.join(", ")
                ))
            }
        }
    }
}

impl PairCx<'_> {
    /// The previous files with no current file of the same path.
    pub fn deleted_files(&self) -> Vec<FileDescriptor> {
        self.file_pairs()
            .into_iter()
            .filter(|(_, c)| c.is_none())
            .map(|(p, _)| p)
            .collect()
    }

    /// The packages of the previous files that no current file has.
    pub fn deleted_packages(&self) -> Vec<String> {
        let current: BTreeSet<String> = self
            .current_files()
            .iter()
            .map(|f| f.package_name().to_owned())
            .collect();
        let previous: BTreeSet<String> = self
            .previous_files()
            .iter()
            .map(|f| f.package_name().to_owned())
            .collect();
        previous.difference(&current).cloned().collect()
    }

    /// Every element of `kind` of a previous file that the current file of
    /// the same path no longer has, by nested name (Buf matches inside the
    /// file's package, so a file whose package changed keeps its elements:
    /// FILE_SAME_PACKAGE reports that). Files that are gone are left to
    /// FILE_NO_DELETE.
    pub fn deleted_from_files(&self, kind: Element) -> Vec<Deletion> {
        let mut out = Vec::new();
        for (previous_file, current_file) in self.matched_file_pairs() {
            let current = kind.nested_names(std::slice::from_ref(&current_file));
            let anchors = messages(&current_file, MapEntries::Include);
            let package = previous_file.package_name();
            for full_name in kind.full_names(&previous_file) {
                let name = nested_name(&full_name, package);
                if current.iter().any(|c| c == name) {
                    continue;
                }
                let element = deleted_element_anchor(name, &anchors)
                    .map_or_else(Vec::new, |m| m.path().to_vec());
                let mut moved = None;
                if matches!(kind, Element::Message | Element::Enum) {
                    if self.parent_moved(&full_name, package, previous_file.name()) {
                        continue;
                    }
                    moved = self.moved_to(&full_name, previous_file.name());
                }
                out.push(Deletion {
                    name: name.to_owned(),
                    package: package.to_owned(),
                    file: Some(current_file.name().to_owned()),
                    element,
                    moved,
                });
            }
        }
        out
    }

    /// Every element of `kind` of a previous file that no current file of
    /// its package has, by nested name. Buf compares the messages, enums
    /// and extensions only of packages that still have some, but the
    /// services of every package that still has a file.
    pub fn deleted_from_packages(&self, kind: Element) -> Vec<Deletion> {
        let current_files = self.current_files();
        let mut out = Vec::new();
        for previous_file in self.previous_files() {
            let package = previous_file.package_name();
            let in_package: Vec<FileDescriptor> = current_files
                .iter()
                .filter(|f| f.package_name() == package)
                .cloned()
                .collect();
            let current = kind.nested_names(&in_package);
            let compared = match kind {
                Element::Service => !in_package.is_empty(),
                _ => !current.is_empty(),
            };
            if !compared {
                continue;
            }
            for full_name in kind.full_names(&previous_file) {
                let name = nested_name(&full_name, package);
                if current.iter().any(|c| c == name) {
                    continue;
                }
                let mut deletion = Deletion {
                    name: name.to_owned(),
                    package: package.to_owned(),
                    file: None,
                    element: Vec::new(),
                    moved: None,
                };
                if let Some(file) = self.current_file(previous_file.name()) {
                    // A deleted message's enclosing message is looked up in
                    // the whole package, so it may now live in another file:
                    // the finding goes there.
                    let anchors = match kind {
                        Element::Message => in_package
                            .iter()
                            .flat_map(|f| messages(f, MapEntries::Include))
                            .collect(),
                        _ => messages(&file, MapEntries::Include),
                    };
                    let anchor = deleted_element_anchor(name, &anchors);
                    deletion.file = Some(match &anchor {
                        Some(a) if kind == Element::Message => a.parent_file().name().to_owned(),
                        _ => file.name().to_owned(),
                    });
                    deletion.element = anchor.map_or_else(Vec::new, |m| m.path().to_vec());
                }
                out.push(deletion);
            }
        }
        out
    }

    /// Every field number of a previous message that the current message of
    /// the same full name no longer has: (previous message, current
    /// message, deleted field).
    pub fn deleted_fields(&self) -> Vec<(MessageDescriptor, MessageDescriptor, FieldDescriptor)> {
        self.message_pairs(MapEntries::Exclude)
            .into_iter()
            .flat_map(|(previous, current)| {
                previous
                    .fields()
                    .filter(|f| current.get_field(f.number()).is_none())
                    .map(|f| (previous.clone(), current.clone(), f))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every number of a previous enum that no value of the current enum of
    /// the same full name has any more: (current enum, number, the sorted
    /// names the number had). Aliases share a number: the number is what is
    /// deleted.
    pub fn deleted_enum_values(&self) -> Vec<(EnumDescriptor, i32, Vec<String>)> {
        let mut out = Vec::new();
        for (previous, current) in self.enum_pairs() {
            for (number, values) in super::pair::values_by_number(&previous) {
                if current.get_value(number).is_some() {
                    continue;
                }
                let mut names: Vec<String> = values.iter().map(|v| v.name().to_owned()).collect();
                names.sort();
                out.push((current.clone(), number, names));
            }
        }
        out
    }

    /// Every oneof written in a previous message that the current message
    /// of the same full name no longer has, by name: (current message,
    /// deleted oneof).
    pub fn deleted_oneofs(&self) -> Vec<(MessageDescriptor, OneofDescriptor)> {
        self.message_pairs(MapEntries::Exclude)
            .into_iter()
            .flat_map(|(previous, current)| {
                previous
                    .oneofs()
                    .filter(|o| !o.is_synthetic())
                    .filter(|o| !current.oneofs().any(|c| c.name() == o.name()))
                    .map(|o| (current.clone(), o))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Every RPC of a previous service that the current service of the same
    /// full name no longer has, by name: (current service, deleted RPC).
    pub fn deleted_methods(&self) -> Vec<(ServiceDescriptor, MethodDescriptor)> {
        self.service_pairs()
            .into_iter()
            .flat_map(|(previous, current)| {
                previous
                    .methods()
                    .filter(|m| !current.methods().any(|c| c.name() == m.name()))
                    .map(|m| (current.clone(), m))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Where a message or enum that left `from_file` went, when it moved to
    /// another current file of the same package.
    fn moved_to(&self, full_name: &str, from_file: &str) -> Option<Move> {
        let (file, path) = if let Some(m) = self.current_message(full_name) {
            (m.parent_file(), m.path().to_vec())
        } else {
            let e = self.current_enum(full_name)?;
            (e.parent_file(), e.path().to_vec())
        };
        if file.name() == from_file {
            return None;
        }
        let related = related_at(
            self.current,
            file.name(),
            &path,
            format!("\"{full_name}\" is now here"),
        )?;
        Some(Move {
            from: from_file.to_owned(),
            to: file.name().to_owned(),
            related,
        })
    }

    /// Whether a parent message of `full_name` (in the previous file) moved
    /// to another file: its nested types moved with it and are not reported
    /// again.
    fn parent_moved(&self, full_name: &str, package: &str, from_file: &str) -> bool {
        let mut scope = nested_name(full_name, package);
        while let Some((parent, _)) = scope.rsplit_once('.') {
            let parent_full = if package.is_empty() {
                parent.to_owned()
            } else {
                format!("{package}.{parent}")
            };
            if self.moved_to(&parent_full, from_file).is_some() {
                return true;
            }
            scope = parent;
        }
        false
    }
}

/// The check of MESSAGE_NO_DELETE, ENUM_NO_DELETE, EXTENSION_NO_DELETE and
/// SERVICE_NO_DELETE: report each element of `kind` deleted from its file
/// (or moved out of it) at its enclosing element.
pub fn report_deleted_from_files(cx: &PairCx<'_>, sink: &mut BreakingSink, kind: Element) {
    let word = kind.word();
    for d in cx.deleted_from_files(kind) {
        let (file, name) = (d.file.as_deref().unwrap_or_default(), &d.name);
        match d.moved {
            Some(m) => sink.report_related(
                file,
                &d.element,
                &d.element,
                format!(
                    "Previously present {word} \"{name}\" was moved from file \"{}\" to file \"{}\".",
                    m.from, m.to
                ),
                m.related,
            ),
            None => sink.report(
                file,
                &d.element,
                &d.element,
                format!("Previously present {word} \"{name}\" was deleted from file."),
            ),
        }
    }
}

/// The check of the `PACKAGE_*_NO_DELETE` rules: report each element of
/// `kind` deleted from its package.
pub fn report_deleted_from_packages(cx: &PairCx<'_>, sink: &mut BreakingSink, kind: Element) {
    let word = kind.word();
    for d in cx.deleted_from_packages(kind) {
        let text = format!(
            "Previously present {word} \"{}\" was deleted from package \"{}\".",
            d.name, d.package
        );
        match &d.file {
            Some(file) => sink.report(file, &d.element, &d.element, text),
            None => sink.report_unlocated(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reserved(ranges: &[(i64, i64)], names: &[&str]) -> Reserved {
        Reserved {
            ranges: ranges.to_vec(),
            names: names.iter().map(|n| (*n).to_owned()).collect(),
        }
    }

    #[test]
    fn a_reserved_number_or_name_allows_the_deletion() {
        let r = reserved(&[(2, 4)], &["old"]);
        let names = ["old".to_owned()];
        assert_eq!(Unless::NumberReserved.suffix(3, &names, &r), None);
        assert_eq!(Unless::NameReserved.suffix(9, &names, &r), None);
        assert_eq!(
            Unless::Never.suffix(3, &names, &r),
            Some(String::new()),
            "FIELD_NO_DELETE reports even reserved deletions"
        );
    }

    #[test]
    fn the_suffix_names_what_is_not_reserved() {
        let r = reserved(&[(2, 4)], &["a"]);
        let names = ["a".to_owned(), "b".to_owned()];
        assert_eq!(
            Unless::NumberReserved.suffix(5, &names, &r).as_deref(),
            Some(" without reserving the number \"5\"")
        );
        assert_eq!(
            Unless::NameReserved.suffix(5, &names, &r).as_deref(),
            Some(" without reserving the names \"a\", \"b\"")
        );
        assert_eq!(
            Unless::NameReserved.suffix(5, &names[1..], &r).as_deref(),
            Some(" without reserving the name \"b\"")
        );
    }
}
