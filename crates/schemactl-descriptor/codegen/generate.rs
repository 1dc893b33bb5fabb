//! Generating `src/google.protobuf.rs` from the checked-in
//! `proto/google/protobuf/descriptor.proto`: shared by the `regenerate`
//! example (which writes it) and the `regenerate` test (which compares).

use std::path::Path;

/// The crate's directory.
pub fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The generated file, relative to the crate's directory.
pub const GENERATED: &str = "src/google.protobuf.rs";

/// The checked-in source, relative to the crate's directory.
pub const SOURCE: &str = "proto/google/protobuf/descriptor.proto";

/// protox 0.10 cannot parse an extension range of a single number with
/// options (`extensions 536000000 [declaration = {...}];`, which
/// descriptor.proto has since protobuf 30). `extensions N to N [...]` is
/// the same range (start N, end N + 1 in the descriptor), so the text
/// protox compiles spells it that way; the checked-in file stays as
/// protobuf ships it. Returns the text and the number of ranges rewritten.
pub fn protox_compatible(text: &str) -> (String, usize) {
    let mut rewritten = 0;
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let single = trimmed.strip_prefix("extensions ").and_then(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let after = &rest[digits..];
            (digits > 0 && after.trim_start().starts_with('[')).then(|| (&rest[..digits], after))
        });
        match single {
            Some((number, after)) => {
                rewritten += 1;
                out.push_str(&format!("{indent}extensions {number} to {number}{after}"));
            }
            None => out.push_str(line),
        }
    }
    (out, rewritten)
}

/// Compiles the checked-in `descriptor.proto` with protox and generates
/// its Rust types with prost-build into `out_dir`; returns the generated
/// file's text.
pub fn generate(out_dir: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(crate_dir().join(SOURCE))?;
    let (text, _) = protox_compatible(&text);
    let proto_dir = out_dir.join("proto");
    std::fs::create_dir_all(proto_dir.join("google/protobuf"))?;
    std::fs::write(proto_dir.join("google/protobuf/descriptor.proto"), text)?;
    let fds = protox::compile(["google/protobuf/descriptor.proto"], [&proto_dir])?;
    let rust_dir = out_dir.join("rust");
    std::fs::create_dir_all(&rust_dir)?;
    prost_build::Config::new()
        // The file defines the well-known descriptor types themselves:
        // generate them instead of mapping them to prost-types'.
        .compile_well_known_types()
        .out_dir(&rust_dir)
        .compile_fds(fds)?;
    Ok(std::fs::read_to_string(
        rust_dir.join("google.protobuf.rs"),
    )?)
}
