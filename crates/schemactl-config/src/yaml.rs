//! A YAML document as a tree of nodes that remember where they were, so every
//! configuration error can name the line and column.

use std::collections::HashSet;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl From<Marker> for Pos {
    fn from(m: Marker) -> Self {
        Pos {
            line: m.line(),
            column: m.col() + 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar; `quoted` when written in quotes (then it is always a string).
    Scalar {
        value: String,
        quoted: bool,
        pos: Pos,
    },
    Seq {
        items: Vec<Node>,
        pos: Pos,
    },
    Map {
        entries: Vec<(Key, Node)>,
        pos: Pos,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

impl Node {
    pub fn pos(&self) -> Pos {
        match self {
            Node::Scalar { pos, .. } | Node::Seq { pos, .. } | Node::Map { pos, .. } => *pos,
        }
    }

    /// What kind of node this is, for "expected X, found Y" messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Node::Scalar { value, quoted, .. } if !quoted && is_null(value) => "null",
            Node::Scalar { .. } => "a scalar",
            Node::Seq { .. } => "a list",
            Node::Map { .. } => "a mapping",
        }
    }

    /// The value as an error message shows it: a scalar itself (shortened
    /// when long), or the kind of a list or mapping.
    pub fn describe(&self) -> String {
        const SHOWN: usize = 60;
        match self {
            _ if self.is_null() => "nothing (null)".to_owned(),
            Node::Scalar { value, quoted, .. } => {
                let mut shown: String = value.chars().take(SHOWN).collect();
                if value.chars().count() > SHOWN {
                    shown.push_str("...");
                }
                if *quoted {
                    format!("the string `{shown}`")
                } else {
                    format!("`{shown}`")
                }
            }
            Node::Seq { .. } => "a list".to_owned(),
            Node::Map { .. } => "a mapping".to_owned(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Node::Scalar { value, quoted: false, .. } if is_null(value))
    }
}

fn is_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    documents: usize,
    alias: Option<Pos>,
    /// The first key repeated in a mapping: YAML requires unique keys, and
    /// a later value silently replacing an earlier one (a second topic of
    /// the same name, a rule's severity set twice) is a mistake.
    duplicate: Option<Key>,
}

enum Frame {
    Seq(Vec<Node>, Pos),
    /// Entries, the key waiting for its value, where it starts, and the
    /// key names seen so far.
    Map(Vec<(Key, Node)>, Option<Key>, Pos, HashSet<String>),
}

impl Builder {
    fn push_value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(items, _)) => items.push(node),
            Some(Frame::Map(entries, pending, _, seen)) => match pending.take() {
                None => {
                    let (name, pos) = match node {
                        Node::Scalar { value, pos, .. } => (value, pos),
                        other => (String::new(), other.pos()),
                    };
                    if !seen.insert(name.clone()) && self.duplicate.is_none() {
                        self.duplicate = Some(Key {
                            name: name.clone(),
                            pos,
                        });
                    }
                    *pending = Some(Key { name, pos });
                }
                Some(key) => entries.push((key, node)),
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = Pos::from(mark);
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::Scalar(value, style, _, _) => self.push_value(Node::Scalar {
                value,
                quoted: !matches!(style, TScalarStyle::Plain),
                pos,
            }),
            Event::SequenceStart(..) => self.stack.push(Frame::Seq(Vec::new(), pos)),
            Event::MappingStart(..) => {
                self.stack
                    .push(Frame::Map(Vec::new(), None, pos, HashSet::new()));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(items, pos)) = self.stack.pop() {
                    self.push_value(Node::Seq { items, pos });
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(entries, _, pos, _)) = self.stack.pop() {
                    self.push_value(Node::Map { entries, pos });
                }
            }
            Event::Alias(_) => {
                self.alias.get_or_insert(pos);
                self.push_value(Node::Scalar {
                    value: String::new(),
                    quoted: false,
                    pos,
                });
            }
            _ => {}
        }
    }
}

/// A YAML syntax problem.
#[derive(Debug, thiserror::Error)]
#[error("{}:{}: {message}", .pos.line, .pos.column)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// What to do about it, when there is more to say than the message.
    pub hint: Option<String>,
}

/// How deeply lists and mappings may nest in a configuration file. Real
/// files need fewer than ten levels; the limit keeps every walk over the
/// tree (building, decoding, dropping it) far from the stack's end.
pub const MAX_DEPTH: usize = 64;

/// The largest configuration file read, in bytes (1 MiB).
pub const MAX_FILE_SIZE: usize = 1 << 20;

/// Parse one YAML document. An empty document is an empty mapping.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.len() > MAX_FILE_SIZE {
        return Err(SyntaxError {
            pos: Pos { line: 1, column: 1 },
            message: format!(
                "the file is {} bytes; configuration files are limited to {MAX_FILE_SIZE} bytes (1 MiB)",
                text.len()
            ),
            hint: Some(
                "a configuration file is a few kilobytes; check that this is the file you meant"
                    .to_owned(),
            ),
        });
    }
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    // Events one at a time rather than `Parser::load`, which recurses once
    // per nesting level and overflows the stack on deep block nesting.
    loop {
        let (event, mark) = parser.next_token().map_err(|e| SyntaxError {
            pos: Pos::from(*e.marker()),
            message: e.info().to_owned(),
            hint: None,
        })?;
        match event {
            Event::StreamEnd => break,
            Event::SequenceStart(..) | Event::MappingStart(..)
                if builder.stack.len() >= MAX_DEPTH =>
            {
                return Err(SyntaxError {
                    pos: Pos::from(mark),
                    message: format!(
                        "lists and mappings nest more than {MAX_DEPTH} levels deep here"
                    ),
                    hint: Some(
                        "no configuration key nests this deep; check the indentation and brackets"
                            .to_owned(),
                    ),
                });
            }
            _ => builder.on_event(event, mark),
        }
    }
    if let Some(key) = builder.duplicate {
        return Err(SyntaxError {
            pos: key.pos,
            message: format!("duplicate key `{}`", key.name),
            hint: Some("each key may appear once in a mapping: merge the two entries".to_owned()),
        });
    }
    if let Some(pos) = builder.alias {
        return Err(SyntaxError {
            pos,
            message: "YAML aliases (`*name`) are not supported in configuration files".to_owned(),
            hint: Some("write the value out in full where the alias is".to_owned()),
        });
    }
    if builder.documents > 1 {
        return Err(SyntaxError {
            pos: Pos { line: 1, column: 1 },
            message: "expected one YAML document, found several (`---`)".to_owned(),
            hint: Some("keep one document: remove the `---` separators".to_owned()),
        });
    }
    Ok(builder.root.filter(|n| !n.is_null()).unwrap_or(Node::Map {
        entries: Vec::new(),
        pos: Pos { line: 1, column: 1 },
    }))
}
