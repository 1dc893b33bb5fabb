//! The neutral rule core, shared by the lint and breaking engines: what a
//! rule is ([`RuleSpec`]), how it is run ([`Check`]), the typed
//! [`Category`]s it belongs to, and the registry of every rule.
//!
//! Neither engine owns these types: `lint/` and `breaking/` import from here
//! and never from each other (the architecture test enforces it).

use std::fmt;

use schemactl_config::BufVersion;

use crate::breaking::topics::TopicPairCx;
use crate::breaking::{BreakingSink, PairCx};
use crate::lint::{FileCx, ModuleCx, Sink};
use crate::topics::{TopicCx, TopicSink};

/// Lint or breaking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Lint,
    Breaking,
}

impl RuleKind {
    /// `lint` or `breaking`: the configuration section that selects rules
    /// of this kind.
    pub fn section(self) -> &'static str {
        match self {
            RuleKind::Lint => "lint",
            RuleKind::Breaking => "breaking",
        }
    }
}

/// A rule category, as Buf names it in `use`, `except` and `ignore_only`.
/// Lint and breaking have separate sets; `TOPIC` (schemactl's own) exists in
/// both and selects the catalog rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Minimal,
    Basic,
    Standard,
    Comments,
    UnaryRpc,
    File,
    Package,
    WireJson,
    Wire,
    /// The subset matching Confluent's compatibility (Buf v2 only).
    Csr,
    Topic,
    /// Lint categories of Buf v1beta1 only.
    StyleBasic,
    StyleStandard,
    Sensible,
    PackageAffinity,
    FileLayout,
    Other,
}

impl Category {
    /// Lint categories, in order of strictness where it applies.
    pub const LINT: &'static [Category] = &[
        Category::Minimal,
        Category::Basic,
        Category::Standard,
        Category::Comments,
        Category::UnaryRpc,
        Category::StyleBasic,
        Category::StyleStandard,
        Category::Sensible,
        Category::PackageAffinity,
        Category::FileLayout,
        Category::Other,
        Category::Topic,
    ];

    /// Breaking categories, strictest first: FILE ⊃ PACKAGE ⊃ WIRE_JSON ⊃
    /// WIRE; then CSR and TOPIC.
    pub const BREAKING: &'static [Category] = &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
        Category::Csr,
        Category::Topic,
    ];

    /// A breaking rule that protects the wire encoding belongs to every
    /// category from WIRE up (FILE ⊃ PACKAGE ⊃ WIRE_JSON ⊃ WIRE), and to CSR
    /// (Confluent's compatibility)...
    pub const WIRE_AND_UP: &'static [Category] = &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
        Category::Csr,
    ];
    /// ... and to the same categories in Buf v1, which has no CSR.
    pub const WIRE_AND_UP_V1: &'static [Category] = &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Wire,
    ];
    /// A rule that protects the JSON encoding: WIRE_JSON and up, and CSR...
    pub const WIRE_JSON_AND_UP: &'static [Category] = &[
        Category::File,
        Category::Package,
        Category::WireJson,
        Category::Csr,
    ];
    /// ... and the same in Buf v1, without CSR.
    pub const WIRE_JSON_AND_UP_V1: &'static [Category] =
        &[Category::File, Category::Package, Category::WireJson];

    /// The ID as written in configuration files.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Minimal => "MINIMAL",
            Category::Basic => "BASIC",
            Category::Standard => "STANDARD",
            Category::Comments => "COMMENTS",
            Category::UnaryRpc => "UNARY_RPC",
            Category::File => "FILE",
            Category::Package => "PACKAGE",
            Category::WireJson => "WIRE_JSON",
            Category::Wire => "WIRE",
            Category::Csr => "CSR",
            Category::Topic => "TOPIC",
            Category::StyleBasic => "STYLE_BASIC",
            Category::StyleStandard => "STYLE_STANDARD",
            Category::Sensible => "SENSIBLE",
            Category::PackageAffinity => "PACKAGE_AFFINITY",
            Category::FileLayout => "FILE_LAYOUT",
            Category::Other => "OTHER",
        }
    }

    /// Whether the category exists in a configuration of this version:
    /// `CSR` only in v2, the style and `OTHER` groups only in v1beta1.
    pub fn exists_in(self, version: BufVersion) -> bool {
        match self {
            Category::Csr => version == BufVersion::V2,
            Category::StyleBasic
            | Category::StyleStandard
            | Category::Sensible
            | Category::PackageAffinity
            | Category::FileLayout
            | Category::Other => version == BufVersion::V1Beta1,
            _ => true,
        }
    }

    /// The categories of `kind` that a configuration of this version may
    /// name.
    pub fn of(kind: RuleKind, version: BufVersion) -> impl Iterator<Item = Category> {
        let all = match kind {
            RuleKind::Lint => Category::LINT,
            RuleKind::Breaking => Category::BREAKING,
        };
        all.iter().copied().filter(move |c| c.exists_in(version))
    }

    /// The category `id` names for rules of `kind`, if any. `DEFAULT` is
    /// Buf's older name for the lint `STANDARD` (both names work in every
    /// version), and `STYLE_DEFAULT` v1beta1's for `STYLE_STANDARD`.
    pub fn parse(id: &str, kind: RuleKind, version: BufVersion) -> Option<Category> {
        let id = match (kind, id) {
            (RuleKind::Lint, "DEFAULT") => "STANDARD",
            (RuleKind::Lint, "STYLE_DEFAULT") => "STYLE_STANDARD",
            _ => id,
        };
        Category::of(kind, version).find(|c| c.as_str() == id)
    }
}

impl Category {
    /// Category IDs joined by `separator`.
    pub fn join(categories: &[Category], separator: &str) -> String {
        categories
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(separator)
    }
}

impl serde::Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a rule is run: which engine calls it, with what context.
#[derive(Clone, Copy)]
pub enum Check {
    /// A lint rule over one file at a time.
    File(fn(&FileCx<'_>, &mut Sink)),
    /// A lint rule over all files of a module together.
    Module(fn(&ModuleCx<'_>, &mut Sink)),
    /// TOPIC lint rules: the topic catalog against the image (see
    /// [`crate::topics`]).
    Topics(fn(&TopicCx<'_>, &mut TopicSink)),
    /// TOPIC breaking rules: the previous catalog and image against the
    /// current ones.
    TopicPairs(fn(&TopicPairCx<'_>, &mut TopicSink)),
    /// Breaking rules: a previous image against the current one.
    Breaking(fn(&PairCx<'_>, &mut BreakingSink)),
}

/// A rule: its Buf-compatible ID and categories, its documentation, and the
/// function that checks it.
pub struct RuleSpec {
    pub id: &'static str,
    pub kind: RuleKind,
    /// Categories in Buf's v2 configuration. Empty for opt-in rules.
    pub categories: &'static [Category],
    /// Categories under Buf v1 configuration (and no configuration), where
    /// they differ from v2; `None` means the same as v2. `Some(&[])` with
    /// `v1_exists: false` means the rule does not exist in v1.
    pub v1_categories: Option<&'static [Category]>,
    /// Whether the rule exists in Buf v1 at all.
    pub v1_exists: bool,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// Markdown with the sections "What it catches", "Why it matters",
    /// "Bad", "Good", "Options" (when it has any), "How to evolve safely".
    pub doc: &'static str,
    pub check: Check,
}

impl RuleSpec {
    /// Whether the rule is on by default under a v2 configuration
    /// (`STANDARD` for lint, `FILE` for breaking).
    pub fn is_default(&self) -> bool {
        self.is_default_for(BufVersion::V2)
    }

    /// Whether the rule is on by default for a configuration of this
    /// version: in `STANDARD` (lint) or `FILE` (breaking) as that version
    /// has them. Buf v1 (and no configuration) has neither
    /// EXTENSION_NO_DELETE nor the lint rules new in v2.
    pub fn is_default_for(&self, version: BufVersion) -> bool {
        let default = match self.kind {
            RuleKind::Lint => Category::Standard,
            RuleKind::Breaking => Category::File,
        };
        self.exists_in(version) && self.categories_for(version).contains(&default)
    }

    /// The categories that apply for a configuration of this version.
    pub fn categories_for(&self, version: BufVersion) -> &'static [Category] {
        match version {
            BufVersion::V2 => self.categories,
            BufVersion::V1 => self.v1_categories.unwrap_or(self.categories),
            BufVersion::V1Beta1 => match crate::v1beta1::categories(self) {
                Some(categories) => categories,
                None => self.v1_categories.unwrap_or(self.categories),
            },
        }
    }

    /// Whether the rule exists for a configuration of this version.
    pub fn exists_in(&self, version: BufVersion) -> bool {
        match version {
            BufVersion::V2 => !crate::v1beta1::only_in_v1beta1(self),
            BufVersion::V1 => self.v1_exists && !crate::v1beta1::only_in_v1beta1(self),
            BufVersion::V1Beta1 => crate::v1beta1::exists(self),
        }
    }

    /// Whether a configuration key (a rule ID or a category of the rule's
    /// kind, `DEFAULT` included) names this rule.
    pub fn is_named_by(&self, key: &str, version: BufVersion) -> bool {
        key == self.id
            || Category::parse(key, self.kind, version)
                .is_some_and(|c| self.categories_for(version).contains(&c))
    }
}

/// Every rule, sorted by ID.
pub fn all_rules() -> Vec<&'static RuleSpec> {
    let mut rules: Vec<&'static RuleSpec> = crate::lint::rules::ALL.to_vec();
    rules.extend(crate::breaking::rules::ALL);
    rules.sort_by_key(|r| r.id);
    rules
}

/// The rule with this ID, lint or breaking.
pub fn find_rule(id: &str) -> Option<&'static RuleSpec> {
    crate::lint::rules::ALL
        .iter()
        .chain(crate::breaking::rules::ALL)
        .copied()
        .find(|r| r.id == id)
}
