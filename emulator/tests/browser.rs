//! The managed login page in a real browser: headless Chromium, driven through
//! chromedriver (WebDriver), opens an app's authorize URL, meets the login page, types a
//! wrong password and then the right one, and lands on the app's callback server, whose
//! code the app exchanges (through the `oauth2` crate) for tokens.
//!
//! Screenshots of the page, before and after the wrong password, are written under
//! `target/reports/`. Where no chromedriver is installed the test says "skipped" and
//! passes, unless `COGNITO_E2E_REQUIRE_BROWSER=1` (CI sets it) makes that a failure.

use crate::common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{ExplicitAuthFlowsType, OAuthFlowType};
use common::{confirmed_user, start, PW};
use fantoccini::{ClientBuilder, Locator};
use oauth2::basic::BasicClient;
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, CsrfToken, PkceCodeChallenge, RedirectUrl,
    Scope, TokenResponse, TokenUrl,
};
use tokio::sync::mpsc;

/// chromedriver and Chromium, where Debian's packages put them (or `CHROMEDRIVER` and
/// `CHROMIUM`).
fn browser_binaries() -> Option<(PathBuf, PathBuf)> {
    let pick = |var: &str, default: &str| {
        let path = std::env::var_os(var)
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(default));
        path.exists().then_some(path)
    };
    Some((
        pick("CHROMEDRIVER", "/usr/bin/chromedriver")?,
        pick("CHROMIUM", "/usr/bin/chromium")?,
    ))
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The app's callback: answers a small page and hands the query string to the test.
async fn callback_server() -> (SocketAddr, mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().route(
        "/callback",
        axum::routing::get(move |uri: axum::http::Uri| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(uri.query().unwrap_or_default().to_owned());
                axum::response::Html("<h1>Signed in</h1>")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (addr, rx)
}

fn reports_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("reports");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn a_user_signs_in_on_the_login_page_in_headless_chromium() {
    let Some((chromedriver, chromium)) = browser_binaries() else {
        assert!(
            std::env::var("COGNITO_E2E_REQUIRE_BROWSER").as_deref() != Ok("1"),
            "COGNITO_E2E_REQUIRE_BROWSER=1 but chromedriver or chromium is not installed"
        );
        eprintln!("skipped: no chromedriver and chromium (Debian: apt-get install chromium chromium-driver)");
        return;
    };
    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let webdriver = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let (emulator, cognito) = start().await;
    let (callback_addr, mut callbacks) = callback_server().await;
    let callback = format!("http://localhost:{}/callback", callback_addr.port());
    let pool = cognito
        .create_user_pool()
        .pool_name("browser")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    cognito
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain("browser-test")
        .send()
        .await
        .unwrap();
    let client_id = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(&callback)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    confirmed_user(&cognito, &pool, "alice", Some("alice@example.com")).await;

    let base = format!("{}/_aws/cognito-idp", emulator.endpoint());
    let app = BasicClient::new(ClientId::new(client_id.clone()))
        .set_auth_uri(AuthUrl::new(format!("{base}/oauth2/authorize")).unwrap())
        .set_token_uri(TokenUrl::new(format!("{base}/oauth2/token")).unwrap())
        .set_redirect_uri(RedirectUrl::new(callback.clone()).unwrap())
        .set_auth_type(AuthType::RequestBody);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, state) = app
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .set_pkce_challenge(challenge)
        .url();

    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=800,700"],
        }),
    );
    // A loaded machine may start Chromium slowly: a few tries before giving up.
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    let mut session = builder.connect(&webdriver).await;
    for _ in 0..3 {
        if session.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        session = builder.connect(&webdriver).await;
    }
    let browser = session.expect("a WebDriver session with headless Chromium");

    let result = async {
        browser.goto(authorize_url.as_str()).await?;
        let title = browser.title().await?;
        if title != "Sign in" {
            return Err(format!("the login page's title is {title:?}").into());
        }
        let reports = reports_dir();
        std::fs::write(reports.join("login-page.png"), browser.screenshot().await?).unwrap();

        browser
            .find(Locator::Css("#username"))
            .await?
            .send_keys("alice")
            .await?;
        browser
            .find(Locator::Css("#password"))
            .await?
            .send_keys("not-her-password")
            .await?;
        browser
            .find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        // The click starts a navigation: wait for the page that answers it.
        let alert = browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("[role=alert]"))
            .await?
            .text()
            .await?;
        if alert != "Incorrect username or password." {
            return Err(format!("after a wrong password the page says {alert:?}").into());
        }
        std::fs::write(
            reports.join("login-page-wrong-password.png"),
            browser.screenshot().await?,
        )
        .unwrap();

        browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css("#username"))
            .await?
            .send_keys("alice")
            .await?;
        browser
            .find(Locator::Css("#password"))
            .await?
            .send_keys(PW)
            .await?;
        browser
            .find(Locator::Css("button[type=submit]"))
            .await?
            .click()
            .await?;
        // The click starts a navigation; wait until it has reached the app.
        let mut landed = browser.current_url().await?;
        for _ in 0..100 {
            if landed.as_str().starts_with(&callback) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            landed = browser.current_url().await?;
        }
        if !landed.as_str().starts_with(&callback) {
            return Err(format!("the browser ended at {landed}, not the callback").into());
        }
        Ok::<_, Box<dyn std::error::Error>>(())
    }
    .await;
    let _ = browser.close().await;
    if let Err(e) = result {
        panic!("the browser did not walk through the login page: {e}");
    }

    let query = tokio::time::timeout(Duration::from_secs(5), callbacks.recv())
        .await
        .expect("the callback was called")
        .unwrap();
    let params: std::collections::HashMap<String, String> =
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(params["state"], *state.secret());
    let tokens = app
        .exchange_code(AuthorizationCode::new(params["code"].clone()))
        .set_pkce_verifier(verifier)
        .request_async(&common::oauth_http)
        .await
        .expect("the code is exchanged for tokens");
    let claims = common::claims(tokens.access_token().secret());
    assert_eq!(claims["username"], "alice");
    assert_eq!(claims["client_id"], client_id.as_str());
    assert!(tokens.refresh_token().is_some());
}
