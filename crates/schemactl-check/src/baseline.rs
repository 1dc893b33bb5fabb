//! A baseline: findings accepted once (`schemactl lint --error-format json >
//! baseline.json`), suppressed from then on.

use std::collections::HashMap;
use std::path::Path;

use schemactl_diagnostics::Diagnostic;

/// Why a baseline could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline `{path}`: {source}")]
    Unreadable {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a JSON finding: {message}")]
    NotJson {
        path: String,
        line: usize,
        message: String,
    },
}

impl BaselineError {
    pub fn hint(&self) -> Option<String> {
        match self {
            BaselineError::Unreadable { .. } => None,
            BaselineError::NotJson { .. } => Some(
                "write the baseline with `schemactl lint --error-format json > baseline.json`"
                    .to_owned(),
            ),
        }
    }
}

/// Accepted findings (Buf-shaped JSON lines), counted by path, rule and
/// message. Not by line: edits elsewhere in a file must not resurrect
/// accepted findings. Each entry suppresses one finding.
#[derive(Debug, Default, Clone)]
pub struct Baseline {
    known: HashMap<(String, String, String), usize>,
}

impl Baseline {
    pub fn read(path: &Path) -> Result<Self, BaselineError> {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Unreadable {
            path: display.clone(),
            source,
        })?;
        Self::parse(&text, &display)
    }

    /// Parse JSON lines; `display` names the file in errors.
    pub fn parse(text: &str, display: &str) -> Result<Self, BaselineError> {
        let mut known: HashMap<(String, String, String), usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let value: serde_json::Value =
                serde_json::from_str(line).map_err(|e| BaselineError::NotJson {
                    path: display.to_owned(),
                    line: i + 1,
                    message: e.to_string(),
                })?;
            let field = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
            *known
                .entry((field("path"), field("type"), field("message")))
                .or_default() += 1;
        }
        Ok(Baseline { known })
    }

    /// The findings the baseline does not account for, in their order.
    pub fn apply(&self, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut left = self.known.clone();
        findings
            .into_iter()
            .filter(|d| {
                let key = (d.path.clone(), d.rule.clone(), d.message.clone());
                match left.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        false
                    }
                    _ => true,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(path: &str, rule: &str, message: &str) -> Diagnostic {
        Diagnostic::new(rule, path.to_owned(), message.to_owned())
    }

    #[test]
    fn each_entry_suppresses_one_finding_whatever_its_line() {
        let baseline = Baseline::parse(
            "{\"path\":\"a.proto\",\"start_line\":3,\"type\":\"R\",\"message\":\"m\"}\n\n",
            "b.json",
        )
        .expect("parses");
        let kept = baseline.apply(vec![
            finding("a.proto", "R", "m"),
            finding("a.proto", "R", "m"),
            finding("a.proto", "R", "other"),
        ]);
        let kept: Vec<_> = kept.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(kept, ["m", "other"]);
    }

    #[test]
    fn a_line_that_is_not_json_is_located_with_a_hint() {
        let err = Baseline::parse("{}\nnot json\n", "b.json").expect_err("refused");
        assert!(
            err.to_string().starts_with("b.json:2: not a JSON finding:"),
            "{err}"
        );
        assert!(
            err.hint()
                .is_some_and(|h| h.contains("--error-format json"))
        );
    }
}
