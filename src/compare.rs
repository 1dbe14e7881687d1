//! `cognito-e2e compare`: the same features against two or more targets, one after the
//! other, and a matrix of scenario × target (passed, failed, left out). Where targets that
//! both ran a scenario disagree, the matrix says which step failed and how. Every API
//! response is recorded too, normalized (`responses.rs`), and the first response where
//! two targets answered differently is shown with the fields that differ, also for
//! scenarios that passed everywhere. This is how a team learns that its staging pool and
//! its local emulator have drifted apart.
//!
//! A target is written `embedded`, `container`, `aws`, or `endpoint=URL`, with options
//! after commas: `endpoint=http://localhost:5000,mailbox=none`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::html_report::{scenario_outcomes, ScenarioOutcome};
use crate::responses::{first_difference, ResponseSeen};
use crate::runner::{run, RunOptions};
use crate::target::{MailboxSpec, Settings, TargetKind};

/// One target of a comparison: how it is called in the matrix, and its settings.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The label in the matrix (the spec as written).
    pub label: String,
    /// The settings to run with.
    pub settings: Settings,
}

/// Reads a target spec over `base` settings (region, mail domain and so on).
pub fn parse_target(spec: &str, base: &Settings) -> Result<Compared> {
    let bad = |why: &str| Error::Target {
        target: "compare",
        reason: format!("{spec:?} is not a target: {why}"),
    };
    let mut parts = spec.split(',');
    let head = parts.next().unwrap_or_default();
    let mut settings = base.clone();
    let (kind, endpoint) = match head.split_once('=') {
        Some(("endpoint", url)) => (TargetKind::Endpoint, Some(url.to_owned())),
        None if head == "embedded" => (TargetKind::Embedded, None),
        #[cfg(feature = "container")]
        None if head == "container" => (TargetKind::Container, None),
        #[cfg(feature = "aws")]
        None if head == "aws" => (TargetKind::Aws, None),
        _ => return Err(bad("write embedded, container, aws or endpoint=URL")),
    };
    settings.kind = kind;
    settings.endpoint = endpoint;
    for option in parts {
        match option.split_once('=') {
            Some(("mailbox", m)) => {
                settings.mailbox = m
                    .parse::<MailboxSpec>()
                    .map_err(|e| bad(&format!("mailbox: {e}")))?
            }
            _ => return Err(bad("the only option is mailbox=...")),
        }
    }
    Ok(Compared {
        label: spec.to_owned(),
        settings,
    })
}

/// What a target did with one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every step passed.
    Passed,
    /// A step failed: which, and its message.
    Failed {
        /// The step, as written.
        step: String,
        /// Its message.
        message: String,
    },
    /// The run left it out (no mailbox, no trigger functions), or its steps skipped.
    NotRun,
}

impl Verdict {
    fn ran(&self) -> bool {
        !matches!(self, Self::NotRun)
    }

    fn word(&self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed { .. } => "failed",
            Self::NotRun => "not run",
        }
    }
}

/// A scenario's row: its feature, name and line, and a verdict per target.
#[derive(Debug, Clone)]
pub struct Row {
    /// The feature file.
    pub feature: String,
    /// The scenario's name.
    pub scenario: String,
    /// Its line.
    pub line: usize,
    /// One verdict per target, in the targets' order.
    pub verdicts: Vec<Verdict>,
    /// Every API response of the scenario, normalized, per target.
    pub responses: Vec<Vec<ResponseSeen>>,
}

/// Where one target's responses first differ from the first target's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The target (its index in the matrix) that differs from the first.
    pub target: usize,
    /// The response's position in the scenario (0-based).
    pub index: usize,
    /// Its operation.
    pub operation: String,
    /// The fields that differ, `path: first vs this`.
    pub fields: Vec<String>,
}

impl Row {
    /// Where the responses of each target that ran the scenario first differ from those
    /// of the first target that ran it.
    pub fn drift(&self) -> Vec<Drift> {
        let ran: Vec<usize> = (0..self.verdicts.len())
            .filter(|&t| self.verdicts[t].ran())
            .collect();
        let Some((&first, others)) = ran.split_first() else {
            return Vec::new();
        };
        others
            .iter()
            .filter_map(|&t| {
                let (index, operation, fields) =
                    first_difference(&self.responses[first], &self.responses[t])?;
                Some(Drift {
                    target: t,
                    index,
                    operation,
                    fields,
                })
            })
            .collect()
    }

    /// Whether two targets that both ran the scenario disagree on it.
    pub fn disagrees(&self) -> bool {
        let ran: Vec<&Verdict> = self.verdicts.iter().filter(|v| v.ran()).collect();
        ran.windows(2)
            .any(|w| std::mem::discriminant(w[0]) != std::mem::discriminant(w[1]))
    }
}

/// The comparison.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// The targets' labels.
    pub targets: Vec<String>,
    /// One row per scenario any target ran or left out.
    pub rows: Vec<Row>,
}

impl Matrix {
    /// The rows where targets disagree.
    pub fn disagreements(&self) -> Vec<&Row> {
        self.rows.iter().filter(|r| r.disagrees()).collect()
    }

    /// The matrix as Markdown, then the disagreements with the failing step.
    pub fn markdown(&self) -> String {
        let mut out = format!("| scenario | {} |\n|---|", self.targets.join(" | "));
        out.push_str(&"---|".repeat(self.targets.len()));
        out.push('\n');
        for r in &self.rows {
            let mark = if r.disagrees() { " ⚠" } else { "" };
            let cells: Vec<&str> = r.verdicts.iter().map(Verdict::word).collect();
            let _ = writeln!(
                out,
                "| {}:{} {}{mark} | {} |",
                r.feature,
                r.line,
                r.scenario.replace('|', "\\|"),
                cells.join(" | ")
            );
        }
        let disagreements = self.disagreements();
        let _ = writeln!(
            out,
            "\n{} scenario(s) where the targets disagree.",
            disagreements.len()
        );
        for r in disagreements {
            let _ = writeln!(out, "\n### {}:{} {}\n", r.feature, r.line, r.scenario);
            for (target, v) in self.targets.iter().zip(&r.verdicts) {
                match v {
                    Verdict::Failed { step, message } => {
                        let message = message.lines().last().unwrap_or_default();
                        let _ = writeln!(out, "- **{target}** failed at *{step}*: {message}");
                    }
                    other => {
                        let _ = writeln!(out, "- **{target}** {}", other.word());
                    }
                }
            }
            self.drift_lines(r, &mut out);
        }
        let drifting: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| !r.disagrees() && !r.drift().is_empty())
            .collect();
        let _ = writeln!(
            out,
            "\n{} scenario(s) where the verdicts agree but the responses differ (ids, dates, tokens and names made for the run are compared by kind).",
            drifting.len()
        );
        for r in drifting {
            let _ = writeln!(out, "\n### {}:{} {}\n", r.feature, r.line, r.scenario);
            self.drift_lines(r, &mut out);
        }
        out
    }

    /// The first differing response of each target, as Markdown list items.
    fn drift_lines(&self, r: &Row, out: &mut String) {
        let first = r.verdicts.iter().position(Verdict::ran).unwrap_or(0);
        for d in r.drift() {
            let _ = writeln!(
                out,
                "- responses: **{}** differs from **{}** first at response {} (`{}`):",
                self.targets[d.target],
                self.targets[first],
                d.index + 1,
                d.operation
            );
            for f in d.fields.iter().take(MAX_FIELDS) {
                let _ = writeln!(out, "  - `{}`", f.replace('`', "'"));
            }
            if d.fields.len() > MAX_FIELDS {
                let _ = writeln!(out, "  - and {} more", d.fields.len() - MAX_FIELDS);
            }
        }
    }

    /// The matrix as a self-contained HTML page.
    pub fn html(&self) -> String {
        let e = crate::html_report::escape;
        let mut rows = String::new();
        for r in &self.rows {
            let _ = write!(
                rows,
                "<tr class=\"{}\"><th>{}:{} {}</th>",
                if r.disagrees() { "differs" } else { "" },
                e(&r.feature),
                r.line,
                e(&r.scenario)
            );
            for v in &r.verdicts {
                let title = match v {
                    Verdict::Failed { step, message } => format!(
                        " title=\"{}\"",
                        e(&format!(
                            "{step}: {}",
                            message.lines().last().unwrap_or_default()
                        ))
                    ),
                    _ => String::new(),
                };
                let _ = write!(
                    rows,
                    "<td class=\"{}\"{title}>{}</td>",
                    v.word().replace(' ', "-"),
                    v.word()
                );
            }
            rows.push_str("</tr>\n");
        }
        let mut drift = String::new();
        for r in &self.rows {
            let first = r.verdicts.iter().position(Verdict::ran).unwrap_or(0);
            for d in r.drift() {
                let fields: String = d
                    .fields
                    .iter()
                    .take(MAX_FIELDS)
                    .map(|f| format!("<li><code>{}</code></li>", e(f)))
                    .collect();
                let _ = writeln!(
                    drift,
                    "<li>{}:{} {}: <b>{}</b> differs from <b>{}</b> first at response {} (<code>{}</code>)<ul>{fields}</ul></li>",
                    e(&r.feature),
                    r.line,
                    e(&r.scenario),
                    e(&self.targets[d.target]),
                    e(&self.targets[first]),
                    d.index + 1,
                    e(&d.operation)
                );
            }
        }
        let heads: String = self
            .targets
            .iter()
            .map(|t| format!("<th>{}</th>", e(t)))
            .collect();
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>cognito-e2e compare</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #d1d5db;padding:.3rem .6rem;text-align:left}}td.passed{{background:#e6f4e6}}td.failed{{background:#fde8e8}}td.not-run{{color:#5f6b7a}}tr.differs th{{background:#fff4d6}}</style>\n</head>\n<body>\n<h1>Compatibility matrix</h1>\n<p>{} scenario(s) where the targets disagree (highlighted; a failed cell's title says why).</p>\n<table>\n<tr><th>scenario</th>{heads}</tr>\n{rows}</table>\n<h2>Responses that differ</h2>\n<p>Every API response is recorded, with ids, dates, tokens and names made for the run replaced by their kind; the first response where a target answered differently from the first target, and the fields that differ:</p>\n<ul>\n{drift}</ul>\n</body>\n</html>\n",
            self.disagreements().len()
        )
    }
}

/// Fields listed per differing response.
const MAX_FIELDS: usize = 8;

/// Runs `features` (with the tag expression `tags`) against each target in turn.
pub async fn compare(
    targets: Vec<Compared>,
    features: PathBuf,
    tags: Option<String>,
) -> Result<Matrix> {
    let mut outcomes: Vec<Vec<(ScenarioOutcome, Vec<ResponseSeen>)>> = Vec::new();
    let labels: Vec<String> = targets.iter().map(|t| t.label.clone()).collect();
    for (i, target) in targets.into_iter().enumerate() {
        let json = std::env::temp_dir().join(format!(
            "cognito-e2e-compare-{}-{i}.json",
            std::process::id()
        ));
        let mut options = RunOptions::new(target.settings);
        options.features = features.clone();
        options.tags = tags.clone();
        options.json = Some(json.clone());
        run(options).await?;
        let bytes = std::fs::read(&json).map_err(|source| Error::Report {
            path: json.clone(),
            source,
        })?;
        let _ = std::fs::remove_file(&json);
        let list = scenario_outcomes(&bytes).map_err(|e| Error::Report {
            path: json,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        // The responses each scenario received, filed by the runner under its line.
        let with_responses = list
            .into_iter()
            .map(|o| {
                let seen = crate::evidence::take(std::path::Path::new(&o.feature), o.line)
                    .map(|e| e.responses)
                    .unwrap_or_default();
                (o, seen)
            })
            .collect();
        outcomes.push(with_responses);
    }
    // Every scenario any target ran, in the first target's order, then any others.
    let mut rows: Vec<Row> = Vec::new();
    for (t, list) in outcomes.into_iter().enumerate() {
        for (o, seen) in list {
            let row = match rows
                .iter_mut()
                .position(|r| r.feature == o.feature && r.line == o.line)
            {
                Some(i) => &mut rows[i],
                None => {
                    rows.push(Row {
                        feature: o.feature.clone(),
                        scenario: o.scenario.clone(),
                        line: o.line,
                        verdicts: vec![Verdict::NotRun; labels.len()],
                        responses: vec![Vec::new(); labels.len()],
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            row.responses[t] = seen;
            row.verdicts[t] = match (o.status, &o.failure) {
                ("passed", _) => Verdict::Passed,
                ("failed", Some((step, message))) => Verdict::Failed {
                    step: step.clone(),
                    message: message.clone(),
                },
                ("failed", None) => Verdict::Failed {
                    step: String::new(),
                    message: String::new(),
                },
                _ => Verdict::NotRun,
            };
        }
    }
    Ok(Matrix {
        targets: labels,
        rows,
    })
}
