//! Where breaking rules put their findings, before they are located.

use prost_reflect::{
    EnumDescriptor, EnumValueDescriptor, FieldDescriptor, FileDescriptor, MessageDescriptor,
    ServiceDescriptor,
};

/// A breaking finding before it is located.
#[derive(Debug, Clone)]
pub struct RawBreaking {
    /// The current file the finding is located in; `None` for findings with
    /// no current place (a deleted file).
    pub file: Option<String>,
    pub element: Vec<i32>,
    pub at: Vec<i32>,
    pub message: String,
    /// Other places the finding is about (where a moved element went).
    pub related: Vec<schemactl_diagnostics::Related>,
}

/// Where breaking rules put their findings.
#[derive(Default)]
pub struct BreakingSink {
    pub(super) rule: &'static str,
    pub(super) findings: Vec<(&'static str, RawBreaking)>,
}

impl BreakingSink {
    /// A finding located in the current `file`, on `element` (comment
    /// ignores look there and at its parents), at the span of `at`.
    pub fn report(&mut self, file: &str, element: &[i32], at: &[i32], message: impl Into<String>) {
        self.findings.push((
            self.rule,
            RawBreaking {
                file: Some(file.to_owned()),
                element: element.to_vec(),
                at: at.to_vec(),
                message: message.into(),
                related: Vec::new(),
            },
        ));
    }

    /// Like [`report`](Self::report), with a second location (where a moved
    /// element is now).
    pub fn report_related(
        &mut self,
        file: &str,
        element: &[i32],
        at: &[i32],
        message: impl Into<String>,
        related: schemactl_diagnostics::Related,
    ) {
        self.report(file, element, at, message);
        if let Some((_, last)) = self.findings.last_mut() {
            last.related.push(related);
        }
    }

    /// A finding with no place in the current files (a deleted file).
    pub fn report_unlocated(&mut self, message: impl Into<String>) {
        self.findings.push((
            self.rule,
            RawBreaking {
                file: None,
                element: Vec::new(),
                at: Vec::new(),
                message: message.into(),
                related: Vec::new(),
            },
        ));
    }
}

/// An element of the current files that a finding can sit on: its file
/// and its source path.
pub trait Place {
    fn place_file(&self) -> FileDescriptor;
    fn place_path(&self) -> &[i32];
}

macro_rules! place {
    ($($ty:ty),*) => {$(
        impl Place for $ty {
            fn place_file(&self) -> FileDescriptor {
                self.parent_file()
            }
            fn place_path(&self) -> &[i32] {
                self.path()
            }
        }
    )*};
}

place!(
    MessageDescriptor,
    EnumDescriptor,
    EnumValueDescriptor,
    ServiceDescriptor,
    FieldDescriptor
);

impl BreakingSink {
    /// A finding on a current element, located at the whole element.
    pub fn report_on(&mut self, place: &impl Place, message: impl Into<String>) {
        let path = place.place_path();
        self.report(place.place_file().name(), path, path, message);
    }
}
