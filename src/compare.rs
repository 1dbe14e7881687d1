//! `cognito-e2e compare`: the same features against two or more targets, one after the
//! other, and a matrix of scenario × target (passed, failed, left out). Where targets that
//! both ran a scenario disagree, the matrix says which step failed and how. This is how
//! a team learns that its staging pool and its local emulator have drifted apart.
//!
//! A target is written `embedded`, `container`, `aws`, or `endpoint=URL`, with options
//! after commas: `endpoint=http://localhost:5000,mailbox=none`.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::html_report::{scenario_outcomes, ScenarioOutcome};
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
}

impl Row {
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
        }
        out
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
        let heads: String = self
            .targets
            .iter()
            .map(|t| format!("<th>{}</th>", e(t)))
            .collect();
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>cognito-e2e compare</title>\n<style>body{{font-family:system-ui,sans-serif;margin:2rem}}table{{border-collapse:collapse}}td,th{{border:1px solid #d1d5db;padding:.3rem .6rem;text-align:left}}td.passed{{background:#e6f4e6}}td.failed{{background:#fde8e8}}td.not-run{{color:#5f6b7a}}tr.differs th{{background:#fff4d6}}</style>\n</head>\n<body>\n<h1>Compatibility matrix</h1>\n<p>{} scenario(s) where the targets disagree (highlighted; a failed cell's title says why).</p>\n<table>\n<tr><th>scenario</th>{heads}</tr>\n{rows}</table>\n</body>\n</html>\n",
            self.disagreements().len()
        )
    }
}

/// Runs `features` (with the tag expression `tags`) against each target in turn.
pub async fn compare(
    targets: Vec<Compared>,
    features: PathBuf,
    tags: Option<String>,
) -> Result<Matrix> {
    let mut outcomes: Vec<Vec<ScenarioOutcome>> = Vec::new();
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
        outcomes.push(scenario_outcomes(&bytes).map_err(|e| Error::Report {
            path: json,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?);
    }
    // Every scenario any target ran, in the first target's order, then any others.
    let mut rows: Vec<Row> = Vec::new();
    for (t, list) in outcomes.iter().enumerate() {
        for o in list {
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
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
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
