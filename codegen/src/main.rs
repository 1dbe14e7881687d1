//! `cargo run -p codegen` writes `emulator/src/generated/` from `emulator/model/`;
//! `cargo run -p codegen -- --check` only compares, and fails on any difference.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = match codegen::generate_all(&root) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("codegen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stale = 0;
    for (path, contents) in &files {
        let full = root.join(path);
        let current = std::fs::read_to_string(&full).unwrap_or_default();
        if current == *contents {
            continue;
        }
        stale += 1;
        if check {
            eprintln!(
                "codegen: {} differs from a fresh generation",
                path.display()
            );
            continue;
        }
        if let Some(dir) = full.parent() {
            if let Err(e) = std::fs::create_dir_all(dir) {
                eprintln!("codegen: {}: {e}", dir.display());
                return ExitCode::FAILURE;
            }
        }
        if let Err(e) = std::fs::write(&full, contents) {
            eprintln!("codegen: {}: {e}", full.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    if check && stale > 0 {
        eprintln!("codegen: {stale} generated file(s) are stale: run `cargo run -p codegen`");
        return ExitCode::FAILURE;
    }
    if stale == 0 {
        println!(
            "emulator/src/generated/ is up to date ({} files)",
            files.len()
        );
    }
    ExitCode::SUCCESS
}
