//! `buf.yaml` with `version: v1beta1` through the CLI, against the real
//! `buf` (SCHEMACTL_BUF): a module with two roots and an exclude, linted and
//! compared with its previous version (JSON findings and exit codes
//! identical), and the v1beta1-only keys and categories refused under
//! `version: v1` and in a v1beta1 module of a `buf.work.yaml`, as Buf
//! refuses them.

use std::path::Path;
use std::process::Command;

use crate::common::*;

const BUF_YAML: &str = "version: v1beta1
build:
  roots: [proto, vendor]
  excludes: [proto/skip]
lint:
  use: [SENSIBLE, STYLE_DEFAULT, PACKAGE_AFFINITY, OTHER]
  except: [ENUM_VALUE_PREFIX]
  ignore_only:
    FIELD_LOWER_SNAKE_CASE: [ext/v1]
breaking:
  use: [WIRE]
";

const ORDER_V1: &str = "syntax = \"proto2\";
package shop.v1;
option go_package = \"example.com/shop/v1;shopv1\";
import \"ext/v1/money.proto\";
message Order {
  optional string descriptor = 1;
  optional int32 count = 2;
  optional ext.v1.Money total = 3;
}
enum Status {
  STATUS_OPEN = 1;
  STATUS_UNSPECIFIED = 0;
}
";

const ORDER_V2: &str = "syntax = \"proto2\";
package shop.v1;
option go_package = \"example.com/shop/v1;shopv1\";
import \"ext/v1/money.proto\";
message Order {
  optional string descriptor = 1;
  optional int64 count = 2;
  repeated ext.v1.Money total = 3;
}
enum Status {
  STATUS_OPEN = 1;
  STATUS_UNSPECIFIED = 0;
}
";

const MONEY: &str = "syntax = \"proto3\";
package ext.v1;
option go_package = \"example.com/ext/v1;extv1\";
message Money {
  int64 unitsCount = 1;
  string _Descriptor = 2;
}
";

/// Not part of the module: excluded.
const SKIPPED: &str = "syntax = \"proto3\";\nmessage not_checked { string descriptor = 1; }\n";

fn module(dir: &Path, order: &str) {
    write_files(
        dir,
        &[
            ("buf.yaml", BUF_YAML),
            ("proto/shop/v1/order.proto", order),
            ("proto/skip/skipped.proto", SKIPPED),
            ("vendor/ext/v1/money.proto", MONEY),
        ],
    );
}

/// Exit code, stdout, stderr.
fn run(program: &std::ffi::OsStr, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env(
            "BUF_CACHE_DIR",
            std::env::temp_dir().join("schemactl-buf-cache"),
        )
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ours(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut args = args.to_vec();
    args.extend(["--exit-code", "buf"]);
    let r = schemactl(dir, &args);
    (r.code, r.stdout, r.stderr)
}

#[test]
fn a_v1beta1_module_with_two_roots_lints_and_breaks_like_buf() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
    module(&old, ORDER_V1);
    module(&new, ORDER_V2);
    let commands: [&[&str]; 2] = [
        &["lint", "--error-format", "json"],
        &["breaking", "--against", "../old", "--error-format", "json"],
    ];
    for args in commands {
        let theirs = run(&buf, &new, args);
        let mine = ours(&new, args);
        assert_eq!(theirs.0, 100, "{args:?}: buf found nothing: {theirs:?}");
        assert_eq!(
            (mine.0, json_findings(&mine.1)),
            (theirs.0, json_findings(&theirs.1)),
            "{args:?}: schemactl (left) and buf (right)"
        );
    }
}

#[test]
fn v1beta1_keys_and_categories_are_errors_under_v1() {
    let Some(buf) = crate::generate::buf() else {
        return;
    };
    let proto = "syntax = \"proto3\";\npackage shop.v1;\nmessage Order {}\n";
    let configs = [
        "version: v1\nbuild:\n  roots: [proto]\n",
        "version: v1\nlint:\n  use: [SENSIBLE]\n",
        "version: v1\nlint:\n  use: [FIELD_NO_DESCRIPTOR]\n",
        "version: v2\nlint:\n  use: [STYLE_BASIC]\n",
    ];
    // Buf runs a v1beta1 module of a workspace with v1beta1's rules but,
    // when another module is v1 (here one with no `buf.yaml`), accepts only
    // the IDs v1 has too.
    let workspace = "version: v1\ndirectories: [proto, other]\n";
    let layouts: Vec<Vec<(&str, &str)>> = configs
        .iter()
        .map(|c| vec![("buf.yaml", *c)])
        .chain(["[SENSIBLE]", "[FIELD_NO_DESCRIPTOR]"].map(|ids| {
            let module: &'static str =
                Box::leak(format!("version: v1beta1\nlint:\n  use: {ids}\n").into_boxed_str());
            vec![("buf.work.yaml", workspace), ("proto/buf.yaml", module)]
        }))
        .collect();
    for files in layouts {
        let config = format!("{files:?}");
        let tmp = tempfile::tempdir().expect("tmp");
        write_files(tmp.path(), &files);
        write_files(
            tmp.path(),
            &[
                ("proto/shop/v1/order.proto", proto),
                ("other/shop/v2/order.proto", &proto.replace("v1", "v2")),
            ],
        );
        let theirs = run(&buf, tmp.path(), &["lint"]);
        let mine = ours(tmp.path(), &["lint"]);
        assert_ne!(theirs.0, 0, "{config}: buf accepts it");
        assert_eq!(mine.0, 2, "{config}: {mine:?}");
        assert!(mine.1.is_empty(), "{config}: {}", mine.1);
        // The error names the file and line of the offending key.
        assert!(
            mine.2.starts_with("error[CONFIG]: ") && mine.2.contains("buf.yaml:"),
            "{config}: {}",
            mine.2
        );
    }
}
