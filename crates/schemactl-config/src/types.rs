use std::collections::BTreeMap;

/// Where the configuration came from; rules use it to match Buf's defaults,
/// which differ between versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigKind {
    /// `schemactl.yaml`.
    Schemactl { file: String },
    /// `buf.yaml` with `version: v1beta1` or `v1`, or a `buf.work.yaml`.
    BufV1 { file: String },
    /// `buf.yaml` with `version: v2`.
    BufV2 { file: String },
    /// No configuration file: Buf's behaviour without a `buf.yaml`, which is
    /// its v1 defaults.
    None,
}

impl ConfigKind {
    /// Whether Buf's v1 semantics apply (rule set, comment-ignore default).
    pub fn is_buf_v1(&self) -> bool {
        matches!(self, ConfigKind::BufV1 { .. } | ConfigKind::None)
    }

    pub fn file(&self) -> Option<&str> {
        match self {
            ConfigKind::Schemactl { file }
            | ConfigKind::BufV1 { file }
            | ConfigKind::BufV2 { file } => Some(file),
            ConfigKind::None => None,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub kind: ConfigKind,
    /// Proto include roots (Buf modules), relative to the input directory,
    /// `/`-separated, `.` for the input itself. Never empty.
    pub modules: Vec<Module>,
    pub lint: LintConfig,
    pub breaking: BreakingConfig,
    /// Topic name → topic, sorted by name.
    pub topics: BTreeMap<String, Topic>,
    pub generate: Vec<GenerateTarget>,
    pub consumers: Vec<Consumer>,
    pub release: ReleaseConfig,
    /// Every rule or category ID the configuration names, where it names
    /// it: checked against the rules by `schemactl_rules::check_rule_refs`.
    pub rule_refs: Vec<RuleRef>,
}

/// One rule or category ID named in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    /// The configuration file, as the user should see its path.
    pub file: String,
    /// The key path that names it (`lint.severity`, `modules[0].breaking.use`).
    pub key: String,
    pub id: String,
    pub kind: RuleRefKind,
    /// 1-based.
    pub line: usize,
    pub column: usize,
}

/// What a rule reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleRefKind {
    /// A lint rule or category.
    Lint,
    /// A lint rule (per-rule settings such as `severity`).
    LintRuleOnly,
    /// A breaking rule or category.
    Breaking,
}

impl Config {
    /// Buf's behaviour with no configuration file: one module at the input
    /// root with v1 defaults.
    pub fn buf_default() -> Self {
        Config {
            kind: ConfigKind::None,
            modules: vec![Module::root(".")],
            lint: LintConfig::v1_default(),
            breaking: BreakingConfig::default(),
            topics: BTreeMap::new(),
            generate: Vec::new(),
            consumers: Vec::new(),
            release: ReleaseConfig::default(),
            rule_refs: Vec::new(),
        }
    }
}

/// A proto include root.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub path: String,
    /// Directories (relative to the input, like `path`) whose files are not
    /// part of the module.
    pub excludes: Vec<String>,
    /// Module-specific settings (Buf v2 `modules[].lint`), replacing the
    /// top-level ones.
    pub lint: Option<LintConfig>,
    pub breaking: Option<BreakingConfig>,
}

impl Module {
    pub fn root(path: &str) -> Self {
        Module {
            path: path.to_owned(),
            excludes: Vec::new(),
            lint: None,
            breaking: None,
        }
    }
}

/// Buf's `lint` section.
#[derive(Debug, Clone, PartialEq)]
pub struct LintConfig {
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub enum_zero_value_suffix: String,
    pub rpc_allow_same_request_response: bool,
    pub rpc_allow_google_protobuf_empty_requests: bool,
    pub rpc_allow_google_protobuf_empty_responses: bool,
    pub service_suffix: String,
    /// Whether `// buf:lint:ignore` comments are honoured (v1:
    /// `allow_comment_ignores`, default false; v2: `!disallow_comment_ignores`,
    /// default true).
    pub allow_comment_ignores: bool,
    /// schemactl only: rule ID → severity override (`warn` findings are
    /// printed but do not fail the command).
    pub severity: BTreeMap<String, RuleSeverity>,
    /// schemactl only: the regular expression topic names must match
    /// (`TOPIC_NAME_PATTERN`); `None` for the default
    /// `<domain>.<kebab-event>.v<N>`.
    pub topic_name_pattern: Option<String>,
}

/// A per-rule severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSeverity {
    Error,
    Warn,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            use_: vec!["STANDARD".to_owned()],
            except: Vec::new(),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            enum_zero_value_suffix: "_UNSPECIFIED".to_owned(),
            rpc_allow_same_request_response: false,
            rpc_allow_google_protobuf_empty_requests: false,
            rpc_allow_google_protobuf_empty_responses: false,
            service_suffix: "Service".to_owned(),
            allow_comment_ignores: true,
            severity: BTreeMap::new(),
            topic_name_pattern: None,
        }
    }
}

impl LintConfig {
    /// Buf v1's defaults: the `DEFAULT` category, comment ignores off.
    pub fn v1_default() -> Self {
        LintConfig {
            use_: vec!["DEFAULT".to_owned()],
            allow_comment_ignores: false,
            ..LintConfig::default()
        }
    }
}

/// Buf's `breaking` section.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakingConfig {
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub ignore_unstable_packages: bool,
}

impl Default for BreakingConfig {
    fn default() -> Self {
        BreakingConfig {
            use_: vec!["FILE".to_owned()],
            except: Vec::new(),
            ignore: Vec::new(),
            ignore_only: BTreeMap::new(),
            ignore_unstable_packages: false,
        }
    }
}

/// One Kafka topic of the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Fully qualified message name, without a leading dot.
    pub message: String,
    pub owners: Vec<String>,
    pub producers: Vec<String>,
    pub description: String,
    pub partitions: Option<u32>,
    /// Retention as written (`7d`), validated.
    pub retention: Option<String>,
    /// Line and column of the topic's key in the configuration file, for
    /// findings.
    pub line: usize,
    pub column: usize,
    /// Line of the `message:` value.
    pub message_line: usize,
    /// The `#` comment lines right above the topic's key, without the `#`,
    /// each ending in a newline (like a protobuf leading comment); where
    /// comment ignores (`# buf:lint:ignore TOPIC_...`) are written.
    pub leading_comment: String,
}

/// A code generation target.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateTarget {
    pub kind: GenerateKind,
    /// Output directory, relative to the configuration file.
    pub out: String,
    /// Options passed to the generator (the plugin parameter, joined with `,`).
    pub opt: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenerateKind {
    /// Rust with prost, in-process.
    Rust,
    /// A `protoc-gen-*` plugin driven through the plugin protocol.
    Plugin { plugin: String },
    /// One of protoc's built-in generators (`python`, `java`, ...).
    Protoc { lang: String },
    /// Topic bindings (constants tying topic names to message types).
    Topics { lang: TopicLang },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicLang {
    Go,
    Rust,
    Python,
}

/// A repository that consumes the schemas and gets update pull requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Consumer {
    /// `owner/name`.
    pub repo: String,
    pub kind: ConsumerKind,
    /// The file that pins the schema version.
    pub file: String,
    /// A regular expression whose first group is the pinned version.
    pub pattern: String,
    pub topics: Vec<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConsumerKind {
    /// Updated first.
    Server,
    Client,
}

/// How releases are cut.
#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseConfig {
    pub tag_prefix: String,
    pub branch: String,
    /// The pull-request label that lets a reviewed breaking change through.
    pub allow_breaking_label: String,
}

impl Default for ReleaseConfig {
    fn default() -> Self {
        ReleaseConfig {
            tag_prefix: "v".to_owned(),
            branch: "main".to_owned(),
            allow_breaking_label: "schemactl: allow-breaking".to_owned(),
        }
    }
}
