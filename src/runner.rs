//! Running the features: one target for the whole run, scenarios concurrently, live
//! progress on the console, JUnit XML and Cucumber JSON reports, cleanup after every
//! scenario whatever its result.
//!
//! A step that matches no step definition, or more than one, fails the run: a misspelt
//! step must never pass as "skipped". The only scenarios a run leaves out on purpose are
//! announced on the console and counted in [`RunSummary`]: `@mail` ones when the mailbox
//! cannot receive, and `@embedded-triggers` ones on targets other than the embedded
//! emulator, where the harness's Lambda trigger functions do not exist.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cucumber::event::{self, StepError};
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::gherkin::{Feature, GherkinEnv, Rule, Scenario};
use cucumber::tag::Ext as _;
use cucumber::writer::{self, Stats as _};
use cucumber::{parser, Event, World as _, WriterExt as _};

use crate::error::{Error, Result};
use crate::target::{Settings, Target};
use crate::world::{self, CognitoWorld};

/// How to run.
pub struct RunOptions {
    /// Which target, and its settings.
    pub settings: Settings,
    /// A tag expression (`@tutorial and not @admin`).
    pub tags: Option<String>,
    /// A feature file or a folder of them.
    pub features: PathBuf,
    /// Where to write a JUnit XML report.
    pub junit: Option<PathBuf>,
    /// Where to write a Cucumber JSON report.
    pub json: Option<PathBuf>,
    /// Where to write the HTML report.
    pub html: Option<PathBuf>,
    /// How many scenarios run at once.
    pub concurrency: usize,
    /// Where the live progress goes.
    pub console: Box<dyn Write>,
    /// Whether the console gets colours.
    pub color: bool,
    /// How many times a failed scenario is run again before it counts as failed (with a
    /// fresh World and fresh names each time). For the `aws` target only.
    pub retries: usize,
    /// Run only this share of the scenarios, for CI jobs that split a suite.
    pub shard: Option<Shard>,
}

/// One of `total` shares of a suite (`--shard 2/4`): a scenario belongs to the share its
/// feature's name, rule and scenario name and line hash to, so every scenario runs in
/// exactly one share, the same one on every machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This share, from 1.
    pub index: u32,
    /// How many shares.
    pub total: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a shard: write K/N, with 1 <= K <= N");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, total): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > total {
            return Err(bad());
        }
        Ok(Self { index, total })
    }
}

impl Shard {
    /// Whether the scenario belongs to this share.
    fn holds(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> bool {
        use std::hash::{Hash, Hasher};
        // SipHash with fixed keys: the same share for the same scenario in every process.
        let mut h = std::hash::DefaultHasher::new();
        feature.name.hash(&mut h);
        rule.map(|r| &r.name).hash(&mut h);
        scenario.name.hash(&mut h);
        scenario.position.line.hash(&mut h);
        (h.finish() % u64::from(self.total)) as u32 == self.index - 1
    }
}

impl RunOptions {
    /// The project's features against `settings`, progress on stdout.
    pub fn new(settings: Settings) -> Self {
        Self {
            settings,
            tags: None,
            features: default_features(),
            junit: None,
            json: None,
            html: None,
            concurrency: 8,
            console: Box::new(io::stdout()),
            color: true,
            retries: 0,
            shard: None,
        }
    }
}

/// The `features/` folder of this project.
pub fn default_features() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features")
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Steps that passed.
    pub passed_steps: usize,
    /// Steps that failed.
    pub failed_steps: usize,
    /// Steps that failed because no step definition matches them (a misspelt or
    /// unwritten step); also counted in `failed_steps`.
    pub undefined_steps: usize,
    /// Steps that failed because more than one step definition matches them; also
    /// counted in `failed_steps`.
    pub ambiguous_steps: usize,
    /// Steps skipped in scenarios the run left out on purpose (never an undefined step:
    /// those fail).
    pub skipped_steps: usize,
    /// Steps run again because their scenario failed and `retries` allowed another try.
    pub retried_steps: usize,
    /// Feature files that did not parse.
    pub parsing_errors: usize,
    /// Hooks that failed.
    pub hook_errors: usize,
    /// Scenarios left out because they need mail and the mailbox cannot receive.
    pub skipped_for_mail: usize,
    /// Scenarios left out because they need the harness's trigger functions, which only
    /// the embedded target has.
    pub skipped_for_triggers: usize,
}

impl RunSummary {
    /// Whether the run failed.
    pub fn failed(&self) -> bool {
        self.failed_steps > 0
            || self.undefined_steps > 0
            || self.ambiguous_steps > 0
            || self.parsing_errors > 0
            || self.hook_errors > 0
    }
}

/// Counts the steps that failed for want of exactly one step definition. Cucumber's own
/// statistics count them among all failures; the summary names them, since the fix is
/// in the feature's wording or in the step definitions, not in the target.
#[derive(Debug, Clone, Default)]
struct StepMatchCounter {
    undefined: Arc<AtomicUsize>,
    ambiguous: Arc<AtomicUsize>,
}

impl<W: cucumber::World> cucumber::Writer<W> for StepMatchCounter {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<W>>>,
        _: &Self::Cli,
    ) {
        use event::{Cucumber, Feature, RetryableScenario, Rule, Scenario, Step};

        let Ok(event) = event else { return };
        let scenario = match &event.value {
            Cucumber::Feature(_, Feature::Scenario(_, RetryableScenario { event, .. }))
            | Cucumber::Feature(
                _,
                Feature::Rule(_, Rule::Scenario(_, RetryableScenario { event, .. })),
            ) => event,
            _ => return,
        };
        let (Scenario::Step(_, Step::Failed(.., error))
        | Scenario::Background(_, Step::Failed(.., error))) = scenario
        else {
            return;
        };
        match error {
            StepError::NotFound => self.undefined.fetch_add(1, Ordering::Relaxed),
            StepError::AmbiguousMatch(_) => self.ambiguous.fetch_add(1, Ordering::Relaxed),
            StepError::Panic(_) => return,
        };
    }
}

/// Which scenarios a run selects, and which it leaves out on purpose.
#[derive(Clone)]
struct Selection {
    /// A tag expression from the options.
    tags: Option<TagOperation>,
    /// Existing-pool mode: only `@user-flow` runs, since the other features create pools.
    existing_pool: bool,
    /// Whether the mailbox can receive: without one, `@mail` scenarios are left out.
    can_receive: bool,
    /// Whether the harness's trigger functions exist (the embedded target): without them,
    /// `@embedded-triggers` scenarios are left out.
    has_triggers: bool,
    /// Only this share of the scenarios.
    shard: Option<Shard>,
}

/// The tags of a scenario, with those of its rule and feature.
fn all_tags<'a>(
    feature: &'a Feature,
    rule: Option<&'a Rule>,
    scenario: &'a Scenario,
) -> impl Iterator<Item = &'a String> + Clone {
    feature
        .tags
        .iter()
        .chain(rule.into_iter().flat_map(|r| &r.tags))
        .chain(&scenario.tags)
}

/// What a run does with one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// It runs.
    Run,
    /// It is selected, but needs mail and the mailbox cannot receive: left out,
    /// announced and counted.
    LeftOutForMail,
    /// It is selected, but needs the harness's trigger functions and the target has
    /// none: left out, announced and counted.
    LeftOutForTriggers,
    /// The tags or existing-pool mode do not select it.
    NotSelected,
}

impl Selection {
    fn decide(&self, feature: &Feature, rule: Option<&Rule>, scenario: &Scenario) -> Decision {
        let tags = all_tags(feature, rule, scenario);
        let selected = (!self.existing_pool || tags.clone().any(|t| t == "user-flow"))
            && self.tags.as_ref().is_none_or(|t| t.eval(tags.clone()))
            && self.shard.is_none_or(|s| s.holds(feature, rule, scenario));
        if !selected {
            Decision::NotSelected
        } else if !self.has_triggers && tags.clone().any(|t| t == crate::triggers::TAG) {
            Decision::LeftOutForTriggers
        } else if !self.can_receive && tags.clone().any(|t| t == "mail") {
            Decision::LeftOutForMail
        } else {
            Decision::Run
        }
    }
}

impl Decision {
    /// Whether the run leaves the scenario out on purpose: the only scenarios whose
    /// steps may skip without failing.
    fn left_out(self) -> bool {
        matches!(self, Self::LeftOutForMail | Self::LeftOutForTriggers)
    }
}

/// How many scenarios of the features a run will run, and how many it leaves out for
/// want of mail or of trigger functions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct ScenarioCount {
    runs: usize,
    left_out_for_mail: usize,
    left_out_for_triggers: usize,
}

/// Counts the scenarios of the feature file or folder `features` as cucumber will run
/// them (one per row of an outline's examples), before the run, for its opening line.
/// Files that do not parse count nothing here: the run itself reports them.
fn count_scenarios(features: &Path, selection: &Selection) -> ScenarioCount {
    use cucumber::feature::Ext as _;

    let mut count = ScenarioCount::default();
    for path in feature_files(features) {
        let parsed = Feature::parse_path(&path, GherkinEnv::default())
            .ok()
            .and_then(|f| f.expand_examples().ok());
        let Some(feature) = parsed else { continue };
        let in_rules = feature
            .rules
            .iter()
            .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s)));
        let scenarios = feature.scenarios.iter().map(|s| (None, s)).chain(in_rules);
        for (rule, scenario) in scenarios {
            match selection.decide(&feature, rule, scenario) {
                Decision::Run => count.runs += 1,
                Decision::LeftOutForMail => count.left_out_for_mail += 1,
                Decision::LeftOutForTriggers => count.left_out_for_triggers += 1,
                Decision::NotSelected => {}
            }
        }
    }
    count
}

/// The `.feature` files at `path`: the file itself, or every one under the folder, as
/// cucumber finds them (any case of the extension, sub-folders included).
fn feature_files(path: &Path) -> Vec<PathBuf> {
    if !path.is_dir() {
        return vec![path.to_owned()];
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_owned()];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("feature"))
            {
                files.push(path);
            }
        }
    }
    files
}

/// The first line a run prints: what runs, where, and where the mail is read, e.g.
/// "Running 20 scenarios against the embedded emulator (us-east-1); mail is read from
/// the embedded emulator's outbox."
fn opening_line(target: &Target, count: ScenarioCount) -> String {
    let scenarios = match count.runs {
        1 => "1 scenario".to_owned(),
        n => format!("{n} scenarios"),
    };
    let mailbox = target.mailbox();
    let mail = if mailbox.can_receive() {
        format!("mail is read from {}", mailbox.describe())
    } else {
        format!(
            "no mail can be read, so {} @mail scenario(s) are left out",
            count.left_out_for_mail
        )
    };
    format!("Running {scenarios} against {target}; {mail}.")
}

fn create(path: &Option<PathBuf>) -> Result<Box<dyn Write>> {
    match path {
        None => Ok(Box::new(io::sink())),
        Some(p) => {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| Error::Report {
                    path: p.clone(),
                    source,
                })?;
            }
            let file = std::fs::File::create(p).map_err(|source| Error::Report {
                path: p.clone(),
                source,
            })?;
            Ok(Box::new(io::BufWriter::new(file)))
        }
    }
}

/// Bytes a writer leaves in memory, to be read after the run.
#[derive(Clone, Default)]
struct Kept(Arc<std::sync::Mutex<Vec<u8>>>);

impl Kept {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Kept {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes `bytes` to the file at `path`, if one is asked for.
fn write_file(path: &Option<PathBuf>, bytes: &[u8]) -> Result<()> {
    let Some(p) = path else { return Ok(()) };
    let mut out = create(path)?;
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|source| Error::Report {
            path: p.clone(),
            source,
        })
}

/// Runs the features; the result says how it went (a failed scenario is not an `Err`).
pub async fn run(options: RunOptions) -> Result<RunSummary> {
    let tags: Option<TagOperation> = match &options.tags {
        None => None,
        Some(expr) => Some(expr.parse().map_err(|e| Error::Target {
            target: "run",
            reason: format!("bad tag expression {expr:?}: {e}"),
        })?),
    };
    // Retries are for real AWS, whose answers may flake (throttling, mail delays); on an
    // emulator a retry would only hide a real failure.
    #[cfg(feature = "aws")]
    let retries_allowed = options.settings.kind == crate::target::TargetKind::Aws;
    #[cfg(not(feature = "aws"))]
    let retries_allowed = false;
    if options.retries > 0 && !retries_allowed {
        return Err(Error::Target {
            target: "run",
            reason: "--retries is for --target aws only: an emulator answers the same way \
                     every time, so a retry would hide a real failure"
                .into(),
        });
    }
    // Report files first: failing here must not leave a started target (a container)
    // behind.
    let junit = create(&options.junit)?;
    // The HTML report is made from the JSON one, so with --html the JSON is kept in
    // memory and written out (where asked) after the run.
    let json_kept = Kept::default();
    let json: Box<dyn Write> = match &options.html {
        Some(html) => {
            create(&Some(html.clone()))?;
            Box::new(json_kept.clone())
        }
        None => create(&options.json)?,
    };
    let mut console = options.console;
    let target = Arc::new(Target::start(options.settings).await?);
    let can_receive = target.mailbox().can_receive();
    let has_triggers = target.triggers().is_some();
    // On a pool that already exists only the user flow runs: the other features create
    // pools of their own.
    let existing_pool = target.existing_pool().is_some();
    let selection = Selection {
        tags,
        existing_pool,
        can_receive,
        has_triggers,
        shard: options.shard,
    };
    crate::evidence::clear();
    let count = count_scenarios(&options.features, &selection);
    let title = target.to_string();
    writeln!(console, "{}", opening_line(&target, count)).ok();
    #[cfg(feature = "container")]
    if let Some(container) = target.container() {
        writeln!(
            console,
            "cognito-e2e: the container {} was healthy {} ms after it started",
            container.id(),
            container.ready_after.as_millis()
        )
        .ok();
    }
    if existing_pool {
        writeln!(
            console,
            "cognito-e2e: existing-pool mode: only @user-flow scenarios run; no pool is created or deleted"
        )
        .ok();
    }
    if !can_receive {
        writeln!(
            console,
            "cognito-e2e: @mail scenarios are left out: the mailbox ({}) cannot receive mail, and no code is faked",
            target.mailbox().describe()
        )
        .ok();
    }
    if count.left_out_for_triggers > 0 {
        writeln!(
            console,
            "cognito-e2e: {} @{} scenario(s) are left out: the Lambda trigger functions they \
             need run only inside the embedded emulator (see docs/triggers.md)",
            count.left_out_for_triggers,
            crate::triggers::TAG
        )
        .ok();
    }
    world::set_target(target)?;

    let color = if options.color {
        writer::Coloring::Auto
    } else {
        writer::Coloring::Never
    };
    let step_matches = StepMatchCounter::default();
    let writer = writer::Basic::raw(console, color, writer::Verbosity::Default)
        .summarized()
        .tee::<CognitoWorld, _>(writer::JUnit::for_tee(junit, 0))
        .tee::<CognitoWorld, _>(writer::Json::for_tee(json))
        .tee::<CognitoWorld, _>(
            step_matches
                .clone()
                .discard_stats_writes()
                .discard_arbitrary_writes(),
        )
        .normalized();

    let deliberate = selection.clone();
    let skipped = Arc::new(AtomicUsize::new(0));
    let skipped_in_filter = skipped.clone();
    let skipped_triggers = Arc::new(AtomicUsize::new(0));
    let skipped_triggers_in_filter = skipped_triggers.clone();
    let finished = CognitoWorld::cucumber()
        .max_concurrent_scenarios(options.concurrency.max(1))
        .retries(options.retries)
        .after(|feature, _, scenario, _, world| {
            // What the scenario saw goes to the HTML report, filed under its line.
            let place = feature.path.clone().map(|p| (p, scenario.position.line));
            Box::pin(async move {
                if let Some(world) = world {
                    if let Some((path, line)) = place {
                        let mut seen = std::mem::take(&mut world.evidence);
                        seen.responses = world.take_responses();
                        crate::evidence::file(&path, line, seen);
                    }
                    world.clean_up().await;
                }
            })
        })
        .with_writer(writer)
        // An undefined step is reported as skipped; it fails the run unless its scenario
        // is one the run leaves out on purpose.
        .fail_on_skipped_with(move |feature, rule, scenario| {
            !deliberate.decide(feature, rule, scenario).left_out()
        })
        // Our own options are parsed by our CLI; cucumber must not read the arguments.
        .with_default_cli()
        .filter_run(
            options.features,
            move |feature, rule, scenario| match selection.decide(feature, rule, scenario) {
                Decision::Run => true,
                Decision::LeftOutForMail => {
                    skipped_in_filter.fetch_add(1, Ordering::Relaxed);
                    false
                }
                Decision::LeftOutForTriggers => {
                    skipped_triggers_in_filter.fetch_add(1, Ordering::Relaxed);
                    false
                }
                Decision::NotSelected => false,
            },
        )
        .await;

    if let Some(html) = &options.html {
        let json = json_kept.take();
        write_file(&options.json, &json)?;
        let page = crate::html_report::render(&json, &title).map_err(|e| Error::Report {
            path: html.clone(),
            source: io::Error::new(io::ErrorKind::InvalidData, e),
        })?;
        write_file(&Some(html.clone()), page.as_bytes())?;
    }

    // Every World is gone by now, so this is the last reference: shut the target down
    // (the container is removed) before reporting.
    if let Some(target) = world::take_target() {
        match Arc::try_unwrap(target) {
            Ok(target) => target.shut_down().await,
            Err(still_shared) => drop(still_shared),
        }
    }

    Ok(RunSummary {
        passed_steps: finished.passed_steps(),
        failed_steps: finished.failed_steps(),
        undefined_steps: step_matches.undefined.load(Ordering::Relaxed),
        ambiguous_steps: step_matches.ambiguous.load(Ordering::Relaxed),
        skipped_steps: finished.skipped_steps(),
        retried_steps: finished.retried_steps(),
        parsing_errors: finished.parsing_errors(),
        hook_errors: finished.hook_errors(),
        skipped_for_mail: skipped.load(Ordering::Relaxed),
        skipped_for_triggers: skipped_triggers.load(Ordering::Relaxed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A world of its own, so that its steps can overlap without touching the real ones.
    #[derive(Debug, Default, cucumber::World)]
    struct Overlapping;

    #[cucumber::given("a step two definitions match")]
    fn first_definition(_: &mut Overlapping) {}

    #[cucumber::given(regex = "^a step two definitions? match(es)?$")]
    fn second_definition(_: &mut Overlapping) {}

    #[tokio::test]
    async fn ambiguous_and_undefined_steps_fail_and_are_counted() {
        let counter = StepMatchCounter::default();
        let writer = writer::Basic::raw(
            io::sink(),
            writer::Coloring::Never,
            writer::Verbosity::Default,
        )
        .summarized()
        .tee::<Overlapping, _>(
            counter
                .clone()
                .discard_stats_writes()
                .discard_arbitrary_writes(),
        )
        .normalized();
        let fixture =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ambiguous.feature");
        let finished = Overlapping::cucumber()
            .with_writer(writer)
            .fail_on_skipped()
            .with_default_cli()
            .run(fixture)
            .await;
        assert_eq!(counter.ambiguous.load(Ordering::Relaxed), 1);
        assert_eq!(counter.undefined.load(Ordering::Relaxed), 1);
        assert_eq!(finished.failed_steps(), 2);
        assert_eq!(finished.skipped_steps(), 0);
    }

    #[test]
    fn shards_split_the_suite_between_them() {
        let everything = Selection {
            tags: None,
            existing_pool: false,
            can_receive: true,
            has_triggers: true,
            shard: None,
        };
        let all = count_scenarios(&default_features(), &everything).runs;
        let shares: Vec<usize> = (1..=3)
            .map(|index| {
                let share = Selection {
                    shard: Some(Shard { index, total: 3 }),
                    ..everything.clone()
                };
                count_scenarios(&default_features(), &share).runs
            })
            .collect();
        assert_eq!(shares.iter().sum::<usize>(), all, "{shares:?}");
        assert!(shares.iter().all(|&n| n > 0), "{shares:?}");
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, total: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn scenarios_are_counted_as_cucumber_runs_them() {
        let everything = Selection {
            tags: None,
            existing_pool: false,
            can_receive: true,
            has_triggers: true,
            shard: None,
        };
        // Each row of the outline's examples is a scenario of its own.
        assert_eq!(
            count_scenarios(&default_features(), &everything),
            ScenarioCount {
                runs: 41,
                left_out_for_mail: 0,
                left_out_for_triggers: 0,
            }
        );
        let without_mailbox = Selection {
            can_receive: false,
            ..everything.clone()
        };
        assert_eq!(
            count_scenarios(&default_features(), &without_mailbox),
            ScenarioCount {
                runs: 29,
                left_out_for_mail: 12,
                left_out_for_triggers: 0,
            }
        );
        // Off the embedded target, the trigger scenarios are left out; one of them needs
        // mail too, and is counted once, for the triggers.
        let elsewhere_without_mailbox = Selection {
            has_triggers: false,
            ..without_mailbox
        };
        assert_eq!(
            count_scenarios(&default_features(), &elsewhere_without_mailbox),
            ScenarioCount {
                runs: 28,
                left_out_for_mail: 11,
                left_out_for_triggers: 2,
            }
        );
        let existing_pool = Selection {
            existing_pool: true,
            ..everything
        };
        let one_file = default_features().join("user_flow.feature");
        assert_eq!(count_scenarios(&one_file, &existing_pool).runs, 2);
        assert_eq!(count_scenarios(&default_features(), &existing_pool).runs, 2);
    }

    #[test]
    fn only_selected_mail_scenarios_are_left_out_for_mail() {
        let feature = |text: &str| {
            cucumber::gherkin::Feature::parse(text, cucumber::gherkin::GherkinEnv::default())
                .expect("a feature")
        };
        let parsed = feature(
            "@user-flow\nFeature: f\n  @mail\n  Scenario: needs mail\n    Given x\n  Scenario: no mail\n    Given x\n",
        );
        let (mail, plain) = (&parsed.scenarios[0], &parsed.scenarios[1]);
        let without_mailbox = Selection {
            tags: None,
            existing_pool: false,
            can_receive: false,
            has_triggers: true,
            shard: None,
        };
        assert_eq!(
            without_mailbox.decide(&parsed, None, mail),
            Decision::LeftOutForMail
        );
        assert_eq!(without_mailbox.decide(&parsed, None, plain), Decision::Run);
        let not_tagged = Selection {
            tags: Some("@tutorial".parse().expect("a tag expression")),
            ..without_mailbox.clone()
        };
        assert_eq!(
            not_tagged.decide(&parsed, None, mail),
            Decision::NotSelected
        );
        let with_mailbox = Selection {
            can_receive: true,
            ..without_mailbox
        };
        assert_eq!(with_mailbox.decide(&parsed, None, mail), Decision::Run);
    }

    #[test]
    fn trigger_scenarios_are_left_out_where_the_functions_do_not_exist() {
        let parsed = cucumber::gherkin::Feature::parse(
            "@embedded-triggers\nFeature: f\n  @mail\n  Scenario: s\n    Given x\n",
            cucumber::gherkin::GherkinEnv::default(),
        )
        .expect("a feature");
        let scenario = &parsed.scenarios[0];
        let embedded = Selection {
            tags: None,
            existing_pool: false,
            can_receive: true,
            has_triggers: true,
            shard: None,
        };
        assert_eq!(embedded.decide(&parsed, None, scenario), Decision::Run);
        let elsewhere = Selection {
            has_triggers: false,
            ..embedded
        };
        let decision = elsewhere.decide(&parsed, None, scenario);
        assert_eq!(decision, Decision::LeftOutForTriggers);
        assert!(decision.left_out());
    }
}
