//! The committed operation layer is what the generator makes of the committed models:
//! a change to either without regenerating fails here (and so in CI).

use std::path::Path;

#[test]
fn generated_code_matches_a_fresh_generation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = codegen::generate_all(&root).expect("the models are readable");
    assert!(files.len() >= 9, "both services are generated");
    let stale: Vec<String> = files
        .iter()
        .filter(|(path, contents)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(contents.as_str())
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "stale generated files (run `cargo run -p codegen`): {stale:?}"
    );
}
