//! TOPIC rules are selected and ignored like every other rule: `use`
//! (on unless named), `except`, `ignore`, `ignore_only`, and comment ignores
//! written in `schemactl.yaml` right above the topic.

use schemactl_compile::{Image, compile_tree};
use schemactl_config::Config;
use schemactl_diagnostics::Diagnostic;
use schemactl_rules::Subject;
use schemactl_source::{FileEntry, Tree};

const PROTO: &str = "proto/acme/identity/v1/user.proto";
const USER: &str = "syntax = \"proto3\";\npackage acme.identity.v1;\nmessage UserCreated {\n  string email = 1;\n}\n";
const RENAMED: &str = "syntax = \"proto3\";\npackage acme.identity.v1;\nmessage UserCreated {\n  string email_address = 1;\n}\n";

/// One version of a repository: `schemactl.yaml` (roots: `proto`) with
/// `lint`/`breaking` sections and topics, and one schema file.
fn version(sections: &str, topics: &str, proto: &str) -> (Image, Config) {
    let yaml = format!("version: v1\nroots: [proto]\n{sections}topics:\n{topics}");
    let mut tree = Tree::new("test");
    tree.insert("schemactl.yaml", FileEntry::new(yaml.into_bytes()));
    tree.insert(PROTO, FileEntry::new(proto.as_bytes().to_vec()));
    let read = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
    let config = schemactl_config::discover(&read, ".").expect("config");
    let compilation = compile_tree(&tree, &config, ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "{:?}",
        compilation.diagnostics
    );
    (compilation.image.expect("image"), config)
}

fn subject<'a>(version: &'a (Image, Config)) -> Subject<'a> {
    Subject {
        image: &version.0,
        config: &version.1,
        config_path: "schemactl.yaml",
    }
}

/// (rule, path) of the TOPIC lint findings.
fn lint(sections: &str, topics: &str) -> Vec<(String, String)> {
    let version = version(sections, topics, USER);
    let findings = schemactl_rules::lint::lint(&subject(&version)).expect("lint runs");
    topic_findings(&findings)
}

fn topic_findings(findings: &[Diagnostic]) -> Vec<(String, String)> {
    findings
        .iter()
        .filter(|d| d.rule.starts_with("TOPIC_"))
        .map(|d| (d.rule.clone(), d.path.clone()))
        .collect()
}

fn breaking(previous: &(Image, Config), current: &(Image, Config)) -> Vec<Diagnostic> {
    schemactl_rules::breaking::breaking(&subject(previous), &subject(current)).expect("rules")
}

/// A topic whose name breaks the pattern, and one whose version does not
/// match its package.
const BAD_TOPICS: &str = "  Legacy:\n    message: acme.identity.v1.UserCreated\n  identity.user-created.v2: {message: acme.identity.v1.UserCreated}\n";

fn finding(rule: &str) -> (String, String) {
    (rule.to_owned(), "schemactl.yaml".to_owned())
}

#[test]
fn topic_lint_rules_are_on_by_default_and_with_buf_use_lists() {
    let all = vec![
        finding("TOPIC_NAME_PATTERN"),
        finding("TOPIC_ONE_PER_MESSAGE"),
        finding("TOPIC_VERSION_MATCHES_PACKAGE"),
    ];
    assert_eq!(lint("", BAD_TOPICS), all);
    assert_eq!(lint("lint:\n  use: [MINIMAL]\n", BAD_TOPICS), all);
    assert_eq!(
        lint("lint:\n  use: [MINIMAL, TOPIC_NAME_PATTERN]\n", BAD_TOPICS),
        [finding("TOPIC_NAME_PATTERN")]
    );
}

#[test]
fn topic_lint_rules_honour_except() {
    assert_eq!(
        lint(
            "lint:\n  except: [TOPIC_NAME_PATTERN, TOPIC_ONE_PER_MESSAGE]\n",
            BAD_TOPICS
        ),
        [finding("TOPIC_VERSION_MATCHES_PACKAGE")]
    );
    assert_eq!(lint("lint:\n  except: [TOPIC]\n", BAD_TOPICS), []);
}

#[test]
fn topic_lint_rules_honour_ignore_and_ignore_only() {
    assert_eq!(lint("lint:\n  ignore: [schemactl.yaml]\n", BAD_TOPICS), []);
    assert_eq!(
        lint(
            "lint:\n  ignore_only:\n    TOPIC_NAME_PATTERN: [schemactl.yaml]\n    TOPIC_ONE_PER_MESSAGE: [proto]\n",
            BAD_TOPICS
        ),
        [
            finding("TOPIC_ONE_PER_MESSAGE"),
            finding("TOPIC_VERSION_MATCHES_PACKAGE")
        ]
    );
}

#[test]
fn topic_lint_rules_honour_comment_ignores_above_the_topic() {
    let topics = format!("  # An old topic.\n  # buf:lint:ignore TOPIC_NAME_PATTERN\n{BAD_TOPICS}");
    assert_eq!(
        lint("", &topics),
        [
            finding("TOPIC_ONE_PER_MESSAGE"),
            finding("TOPIC_VERSION_MATCHES_PACKAGE")
        ]
    );
    let schemactl = topics.replace("buf:lint:ignore", "schemactl:lint:ignore");
    assert_eq!(lint("", &schemactl).len(), 2);
    assert_eq!(
        lint("lint:\n  disallow_comment_ignores: true\n", &topics).len(),
        3,
        "comment ignores can be disallowed"
    );
}

const ONE_TOPIC: &str = "  identity.user-created.v1: {message: acme.identity.v1.UserCreated}\n";

#[test]
fn topic_breaking_rules_honour_except_and_ignore_only() {
    let previous = version("", ONE_TOPIC, USER);
    let deleted = version("", "  {}\n", USER);
    assert_eq!(
        topic_findings(&breaking(&previous, &deleted)),
        [finding("TOPIC_NO_DELETE")]
    );
    let excepted = version("breaking:\n  except: [TOPIC_NO_DELETE]\n", "  {}\n", USER);
    assert_eq!(topic_findings(&breaking(&previous, &excepted)), []);
    let ignored = version(
        "breaking:\n  ignore_only:\n    TOPIC_NO_DELETE: [schemactl.yaml]\n",
        "  {}\n",
        USER,
    );
    assert_eq!(topic_findings(&breaking(&previous, &ignored)), []);
}

#[test]
fn topic_breaking_rules_honour_ignores_in_proto_files_and_comments() {
    // Under WIRE, a JSON name change is only a TOPIC finding, located in the
    // .proto file.
    let wire = "breaking:\n  use: [WIRE]\n";
    let previous = version(wire, ONE_TOPIC, USER);
    let renamed = version(wire, ONE_TOPIC, RENAMED);
    let findings = topic_findings(&breaking(&previous, &renamed));
    assert!(!findings.is_empty());
    assert!(
        findings
            .iter()
            .all(|(rule, path)| { rule == "TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE" && path == PROTO }),
        "{findings:?}"
    );
    let ignored = version(
        "breaking:\n  use: [WIRE]\n  ignore_only:\n    TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE: [proto/acme]\n",
        ONE_TOPIC,
        RENAMED,
    );
    assert_eq!(topic_findings(&breaking(&previous, &ignored)), []);
    let commented = version(
        wire,
        &format!(
            "  # schemactl:breaking:ignore TOPIC_MESSAGE_WIRE_JSON_COMPATIBLE -- no JSON consumers\n{ONE_TOPIC}"
        ),
        RENAMED,
    );
    assert_eq!(topic_findings(&breaking(&previous, &commented)), []);

    // A changed message, ignored with a reason; without one the finding
    // stays and says how to write it.
    let changed = "  identity.user-created.v1: {message: acme.identity.v1.Other}\n";
    let other = format!("{USER}message Other {{}}\n");
    let without = version(
        "",
        &format!("  # schemactl:breaking:ignore TOPIC_SAME_MESSAGE\n{changed}"),
        &other,
    );
    let findings = breaking(&previous, &without);
    let same: Vec<_> = findings
        .iter()
        .filter(|d| d.rule == "TOPIC_SAME_MESSAGE")
        .collect();
    assert_eq!(same.len(), 1, "{findings:?}");
    assert!(
        same[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("needs a reason"))
    );
    let with = version(
        "",
        &format!(
            "  # schemactl:breaking:ignore TOPIC_SAME_MESSAGE -- nobody consumes it yet\n{changed}"
        ),
        &other,
    );
    assert_eq!(topic_findings(&breaking(&previous, &with)), []);
}
