//! Typed reading of a [`Node`] tree, with errors that name file, line and key.

use crate::ConfigError;
use crate::yaml::{Key, Node, Pos};

/// The file being decoded, for error messages.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    /// The whole document, to name the key path of a node in an error.
    pub root: Option<&'a Node>,
}

impl<'a> Ctx<'a> {
    pub fn new(file: &'a str) -> Self {
        Ctx { file, root: None }
    }

    /// The same file, with its parsed document for key paths.
    pub fn with_root(self, root: &'a Node) -> Self {
        Ctx {
            root: Some(root),
            ..self
        }
    }

    /// How `node` is addressed from the top of the file
    /// (`topics.identity.user-created.v1.partitions`, `generate[1].kind`);
    /// `key` when the document is not known.
    pub fn path_of(&self, node: &Node, key: &str) -> String {
        match self.root {
            Some(root) if std::ptr::eq(root, node) => "the top level of the file".to_owned(),
            Some(root) => {
                path_to(root, node).map_or_else(|| format!("`{key}`"), |p| format!("`{p}`"))
            }
            None => format!("`{key}`"),
        }
    }

    pub fn error(&self, pos: Pos, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.to_owned(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            hint: None,
        }
    }

    /// A value of the wrong type or form: its key path, what it must be and
    /// what it is.
    pub fn expected(&self, node: &Node, what: &str, key: &str) -> ConfigError {
        self.error(
            node.pos(),
            format!(
                "{} must be {what}, found {}",
                self.path_of(node, key),
                node.describe()
            ),
        )
    }

    pub fn syntax_error(&self, e: crate::yaml::SyntaxError) -> ConfigError {
        ConfigError {
            hint: e.hint,
            ..self.error(e.pos, e.message)
        }
    }

    pub fn string(&self, node: &Node, key: &str) -> Result<String, ConfigError> {
        match node {
            Node::Scalar { value, .. } if !node.is_null() => Ok(value.clone()),
            _ => Err(self.expected(node, "a string", key)),
        }
    }

    pub fn bool(&self, node: &Node, key: &str) -> Result<bool, ConfigError> {
        match node {
            Node::Scalar {
                value,
                quoted: false,
                ..
            } => match value.as_str() {
                "true" | "True" | "TRUE" => Ok(true),
                "false" | "False" | "FALSE" => Ok(false),
                _ => Err(self.expected(node, "true or false", key)),
            },
            _ => Err(self.expected(node, "true or false", key)),
        }
    }

    pub fn u32(&self, node: &Node, key: &str) -> Result<u32, ConfigError> {
        match node {
            Node::Scalar {
                value,
                quoted: false,
                ..
            } => value
                .parse::<u32>()
                .map_err(|_| self.expected(node, "a whole number", key)),
            _ => Err(self.expected(node, "a whole number", key)),
        }
    }

    /// A whole number of 1 or more (a count: partitions, replicas).
    pub fn positive_u32(&self, node: &Node, key: &str) -> Result<u32, ConfigError> {
        match self.u32(node, key) {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(self.expected(node, "a positive whole number (1 or more)", key)),
        }
    }

    /// A list of strings; a single string is accepted as a one-item list.
    pub fn strings(&self, node: &Node, key: &str) -> Result<Vec<String>, ConfigError> {
        match node {
            Node::Seq { items, .. } => items.iter().map(|n| self.string(n, key)).collect(),
            _ if node.is_null() => Ok(Vec::new()),
            Node::Scalar { value, .. } => Ok(vec![value.clone()]),
            Node::Map { .. } => Err(self.expected(node, "a list of strings", key)),
        }
    }

    pub fn map<'n>(&self, node: &'n Node, key: &str) -> Result<&'n [(Key, Node)], ConfigError> {
        match node {
            Node::Map { entries, .. } => Ok(entries),
            _ if node.is_null() => Ok(&[]),
            _ => Err(self.expected(node, "a mapping", key)),
        }
    }

    pub fn seq<'n>(&self, node: &'n Node, key: &str) -> Result<&'n [Node], ConfigError> {
        match node {
            Node::Seq { items, .. } => Ok(items),
            _ if node.is_null() => Ok(&[]),
            _ => Err(self.expected(node, "a list", key)),
        }
    }

    /// Check the keys of a mapping against the valid set: an unknown key is an
    /// error that suggests the closest valid one; a repeated key is an error.
    pub fn check_keys(
        &self,
        entries: &[(Key, Node)],
        valid: &[&str],
        section: &str,
    ) -> Result<(), ConfigError> {
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in entries {
            if seen.contains(&key.name.as_str()) {
                return Err(self.error(key.pos, format!("duplicate key `{}`", key.name)));
            }
            seen.push(&key.name);
            if !valid.contains(&key.name.as_str()) {
                let place = if section.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in `{section}`")
                };
                let mut err = self.error(key.pos, format!("unknown key `{}` {place}", key.name));
                err.hint = Some(match closest(&key.name, valid) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("valid keys here: {}", valid.join(", ")),
                });
                return Err(err);
            }
        }
        Ok(())
    }
}

/// The valid name closest to `name`, if it is close enough to be a likely
/// typo.
pub fn closest<'a>(name: &str, valid: &[&'a str]) -> Option<&'a str> {
    valid
        .iter()
        .map(|v| (strsim::jaro_winkler(name, v), *v))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, v)| v)
}

/// The key path from `root` to `target` (by identity). The tree is at most
/// [`crate::yaml::MAX_DEPTH`] levels deep, so the recursion is bounded.
fn path_to(root: &Node, target: &Node) -> Option<String> {
    let child = |path: String, node: &Node| -> Option<String> {
        if std::ptr::eq(node, target) {
            return Some(path);
        }
        let rest = path_to(node, target)?;
        Some(if rest.starts_with('[') {
            format!("{path}{rest}")
        } else {
            format!("{path}.{rest}")
        })
    };
    match root {
        Node::Scalar { .. } => None,
        Node::Seq { items, .. } => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| child(format!("[{i}]"), item)),
        Node::Map { entries, .. } => entries
            .iter()
            .find_map(|(key, value)| child(key.name.clone(), value)),
    }
}

/// Look up a key in a mapping.
pub fn get<'n>(entries: &'n [(Key, Node)], key: &str) -> Option<&'n Node> {
    entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
}
