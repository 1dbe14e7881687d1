//! Running the features: one target for the whole run, scenarios concurrently, live
//! progress on the console, JUnit XML and Cucumber JSON reports, cleanup after every
//! scenario whatever its result.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use cucumber::writer::{self, Stats as _};
use cucumber::{World as _, WriterExt as _};

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
    /// How many scenarios run at once.
    pub concurrency: usize,
    /// Where the live progress goes.
    pub console: Box<dyn Write>,
    /// Whether the console gets colours.
    pub color: bool,
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
            concurrency: 8,
            console: Box::new(io::stdout()),
            color: true,
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
    /// Steps skipped.
    pub skipped_steps: usize,
    /// Feature files that did not parse.
    pub parsing_errors: usize,
    /// Hooks that failed.
    pub hook_errors: usize,
    /// Scenarios left out because they need mail and the mailbox cannot receive.
    pub skipped_for_mail: usize,
}

impl RunSummary {
    /// Whether the run failed.
    pub fn failed(&self) -> bool {
        self.failed_steps > 0 || self.parsing_errors > 0 || self.hook_errors > 0
    }
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

/// Runs the features; the result says how it went (a failed scenario is not an `Err`).
pub async fn run(options: RunOptions) -> Result<RunSummary> {
    let tags: Option<TagOperation> = match &options.tags {
        None => None,
        Some(expr) => Some(expr.parse().map_err(|e| Error::Target {
            target: "run",
            reason: format!("bad tag expression {expr:?}: {e}"),
        })?),
    };
    // Report files first: failing here must not leave a started target (a container)
    // behind.
    let junit = create(&options.junit)?;
    let json = create(&options.json)?;
    let mut console = options.console;
    let target = Arc::new(Target::start(options.settings).await?);
    writeln!(console, "cognito-e2e: {target:?}").ok();
    #[cfg(feature = "container")]
    if let Some(container) = target.container() {
        writeln!(
            console,
            "cognito-e2e: {container:?} healthy {} ms after start",
            container.ready_after.as_millis()
        )
        .ok();
    }
    let can_receive = target.mailbox().can_receive();
    // On a pool that already exists only the user flow runs: the other features create
    // pools of their own.
    let existing_pool = target.existing_pool().is_some();
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
    world::set_target(target)?;

    let color = if options.color {
        writer::Coloring::Auto
    } else {
        writer::Coloring::Never
    };
    let writer = writer::Basic::raw(console, color, writer::Verbosity::Default)
        .summarized()
        .tee::<CognitoWorld, _>(writer::JUnit::for_tee(junit, 0))
        .tee::<CognitoWorld, _>(writer::Json::for_tee(json))
        .normalized();

    let skipped = Arc::new(AtomicUsize::new(0));
    let skipped_in_filter = skipped.clone();
    let finished = CognitoWorld::cucumber()
        .max_concurrent_scenarios(options.concurrency.max(1))
        .after(|_, _, _, _, world| {
            Box::pin(async move {
                if let Some(world) = world {
                    world.clean_up().await;
                }
            })
        })
        .with_writer(writer)
        // Our own options are parsed by our CLI; cucumber must not read the arguments.
        .with_default_cli()
        .filter_run(options.features, move |feature, rule, scenario| {
            let all_tags = feature
                .tags
                .iter()
                .chain(rule.iter().flat_map(|r| &r.tags))
                .chain(&scenario.tags);
            if existing_pool && !all_tags.clone().any(|t| t == "user-flow") {
                return false;
            }
            if !can_receive && all_tags.clone().any(|t| t == "mail") {
                skipped_in_filter.fetch_add(1, Ordering::Relaxed);
                return false;
            }
            tags.as_ref().is_none_or(|t| t.eval(all_tags))
        })
        .await;

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
        skipped_steps: finished.skipped_steps(),
        parsing_errors: finished.parsing_errors(),
        hook_errors: finished.hook_errors(),
        skipped_for_mail: skipped.load(Ordering::Relaxed),
    })
}
