//! `--html`: the report a reviewer reads. A run with one passing and one failing
//! scenario writes a page whose totals say so and whose failed scenario is open with its
//! message; headless Chromium (Debian's `chromium` and `chromium-driver`) renders it and
//! a screenshot is kept under `target/reports/`. Without chromedriver the browser part
//! says "skipped" and passes, unless `COGNITO_E2E_REQUIRE_BROWSER=1` (CI sets it).

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use cognito_e2e::{run, secrets, RunOptions, Settings};
use fantoccini::{ClientBuilder, Locator};

fn reports() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/reports");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn the_html_report_shows_the_failed_scenario_open_with_its_message() {
    let _turn = common::one_run_at_a_time().await;
    let html = reports().join("report-fixture.html");
    let mut options = RunOptions::new(Settings::default());
    options.features = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/report.feature");
    options.console = Box::new(common::Captured::default());
    options.color = false;
    options.html = Some(html.clone());
    let summary = run(options).await.expect("the run starts");
    assert!(
        summary.failed(),
        "the fixture has a failing scenario: {summary:?}"
    );

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("<title>cognito-e2e: failed</title>"),
        "{page}"
    );
    assert!(
        page.contains("<strong>2</strong> passed, <strong>1</strong> failed"),
        "{page}"
    );
    // What the scenarios saw: the refusal, and the tokens with their verdict.
    assert!(page.contains("<h3>AWS errors</h3>"), "{page}");
    assert!(
        page.contains("<b>NotAuthorizedException</b> Incorrect username or password."),
        "{page}"
    );
    assert!(
        page.contains(
            "<h3>id token <span class=\"verified\">✔ verified against the pool's JWKS</span></h3>"
        ),
        "{page}"
    );
    assert!(
        page.contains("&quot;token_use&quot;: &quot;access&quot;"),
        "{page}"
    );
    assert!(page.contains("<details class=\"failed\" open>"), "{page}");
    assert!(
        page.contains("NotAuthorizedException"),
        "the failing step's message: {page}"
    );
    let handled = secrets::all();
    assert!(!handled.is_empty());
    assert!(
        !handled
            .iter()
            .any(|s| common::contains_secret(&common::without_timings(&page), s)),
        "a secret reached the HTML report"
    );

    let (Some(driver), Some(chromium)) = (
        Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.exists()),
        Some(PathBuf::from("/usr/bin/chromium")).filter(|p| p.exists()),
    ) else {
        assert!(
            std::env::var("COGNITO_E2E_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "COGNITO_E2E_REQUIRE_BROWSER=1 but chromedriver or chromium is not installed"
        );
        eprintln!("browser check skipped: no chromedriver and chromium");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut driver = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,700"],
        }),
    );
    // A loaded machine may start Chromium slowly: a few tries before giving up.
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    let mut session = builder.connect(&format!("http://127.0.0.1:{port}")).await;
    for _ in 0..3 {
        if session.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        session = builder.connect(&format!("http://127.0.0.1:{port}")).await;
    }
    let browser = session.expect("a WebDriver session with headless Chromium");
    let checked = async {
        browser.goto(&format!("file://{}", html.display())).await?;
        let heading = browser
            .find(Locator::Css("header h1"))
            .await?
            .text()
            .await?;
        if heading != "cognito-e2e: failed" {
            return Err(format!("the heading says {heading:?}").into());
        }
        // The failed scenario is open: its message is shown without a click.
        let message = browser
            .find(Locator::Css("details.failed[open] pre"))
            .await?
            .text()
            .await?;
        if !message.contains("NotAuthorizedException") {
            return Err(format!("the open scenario shows {message:?}").into());
        }
        std::fs::write(
            reports().join("html-report.png"),
            browser.screenshot().await?,
        )
        .unwrap();
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = browser.close().await;
    let _ = driver.kill();
    let _ = driver.wait();
    if let Err(e) = checked {
        panic!("the report did not render in Chromium as expected: {e}");
    }
}
