//! The integration tests of the `schemactl` CLI, in one test binary (one
//! link instead of one per file): one module per area. Run one area with
//! `cargo test -p schemactl --test cli serve_hostile::`.

mod common;

mod action_install;
mod action_steps;
mod architecture;
mod breaking;
mod buf_columns;
mod buf_discovery;
mod buf_history;
mod buf_module_count;
mod buf_paths;
mod buf_streams;
mod buf_v1beta1;
mod build;
mod check_comment;
mod config_errors;
mod diff_options;
mod formats_multi;
mod generate;
mod generate_cache;
mod generate_check;
mod generate_editions;
mod generate_go;
mod generate_python;
mod generate_rust;
mod generate_ts_java;
mod generate_types;
mod git_refs;
mod github_comment;
mod github_consumers;
mod hook;
mod kafka;
mod kafka_e2e;
mod lint;
mod malformed;
mod readme;
mod release;
mod release_json;
mod serve;
mod serve_clients;
mod serve_editions;
mod serve_hostile;
mod serve_load;
mod serve_openapi;
mod serve_ui;
mod special_files;
mod write_errors;
