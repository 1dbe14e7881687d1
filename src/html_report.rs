//! `--html FILE`: the run as one self-contained page a reviewer can read: totals at the
//! top, then each feature with its scenarios, passed ones folded, failed ones open with
//! the failing step's message. No JavaScript and no external assets, so the file can be
//! attached to a CI run and opened anywhere.
//!
//! It is rendered from the run's Cucumber JSON (the same data `--json` writes), whose
//! step texts and messages carry no secret: the harness redacts passwords, codes and
//! tokens before they reach any writer, and `cargo test` checks this page for them too.

use std::fmt::Write as _;

use serde::Deserialize;

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    uri: Option<String>,
    name: String,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    elements: Vec<Element>,
}

#[derive(Deserialize)]
struct Tag {
    name: String,
}

#[derive(Deserialize)]
struct Element {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    #[serde(default)]
    line: usize,
    #[serde(default)]
    tags: Vec<Tag>,
    #[serde(default)]
    steps: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    keyword: String,
    name: String,
    result: StepResult,
}

#[derive(Deserialize)]
struct StepResult {
    status: String,
    #[serde(default)]
    duration: Option<u64>,
    #[serde(default)]
    error_message: Option<String>,
}

/// A scenario as the page shows it: its background's steps and its own.
struct ScenarioView<'a> {
    name: &'a str,
    line: usize,
    tags: Vec<&'a str>,
    steps: Vec<&'a Step>,
}

impl ScenarioView<'_> {
    fn status(&self) -> &'static str {
        let statuses: Vec<&str> = self
            .steps
            .iter()
            .map(|s| s.result.status.as_str())
            .collect();
        if statuses.contains(&"failed") {
            "failed"
        } else if statuses.iter().any(|s| *s != "passed") {
            "skipped"
        } else {
            "passed"
        }
    }

    fn millis(&self) -> u64 {
        self.steps
            .iter()
            .filter_map(|s| s.result.duration)
            .sum::<u64>()
            / 1_000_000
    }
}

/// The page for the run whose Cucumber JSON is `json`, titled `title` (the target).
pub fn render(json: &[u8], title: &str) -> Result<String, serde_json::Error> {
    let features: Vec<Feature> = serde_json::from_slice(json)?;
    let mut body = String::new();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for feature in &features {
        let scenarios = scenarios(feature);
        for s in &scenarios {
            match s.status() {
                "passed" => passed += 1,
                "failed" => failed += 1,
                _ => skipped += 1,
            }
        }
        let _ = writeln!(
            body,
            "<section>\n<h2>{}</h2>\n<p class=\"meta\">{}{}</p>",
            escape(&feature.name),
            escape(feature.uri.as_deref().unwrap_or_default()),
            tag_list(feature.tags.iter().map(|t| t.name.as_str())),
        );
        for s in &scenarios {
            let status = s.status();
            let _ = writeln!(
                body,
                "<details class=\"{status}\"{}>\n<summary><span class=\"badge\">{status}</span> {} <span class=\"meta\">line {}, {} ms{}</span></summary>\n<ol>",
                if status == "failed" { " open" } else { "" },
                escape(s.name),
                s.line,
                s.millis(),
                tag_list(s.tags.iter().copied()),
            );
            for step in &s.steps {
                let _ = write!(
                    body,
                    "<li class=\"{}\"><b>{}</b>{}",
                    escape(&step.result.status),
                    escape(step.keyword.trim()),
                    escape(&format!(" {}", step.name)),
                );
                if let Some(ns) = step.result.duration {
                    let _ = write!(body, " <span class=\"meta\">{} ms</span>", ns / 1_000_000);
                }
                if let Some(message) = &step.result.error_message {
                    let _ = write!(body, "<pre>{}</pre>", escape(message));
                }
                body.push_str("</li>\n");
            }
            body.push_str("</ol>\n");
            if let Some(uri) = &feature.uri {
                if let Some(seen) = crate::evidence::take(std::path::Path::new(uri), s.line) {
                    evidence(&mut body, &seen);
                }
            }
            body.push_str("</details>\n");
        }
        body.push_str("</section>\n");
    }
    let verdict = if failed == 0 { "passed" } else { "failed" };
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>cognito-e2e: {verdict}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header class=\"{verdict}\">\n<h1>cognito-e2e: {verdict}</h1>\n<p>{} — <strong>{passed}</strong> passed, <strong>{failed}</strong> failed, <strong>{skipped}</strong> skipped, of {} scenarios.</p>\n</header>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title),
        passed + failed + skipped,
    ))
}

/// The scenarios of `feature`, each with the background steps cucumber ran before it
/// (the JSON lists a background element just before its scenario).
fn scenarios(feature: &Feature) -> Vec<ScenarioView<'_>> {
    let mut out = Vec::new();
    let mut background: Vec<&Step> = Vec::new();
    for element in &feature.elements {
        if element.kind == "background" {
            background = element.steps.iter().collect();
            continue;
        }
        let mut steps = std::mem::take(&mut background);
        steps.extend(element.steps.iter());
        out.push(ScenarioView {
            name: &element.name,
            line: element.line,
            tags: element.tags.iter().map(|t| t.name.as_str()).collect(),
            steps,
        });
    }
    out
}

/// What the scenario saw: its mails (the HTML part in a sandboxed frame, so no script
/// of a mail runs), its tokens' headers and claims, its AWS errors. Secrets masked.
fn evidence(body: &mut String, seen: &crate::evidence::Evidence) {
    let masked = |text: &str| escape(&crate::secrets::redact(text));
    if !seen.errors.is_empty() {
        body.push_str("<h3>AWS errors</h3>\n<ul class=\"errors\">\n");
        for e in &seen.errors {
            let _ = writeln!(
                body,
                "<li><code>{}</code>: <b>{}</b> {}</li>",
                masked(&e.operation),
                masked(&e.code),
                masked(&e.message)
            );
        }
        body.push_str("</ul>\n");
    }
    for m in &seen.mails {
        let _ = writeln!(
            body,
            "<h3>Mail: {}</h3>\n<table class=\"headers\"><tr><th>From</th><td>{}</td></tr><tr><th>To</th><td>{}</td></tr><tr><th>Date</th><td>{}</td></tr></table>",
            masked(&m.subject),
            masked(&m.from),
            masked(&m.to),
            masked(&m.date),
        );
        if let Some(text) = &m.text {
            let _ = writeln!(body, "<pre class=\"mail\">{}</pre>", masked(text));
        }
        if let Some(html) = &m.html {
            let _ = writeln!(
                body,
                "<iframe sandbox title=\"the mail's HTML part\" srcdoc=\"{}\"></iframe>",
                masked(html)
            );
        }
    }
    for t in &seen.tokens {
        let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
        let _ = writeln!(
            body,
            "<h3>{} <span class=\"verified\">{}</span></h3>\n<div class=\"token\"><pre>{}</pre><pre>{}</pre></div>",
            masked(&t.kind),
            if t.verified { "✔ verified against the pool's JWKS" } else { "✘ not verified" },
            masked(&pretty(&t.header)),
            masked(&pretty(&t.claims)),
        );
    }
}

/// A scenario's outcome in a run, for `compare`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScenarioOutcome {
    /// The feature file.
    pub feature: String,
    /// The scenario's name.
    pub scenario: String,
    /// Its line.
    pub line: usize,
    /// `passed`, `failed` or `skipped`.
    pub status: &'static str,
    /// The first failed step and its message.
    pub failure: Option<(String, String)>,
}

/// The outcome of every scenario in a run's Cucumber JSON.
pub(crate) fn scenario_outcomes(json: &[u8]) -> Result<Vec<ScenarioOutcome>, serde_json::Error> {
    let features: Vec<Feature> = serde_json::from_slice(json)?;
    let mut out = Vec::new();
    for feature in &features {
        for s in scenarios(feature) {
            let failure = s
                .steps
                .iter()
                .find(|st| st.result.status == "failed")
                .map(|st| {
                    (
                        format!("{} {}", st.keyword.trim(), st.name),
                        crate::secrets::redact(
                            st.result.error_message.as_deref().unwrap_or_default(),
                        ),
                    )
                });
            out.push(ScenarioOutcome {
                feature: feature.uri.clone().unwrap_or_else(|| feature.name.clone()),
                scenario: s.name.to_owned(),
                line: s.line,
                status: s.status(),
                failure,
            });
        }
    }
    Ok(out)
}

fn tag_list<'a>(tags: impl Iterator<Item = &'a str>) -> String {
    let tags: Vec<String> = tags.map(|t| escape(&format!("@{t}"))).collect();
    if tags.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"tags\">{}</span>", tags.join(" "))
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;background:#f7f7f8;color:#16191f}\
header{padding:1rem 2rem;color:#fff}header.passed{background:#037f0c}header.failed{background:#b0021a}\
header h1{margin:0;font-size:1.4rem}main{padding:1rem 2rem;max-width:70rem}\
section{background:#fff;border-radius:6px;padding:.5rem 1rem;margin-bottom:1rem;box-shadow:0 1px 3px #0002}\
h2{font-size:1.1rem}.meta{color:#5f6b7a;font-size:.85rem}.tags{color:#0972d3}\
details{border-top:1px solid #e9ebed;padding:.3rem 0}summary{cursor:pointer}\
.badge{display:inline-block;min-width:4.5rem;text-align:center;border-radius:3px;color:#fff;font-size:.8rem;padding:0 .3rem}\
.passed .badge{background:#037f0c}.failed .badge{background:#b0021a}.skipped .badge{background:#8d6605}\
ol{margin:.3rem 0 .5rem}li.failed{color:#b0021a}li.skipped{color:#8d6605}\
pre{white-space:pre-wrap;background:#fff1f0;border-left:3px solid #d91515;padding:.4rem;color:#16191f}\
h3{font-size:.95rem;margin:.6rem 0 .3rem}.verified{color:#037f0c;font-weight:normal;font-size:.85rem}\
.token{display:grid;grid-template-columns:1fr 2fr;gap:.5rem}.token pre,pre.mail{background:#f2f3f3;border-left:3px solid #879596}\
table.headers{font-size:.85rem;border-collapse:collapse}table.headers th{text-align:left;padding-right:1rem;color:#5f6b7a}\
iframe{width:100%;height:14rem;border:1px solid #e9ebed;background:#fff}";

/// `text` with HTML's special characters escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_counts_scenarios_and_opens_the_failed_ones() {
        let json = br#"[{"uri":"features/x.feature","keyword":"Feature","name":"X <1>","tags":[{"name":"t","line":1}],"elements":[
            {"keyword":"Background","type":"background","id":"a","line":3,"name":"A","tags":[],"steps":[{"keyword":"Given ","line":4,"name":"a pool","result":{"status":"passed","duration":2000000}}]},
            {"keyword":"Scenario","type":"scenario","id":"a","line":5,"name":"A","tags":[],"steps":[{"keyword":"Then ","line":6,"name":"it works","result":{"status":"failed","error_message":"expected <x>, got y"}}]},
            {"keyword":"Scenario","type":"scenario","id":"b","line":8,"name":"B","tags":[{"name":"mail","line":7}],"steps":[{"keyword":"When ","line":9,"name":"b","result":{"status":"passed"}}]}]}]"#;
        let page = render(json, "the embedded emulator").unwrap();
        assert!(page.contains("<title>cognito-e2e: failed</title>"));
        assert!(page.contains("<strong>1</strong> passed, <strong>1</strong> failed"));
        assert!(page.contains("<details class=\"failed\" open>"));
        assert!(page.contains("<pre>expected &lt;x&gt;, got y</pre>"));
        assert!(page.contains("X &lt;1&gt;"));
        assert!(
            page.contains("<b>Given</b> a pool"),
            "the background's steps are shown with their scenario"
        );
        assert!(render(b"not json", "t").is_err());
    }
}
