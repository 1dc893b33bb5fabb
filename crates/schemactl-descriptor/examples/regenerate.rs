//! Regenerates the prost-types fork's descriptor types
//! (`third_party/prost-types/src/protobuf.rs`, `compiler.rs`) from its
//! checked-in `.proto` files: `cargo run -p schemactl-descriptor --example
//! regenerate`.
//!
//! Run it after replacing the `.proto` files with a newer protobuf's; the
//! `regenerate` test fails until the two agree.

#[path = "../codegen/generate.rs"]
mod generate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = tempfile::tempdir()?;
    let texts = generate::generate(out.path())?;
    for ((target, _), text) in generate::GENERATED.iter().zip(texts) {
        let target = generate::fork_dir().join(target);
        std::fs::write(&target, text)?;
        eprintln!("wrote {}", target.display());
    }
    // The global pool's well-known types come from protoc itself.
    match std::env::var_os("SCHEMACTL_PROTOC_JAVA") {
        Some(protoc) => {
            let target = generate::fork_dir().join(generate::WELL_KNOWN_SET);
            let status = std::process::Command::new(protoc)
                .arg("-I")
                .arg(generate::fork_dir().join("proto"))
                .arg("--include_imports")
                .arg(format!("--descriptor_set_out={}", target.display()))
                .args(generate::WELL_KNOWN)
                .status()?;
            if !status.success() {
                return Err(format!("protoc failed: {status}").into());
            }
            eprintln!("wrote {}", target.display());
        }
        None => eprintln!(
            "not written: {} (set SCHEMACTL_PROTOC_JAVA)",
            generate::WELL_KNOWN_SET
        ),
    }
    Ok(())
}
