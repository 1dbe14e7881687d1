//! `cognito-e2e compare`: the same features on two targets, and a matrix of where they
//! disagree. The embedded emulator against itself agrees everywhere. Against moto (when
//! `COGNITO_E2E_MOTO_ENDPOINT` names a moto server, as CI does), the scenarios where the
//! two disagree are exactly those docs/other-emulators.md lists as `@moto-differs`, among those moto
//! can run (no mail).

use std::collections::BTreeSet;
use std::path::PathBuf;

use cognito_e2e::compare::{compare, parse_target};
use cognito_e2e::Settings;
use cucumber::gherkin::{self, GherkinEnv};

fn features() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features")
}

/// (feature file name, scenario name) of every scenario tagged `tag` and none of `not`.
fn tagged(tag: &str, not: &[&str]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(features()).unwrap().flatten() {
        let path = entry.path();
        let Ok(feature) = gherkin::Feature::parse_path(&path, GherkinEnv::default()) else {
            continue;
        };
        for s in &feature.scenarios {
            let tags: Vec<&String> = feature.tags.iter().chain(&s.tags).collect();
            if tags.iter().any(|t| *t == tag) && !tags.iter().any(|t| not.contains(&t.as_str())) {
                let file = path.file_name().unwrap().to_string_lossy().into_owned();
                out.insert((file, s.name.clone()));
            }
        }
    }
    out
}

#[tokio::test]
async fn compare_finds_no_drift_in_the_emulator_and_moto_s_known_differences() {
    let _turn = crate::common::one_run_at_a_time().await;
    let base = Settings::default();
    let embedded = || parse_target("embedded", &base).unwrap();
    let matrix = compare(
        vec![embedded(), embedded()],
        features().join("login.feature"),
        None,
    )
    .await
    .expect("both runs");
    assert!(!matrix.rows.is_empty());
    assert!(matrix.disagreements().is_empty(), "{}", matrix.markdown());
    assert!(matrix
        .markdown()
        .contains("0 scenario(s) where the targets disagree."));
    // Every response was recorded, and once ids, dates, tokens and the run's names are
    // replaced by their kind, two runs on the same emulator answer alike.
    for r in &matrix.rows {
        assert!(
            r.responses.iter().all(|seen| seen.len() > 2),
            "{}: responses {:?}",
            r.scenario,
            r.responses.iter().map(Vec::len).collect::<Vec<_>>()
        );
    }
    assert!(
        matrix.rows.iter().all(|r| r.drift().is_empty()),
        "{}",
        matrix.markdown()
    );
    assert!(parse_target("endpoint", &base).is_err());
    assert!(parse_target("endpoint=http://x,colour=red", &base).is_err());

    let Ok(moto) = std::env::var("COGNITO_E2E_MOTO_ENDPOINT") else {
        println!("compare against moto: skipped (COGNITO_E2E_MOTO_ENDPOINT is not set)");
        return;
    };
    let moto = parse_target(&format!("endpoint={moto},mailbox=none"), &base).unwrap();
    let matrix = compare(
        vec![embedded(), moto],
        features(),
        Some("not @slow and not @embedded-triggers".into()),
    )
    .await
    .expect("both runs");
    let found: BTreeSet<(String, String)> = matrix
        .disagreements()
        .iter()
        .map(|r| {
            let file = r.feature.rsplit('/').next().unwrap_or_default().to_owned();
            (file, r.scenario.clone())
        })
        .collect();
    let listed = tagged("moto-differs", &["mail", "slow", "embedded-triggers"]);
    assert_eq!(found, listed, "{}", matrix.markdown());
    let html = matrix.html();
    assert!(html.contains("<tr class=\"differs\">"));
    // moto answers some operations with other members than AWS's model: that drift is
    // found and shown field by field.
    assert!(
        matrix.rows.iter().any(|r| !r.drift().is_empty()),
        "{}",
        matrix.markdown()
    );
    assert!(matrix.markdown().contains("- responses: **endpoint="));
}
