//! `schemactl rules` and `schemactl explain`.

use schemactl_config::BufVersion;
use schemactl_rules::{all_rules, docs, find_rule};

use crate::args::{ConfigVersion, ExplainArgs, RulesArgs};
use crate::output::{Output, Stream};
use crate::{Failure, Outcome};

pub fn run_rules(args: &RulesArgs, out: &Output) -> Result<Outcome, Failure> {
    if let Some(dir) = &args.write_docs {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::new(format!("cannot create `{}`: {e}", dir.display())))?;
        for (name, content) in docs::all_pages() {
            let path = dir.join(&name);
            std::fs::write(&path, content)
                .map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display())))?;
        }
        return Ok(Outcome::Clean);
    }
    let version = match args.config_version {
        ConfigVersion::V1beta1 => BufVersion::V1Beta1,
        ConfigVersion::V1 => BufVersion::V1,
        ConfigVersion::V2 => BufVersion::V2,
    };
    let rules: Vec<_> = all_rules()
        .into_iter()
        .filter(|r| r.exists_in(version))
        .collect();
    out.write(Stream::Stdout, |stdout| {
        if args.json {
            rules.iter().try_for_each(|r| {
                let line = serde_json::json!({
                    "id": r.id,
                    "categories": r.categories_for(version),
                    "default": r.is_default_for(version),
                    "summary": r.summary,
                });
                writeln!(stdout, "{line}")
            })
        } else {
            let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(2);
            let cat_width = rules
                .iter()
                .map(|r| schemactl_rules::Category::join(r.categories_for(version), ",").len())
                .max()
                .unwrap_or(10);
            writeln!(
                stdout,
                "{:width$}  {:cat_width$}  {:7}  SUMMARY",
                "ID", "CATEGORIES", "DEFAULT"
            )
            .and_then(|()| {
                rules.iter().try_for_each(|r| {
                    writeln!(
                        stdout,
                        "{:width$}  {:cat_width$}  {:7}  {}",
                        r.id,
                        schemactl_rules::Category::join(r.categories_for(version), ","),
                        if r.is_default_for(version) { "yes" } else { "" },
                        r.summary
                    )
                })
            })
        }
    })?;
    Ok(Outcome::Clean)
}

pub fn run_explain(args: &ExplainArgs, out: &Output) -> Result<Outcome, Failure> {
    let id = args.rule.to_ascii_uppercase().replace('-', "_");
    let Some(rule) = find_rule(&id) else {
        let ids: Vec<&str> = all_rules().iter().map(|r| r.id).collect();
        let hint = match schemactl_config::closest(&id, &ids) {
            Some(best) => format!("did you mean `{best}`? `schemactl rules` lists every rule"),
            None => "`schemactl rules` lists every rule".to_owned(),
        };
        return Err(Failure::new(format!("no rule named `{}`", args.rule)).hint(Some(hint)));
    };
    out.data(&docs::rule_page(rule))?;
    Ok(Outcome::Clean)
}
