//! Properties of the breaking rules, on generated schemas (a small
//! deterministic generator, many seeds) and on the example repository:
//! - a schema compared with itself has no finding, under every category;
//! - purely additive changes (new messages, new fields with new numbers, new
//!   enum values, new RPCs, new files) have no finding under any category;
//! - findings are deterministic.

use std::fmt::Write as _;
use std::path::Path;

mod common;
use common::breaking_with as breaking;

use schemactl_compile::{Image, compile_tree};
use schemactl_config::{BreakingConfig, Config};
use schemactl_source::{FileEntry, Tree};

/// xorshift64*: tiny, deterministic, good enough to vary schemas.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const SCALARS: &[&str] = &[
    "int32", "int64", "uint32", "string", "bytes", "bool", "double", "fixed64", "sint32",
];

/// A generated package: `count` messages, an enum and a service, proto3 or
/// proto2. With `extra`, the same schema plus additions only.
fn generate(seed: u64, extra: bool) -> Vec<(String, String)> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let proto2 = rng.below(3) == 0;
    let syntax = if proto2 { "proto2" } else { "proto3" };
    let label = |rng: &mut Rng| -> &'static str {
        match (proto2, rng.below(3)) {
            (true, 0) => "optional ",
            (true, 1) => "repeated ",
            (true, _) => "optional ",
            (false, 0) => "repeated ",
            (false, 1) => "optional ",
            (false, _) => "",
        }
    };
    let opt = if proto2 { "optional " } else { "" };
    let messages = 1 + rng.below(5);
    let mut file = format!("syntax = \"{syntax}\";\n\npackage gen.s{seed}.v1;\n\n");
    let _ = writeln!(
        file,
        "enum Kind {{\n  KIND_UNSPECIFIED = 0;\n  KIND_A = 1;\n  KIND_B = 2;"
    );
    if extra {
        let _ = writeln!(file, "  KIND_ADDED = 7;");
    }
    let _ = writeln!(file, "}}\n");
    for m in 0..messages {
        let _ = writeln!(file, "message M{m} {{");
        let fields = 1 + rng.below(6);
        for f in 0..fields {
            let ty = match rng.below(5) {
                0 => "Kind".to_owned(),
                1 if m > 0 => format!("M{}", rng.below(m)),
                _ => SCALARS[usize::try_from(rng.below(SCALARS.len() as u64)).unwrap_or(0)]
                    .to_owned(),
            };
            let _ = writeln!(file, "  {}{ty} f{f} = {};", label(&mut rng), f + 1);
        }
        if rng.below(2) == 0 {
            let _ = writeln!(
                file,
                "  oneof choice {{\n    string c1 = 50;\n    int64 c2 = 51;\n  }}"
            );
        }
        let _ = writeln!(file, "  reserved 90 to 95;");
        if extra {
            let _ = writeln!(file, "  {opt}string added_field = 200;");
            let _ = writeln!(file, "  message AddedNested {{ {opt}int32 x = 1; }}");
        }
        let _ = writeln!(file, "}}\n");
    }
    let _ = writeln!(file, "service Svc {{\n  rpc Get(M0) returns (M0);");
    if extra {
        let _ = writeln!(file, "  rpc Added(M0) returns (M0);");
    }
    let _ = writeln!(file, "}}");
    if extra {
        let _ = writeln!(
            file,
            "\nmessage AddedMessage {{ {opt}string id = 1; }}\nenum AddedEnum {{ ADDED_ENUM_UNSPECIFIED = 0; }}"
        );
    }
    let mut files = vec![(format!("gen/s{seed}/v1/a.proto"), file)];
    if extra {
        files.push((format!("gen/s{seed}/v1/added.proto"), format!("syntax = \"proto3\";\npackage gen.s{seed}.v1;\nmessage InNewFile {{ int32 x = 1; }}\n")));
    }
    files
}

fn image(files: &[(String, String)]) -> Image {
    let mut tree = Tree::new("generated");
    for (path, text) in files {
        tree.insert(path.clone(), FileEntry::new(text.as_bytes().to_vec()));
    }
    let compilation = compile_tree(&tree, &Config::buf_default(), ".");
    assert!(
        compilation.diagnostics.is_empty(),
        "generated schema does not compile: {:?}\n{}",
        compilation.diagnostics,
        files[0].1
    );
    compilation.image.expect("image")
}

fn config(category: &str) -> Config {
    Config {
        breaking: BreakingConfig {
            use_: vec![category.to_owned()],
            ..BreakingConfig::default()
        },
        ..Config::buf_default()
    }
}

const CATEGORIES: &[&str] = &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"];

#[test]
fn identical_and_additive_changes_have_no_findings() {
    for seed in 1..=60 {
        let before = image(&generate(seed, false));
        let after = image(&generate(seed, true));
        for category in CATEGORIES {
            // v2 semantics, so CSR exists.
            let mut config = config(category);
            config.kind = schemactl_config::ConfigKind::BufV2 {
                file: "buf.yaml".to_owned(),
            };
            let same = breaking(&before, &before, &config).expect("rules");
            assert!(
                same.is_empty(),
                "seed {seed}, {category}: self-comparison found {same:?}"
            );
            let additive = breaking(&before, &after, &config).expect("rules");
            assert!(
                additive.is_empty(),
                "seed {seed}, {category}: additive change found {additive:?}"
            );
        }
    }
}

#[test]
fn findings_are_deterministic() {
    // A change that breaks: the additive schema compared the other way
    // round deletes things.
    for seed in 1..=20 {
        let before = image(&generate(seed, true));
        let after = image(&generate(seed, false));
        let config = config("FILE");
        let first = breaking(&before, &after, &config).expect("rules");
        for _ in 0..3 {
            let again = breaking(&before, &after, &config).expect("rules");
            assert_eq!(first, again, "seed {seed}");
        }
    }
}

#[test]
fn the_example_repository_compared_with_itself_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let tree = schemactl_source::read_dir_tree(&root).expect("tree");
    let read = |name: &str| tree.get(name).and_then(|f| f.text()).map(str::to_owned);
    let mut config = schemactl_config::discover(&read, ".").expect("config");
    let compilation = compile_tree(&tree, &config, ".");
    let image = compilation.image.expect("compiles");
    for category in CATEGORIES {
        config.breaking.use_ = vec![(*category).to_owned()];
        let findings = breaking(&image, &image, &config).expect("rules");
        assert!(findings.is_empty(), "{category}: {findings:?}");
    }
}
