//! Pairing: every match between the previous and the current image lives
//! here, as Buf pairs elements — files by path, messages, enums and services
//! by full name, fields by number, extensions by extendee and number, enum
//! values by number, RPCs by name — so each breaking rule only sees pairs
//! (and, through [`super::deletion`], what has no pair).

use std::collections::{BTreeMap, BTreeSet};

use prost_reflect::{
    EnumDescriptor, EnumValueDescriptor, ExtensionDescriptor, FileDescriptor, MessageDescriptor,
    MethodDescriptor, ServiceDescriptor,
};
use schemactl_compile::Image;

use super::RuleIgnore;
use super::helpers::field::AnyField;
use crate::package::is_unstable;

/// The previous and current images, for a breaking rule.
pub struct PairCx<'a> {
    pub previous: &'a Image,
    pub current: &'a Image,
    /// When true (`ignore_unstable_packages`), previous files whose package
    /// is alpha, beta or test are left out of [`PairCx::previous_files`].
    pub(super) skip_unstable: bool,
    /// The rule being run and the configuration whose `ignore` and
    /// `ignore_only` paths also apply to *previous* files: Buf drops a
    /// finding when either its current or its previous location is ignored,
    /// so an element moved out of an ignored file stays ignored.
    pub(super) ignore: Option<RuleIgnore<'a>>,
    /// The files of the module being compared, on each side (Buf compares
    /// module by module); `None` compares every input file.
    pub(super) scope: Option<&'a ModuleScope>,
    /// Whether imported files are compared too (Buf's `breaking` without
    /// `--exclude-imports`); the scope then lists them.
    pub(super) imports: bool,
}

/// The input files (import paths) of one module on each side: Buf builds
/// one image per module, where the other modules' files are imports.
#[derive(Debug, Default, Clone)]
pub struct ModuleScope {
    pub previous: BTreeSet<String>,
    pub current: BTreeSet<String>,
}

/// Whether a message walk includes the synthetic entry messages of `map<>`
/// fields. Buf's deletion and field rules see them as messages (dropping a
/// map field deletes its entry); the message rules do not.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MapEntries {
    Include,
    Exclude,
}

/// Every message of `file`, nested ones included, in declaration order
/// (each message before its nested ones): the one message walker of the
/// breaking rules.
pub fn messages(file: &FileDescriptor, map_entries: MapEntries) -> Vec<MessageDescriptor> {
    fn push(m: MessageDescriptor, map_entries: MapEntries, out: &mut Vec<MessageDescriptor>) {
        if map_entries == MapEntries::Exclude && m.is_map_entry() {
            return;
        }
        let nested: Vec<_> = m.child_messages().collect();
        out.push(m);
        for n in nested {
            push(n, map_entries, out);
        }
    }
    let mut out = Vec::new();
    for m in file.messages() {
        push(m, map_entries, &mut out);
    }
    out
}

/// Every enum of `file`: top-level ones, then those nested in messages.
pub fn enums(file: &FileDescriptor) -> Vec<EnumDescriptor> {
    let mut out: Vec<EnumDescriptor> = file.enums().collect();
    for m in messages(file, MapEntries::Exclude) {
        out.extend(m.child_enums());
    }
    out
}

/// Every extension declared in `file`, at top level or nested in a message.
pub fn extensions(file: &FileDescriptor) -> Vec<ExtensionDescriptor> {
    let mut out: Vec<_> = file.extensions().collect();
    for m in messages(file, MapEntries::Exclude) {
        out.extend(m.child_extensions());
    }
    out
}

/// `full_name` without its package prefix: Buf's "nested name"
/// (`Outer.Inner` for `pkg.v1.Outer.Inner`).
pub fn nested_name<'n>(full_name: &'n str, package: &str) -> &'n str {
    if package.is_empty() {
        return full_name;
    }
    full_name
        .strip_prefix(package)
        .and_then(|rest| rest.strip_prefix('.'))
        .unwrap_or(full_name)
}

/// A number of an enum on both sides: (current enum, number, previous
/// values, current values).
pub type EnumValuePair = (
    EnumDescriptor,
    i32,
    Vec<EnumValueDescriptor>,
    Vec<EnumValueDescriptor>,
);

/// The values of an enum grouped by number (aliases share one).
pub fn values_by_number(e: &EnumDescriptor) -> BTreeMap<i32, Vec<EnumValueDescriptor>> {
    let mut out: BTreeMap<i32, Vec<EnumValueDescriptor>> = BTreeMap::new();
    for v in e.values() {
        out.entry(v.number()).or_default().push(v);
    }
    out
}

impl<'a> PairCx<'a> {
    /// The previous input files (imports too when they are compared), in
    /// dependency order.
    pub fn previous_files(&self) -> Vec<FileDescriptor> {
        self.previous
            .files()
            .iter()
            .filter(|f| self.imports || !f.is_import)
            .filter_map(|f| self.previous.pool().get_file_by_name(&f.name))
            .filter(|f| self.scope.is_none_or(|s| s.previous.contains(f.name())))
            .filter(|f| !self.skip_unstable || !is_unstable(f.package_name()))
            .filter(|f| {
                self.ignore.is_none_or(|i| {
                    self.previous
                        .file(f.name())
                        .is_none_or(|m| !i.paths().ignores(i.rule, &m.input_path))
                })
            })
            .collect()
    }

    /// The current input file with this name.
    pub fn current_file(&self, name: &str) -> Option<FileDescriptor> {
        let meta = self.current.file(name)?;
        if !self.in_current_scope(meta) {
            return None;
        }
        self.current.pool().get_file_by_name(name)
    }

    /// The current input files (imports too when they are compared).
    pub fn current_files(&self) -> Vec<FileDescriptor> {
        self.current
            .files()
            .iter()
            .filter(|f| self.in_current_scope(f))
            .filter_map(|f| self.current.pool().get_file_by_name(&f.name))
            .collect()
    }

    /// Whether `meta` is a current file of the module compared (an input
    /// file, or an import when imports are compared).
    fn in_current_scope(&self, meta: &schemactl_compile::ImageFile) -> bool {
        (self.imports || !meta.is_import)
            && self.scope.is_none_or(|s| s.current.contains(&meta.name))
    }

    /// Whether `file` is a current file of the comparison.
    fn is_current_input(&self, file: &FileDescriptor) -> bool {
        self.current
            .file(file.name())
            .is_some_and(|f| self.in_current_scope(f))
    }

    /// Previous files paired with the current file of the same path.
    pub fn file_pairs(&self) -> Vec<(FileDescriptor, Option<FileDescriptor>)> {
        self.previous_files()
            .into_iter()
            .map(|p| {
                let c = self.current_file(p.name());
                (p, c)
            })
            .collect()
    }

    /// Previous files paired with the current file of the same path, where
    /// both exist.
    pub fn matched_file_pairs(&self) -> Vec<(FileDescriptor, FileDescriptor)> {
        self.file_pairs()
            .into_iter()
            .filter_map(|(p, c)| Some((p, c?)))
            .collect()
    }

    /// A message of the current input files by full name.
    pub fn current_message(&self, full_name: &str) -> Option<MessageDescriptor> {
        self.current
            .pool()
            .get_message_by_name(full_name)
            .filter(|m| self.is_current_input(&m.parent_file()))
    }

    /// An enum of the current input files by full name.
    pub fn current_enum(&self, full_name: &str) -> Option<EnumDescriptor> {
        self.current
            .pool()
            .get_enum_by_name(full_name)
            .filter(|e| self.is_current_input(&e.parent_file()))
    }

    /// A service of the current input files by full name.
    pub fn current_service(&self, full_name: &str) -> Option<ServiceDescriptor> {
        self.current
            .pool()
            .get_service_by_name(full_name)
            .filter(|s| self.is_current_input(&s.parent_file()))
    }

    /// Every message of the previous files paired with the current message
    /// of the same full name in *any* current input file (PACKAGE
    /// semantics: moving between files of a package is fine); messages that
    /// are gone are left out.
    pub fn message_pairs(
        &self,
        map_entries: MapEntries,
    ) -> Vec<(MessageDescriptor, MessageDescriptor)> {
        self.previous_files()
            .iter()
            .flat_map(|f| messages(f, map_entries))
            .filter_map(|m| {
                let c = self.current_message(m.full_name())?;
                Some((m, c))
            })
            .collect()
    }

    /// Every enum of the previous files paired by full name across all
    /// current input files; enums that are gone are left out.
    pub fn enum_pairs(&self) -> Vec<(EnumDescriptor, EnumDescriptor)> {
        self.previous_files()
            .iter()
            .flat_map(enums)
            .filter_map(|e| {
                let c = self.current_enum(e.full_name())?;
                Some((e, c))
            })
            .collect()
    }

    /// Every number of a previous enum that the current enum of the same
    /// full name still has, with the values of each side (aliases share a
    /// number): (current enum, number, previous values, current values).
    pub fn enum_value_pairs(&self) -> Vec<EnumValuePair> {
        let mut out = Vec::new();
        for (previous, current) in self.enum_pairs() {
            let mut after = values_by_number(&current);
            for (number, before) in values_by_number(&previous) {
                if let Some(now) = after.remove(&number) {
                    out.push((current.clone(), number, before, now));
                }
            }
        }
        out
    }

    /// Every service of the previous files paired with the current service
    /// of the same full name in any current input file; services that are
    /// gone are left out.
    pub fn service_pairs(&self) -> Vec<(ServiceDescriptor, ServiceDescriptor)> {
        self.previous_files()
            .iter()
            .flat_map(|f| f.services().collect::<Vec<_>>())
            .filter_map(|s| {
                let c = self.current_service(s.full_name())?;
                Some((s, c))
            })
            .collect()
    }

    /// Every RPC of a previous service paired with the RPC of the same name
    /// on the current service of the same full name (in any current input
    /// file); RPCs or services that are gone are left out.
    pub fn method_pairs(&self) -> Vec<(MethodDescriptor, MethodDescriptor)> {
        self.service_pairs()
            .into_iter()
            .flat_map(|(previous, current)| {
                previous
                    .methods()
                    .filter_map(|m| {
                        let c = current.methods().find(|c| c.name() == m.name())?;
                        Some((m, c))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The fields of the previous images paired with the current fields, as
    /// Buf pairs them: fields by number within messages of the same full
    /// name (in any current input file, map entries included), extensions
    /// by extendee and number.
    pub fn field_pairs(&self) -> Vec<(AnyField, AnyField)> {
        let mut out = Vec::new();
        for (previous, current) in self.message_pairs(MapEntries::Include) {
            for field in previous.fields() {
                if let Some(c) = current.get_field(field.number()) {
                    out.push((AnyField::Field(field), AnyField::Field(c)));
                }
            }
        }
        let current_extensions: Vec<ExtensionDescriptor> = self
            .current
            .input_files()
            .filter_map(|f| self.current_file(&f.name))
            .flat_map(|f| extensions(&f))
            .collect();
        for file in &self.previous_files() {
            for previous in extensions(file) {
                let extendee = previous.containing_message();
                if let Some(c) = current_extensions.iter().find(|c| {
                    c.number() == previous.number()
                        && c.containing_message().full_name() == extendee.full_name()
                }) {
                    out.push((
                        AnyField::Extension(previous),
                        AnyField::Extension(c.clone()),
                    ));
                }
            }
        }
        out
    }

    /// The first of `candidates` (source paths in the current file `file`)
    /// that has a location: where Buf reports a changed feature or option
    /// that may be written on the element itself or not at all.
    pub fn first_located(&self, file: &str, candidates: &[&[i32]]) -> Option<Vec<i32>> {
        let info = self.current.source_info(file)?;
        candidates
            .iter()
            .find(|path| info.location.iter().any(|l| l.path == **path))
            .map(|path| path.to_vec())
    }

    /// The field pairs whose `value` differs, with both values: the shape
    /// of every `FIELD_SAME_*` rule.
    pub fn changed_fields<V: PartialEq>(
        &self,
        value: impl Fn(&AnyField) -> V,
    ) -> Vec<(AnyField, AnyField, V, V)> {
        self.field_pairs()
            .into_iter()
            .filter_map(|(previous, current)| {
                let (before, after) = (value(&previous), value(&current));
                (before != after).then_some((previous, current, before, after))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::nested_name;

    #[test]
    fn nested_names_drop_the_package_only() {
        assert_eq!(nested_name("pkg.v1.Outer.Inner", "pkg.v1"), "Outer.Inner");
        assert_eq!(nested_name("Outer.Inner", ""), "Outer.Inner");
        assert_eq!(nested_name("pkg.v10.Outer", "pkg.v1"), "pkg.v10.Outer");
    }
}
