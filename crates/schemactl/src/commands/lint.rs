//! `schemactl lint`: Buf's lint rules plus TOPIC rules, with per-rule
//! severity and a baseline of accepted findings.

use std::collections::HashMap;

use schemactl_config::RuleSeverity;
use schemactl_diagnostics::{Diagnostic, Severity};

use crate::args::{GlobalArgs, LintArgs};
use crate::output::Output;
use crate::{Failure, Outcome, load};

pub fn run(global: &GlobalArgs, args: &LintArgs, out: &Output) -> Result<Outcome, Failure> {
    let loaded = load::load(global, &args.input)?;
    let compilation = &loaded.compilation;
    if !compilation.diagnostics.is_empty() {
        out.diagnostics_to_stderr(&compilation.diagnostics, &compilation.sources)?;
        return Ok(Outcome::Findings);
    }
    let Some(image) = loaded.image() else {
        return Err(Failure::new("compilation produced no image"));
    };
    let mut findings = lint_image(image, &loaded)?;
    if let Some(path) = &args.baseline {
        let before = findings.len();
        findings = apply_baseline(findings, path)?;
        out.info(&format!(
            "baseline: {} known findings suppressed",
            before - findings.len()
        ))?;
    }
    out.diagnostics_to_stdout(&findings, &compilation.sources)?;
    let errors = findings.iter().filter(|d| d.is_error()).count();
    let warnings = findings.len() - errors;
    if !findings.is_empty() {
        out.summary(errors, warnings)?;
    }
    Ok(if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Lint and TOPIC rules over a compiled image, with severities applied.
pub fn lint_image(
    image: &schemactl_compile::Image,
    loaded: &load::Loaded,
) -> Result<Vec<Diagnostic>, Failure> {
    let config = &loaded.config;
    let config_path = loaded.config_display_path();
    let subject = schemactl_rules::Subject {
        image,
        config,
        config_path: &config_path,
    };
    let mut findings = schemactl_rules::lint::lint(&subject)
        .map_err(|e| Failure::new(format!("{config_path}: {e}")).hint(Some(e.hint())))?;
    for finding in &mut findings {
        if config.lint.severity.get(&finding.rule) == Some(&RuleSeverity::Warn) {
            finding.severity = Severity::Warning;
        }
    }
    Ok(findings)
}

/// Drop findings recorded in a baseline (Buf-shaped JSON lines). Matching is
/// by path, rule and message, not line, so edits elsewhere in a file do not
/// resurrect accepted findings; each baseline entry suppresses one finding.
pub fn apply_baseline(
    findings: Vec<Diagnostic>,
    path: &std::path::Path,
) -> Result<Vec<Diagnostic>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(format!("cannot read baseline `{}`: {e}", path.display())))?;
    let mut known: HashMap<(String, String, String), usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
            Failure::new(format!(
                "{}:{}: not a JSON finding: {e}",
                path.display(),
                i + 1
            ))
            .hint(Some(
                "write the baseline with `schemactl lint --error-format json > baseline.json`"
                    .to_owned(),
            ))
        })?;
        let field = |k: &str| value[k].as_str().unwrap_or_default().to_owned();
        *known
            .entry((field("path"), field("type"), field("message")))
            .or_default() += 1;
    }
    Ok(findings
        .into_iter()
        .filter(|d| {
            let key = (d.path.clone(), d.rule.clone(), d.message.clone());
            match known.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        })
        .collect())
}
