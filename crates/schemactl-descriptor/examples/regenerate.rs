//! Regenerates `src/google.protobuf.rs` from `proto/google/protobuf/descriptor.proto`:
//! `cargo run -p schemactl-descriptor --example regenerate`.
//!
//! Run it after replacing the `.proto` with a newer protobuf's; the
//! `regenerate` test fails until the two agree.

#[path = "../codegen/generate.rs"]
mod generate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = tempfile::tempdir()?;
    let text = generate::generate(out.path())?;
    let target = generate::crate_dir().join(generate::GENERATED);
    std::fs::write(&target, text)?;
    eprintln!("wrote {}", target.display());
    Ok(())
}
