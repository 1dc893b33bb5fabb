use super::*;

fn none(_: &str) -> Option<String> {
    None
}

fn parse(text: &str) -> Result<Config, ConfigError> {
    discover(
        &|name| (name == "schemactl.yaml").then(|| text.to_owned()),
        "schemas",
    )
}

#[test]
fn full_schemactl_yaml() {
    let config = parse(
        r#"version: v1
roots: [proto, ./vendor/]
lint:
  use: [STANDARD, COMMENTS]
  except: [FIELD_LOWER_SNAKE_CASE]
  ignore: [proto/legacy]
  ignore_only:
    ENUM_ZERO_VALUE_SUFFIX: [proto/old.proto]
  enum_zero_value_suffix: _UNKNOWN
  disallow_comment_ignores: true
breaking:
  use: [WIRE_JSON]
  ignore_unstable_packages: true
topics:
  identity.user-created.v1:
    message: acme.identity.v1.UserCreated
    owners: [team-identity]
    producers: identity-service
    partitions: 12
    retention: 7d
generate:
  plugins:
    - local: protoc-gen-go
      out: gen/go
      opt: [paths=source_relative]
    - topics: rust
      out: gen/rust
consumers:
  - repo: acme/billing
    kind: server
    file: go.mod
    pattern: 'v(\d+\.\d+\.\d+)'
    topics: [identity.user-created.v1]
release:
  tag_prefix: schemas/v
"#,
    )
    .expect("valid config");
    assert_eq!(
        config.kind,
        ConfigKind::Schemactl {
            file: "schemactl.yaml".into()
        }
    );
    let paths: Vec<_> = config.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["proto", "vendor"]);
    assert_eq!(config.lint.use_, ["STANDARD", "COMMENTS"]);
    assert_eq!(config.lint.enum_zero_value_suffix, "_UNKNOWN");
    assert!(!config.lint.allow_comment_ignores);
    assert_eq!(
        config.lint.ignore_only["ENUM_ZERO_VALUE_SUFFIX"],
        ["proto/old.proto"]
    );
    assert_eq!(config.breaking.use_, ["WIRE_JSON"]);
    assert!(config.breaking.ignore_unstable_packages);
    let topic = &config.topics["identity.user-created.v1"];
    assert_eq!(topic.message, "acme.identity.v1.UserCreated");
    assert_eq!(topic.producers, ["identity-service"]);
    assert_eq!(topic.partitions, Some(12));
    assert_eq!(topic.line, 15);
    let generate = config.generate.as_ref().expect("generate section");
    assert_eq!(
        generate.plugins[0].source,
        PluginSource::Local {
            argv: vec!["protoc-gen-go".into()]
        }
    );
    assert_eq!(
        generate.plugins[1].source,
        PluginSource::Topics {
            lang: TopicLang::Rust
        }
    );
    assert_eq!(config.consumers[0].kind, ConsumerKind::Server);
    assert_eq!(config.release.tag_prefix, "schemas/v");
    assert_eq!(config.release.branch, "main");
}

#[test]
fn misspelled_key_names_line_and_suggests() {
    let err =
        parse("version: v1\nlint:\n  use: [STANDARD]\n  excpt: [X]\n").expect_err("must fail");
    assert_eq!(
        (err.file.as_str(), err.line, err.column),
        ("schemas/schemactl.yaml", 4, 3)
    );
    assert_eq!(err.message, "unknown key `excpt` in `lint`");
    assert_eq!(err.hint.as_deref(), Some("did you mean `except`?"));

    let err = parse("version: v1\ntopcs: {}\n").expect_err("must fail");
    assert_eq!(err.line, 2);
    assert_eq!(err.hint.as_deref(), Some("did you mean `topics`?"));
}

#[test]
fn value_errors_are_located() {
    let cases = [
        ("roots: [proto]\n", 1, "missing required key `version`"),
        ("version: v9\n", 1, "unsupported version `v9`"),
        (
            "version: v1\nroots: [../elsewhere]\n",
            2,
            "path `../elsewhere` in `roots` leaves the input directory",
        ),
        (
            "version: v1\nlint:\n  rpc_allow_same_request_response: yes\n",
            3,
            "`lint.rpc_allow_same_request_response` must be true or false, found `yes`",
        ),
        (
            "version: v1\ntopics:\n  a.b.v1:\n    owners: [x]\n",
            3,
            "topic `a.b.v1` has no `message`",
        ),
        (
            "version: v1\ntopics:\n  a.b.v1:\n    message: a.B\n    retention: forever\n",
            5,
            "invalid retention `forever`",
        ),
        (
            "version: v1\ntopics:\n  a.b.v1:\n    message: a.B\n    partitions: 0\n",
            5,
            "`topics.a.b.v1.partitions` must be a positive whole number (1 or more), found `0`",
        ),
        (
            "version: v1\ntopics:\n  'bad topic':\n    message: a.B\n",
            3,
            "invalid topic name `bad topic`",
        ),
        (
            "version: v1\ngenerate:\n  plugins:\n    - rust: prots\n      out: gen\n",
            4,
            "unknown Rust generator `prots`",
        ),
        (
            "version: v1\nconsumers:\n  - repo: nope\n    kind: server\n    file: f\n    pattern: '(x)'\n",
            3,
            "`repo` must be `owner/name`, found `nope`",
        ),
        (
            "version: v1\nlint:\n  use: [standard]\n",
            3,
            "`standard` in `use` is not a rule or category ID",
        ),
        (
            "version: v1\nlint: [a]\n",
            2,
            "`lint` must be a mapping, found a list",
        ),
        (
            "version: v1\nlint:\n  use: [A]\n  use: [B]\n",
            4,
            "duplicate key `use`",
        ),
        (
            "version: v1\nlint: {use: [A]\n",
            3,
            "while parsing a flow mapping, did not find expected ',' or '}'",
        ),
    ];
    for (text, line, message) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.line, line, "{text}: {err}");
        assert!(
            err.message.starts_with(message),
            "{text}: got `{}`",
            err.message
        );
    }
}

#[test]
fn no_config_is_buf_v1_default() {
    let config = discover(&none, ".").expect("default");
    assert_eq!(config.kind, ConfigKind::None);
    assert!(config.kind.is_buf_v1());
    assert_eq!(config.modules, vec![Module::root(".")]);
    assert_eq!(config.lint.use_, ["DEFAULT"]);
    assert!(!config.lint.allow_comment_ignores);
    assert_eq!(config.breaking.use_, ["FILE"]);
}

#[test]
fn buf_yaml_v2_modules() {
    let text = "version: v2\nmodules:\n  - path: proto\n    excludes: [proto/vendor]\n  - path: other\n    lint:\n      use: [MINIMAL]\nlint:\n  use: [BASIC]\n  disallow_comment_ignores: true\n";
    let config = discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect("v2");
    assert_eq!(
        config.kind,
        ConfigKind::BufV2 {
            file: "buf.yaml".into()
        }
    );
    assert_eq!(config.modules.len(), 2);
    assert_eq!(config.modules[0].excludes, ["proto/vendor"]);
    assert_eq!(
        config.modules[1].lint.as_ref().map(|l| l.use_.clone()),
        Some(vec!["MINIMAL".to_owned()])
    );
    assert_eq!(config.lint.use_, ["BASIC"]);
    assert!(!config.lint.allow_comment_ignores);
}

#[test]
fn buf_yaml_v1_and_bad_keys() {
    let text = "version: v1\nbuild:\n  excludes: [vendor]\nlint:\n  use: [DEFAULT]\n  allow_comment_ignores: true\n";
    let config = discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect("v1");
    assert!(config.kind.is_buf_v1());
    assert!(config.lint.allow_comment_ignores);
    assert_eq!(config.modules[0].excludes, ["vendor"]);

    // v2 keys are not valid in v1 and vice versa.
    let text = "version: v1\nlint:\n  disallow_comment_ignores: true\n";
    let err =
        discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), "in").expect_err("must fail");
    assert_eq!((err.file.as_str(), err.line), ("in/buf.yaml", 3));
    let text = "version: v2\nmodules:\n  - pth: proto\n";
    let err =
        discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect_err("must fail");
    assert_eq!(err.hint.as_deref(), Some("did you mean `path`?"));
}

#[test]
fn buf_yaml_v1beta1_roots_are_one_module_and_ignores_apply_under_each_root() {
    let text = "version: v1beta1\nbuild:\n  roots: [proto, vendor/]\n  excludes: [proto/skip]\nlint:\n  ignore: [a/b.proto]\n  ignore_only:\n    SENSIBLE: [ext]\n";
    let config = discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect("v1beta1");
    assert_eq!(config.kind.buf_version(), BufVersion::V1Beta1);
    assert!(config.kind.is_buf_v1());
    let roots: Vec<(&str, Option<usize>)> = config
        .modules
        .iter()
        .map(|m| (m.path.as_str(), m.first_root))
        .collect();
    assert_eq!(roots, [("proto", None), ("vendor", Some(0))]);
    assert_eq!(config.modules[1].excludes, ["proto/skip"]);
    assert_eq!(config.lint.ignore, ["proto/a/b.proto", "vendor/a/b.proto"]);
    assert_eq!(
        config.lint.ignore_only["SENSIBLE"],
        ["proto/ext", "vendor/ext"]
    );

    // Buf refuses `build.roots` in v1, at its line.
    let text = "version: v1\nbuild:\n  roots: [proto]\n";
    let err = discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect_err("v1 roots");
    assert_eq!((err.file.as_str(), err.line), ("buf.yaml", 3));
    assert!(err.message.contains("`build.roots`"), "{}", err.message);
}

#[test]
fn buf_work_yaml_modules() {
    let read = |n: &str| match n {
        "buf.work.yaml" => Some("version: v1\ndirectories: [a, b]\n".to_owned()),
        "a/buf.yaml" => Some("version: v1\nlint:\n  ignore: [x.proto]\n".to_owned()),
        _ => None,
    };
    let config = discover(&read, ".").expect("workspace");
    let paths: Vec<_> = config.modules.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["a", "b"]);
    assert_eq!(
        config.modules[0].lint.as_ref().map(|l| l.ignore.clone()),
        Some(vec!["a/x.proto".to_owned()])
    );
}

#[test]
fn buf_v2_module_ignores_must_be_inside_the_module() {
    let text = "version: v2\nmodules:\n  - path: p1\n    lint:\n      ignore: [a]\n";
    let err = discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect_err("outside");
    assert_eq!(err.line, 5);
    assert!(
        err.message.contains("not inside module directory `p1`"),
        "{err}"
    );
    assert_eq!(
        err.hint.as_deref(),
        Some("paths in buf.yaml are relative to buf.yaml: write `p1/a`")
    );
    let text =
        "version: v2\nmodules:\n  - path: p1\n    lint:\n      ignore_only:\n        X: [p1/a]\n";
    discover(&|n| (n == "buf.yaml").then(|| text.to_owned()), ".").expect("inside");
}

/// Every type error names the key path from the top of the file, what the
/// value must be and what it is.
#[test]
fn type_errors_name_the_key_path_the_type_and_the_value() {
    let topic = "version: v1\ntopics:\n  identity.user-created.v1:\n    message: a.B\n";
    let cases = [
        (
            format!("{topic}    partitions: -1\n"),
            (5, 17),
            "`topics.identity.user-created.v1.partitions` must be a positive whole number (1 or more), found `-1`",
        ),
        (
            format!("{topic}    partitions: 0\n"),
            (5, 17),
            "`topics.identity.user-created.v1.partitions` must be a positive whole number (1 or more), found `0`",
        ),
        (
            format!("{topic}    partitions: [3]\n"),
            (5, 17),
            "`topics.identity.user-created.v1.partitions` must be a positive whole number (1 or more), found a list",
        ),
        (
            format!("{topic}    description: {{a: b}}\n"),
            (5, 18),
            "`topics.identity.user-created.v1.description` must be a string, found a mapping",
        ),
        (
            "version: v1\ngenerate:\n  plugins:\n    - rust: prost\n      out: gen\n    - local: {a: b}\n      out: gen\n".to_owned(),
            (6, 14),
            "`generate.plugins[1].local` must be a list of strings, found a mapping",
        ),
        (
            "version: v1\nlint:\n  rpc_allow_same_request_response: \"true\"\n".to_owned(),
            (3, 36),
            "`lint.rpc_allow_same_request_response` must be true or false, found the string `true`",
        ),
        (
            "version: v1\nrelease:\n  branch: ~\n".to_owned(),
            (3, 11),
            "`release.branch` must be a string, found nothing (null)",
        ),
        (
            "- version\n- v1\n".to_owned(),
            (1, 1),
            "the top level of the file must be a mapping, found a list",
        ),
    ];
    for (text, (line, column), message) in cases {
        let err = parse(&text).expect_err(&text);
        assert_eq!(err.message, message, "{text}");
        assert_eq!((err.line, err.column), (line, column), "{text}: {err}");
    }
    // The same in buf.yaml.
    let err = crate::parse_file(
        "buf.yaml",
        "version: v2\nmodules:\n  - path: a\n    lint:\n      use: STANDARD\n",
        "buf.yaml",
        &none,
    )
    .expect_err("use must be a list");
    assert_eq!(
        err.message,
        "`modules[0].lint.use` must be a list of rule or category IDs, found `STANDARD`"
    );
}

/// Nesting past the limit is a located error, in block and flow style, not a
/// stack overflow.
#[test]
fn deep_nesting_is_a_located_error() {
    let depth = 50_000;
    // `- - - x`: block sequences nested on one line.
    let compact = format!("{}x\n", "- ".repeat(depth));
    // One level per line, indented.
    let indented: String = (0..200).map(|i| format!("{}-\n", "  ".repeat(i))).collect();
    let flow = format!(
        "version: v1\nlint: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for text in [compact, indented, flow] {
        let err = parse(&text).expect_err("too deep");
        assert!(err.line > 0, "{err}");
        assert!(
            err.message.contains("nest more than 64 levels")
                || err.message.contains("recursion limit"),
            "{err}"
        );
    }
    // Just under the limit parses.
    let ok = format!(
        "version: v1\nlint:\n  use: {}A{}\n",
        "[".repeat(40),
        "]".repeat(40)
    );
    assert!(crate::yaml::parse(&ok).is_ok());
}

#[test]
fn a_huge_file_is_refused() {
    let text = format!(
        "version: v1\n# {}\n",
        "x".repeat(crate::yaml::MAX_FILE_SIZE)
    );
    let err = parse(&text).expect_err("too big");
    assert_eq!((err.line, err.column), (1, 1));
    assert!(
        err.message.contains("limited to 1048576 bytes (1 MiB)"),
        "{err}"
    );
}

/// Every key that names rules records each ID with its key path and
/// position, in schemactl.yaml and in Buf v2 modules.
#[test]
fn rule_ids_are_recorded_where_they_are_named() {
    let config = parse(
        "version: v1\nlint:\n  use: [STANDARD]\n  except: [FIELD_LOWER_SNAKE_CASE]\n  ignore_only:\n    ENUM_ZERO_VALUE_SUFFIX: [a]\n  severity:\n    FIELD_LOWER_SNAKE_CAS: warn\nbreaking:\n  ignore_only:\n    FIELD_NO_DELET: [a]\n",
    )
    .expect("parses: the IDs are checked by the rules");
    let refs: Vec<(&str, &str, RuleRefKind, usize, usize)> = config
        .rule_refs
        .iter()
        .map(|r| (r.key.as_str(), r.id.as_str(), r.kind, r.line, r.column))
        .collect();
    assert_eq!(
        refs,
        [
            ("lint.use", "STANDARD", RuleRefKind::Lint, 3, 9),
            (
                "lint.except",
                "FIELD_LOWER_SNAKE_CASE",
                RuleRefKind::Lint,
                4,
                12
            ),
            (
                "lint.ignore_only",
                "ENUM_ZERO_VALUE_SUFFIX",
                RuleRefKind::Lint,
                6,
                5
            ),
            (
                "lint.severity",
                "FIELD_LOWER_SNAKE_CAS",
                RuleRefKind::LintRuleOnly,
                8,
                5
            ),
            (
                "breaking.ignore_only",
                "FIELD_NO_DELET",
                RuleRefKind::Breaking,
                11,
                5
            ),
        ]
    );
    assert!(
        config
            .rule_refs
            .iter()
            .all(|r| r.file == "schemas/schemactl.yaml")
    );

    let config = crate::parse_file(
        "buf.yaml",
        "version: v2\nmodules:\n  - path: a\n    breaking:\n      except: [FILE_SAME_PACKAG]\n",
        "buf.yaml",
        &none,
    )
    .expect("parses");
    assert_eq!(config.rule_refs.len(), 1);
    assert_eq!(config.rule_refs[0].key, "modules[0].breaking.except");
    assert_eq!(
        (config.rule_refs[0].line, config.rule_refs[0].column),
        (5, 16)
    );
}

/// A key repeated in any mapping is an error at the repeat, not a value
/// silently replaced: a topic defined twice, a severity set twice.
#[test]
fn duplicate_keys_anywhere_are_errors() {
    let cases = [
        (
            "version: v1\ntopics:\n  a.b.v1:\n    message: a.B\n  a.b.v1:\n    message: a.C\n",
            (5, 3),
            "duplicate key `a.b.v1`",
        ),
        (
            "version: v1\nlint:\n  severity:\n    FIELD_NO_DELETE: warn\n    FIELD_NO_DELETE: error\n",
            (5, 5),
            "duplicate key `FIELD_NO_DELETE`",
        ),
        (
            "version: v1\nlint: {use: [A], use: [B]}\n",
            (2, 18),
            "duplicate key `use`",
        ),
    ];
    for (text, (line, column), message) in cases {
        let err = parse(text).expect_err(text);
        assert_eq!(err.message, message, "{text}");
        assert_eq!((err.line, err.column), (line, column), "{text}");
        assert!(err.hint.is_some());
    }
}

#[test]
fn topics_keep_the_comment_right_above_their_key() {
    let config = parse(
        "version: v1\ntopics:\n  # not attached\n\n  # buf:lint:ignore TOPIC_NAME_PATTERN\n  #second line\n  Legacy:\n    message: a.B\n  a.b.v1: {message: a.B}\n",
    )
    .expect("parsed");
    assert_eq!(
        config.topics["Legacy"].leading_comment,
        " buf:lint:ignore TOPIC_NAME_PATTERN\nsecond line\n"
    );
    assert_eq!(config.topics["a.b.v1"].leading_comment, "");
}

fn parse_files(files: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
        .collect();
    discover(
        &|name| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone())
        },
        "schemas",
    )
}

#[test]
fn generate_section_reads_every_plugin_key_and_managed_mode() {
    let config = parse(
        r#"version: v1
generate:
  clean: true
  managed:
    enabled: true
    override:
      - file_option: go_package_prefix
        value: example.com/gen/go
      - file_option: java_multiple_files
        value: false
        path: acme/legacy
      - file_option: csharp_namespace
        value: Acme.Schemas
        module: proto
    disable:
      - file_option: objc_class_prefix
      - path: acme/vendored
  plugins:
    - local: [go, run, ./cmd/protoc-gen-x]
      out: gen/x
      opt: a=b
      strategy: all
      include_imports: true
      include_wkt: true
      types: [acme.v1.A]
      exclude_types: acme.v1.B
    - protoc_builtin: python
      protoc_path: [/opt/protoc/bin/protoc]
      out: ./gen/python/
    - rust: prost
      out: gen/rust
"#,
    )
    .expect("valid config");
    let generate = config.generate.expect("generate");
    assert_eq!(generate.file, "schemas/schemactl.yaml");
    assert!(generate.clean);
    let [x, python, rust] = generate.plugins.as_slice() else {
        panic!("three plugins: {:?}", generate.plugins);
    };
    assert_eq!(
        x.source,
        PluginSource::Local {
            argv: vec!["go".into(), "run".into(), "./cmd/protoc-gen-x".into()]
        }
    );
    assert_eq!(
        (x.out.as_str(), x.opt.as_slice(), x.strategy),
        ("gen/x", &["a=b".to_owned()][..], Strategy::All)
    );
    assert!(x.include_imports && x.include_wkt);
    assert_eq!((x.types.len(), x.exclude_types.len()), (1, 1));
    assert_eq!(
        python.source,
        PluginSource::ProtocBuiltin {
            name: "python".into(),
            protoc_path: vec!["/opt/protoc/bin/protoc".into()]
        }
    );
    assert_eq!(
        (python.out.as_str(), python.strategy),
        ("gen/python", Strategy::Directory)
    );
    assert_eq!(rust.source, PluginSource::Rust);
    let managed = &generate.managed;
    assert!(managed.enabled);
    assert_eq!(
        managed.overrides[0].file_option,
        FileOption::GoPackagePrefix
    );
    assert_eq!(
        managed.overrides[0].value,
        OptionValue::String("example.com/gen/go".into())
    );
    assert_eq!(managed.overrides[1].value, OptionValue::Bool(false));
    assert_eq!(managed.overrides[1].path.as_deref(), Some("acme/legacy"));
    assert_eq!(managed.overrides[2].module.as_deref(), Some("proto"));
    assert_eq!(
        managed.disables[0].file_option,
        Some(FileOption::ObjcClassPrefix)
    );
    assert_eq!(managed.disables[1].path.as_deref(), Some("acme/vendored"));
}

#[test]
fn buf_gen_yaml_configures_generation_when_schemactl_yaml_does_not() {
    let buf_gen = "version: v2\nclean: true\nplugins:\n  - local: protoc-gen-go\n    out: gen\n    opt: paths=source_relative\nmanaged:\n  enabled: true\n";
    let config =
        parse_files(&[("buf.yaml", "version: v2\n"), ("buf.gen.yaml", buf_gen)]).expect("valid");
    let generate = config.generate.expect("from buf.gen.yaml");
    assert_eq!(generate.file, "schemas/buf.gen.yaml");
    assert!(generate.clean && generate.managed.enabled);
    assert_eq!(generate.plugins[0].opt, ["paths=source_relative"]);
    // A `generate:` section wins over buf.gen.yaml.
    let config = parse_files(&[
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - rust: prost\n      out: r\n",
        ),
        ("buf.gen.yaml", buf_gen),
    ])
    .expect("valid");
    assert_eq!(
        config.generate.expect("section").file,
        "schemas/schemactl.yaml"
    );
    // Without either, nothing is configured.
    assert_eq!(parse_files(&[]).expect("valid").generate, None);
}

#[test]
fn generate_errors_name_the_line_and_suggest() {
    let cases: &[(&str, &str, usize, &str, Option<&str>)] = &[
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - local: protoc-gen-go\n      outt: gen\n",
            5,
            "unknown key `outt` in `plugins[]`",
            Some("did you mean `out`?"),
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugin: []\n",
            3,
            "unknown key `plugin` in `generate`",
            Some("did you mean `plugins`?"),
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - local: protoc-gen-go\n      out: gen\n      strategy: directroy\n",
            6,
            "unknown strategy `directroy`",
            Some("did you mean `directory`?"),
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - local: protoc-gen-go\n",
            4,
            "plugin entry is missing `out`",
            None,
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - out: gen\n",
            4,
            "plugin entry names no plugin",
            None,
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - local: a\n      rust: prost\n      out: gen\n",
            5,
            "plugin entry has both `local` and `rust`",
            None,
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - remote: buf.build/protocolbuffers/go\n      out: gen\n",
            4,
            "remote plugins are not supported",
            None,
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins:\n    - local: a\n      out: ../gen\n",
            5,
            "path `../gen` in `out` leaves the input directory",
            None,
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins: []\n  managed:\n    override:\n      - file_option: go_pakage_prefix\n        value: x\n",
            6,
            "unknown file option `go_pakage_prefix`",
            Some("did you mean `go_package_prefix`?"),
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins: []\n  managed:\n    override:\n      - file_option: java_multiple_files\n        value: yes please\n",
            7,
            "`generate.managed.override[0].value` must be true or false, found `yes please`",
            None,
        ),
        (
            "schemactl.yaml",
            "version: v1\ngenerate:\n  plugins: []\n  managed:\n    overide: []\n",
            5,
            "unknown key `overide` in `managed`",
            Some("did you mean `override`?"),
        ),
        (
            "buf.gen.yaml",
            "version: v1\nplugins: []\n",
            1,
            "unsupported buf.gen.yaml version `v1`",
            None,
        ),
        (
            "buf.gen.yaml",
            "version: v2\nplugins:\n  - local: protoc-gen-go\n    out: gen\n    opts: x\n",
            5,
            "unknown key `opts` in `plugins[]`",
            Some("did you mean `opt`?"),
        ),
        (
            "buf.gen.yaml",
            "version: v2\nplugins: []\ninputs:\n  - directory: proto\n",
            3,
            "`inputs` is not supported yet",
            None,
        ),
    ];
    for (file, text, line, message, hint) in cases {
        let err = parse_files(&[(file, text)]).expect_err(text);
        assert_eq!(err.file, format!("schemas/{file}"), "{text}");
        assert_eq!(
            (err.line, err.message.as_str()),
            (*line, *message),
            "{text}"
        );
        if let Some(hint) = hint {
            assert_eq!(err.hint.as_deref(), Some(*hint), "{text}");
        }
    }
}
