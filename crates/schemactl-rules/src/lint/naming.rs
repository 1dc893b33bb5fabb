//! The shared checks of the naming rules: an element's name follows a case
//! convention (`*_CASE`) or ends in a configured suffix (`*_SUFFIX`). The
//! conventions themselves are [`schemactl_compile::naming`]'s.

use schemactl_compile::naming::{
    is_lower_snake_case, is_pascal_case, is_upper_snake_case, to_lower_snake_case, to_pascal_case,
    to_upper_snake_case,
};
use schemactl_compile::walk::{self, tag};

use super::{FileCx, Sink};

/// A case convention of the `*_CASE` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    Pascal,
    LowerSnake,
    UpperSnake,
}

impl Case {
    /// The convention as findings name it.
    fn name(self) -> &'static str {
        match self {
            Case::Pascal => "PascalCase",
            Case::LowerSnake => "lower_snake_case",
            Case::UpperSnake => "UPPER_SNAKE_CASE",
        }
    }

    fn matches(self, name: &str) -> bool {
        match self {
            Case::Pascal => is_pascal_case(name),
            Case::LowerSnake => is_lower_snake_case(name),
            Case::UpperSnake => is_upper_snake_case(name),
        }
    }

    fn convert(self, name: &str) -> String {
        match self {
            Case::Pascal => to_pascal_case(name),
            Case::LowerSnake => to_lower_snake_case(name),
            Case::UpperSnake => to_upper_snake_case(name),
        }
    }
}

/// Report the element at `path` (at its name) unless `name` is in `case`;
/// `what` names the kind of element (`Message`, `Enum value`).
pub(crate) fn require_case(
    cx: &FileCx<'_>,
    sink: &mut Sink,
    path: &[i32],
    what: &str,
    name: &str,
    case: Case,
) {
    if !case.matches(name) {
        sink.report(
            cx.file.name(),
            path,
            &walk::join(path, &[tag::NAME]),
            format!(
                "{what} name \"{name}\" should be {}, such as \"{}\".",
                case.name(),
                case.convert(name)
            ),
        );
    }
}

/// Report the element at `path` (at its name) unless `name` ends in
/// `suffix`; `what` names the kind of element.
pub(crate) fn require_suffix(
    cx: &FileCx<'_>,
    sink: &mut Sink,
    path: &[i32],
    what: &str,
    name: &str,
    suffix: &str,
) {
    if !name.ends_with(suffix) {
        sink.report(
            cx.file.name(),
            path,
            &walk::join(path, &[tag::NAME]),
            format!("{what} name \"{name}\" should be suffixed with \"{suffix}\"."),
        );
    }
}
