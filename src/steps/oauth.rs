//! The pool's OAuth 2.0 endpoints, used as apps use them: a service obtains its own
//! token with the client-credentials grant, and a web app sends its user to the login
//! page and exchanges the code it gets back (authorization code with PKCE). Tokens are
//! checked against the pool's keys like any other.

use aws_sdk_cognitoidentityprovider::types::{OAuthFlowType, ResourceServerScopeType};
use cucumber::{given, then, when};
use oauth2::basic::{BasicErrorResponse, BasicTokenType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardTokenResponse, TokenResponse, TokenUrl,
};

use super::expect_eq;
use super::params::{Names, PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::oauth;
use crate::secrets::Secret;
use crate::tokens::{verify, Expected, TokenUse};
use crate::world::{ClientRef, CognitoWorld, Tokens};

/// The token response's OpenID Connect member, beside OAuth's.
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
struct IdToken {
    id_token: Option<String>,
}
impl oauth2::ExtraTokenFields for IdToken {}

type Response = StandardTokenResponse<IdToken, BasicTokenType>;

/// The `oauth2` crate's client, reading `id_token` too, with its token endpoint set.
type AppClient<HasAuthUrl> = oauth2::Client<
    BasicErrorResponse,
    Response,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// The base URL of the pool's OAuth endpoints.
fn base(world: &CognitoWorld) -> Result<String> {
    let domain = world
        .oauth
        .domain
        .as_deref()
        .ok_or(Error::Missing("a pool domain"))?;
    Ok(oauth::base_url(&world.target, domain))
}

fn app_client(world: &CognitoWorld, client: &ClientRef) -> Result<AppClient<EndpointNotSet>> {
    let token_url = TokenUrl::new(format!("{}/oauth2/token", base(world)?))
        .map_err(|e| Error::unexpected("a token endpoint URL", e))?;
    let mut app = oauth2::Client::new(ClientId::new(client.id.clone())).set_token_uri(token_url);
    if let Some(secret) = &client.secret {
        app = app.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    } else {
        app = app.set_auth_type(AuthType::RequestBody);
    }
    Ok(app)
}

/// What the token endpoint refused with: RFC 6749's `error`, or how the request failed.
fn refusal<RE: std::error::Error>(e: RequestTokenError<RE, BasicErrorResponse>) -> String {
    match e {
        RequestTokenError::ServerResponse(r) => r.error().to_string(),
        other => format!("a failed request ({other})"),
    }
}

#[given("the pool has a domain")]
async fn pool_domain(world: &mut CognitoWorld) -> Result<()> {
    let pool = world.pool()?.id.clone();
    // Prefixes are unique per region on AWS; the scenario id keeps concurrent runs apart.
    let domain = format!("e2e-{}", world.scenario_id.to_lowercase());
    world
        .cognito()
        .create_user_pool_domain()
        .user_pool_id(&pool)
        .domain(&domain)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("CreateUserPoolDomain", &e).into_error())?;
    world.created.domains.push((pool, domain.clone()));
    world.oauth.domain = Some(domain);
    Ok(())
}

#[given(expr = "the pool has the resource server {string} with the scopes {names}")]
async fn resource_server(
    world: &mut CognitoWorld,
    identifier: String,
    scopes: Names,
) -> Result<()> {
    let mut request = world
        .cognito()
        .create_resource_server()
        .user_pool_id(&world.pool()?.id)
        .identifier(&identifier)
        .name(&identifier);
    for scope in &scopes.0 {
        let scope = ResourceServerScopeType::builder()
            .scope_name(scope)
            .scope_description(scope)
            .build()
            .map_err(|e| Error::unexpected("a resource server scope", e))?;
        request = request.scopes(scope);
    }
    request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("CreateResourceServer", &e).into_error())?;
    Ok(())
}

/// Creates app client `name` for OAuth (`AllowedOAuthFlowsUserPoolClient`), with what
/// `configure` adds to the request; the client as the scenario keeps it.
async fn oauth_client(
    world: &CognitoWorld,
    name: &str,
    configure: impl FnOnce(CreateClient) -> CreateClient,
) -> Result<ClientRef> {
    let request = world
        .cognito()
        .create_user_pool_client()
        .user_pool_id(&world.pool()?.id)
        .client_name(name)
        .allowed_o_auth_flows_user_pool_client(true);
    let out = configure(request)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("CreateUserPoolClient", &e).into_error())?;
    let c = out
        .user_pool_client()
        .ok_or(Error::Missing("the created client"))?;
    Ok(ClientRef {
        id: c.client_id().unwrap_or_default().to_owned(),
        name: name.to_owned(),
        secret: c.client_secret().map(Secret::new),
    })
}

type CreateClient =
    aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder;

#[given(expr = "a service client allowed the scope {string}")]
async fn service_client(world: &mut CognitoWorld, scope: String) -> Result<()> {
    let client = oauth_client(world, "service", |r| {
        r.generate_secret(true)
            .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
            .allowed_o_auth_scopes(scope)
    })
    .await?;
    world.oauth.service = Some(client);
    Ok(())
}

#[when(expr = "the service obtains a token with the client-credentials grant for scope {string}")]
#[when(expr = "the service asks for a token with the client-credentials grant for scope {string}")]
async fn client_credentials(world: &mut CognitoWorld, scope: String) -> Result<()> {
    let client = world
        .oauth
        .service
        .clone()
        .ok_or(Error::Missing("a service client"))?;
    let app = app_client(world, &client)?;
    let http = world.target.http().clone();
    let answer = app
        .exchange_client_credentials()
        .add_scope(Scope::new(scope))
        .request_async(&|req| oauth::send(&http, req))
        .await;
    match answer {
        Ok(token) => {
            world.oauth.service_token = Some(Secret::new(token.access_token().secret()));
            world.oauth.refusal = None;
        }
        Err(e) => {
            world.oauth.service_token = None;
            world.oauth.refusal = Some(refusal(e));
        }
    }
    Ok(())
}

/// The service's access token, verified against the pool's keys; its claims (recorded
/// for the report).
async fn service_claims(
    world: &mut CognitoWorld,
) -> Result<serde_json::Map<String, serde_json::Value>> {
    if let Some(refused) = &world.oauth.refusal {
        return Err(Error::unexpected(
            "an access token",
            format!("the refusal {refused}"),
        ));
    }
    let token = world
        .oauth
        .service_token
        .clone()
        .ok_or(Error::Missing("the service's access token"))?;
    let client = world
        .oauth
        .service
        .clone()
        .ok_or(Error::Missing("a service client"))?;
    let pool = world.pool()?;
    let jwks = world.target.jwks(&pool.id).await?;
    let issuer = world.target.issuer(&pool.id);
    let claims = verify(
        token.expose(),
        &jwks,
        &Expected {
            issuer: &issuer,
            client_id: &client.id,
            token_use: TokenUse::Access,
        },
    )?;
    world
        .evidence
        .token("the service's access token", token.expose(), &claims);
    Ok(claims)
}

#[then(expr = "the service's access token is signed by the pool and grants the scope {string}")]
async fn service_token_grants(world: &mut CognitoWorld, scope: String) -> Result<()> {
    let claims = service_claims(world).await?;
    expect_eq(
        "the scope",
        scope.as_str(),
        claims["scope"].as_str().unwrap_or_default(),
    )
}

#[then("its subject is the service's client id")]
async fn service_subject(world: &mut CognitoWorld) -> Result<()> {
    let claims = service_claims(world).await?;
    let id = &world
        .oauth
        .service
        .as_ref()
        .ok_or(Error::Missing("a service client"))?
        .id;
    expect_eq(
        "sub",
        id.as_str(),
        claims["sub"].as_str().unwrap_or_default(),
    )
}

#[then(expr = "the token endpoint refuses with {word}")]
async fn token_refused(world: &mut CognitoWorld, error: String) -> Result<()> {
    let got = world
        .oauth
        .refusal
        .clone()
        .unwrap_or_else(|| "a token".into());
    expect_eq("the token endpoint's error", error.as_str(), got.as_str())
}

#[given(expr = "a web app client with the callback {string}")]
async fn web_client(world: &mut CognitoWorld, callback: String) -> Result<()> {
    let client = oauth_client(world, "web", |r| {
        r.allowed_o_auth_flows(OAuthFlowType::Code)
            .allowed_o_auth_scopes("openid")
            .allowed_o_auth_scopes("email")
            .callback_urls(&callback)
            .supported_identity_providers("COGNITO")
    })
    .await?;
    world.oauth.web = Some(client);
    world.oauth.callback = Some(callback);
    Ok(())
}

/// The web app's client, with its authorization endpoint and callback.
fn web_app(world: &CognitoWorld) -> Result<AppClient<EndpointSet>> {
    let client = world
        .oauth
        .web
        .as_ref()
        .ok_or(Error::Missing("a web app client"))?;
    let callback = world
        .oauth
        .callback
        .clone()
        .ok_or(Error::Missing("a callback"))?;
    let auth_url = AuthUrl::new(format!("{}/oauth2/authorize", base(world)?))
        .map_err(|e| Error::unexpected("an authorization URL", e))?;
    let redirect =
        RedirectUrl::new(callback).map_err(|e| Error::unexpected("a callback URL", e))?;
    Ok(app_client(world, client)?
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect))
}

async fn on_login_page(world: &mut CognitoWorld, name: &str, password: String) -> Result<()> {
    let app = web_app(world)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = app
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let username = world.person(name).email.clone();
    let callback = world.oauth.callback.clone().unwrap_or_default();
    world.oauth.verifier = Some(Secret::new(verifier.secret()));
    world.oauth.state = Some(state.secret().clone());
    world.oauth.person = Some(name.to_owned());
    match oauth::sign_in_on_page(url.as_str(), &callback, &username, &password).await {
        Ok(returned) => {
            world.oauth.returned_to = Some(Secret::new(returned));
            world.oauth.page_said = None;
        }
        Err(e) => {
            world.oauth.returned_to = None;
            world.oauth.page_said = Some(e.to_string());
        }
    }
    Ok(())
}

#[when(expr = "{person} signs in on the login page")]
async fn signs_in_on_page(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let password = world.person(&name).password.expose().to_owned();
    on_login_page(world, &name, password).await
}

#[when(expr = "{person} signs in on the login page with a wrong password")]
async fn wrong_password_on_page(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    on_login_page(world, &name, "Not-her-password-1".into()).await
}

#[then(expr = "the login page says {string}")]
async fn page_says(world: &mut CognitoWorld, message: String) -> Result<()> {
    match &world.oauth.page_said {
        Some(said) if said.contains(&message) => Ok(()),
        Some(said) => Err(Error::unexpected(message, said)),
        None => Err(Error::unexpected(
            message,
            "a sign-in that went back to the app",
        )),
    }
}

#[then(expr = "the app receives {pronoun} tokens")]
async fn app_receives_tokens(world: &mut CognitoWorld, _pronoun: Pronoun) -> Result<()> {
    let returned = match (&world.oauth.returned_to, &world.oauth.page_said) {
        (Some(r), _) => r.expose().to_owned(),
        (None, Some(said)) => return Err(Error::unexpected("a redirect to the app", said)),
        (None, None) => return Err(Error::Missing("a sign-in on the login page")),
    };
    let query: std::collections::HashMap<String, String> = reqwest::Url::parse(&returned)
        .map_err(|e| Error::unexpected("a callback URL", e))?
        .query_pairs()
        .into_owned()
        .collect();
    expect_eq(
        "the state sent back",
        world.oauth.state.as_deref().unwrap_or_default(),
        query.get("state").map(String::as_str).unwrap_or_default(),
    )?;
    let code = query
        .get("code")
        .ok_or_else(|| Error::unexpected("a code in the callback", "none"))?;
    let verifier = world
        .oauth
        .verifier
        .take()
        .ok_or(Error::Missing("a PKCE verifier"))?;
    let app = web_app(world)?;
    let http = world.target.http().clone();
    let tokens = app
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.expose().to_owned()))
        .request_async(&|req| oauth::send(&http, req))
        .await
        .map_err(|e| Error::unexpected("tokens for the code", refusal(e)))?;
    let person = world.oauth.person.clone().unwrap_or_default();
    let client_id = world
        .oauth
        .web
        .as_ref()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let id = tokens
        .extra_fields()
        .id_token
        .clone()
        .ok_or_else(|| Error::unexpected("an id token (the openid scope)", "none"))?;
    world.auth.tokens = Some(Tokens {
        person,
        client_id: client_id.clone(),
        id: Secret::new(id),
        access: Secret::new(tokens.access_token().secret()),
        refresh: tokens.refresh_token().map(|r| Secret::new(r.secret())),
        expires_in: tokens.expires_in().map_or(0, |d| d.as_secs() as i32),
        token_type: Some("Bearer".into()),
    });
    world.answer.error = None;
    // Both tokens verify against the pool's keys, for the web app's client.
    let (_, access) = super::tokens::verified(world).await?;
    expect_eq(
        "the access token's scope",
        "openid email",
        access["scope"].as_str().unwrap_or_default(),
    )
}
