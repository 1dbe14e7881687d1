//! The step vocabulary: every step the harness defines, with the expression it matches,
//! an example sentence from the project's features, where it is defined, and the tags
//! of the scenarios that use it. `cognito-e2e steps` prints it; `docs/steps.md` is made
//! from it (`cognito-e2e steps --markdown`), and a test fails when that file is stale.
//!
//! The steps are found where cucumber registers them (its inventory of `#[given]`,
//! `#[when]` and `#[then]` functions); their expressions are read from the step files'
//! sources, which are compiled in, as are the features the examples come from, so an
//! installed binary lists them too.

use std::fmt::Write as _;

use cucumber::codegen::{StepConstructor, WorldInventory};
use cucumber::gherkin::{self, GherkinEnv};
use regex::Regex;

use crate::world::CognitoWorld;

/// The step files' sources, by the path cucumber records for their steps.
pub const STEP_SOURCES: &[(&str, &str)] = &[
    ("src/steps/admin.rs", include_str!("steps/admin.rs")),
    (
        "src/steps/admin_reset.rs",
        include_str!("steps/admin_reset.rs"),
    ),
    ("src/steps/auth.rs", include_str!("steps/auth.rs")),
    ("src/steps/client.rs", include_str!("steps/client.rs")),
    (
        "src/steps/custom_attributes.rs",
        include_str!("steps/custom_attributes.rs"),
    ),
    (
        "src/steps/email_change.rs",
        include_str!("steps/email_change.rs"),
    ),
    ("src/steps/email_otp.rs", include_str!("steps/email_otp.rs")),
    ("src/steps/groups.rs", include_str!("steps/groups.rs")),
    ("src/steps/mail.rs", include_str!("steps/mail.rs")),
    ("src/steps/mfa.rs", include_str!("steps/mfa.rs")),
    ("src/steps/oauth.rs", include_str!("steps/oauth.rs")),
    ("src/steps/pool.rs", include_str!("steps/pool.rs")),
    ("src/steps/refused.rs", include_str!("steps/refused.rs")),
    ("src/steps/ses.rs", include_str!("steps/ses.rs")),
    ("src/steps/sign_up.rs", include_str!("steps/sign_up.rs")),
    ("src/steps/srp.rs", include_str!("steps/srp.rs")),
    ("src/steps/tokens.rs", include_str!("steps/tokens.rs")),
    ("src/steps/triggers.rs", include_str!("steps/triggers.rs")),
];

/// The project's features, for the examples.
pub const FEATURES: &[(&str, &str)] = &[
    (
        "features/admin_reset.feature",
        include_str!("../features/admin_reset.feature"),
    ),
    (
        "features/custom_attributes.feature",
        include_str!("../features/custom_attributes.feature"),
    ),
    (
        "features/defaults.feature",
        include_str!("../features/defaults.feature"),
    ),
    (
        "features/email_change.feature",
        include_str!("../features/email_change.feature"),
    ),
    (
        "features/email_otp.feature",
        include_str!("../features/email_otp.feature"),
    ),
    (
        "features/groups.feature",
        include_str!("../features/groups.feature"),
    ),
    (
        "features/login.feature",
        include_str!("../features/login.feature"),
    ),
    (
        "features/mfa.feature",
        include_str!("../features/mfa.feature"),
    ),
    (
        "features/oauth.feature",
        include_str!("../features/oauth.feature"),
    ),
    (
        "features/sign_up.feature",
        include_str!("../features/sign_up.feature"),
    ),
    (
        "features/srp.feature",
        include_str!("../features/srp.feature"),
    ),
    (
        "features/triggers.feature",
        include_str!("../features/triggers.feature"),
    ),
    (
        "features/tutorial.feature",
        include_str!("../features/tutorial.feature"),
    ),
    (
        "features/user_flow.feature",
        include_str!("../features/user_flow.feature"),
    ),
];

/// One step definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDoc {
    /// `Given`, `When` or `Then`.
    pub keyword: &'static str,
    /// The cucumber expression (or regex) it matches, as written in its attribute.
    pub expression: String,
    /// The file it is defined in.
    pub file: &'static str,
    /// The line of its attribute.
    pub line: u32,
    /// A sentence from the features that it matches.
    pub example: Option<String>,
    /// The tags of the scenarios that use it (feature and scenario tags), sorted.
    pub tags: Vec<String>,
}

/// A step of a feature: its text, and the tags of its scenario.
struct Used {
    text: String,
    tags: Vec<String>,
}

fn used_steps() -> Vec<Used> {
    let mut used = Vec::new();
    for (path, text) in FEATURES {
        let Ok(feature) = gherkin::Feature::parse(text, GherkinEnv::default()) else {
            continue;
        };
        let background: Vec<String> = feature
            .background
            .iter()
            .flat_map(|b| b.steps.iter().map(|s| s.value.clone()))
            .collect();
        let scenarios = feature
            .scenarios
            .iter()
            .chain(feature.rules.iter().flat_map(|r| r.scenarios.iter()));
        for scenario in scenarios {
            let tags: Vec<String> = feature
                .tags
                .iter()
                .chain(scenario.tags.iter())
                .map(|t| format!("@{t}"))
                .collect();
            for text in background
                .iter()
                .cloned()
                .chain(scenario.steps.iter().map(|s| s.value.clone()))
            {
                used.push(Used {
                    text,
                    tags: tags.clone(),
                });
            }
        }
        let _ = path;
    }
    used
}

/// Every step the harness defines, sorted by file and line.
pub fn steps() -> Vec<StepDoc> {
    let used = used_steps();
    let mut docs = Vec::new();
    let mut add =
        |keyword: &'static str, (loc, regex, _): (cucumber::step::Location, fn() -> Regex, _)| {
            let regex = regex();
            let matching: Vec<&Used> = used.iter().filter(|u| regex.is_match(&u.text)).collect();
            let mut tags: Vec<String> = matching.iter().flat_map(|u| u.tags.clone()).collect();
            tags.sort();
            tags.dedup();
            docs.push(StepDoc {
                keyword,
                expression: expression_at(loc.path, loc.line).unwrap_or_else(|| regex.to_string()),
                file: loc.path,
                line: loc.line,
                example: matching.first().map(|u| u.text.clone()),
                tags,
            });
        };
    type Given = <CognitoWorld as WorldInventory>::Given;
    type When = <CognitoWorld as WorldInventory>::When;
    type Then = <CognitoWorld as WorldInventory>::Then;
    for s in cucumber::codegen::inventory::iter::<Given> {
        add("Given", s.inner());
    }
    for s in cucumber::codegen::inventory::iter::<When> {
        add("When", s.inner());
    }
    for s in cucumber::codegen::inventory::iter::<Then> {
        add("Then", s.inner());
    }
    docs.sort_by(|a, b| (a.file, a.line).cmp(&(b.file, b.line)));
    docs
}

/// The expression of the step attribute at `line` of `file`: `expr = "..."`,
/// `regex = r"..."`, or a plain `"..."`.
fn expression_at(file: &str, line: u32) -> Option<String> {
    let source = STEP_SOURCES.iter().find(|(p, _)| *p == file)?.1;
    let attribute: String = source
        .lines()
        .skip(line.checked_sub(1)? as usize)
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    let attribute = &attribute[..attribute.find(")]").map_or(attribute.len(), |i| i + 2)];
    ATTRIBUTE_FORMS
        .iter()
        .find_map(|p| p.captures(attribute).map(|c| c[1].replace("\\\"", "\"")))
}

/// How a step attribute names its expression: `expr = "..."`, `regex = r#"..."#`,
/// `regex = r"..."`, or a plain `"..."`; compiled once.
static ATTRIBUTE_FORMS: std::sync::LazyLock<Vec<Regex>> = std::sync::LazyLock::new(|| {
    [
        r#"expr\s*=\s*"((?:[^"\\]|\\.)*)""#,
        r##"regex\s*=\s*r#"(.*?)"#"##,
        r#"regex\s*=\s*r"(.*?)""#,
        r#"\(\s*"((?:[^"\\]|\\.)*)"\s*\)"#,
    ]
    .iter()
    .map(|p| Regex::new(p).expect("a valid pattern"))
    .collect()
});

/// The vocabulary as `cognito-e2e steps` prints it.
pub fn text(steps: &[StepDoc]) -> String {
    let mut out = String::new();
    for s in steps {
        let _ = writeln!(out, "{} {}", s.keyword, s.expression);
        if let Some(example) = &s.example {
            let _ = writeln!(out, "    e.g.  {} {example}", s.keyword);
        }
        let _ = writeln!(out, "    in    {}:{}", s.file, s.line);
        if !s.tags.is_empty() {
            let _ = writeln!(out, "    tags  {}", s.tags.join(" "));
        }
    }
    out.push_str("\nParameters:\n");
    for (name, regex, what) in crate::steps::parameters() {
        let _ = writeln!(out, "  {{{name}}}  {what}\n      accepts /{regex}/");
    }
    out
}

/// The vocabulary as `docs/steps.md`.
pub fn markdown(steps: &[StepDoc]) -> String {
    let mut out = String::from(
        "# Step vocabulary\n\nGenerated by `cognito-e2e steps --markdown > docs/steps.md`; a test fails when it is stale.\nEach step with an example sentence from the project's features, the file it is defined in, and the tags of the scenarios that use it.\n\n## Parameters\n\n| parameter | accepts | stands for |\n| --- | --- | --- |\n",
    );
    for (name, regex, what) in crate::steps::parameters() {
        let _ = writeln!(
            out,
            "| `{{{name}}}` | `{}` | {what} |",
            regex.replace('|', "\\|")
        );
    }
    let mut file = "";
    for s in steps {
        if s.file != file {
            file = s.file;
            let _ = write!(out, "\n## `{file}`\n\n");
        }
        let _ = writeln!(out, "- **{}** `{}`", s.keyword, s.expression);
        if let Some(example) = &s.example {
            let _ = writeln!(out, "  - e.g. *{} {example}*", s.keyword);
        }
        // No line numbers here: the page changes only when the steps do.
        if !s.tags.is_empty() {
            let _ = writeln!(out, "  - used in {}", s.tags.join(" "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_file_and_feature_is_compiled_in() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let listed = |dir: &str, ext: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| format!("{dir}/{}", e.file_name().to_string_lossy()))
                .filter(|n| n.ends_with(ext))
                .filter(|n| !n.ends_with("/mod.rs") && !n.ends_with("/params.rs"))
                .collect();
            names.sort();
            names
        };
        let sources: Vec<String> = STEP_SOURCES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(sources, listed("src/steps", ".rs"));
        let features: Vec<String> = FEATURES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(features, listed("features", ".feature"));
    }

    #[test]
    fn every_step_has_its_expression_and_an_example() {
        let steps = steps();
        assert!(steps.len() > 100, "{} steps", steps.len());
        for s in &steps {
            assert!(
                expression_at(s.file, s.line).is_some(),
                "{}:{}: no expression read from its attribute",
                s.file,
                s.line
            );
        }
        let person = steps
            .iter()
            .find(|s| s.expression == "{person} signs in on the login page")
            .expect("the login page step");
        assert_eq!(person.keyword, "When");
        assert_eq!(
            person.example.as_deref(),
            Some("alice signs in on the login page")
        );
        assert!(person.tags.contains(&"@oauth".to_owned()));
    }

    #[test]
    fn docs_steps_md_is_up_to_date() {
        let expected = markdown(&steps());
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/steps.md");
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == expected,
            "docs/steps.md is stale: run `cargo run -- steps --markdown > docs/steps.md`"
        );
    }
}
