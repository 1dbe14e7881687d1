//! The CI examples under `docs/ci/` are valid YAML, and every option their
//! `cargo run -- ...` commands pass is one the CLI has (its `--help` lists it), so the
//! examples cannot drift from the program.

use std::path::Path;

use yaml_rust2::{Yaml, YamlLoader};

/// Every string in a YAML document.
fn strings(doc: &Yaml, out: &mut Vec<String>) {
    match doc {
        Yaml::String(s) => out.push(s.clone()),
        Yaml::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Yaml::Hash(map) => map.iter().for_each(|(k, v)| {
            strings(k, out);
            strings(v, out);
        }),
        _ => {}
    }
}

#[test]
fn the_ci_examples_parse_and_use_only_options_the_cli_has() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_cognito-e2e"))
        .arg("--help")
        .output()
        .expect("the CLI runs");
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci");
    let mut commands = 0;
    for name in ["github-actions.yml", "gitlab-ci.yml"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut all = Vec::new();
        docs.iter().for_each(|d| strings(d, &mut all));
        for s in all.iter().filter(|s| s.contains("cargo run --release --")) {
            commands += 1;
            let args = s.split("cargo run --release --").nth(1).unwrap_or_default();
            for option in args.split_whitespace().filter(|w| w.starts_with("--")) {
                assert!(
                    help.contains(&format!("{option} ")) || help.contains(&format!("{option}\n")),
                    "{name} passes {option}, which `cognito-e2e --help` does not list"
                );
            }
        }
    }
    assert!(commands >= 3, "{commands} commands found");
}
