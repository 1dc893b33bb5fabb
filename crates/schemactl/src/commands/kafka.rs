//! `schemactl kafka plan|apply|export|audit`: the CLI side of the
//! schemactl-kafka crate, which does the talking.

use std::fmt::Write as _;
use std::path::Path;

use schemactl_kafka::admin::Admin;
use schemactl_kafka::audit::{AcceptedVersion, AuditReport, Cause};
use schemactl_kafka::export::{self, StrimziAuth};
use schemactl_kafka::model::{self, Desired};
use schemactl_kafka::plan::{Action, Plan};
use schemactl_kafka::{ConnectOptions, KafkaError};

use crate::args::{
    GlobalArgs, KafkaApplyArgs, KafkaAuditArgs, KafkaAuditFormat, KafkaClusterArgs, KafkaCommand,
    KafkaExportArgs, KafkaExportFormat, KafkaPlanArgs, KafkaPlanFormat, StrimziAuthentication,
};
use crate::output::Output;
use crate::{Failure, Outcome};

pub fn run(global: &GlobalArgs, command: &KafkaCommand, out: &Output) -> Result<Outcome, Failure> {
    match command {
        KafkaCommand::Plan(args) => plan(global, args, out),
        KafkaCommand::Apply(args) => apply(global, args, out),
        KafkaCommand::Export(args) => export(global, args, out),
        KafkaCommand::Audit(args) => audit(args, out),
    }
}

impl From<KafkaError> for Failure {
    fn from(e: KafkaError) -> Self {
        Failure::new(e.to_string()).hint(e.hint())
    }
}

/// The catalog of the input, and the file it is in (for located errors).
fn catalog(
    global: &GlobalArgs,
    input: &crate::args::InputArgs,
    out: &Output,
) -> Result<(schemactl_config::Config, String), Failure> {
    let loaded = crate::load::load(global, input, out)?;
    let file = loaded
        .config_file_used()
        .unwrap_or_else(|| "schemactl.yaml".to_owned());
    if loaded.config.topics.is_empty() {
        return Err(
            Failure::new(format!("{file} has no topics: there is nothing to apply")).hint(Some(
                "declare the topics under `topics:` (docs/kafka.md)".to_owned(),
            )),
        );
    }
    Ok((loaded.config, file))
}

fn connect(args: &KafkaClusterArgs, out: &Output) -> Result<Admin, Failure> {
    let mut options = ConnectOptions::new(&args.bootstrap_server)?;
    if let Some(path) = &args.command_config {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Failure::new(format!("cannot read {}: {e}", path.display())).hint(Some(
                "--command-config takes a Kafka client properties file".to_owned(),
            ))
        })?;
        for warning in options.apply_properties(path, &text)? {
            out.line(&format!("warning: {warning}"))?;
        }
    }
    out.info(&format!("connecting to {}", options.bootstrap.join(",")))?;
    Ok(Admin::connect(&options)?)
}

/// The plan, with its errors (a partition count lowered) as a failure.
fn compute(
    admin: &mut Admin,
    config: &schemactl_config::Config,
    file: &str,
) -> Result<(Desired, Plan), Failure> {
    let mut desired = model::desired(config);
    if admin.needs_cluster_idempotent_write() {
        desired.grant_cluster_idempotent_write();
    }
    let observed = admin.observe(&desired)?;
    let plan = schemactl_kafka::plan::plan(&desired, &observed);
    if let Some(error) = plan.errors.first() {
        let more = match plan.errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(Failure::new(format!(
            "{file}:{}: {}{more}",
            error.line(),
            error.describe()
        ))
        .hint(Some(error.hint())));
    }
    Ok((desired, plan))
}

fn plan(global: &GlobalArgs, args: &KafkaPlanArgs, out: &Output) -> Result<Outcome, Failure> {
    let (config, file) = catalog(global, &args.input, out)?;
    let mut admin = connect(&args.cluster, out)?;
    let (_, plan) = compute(&mut admin, &config, &file)?;
    let text = match args.format {
        KafkaPlanFormat::Text => plan_text(&plan),
        KafkaPlanFormat::Json => {
            let mut json = serde_json::to_value(&plan)
                .map_err(|e| Failure::new(format!("cannot write the plan as JSON: {e}")))?;
            json["bootstrap_server"] = args.cluster.bootstrap_server.clone().into();
            json["in_sync"] = plan.actions.is_empty().into();
            format!("{json:#}\n")
        }
        KafkaPlanFormat::Markdown => plan_markdown(&plan, &args.cluster.bootstrap_server),
    };
    out.data(&text)?;
    Ok(if plan.actions.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn marker(action: &Action) -> char {
    match action {
        Action::CreateTopic { .. } | Action::AddPartitions { .. } | Action::AddAcl { .. } => '+',
        Action::SetConfig { .. } => '~',
        Action::UnmanagedConfig { .. } | Action::ExtraAcl { .. } => '-',
    }
}

fn summary(plan: &Plan) -> String {
    let count = |f: fn(&Action) -> bool| plan.actions.iter().filter(|a| f(a)).count();
    format!(
        "{} to create, {} to grow, {} configs to set, {} ACLs to add, {} extra ACLs, {} unmanaged configs",
        plural(count(|a| matches!(a, Action::CreateTopic { .. })), "topic"),
        plural(
            count(|a| matches!(a, Action::AddPartitions { .. })),
            "topic"
        ),
        count(|a| matches!(a, Action::SetConfig { .. })),
        count(|a| matches!(a, Action::AddAcl { .. })),
        count(|a| matches!(a, Action::ExtraAcl { .. })),
        count(|a| matches!(a, Action::UnmanagedConfig { .. })),
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn plan_text(plan: &Plan) -> String {
    if plan.actions.is_empty() {
        return "in sync: the cluster matches the catalog\n".to_owned();
    }
    let mut text = String::new();
    for action in &plan.actions {
        let _ = writeln!(text, "{} {}", marker(action), action.describe());
    }
    let _ = writeln!(text, "plan: {}", summary(plan));
    text
}

fn plan_markdown(plan: &Plan, bootstrap: &str) -> String {
    let mut text = format!("### Kafka plan for `{}`\n\n", escape_md(bootstrap));
    if plan.actions.is_empty() {
        text.push_str("In sync: the cluster matches the catalog.\n");
        return text;
    }
    let _ = writeln!(text, "{}\n", summary(plan));
    text.push_str("| | change |\n|---|---|\n");
    for action in &plan.actions {
        let _ = writeln!(
            text,
            "| {} | {} |",
            match marker(action) {
                '+' => "➕",
                '~' => "✏️",
                _ => "➖",
            },
            escape_md(&action.describe())
        );
    }
    text
}

fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '|' | '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn apply(global: &GlobalArgs, args: &KafkaApplyArgs, out: &Output) -> Result<Outcome, Failure> {
    let (config, file) = catalog(global, &args.input, out)?;
    let mut admin = connect(&args.cluster, out)?;
    let (desired, plan) = compute(&mut admin, &config, &file)?;
    let done = admin.apply(&plan, args.prune)?;
    let mut text = String::new();
    for action in &done {
        let _ = writeln!(text, "{} {}", marker(action), action.describe());
    }
    let left: Vec<&Action> = plan.actions.iter().filter(|a| !done.contains(a)).collect();
    // What was done is checked, not assumed: the cluster is read again,
    // for a while (brokers see new ACLs and configs a moment after the
    // controller accepts them).
    let mut pending = Vec::new();
    for attempt in 0..40 {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
        let after = schemactl_kafka::plan::plan(&desired, &admin.observe(&desired)?);
        pending = after
            .actions
            .into_iter()
            .filter(|a| a.applies_without_prune() || args.prune)
            .filter(|a| {
                !matches!(
                    a,
                    Action::ExtraAcl {
                        prunable: false,
                        ..
                    }
                )
            })
            .collect();
        if pending.is_empty() || done.is_empty() {
            break;
        }
    }
    if done.is_empty() {
        text.push_str("in sync: nothing to apply\n");
    } else {
        let _ = writeln!(
            text,
            "applied: {}",
            summary(&Plan {
                actions: done.clone(),
                errors: Vec::new()
            })
        );
    }
    out.data(&text)?;
    for action in &left {
        out.note(&format!("left alone: {}", action.describe()))?;
    }
    if !pending.is_empty() {
        return Err(Failure::new(format!(
            "the cluster still differs from the catalog after apply: {}",
            pending.iter().map(|a| a.describe()).collect::<Vec<_>>().join("; ")
        ))
        .hint(Some(
            "another client may be changing the cluster at the same time; run `schemactl kafka plan` to see".to_owned(),
        )));
    }
    Ok(Outcome::Clean)
}

fn export(global: &GlobalArgs, args: &KafkaExportArgs, out: &Output) -> Result<Outcome, Failure> {
    let (config, _) = catalog(global, &args.input, out)?;
    let desired = model::desired(&config);
    let text = match args.format {
        KafkaExportFormat::Json => {
            let json = serde_json::json!({
                "principal": config.kafka.principal,
                "topics": desired.topics,
                "acls": desired.acls,
                "principals": desired.principals,
            });
            format!("{json:#}\n")
        }
        KafkaExportFormat::Strimzi => {
            let Some(cluster) = &args.cluster else {
                return Err(Failure::new("--format strimzi needs --cluster NAME").hint(Some(
                    "name the Strimzi Kafka resource the topics and users belong to (the strimzi.io/cluster label)".to_owned(),
                )));
            };
            let auth = match args.authentication {
                StrimziAuthentication::ScramSha512 => StrimziAuth::ScramSha512,
                StrimziAuthentication::Tls => StrimziAuth::Tls,
            };
            export::strimzi(
                &desired,
                &config.kafka.principal,
                cluster,
                args.namespace.as_deref(),
                auth,
            )
            .map_err(|e| Failure::new(e.to_string()).hint(Some(e.hint())))?
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", path.display())))?,
        None => out.data(&text)?,
    }
    Ok(Outcome::Clean)
}

fn audit(args: &KafkaAuditArgs, out: &Output) -> Result<Outcome, Failure> {
    let mut loader = schemactl_registry::Loader::new(Path::new(&args.input));
    let (_, registry) = loader.refresh().map_err(|e| {
        let hint = e.hint();
        Failure::new(format!("cannot read the releases of {}: {e}", args.input)).hint(hint)
    })?;
    let Some(topic) = registry.as_ref().and_then(|r| r.topics.get(&args.topic)) else {
        return Err(Failure::new(format!(
            "topic `{}` is in no release of {}",
            args.topic, args.input
        ))
        .hint(Some(
            "audit reads the versions `schemactl serve` gives: release the catalog first (`schemactl release`)".to_owned(),
        )));
    };
    let mut versions = Vec::new();
    for v in &topic.versions {
        let message = v.descriptor().map_err(|e| {
            Failure::new(format!("topic {} version {}: {e}", topic.name, v.version))
        })?;
        versions.push(AcceptedVersion {
            version: v.version,
            schema_id: v.schema.id,
            index: v.index.clone(),
            message,
        });
    }
    let mut admin = connect(&args.cluster, out)?;
    let records = admin.read_records(&args.topic, args.max_records)?;
    let report = schemactl_kafka::audit::audit(&topic.name, &topic.message, &versions, &records);
    let text = match args.format {
        KafkaAuditFormat::Json => {
            let json = serde_json::to_value(&report)
                .map_err(|e| Failure::new(format!("cannot write the audit as JSON: {e}")))?;
            format!("{json:#}\n")
        }
        KafkaAuditFormat::Text => audit_text(&report, args.max_records),
    };
    out.data(&text)?;
    Ok(if report.offenders() == 0 {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

fn audit_text(report: &AuditReport, max: usize) -> String {
    let mut text = String::new();
    let limit = if report.records >= max {
        format!(" (the first {max}: --max-records)")
    } else {
        String::new()
    };
    let _ = writeln!(
        text,
        "{}: {} read{limit}, {} {}, {} not",
        report.topic,
        plural(report.records, "record"),
        report.ok,
        report.message,
        report.offenders()
    );
    for (version, count) in &report.versions {
        let _ = writeln!(text, "  version {version}: {}", plural(*count, "record"));
    }
    for cause in Cause::ALL {
        let Some(found) = report.causes.get(&cause) else {
            continue;
        };
        let _ = writeln!(text, "  {}: {}", cause.describe(), found.count);
        for o in &found.first {
            let _ = writeln!(
                text,
                "    partition {} offset {}: {}",
                o.partition, o.offset, o.detail
            );
        }
        if found.count > found.first.len() {
            let _ = writeln!(text, "    ... and {} more", found.count - found.first.len());
        }
    }
    text
}
