//! The OAuth control plane through the AWS SDK for Rust: a pool's domain (prefix or
//! custom), its resource servers and identity providers, and the checks AWS makes on an
//! app client's OAuth settings against them, with AWS's error codes and messages.

use crate::common;

use aws_sdk_cognitoidentityprovider::types::{
    CustomDomainConfigType, IdentityProviderTypeType, OAuthFlowType, ResourceServerScopeType,
};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use common::{error, start};

/// A new pool called `name`.
async fn pool(cognito: &Cognito, name: &str) -> String {
    cognito
        .create_user_pool()
        .pool_name(name)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap()
}

fn scope(name: &str) -> ResourceServerScopeType {
    ResourceServerScopeType::builder()
        .scope_name(name)
        .scope_description(format!("{name} access"))
        .build()
        .unwrap()
}

fn certificate(arn: &str) -> CustomDomainConfigType {
    CustomDomainConfigType::builder()
        .certificate_arn(arn)
        .build()
        .unwrap()
}

const CERT: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const CERT2: &str =
    "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000";

/// The (prefix, custom) domains `DescribeUserPool` shows for `pool`.
async fn pool_domains(cognito: &Cognito, pool: &str) -> (Option<String>, Option<String>) {
    let p = cognito
        .describe_user_pool()
        .user_pool_id(pool)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    (p.domain, p.custom_domain)
}

#[tokio::test]
async fn prefix_and_custom_domains_are_created_described_updated_and_deleted() {
    let (_emulator, cognito) = start().await;
    let a = pool(&cognito, "a").await;
    let b = pool(&cognito, "b").await;

    let created = cognito
        .create_user_pool_domain()
        .user_pool_id(&a)
        .domain("myapp-login")
        .send()
        .await
        .unwrap();
    assert_eq!(created.cloud_front_domain, None, "prefix domains name none");
    assert_eq!(created.managed_login_version, Some(1));

    let d = cognito
        .describe_user_pool_domain()
        .domain("myapp-login")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(d.user_pool_id.as_deref(), Some(a.as_str()));
    assert_eq!(d.domain.as_deref(), Some("myapp-login"));
    assert!(d.aws_account_id.is_some());
    assert!(d.s3_bucket.is_some());
    assert!(d.cloud_front_distribution.is_some());
    assert!(d.version.is_some());
    assert_eq!(
        d.status,
        Some(aws_sdk_cognitoidentityprovider::types::DomainStatusType::Active)
    );
    assert_eq!(d.custom_domain_config, None);
    assert_eq!(d.managed_login_version, Some(1));
    assert_eq!(
        pool_domains(&cognito, &a).await,
        (Some("myapp-login".into()), None)
    );

    // One domain per pool; a domain belongs to one pool.
    let e = cognito
        .create_user_pool_domain()
        .user_pool_id(&a)
        .domain("another-one")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            "User pool already has a domain configured.".into()
        )
    );
    let e = cognito
        .create_user_pool_domain()
        .user_pool_id(&b)
        .domain("myapp-login")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            "Domain already associated with another user pool.".into()
        )
    );

    // Prefix syntax and reserved words.
    for bad in ["My_App", "-edge", "has.dot"] {
        let e = cognito
            .create_user_pool_domain()
            .user_pool_id(&b)
            .domain(bad)
            .send()
            .await
            .unwrap_err();
        let (code, message) = error(e);
        assert_eq!(code, "InvalidParameterException", "{bad}");
        assert!(
            message.starts_with("The domain name contains an invalid character."),
            "{bad}: {message}"
        );
    }
    for reserved in ["my-aws-app", "amazonish", "cognito-login"] {
        let e = cognito
            .create_user_pool_domain()
            .user_pool_id(&b)
            .domain(reserved)
            .send()
            .await
            .unwrap_err();
        let (code, message) = error(e);
        assert_eq!(code, "InvalidParameterException", "{reserved}");
        assert!(message.contains("reserved word"), "{message}");
    }

    // A custom domain, with its certificate kept as given.
    let created = cognito
        .create_user_pool_domain()
        .user_pool_id(&b)
        .domain("auth.example.com")
        .custom_domain_config(certificate(CERT))
        .send()
        .await
        .unwrap();
    let cloud_front = created.cloud_front_domain.unwrap();
    let id = cloud_front.strip_suffix(".cloudfront.net").unwrap();
    assert!(id.starts_with('d') && id.len() == 14, "{cloud_front}");
    let d = cognito
        .describe_user_pool_domain()
        .domain("auth.example.com")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(d.user_pool_id.as_deref(), Some(b.as_str()));
    assert_eq!(d.custom_domain_config, Some(certificate(CERT)));
    assert_eq!(
        d.cloud_front_distribution.as_deref(),
        Some(cloud_front.as_str())
    );
    assert_eq!(
        pool_domains(&cognito, &b).await,
        (None, Some("auth.example.com".into()))
    );
    let e = cognito
        .create_user_pool_domain()
        .user_pool_id(&pool(&cognito, "c").await)
        .domain("localhost")
        .custom_domain_config(certificate(CERT))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");

    // Updates: a custom domain's certificate, the managed login version.
    let updated = cognito
        .update_user_pool_domain()
        .user_pool_id(&b)
        .domain("auth.example.com")
        .custom_domain_config(certificate(CERT2))
        .managed_login_version(2)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.cloud_front_domain.as_deref(),
        Some(cloud_front.as_str())
    );
    assert_eq!(updated.managed_login_version, Some(2));
    let d = cognito
        .describe_user_pool_domain()
        .domain("auth.example.com")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(d.custom_domain_config, Some(certificate(CERT2)));
    assert_eq!(d.managed_login_version, Some(2));
    let e = cognito
        .update_user_pool_domain()
        .user_pool_id(&a)
        .domain("myapp-login")
        .custom_domain_config(certificate(CERT))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");
    let e = cognito
        .update_user_pool_domain()
        .user_pool_id(&a)
        .domain("myapp-login")
        .managed_login_version(3)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");
    let e = cognito
        .update_user_pool_domain()
        .user_pool_id(&a)
        .domain("auth.example.com")
        .managed_login_version(2)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            "No such domain or user pool exists.".into()
        )
    );

    // An unknown domain is described as nothing, not refused.
    let d = cognito
        .describe_user_pool_domain()
        .domain("nobody-here")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(d.domain, None);
    assert_eq!(d.user_pool_id, None);

    // Deleting frees the domain; so does deleting the pool.
    let e = cognito
        .delete_user_pool_domain()
        .user_pool_id(&a)
        .domain("auth.example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            "No such domain or user pool exists.".into()
        )
    );
    cognito
        .delete_user_pool_domain()
        .user_pool_id(&a)
        .domain("myapp-login")
        .send()
        .await
        .unwrap();
    let d = cognito
        .describe_user_pool_domain()
        .domain("myapp-login")
        .send()
        .await
        .unwrap()
        .domain_description
        .unwrap();
    assert_eq!(d.domain, None);
    assert_eq!(pool_domains(&cognito, &a).await, (None, None));
    let c = pool(&cognito, "c2").await;
    cognito
        .create_user_pool_domain()
        .user_pool_id(&c)
        .domain("myapp-login")
        .send()
        .await
        .unwrap();
    cognito
        .delete_user_pool()
        .user_pool_id(&c)
        .send()
        .await
        .unwrap();
    cognito
        .create_user_pool_domain()
        .user_pool_id(&a)
        .domain("myapp-login")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn resource_servers_are_created_described_listed_updated_and_deleted() {
    let (_emulator, cognito) = start().await;
    let p = pool(&cognito, "p").await;

    let created = cognito
        .create_resource_server()
        .user_pool_id(&p)
        .identifier("https://api.example.com")
        .name("API")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(created.user_pool_id.as_deref(), Some(p.as_str()));
    assert_eq!(
        created.identifier.as_deref(),
        Some("https://api.example.com")
    );
    assert_eq!(created.name.as_deref(), Some("API"));
    assert_eq!(created.scopes(), [scope("read"), scope("write")]);

    let e = cognito
        .create_resource_server()
        .user_pool_id(&p)
        .identifier("https://api.example.com")
        .name("again")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");
    let e = cognito
        .create_resource_server()
        .user_pool_id(&p)
        .identifier("twice")
        .name("twice")
        .scopes(scope("read"))
        .scopes(scope("read"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");

    cognito
        .create_resource_server()
        .user_pool_id(&p)
        .identifier("orders")
        .name("Orders")
        .send()
        .await
        .unwrap();
    let described = cognito
        .describe_resource_server()
        .user_pool_id(&p)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(described, created);
    let e = cognito
        .describe_resource_server()
        .user_pool_id(&p)
        .identifier("nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");

    // Listed a page at a time.
    let first = cognito
        .list_resource_servers()
        .user_pool_id(&p)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.resource_servers().len(), 1);
    let second = cognito
        .list_resource_servers()
        .user_pool_id(&p)
        .max_results(1)
        .next_token(first.next_token.clone().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(second.resource_servers().len(), 1);
    assert_eq!(second.next_token, None);
    let mut identifiers: Vec<_> = first
        .resource_servers()
        .iter()
        .chain(second.resource_servers())
        .map(|s| s.identifier().unwrap().to_owned())
        .collect();
    identifiers.sort();
    assert_eq!(identifiers, ["https://api.example.com", "orders"]);

    // An update replaces the name and the scopes.
    let updated = cognito
        .update_resource_server()
        .user_pool_id(&p)
        .identifier("https://api.example.com")
        .name("API v2")
        .scopes(scope("admin"))
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("API v2"));
    assert_eq!(updated.scopes(), [scope("admin")]);
    let e = cognito
        .update_resource_server()
        .user_pool_id(&p)
        .identifier("nope")
        .name("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");

    cognito
        .delete_resource_server()
        .user_pool_id(&p)
        .identifier("orders")
        .send()
        .await
        .unwrap();
    let e = cognito
        .delete_resource_server()
        .user_pool_id(&p)
        .identifier("orders")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");
    let e = cognito
        .list_resource_servers()
        .user_pool_id("us-east-1_nothere")
        .max_results(10)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");
}

#[tokio::test]
async fn identity_providers_are_kept_as_configured_and_found_by_identifier() {
    let (_emulator, cognito) = start().await;
    let p = pool(&cognito, "p").await;
    let oidc = || {
        cognito
            .create_identity_provider()
            .user_pool_id(&p)
            .provider_type(IdentityProviderTypeType::Oidc)
            .provider_details("client_id", "corp-client")
            .provider_details("client_secret", "corp-secret")
            .provider_details("authorize_scopes", "openid email")
            .provider_details("oidc_issuer", "https://idp.corp.example.com")
    };

    let created = oidc()
        .provider_name("Corp")
        .attribute_mapping("email", "email")
        .idp_identifiers("corp.example.com")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    assert_eq!(created.user_pool_id.as_deref(), Some(p.as_str()));
    assert_eq!(created.provider_name.as_deref(), Some("Corp"));
    assert_eq!(created.provider_type, Some(IdentityProviderTypeType::Oidc));
    assert_eq!(
        created.provider_details.as_ref().unwrap()["oidc_issuer"],
        "https://idp.corp.example.com"
    );
    assert_eq!(
        created.attribute_mapping.as_ref().unwrap()["email"],
        "email"
    );
    assert_eq!(created.idp_identifiers(), ["corp.example.com"]);
    assert!(created.creation_date.is_some());
    assert_eq!(created.creation_date, created.last_modified_date);

    let e = oidc().provider_name("Corp").send().await.unwrap_err();
    assert_eq!(error(e).0, "DuplicateProviderException");
    let e = cognito
        .create_identity_provider()
        .user_pool_id(&p)
        .provider_name("Other")
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", "x")
        .provider_details("authorize_scopes", "openid")
        .send()
        .await
        .unwrap_err();
    let (code, message) = error(e);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("oidc_issuer"), "{message}");
    let e = cognito
        .create_identity_provider()
        .user_pool_id(&p)
        .provider_name("Saml")
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("IDPSignout", "true")
        .send()
        .await
        .unwrap_err();
    let (code, message) = error(e);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("MetadataURL"), "{message}");
    let e = oidc()
        .provider_name("Again")
        .idp_identifiers("corp.example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "DuplicateProviderException");
    cognito
        .create_identity_provider()
        .user_pool_id(&p)
        .provider_name("Saml")
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("MetadataURL", "https://idp.example.com/metadata.xml")
        .send()
        .await
        .unwrap();

    let described = cognito
        .describe_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    assert_eq!(described, created);
    let e = cognito
        .describe_identity_provider()
        .user_pool_id(&p)
        .provider_name("Nope")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");

    let listed = cognito
        .list_identity_providers()
        .user_pool_id(&p)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = listed
        .providers()
        .iter()
        .map(|d| {
            (
                d.provider_name().unwrap(),
                d.provider_type().unwrap().clone(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("Corp", IdentityProviderTypeType::Oidc),
            ("Saml", IdentityProviderTypeType::Saml)
        ]
    );
    assert!(listed.providers()[0].creation_date.is_some());
    assert!(listed.providers()[0].last_modified_date.is_some());
    let page = cognito
        .list_identity_providers()
        .user_pool_id(&p)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.providers().len(), 1);
    assert!(page.next_token.is_some());

    let found = cognito
        .get_identity_provider_by_identifier()
        .user_pool_id(&p)
        .idp_identifier("corp.example.com")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    assert_eq!(found.provider_name.as_deref(), Some("Corp"));
    let e = cognito
        .get_identity_provider_by_identifier()
        .user_pool_id(&p)
        .idp_identifier("unknown.example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");

    // An update changes what it names and keeps the rest.
    let updated = cognito
        .update_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .idp_identifiers("corp2")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    assert_eq!(updated.idp_identifiers(), ["corp2"]);
    assert_eq!(updated.provider_details, created.provider_details);
    assert_eq!(updated.attribute_mapping, created.attribute_mapping);
    assert!(updated.last_modified_date >= created.last_modified_date);
    let e = cognito
        .get_identity_provider_by_identifier()
        .user_pool_id(&p)
        .idp_identifier("corp.example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");
    let e = cognito
        .update_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .provider_details("client_id", "only-this")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");
    let e = cognito
        .update_identity_provider()
        .user_pool_id(&p)
        .provider_name("Nope")
        .idp_identifiers("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");

    cognito
        .delete_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .send()
        .await
        .unwrap();
    let e = cognito
        .delete_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "ResourceNotFoundException");
}

/// A client-creation request of `pool` that uses OAuth with `flows`, allowed `scopes`.
fn oauth_client(
    cognito: &Cognito,
    pool: &str,
    flows: &[OAuthFlowType],
    scopes: &[&str],
) -> aws_sdk_cognitoidentityprovider::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder
{
    cognito
        .create_user_pool_client()
        .user_pool_id(pool)
        .client_name("web")
        .allowed_o_auth_flows_user_pool_client(true)
        .set_allowed_o_auth_flows(Some(flows.to_vec()))
        .set_allowed_o_auth_scopes(Some(scopes.iter().map(|s| s.to_string()).collect()))
}

#[tokio::test]
async fn app_client_oauth_settings_are_checked_against_the_pool() {
    let (_emulator, cognito) = start().await;
    let p = pool(&cognito, "p").await;
    cognito
        .create_resource_server()
        .user_pool_id(&p)
        .identifier("api")
        .name("API")
        .scopes(scope("read"))
        .send()
        .await
        .unwrap();
    let code = [OAuthFlowType::Code];
    let cc = [OAuthFlowType::ClientCredentials];

    let web = oauth_client(&cognito, &p, &code, &["openid", "email", "api/read"])
        .callback_urls("https://app.example.com/callback")
        .callback_urls("myapp://signed-in")
        .default_redirect_uri("https://app.example.com/callback")
        .logout_urls("http://localhost:3000/signed-out")
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(web.allowed_o_auth_scopes(), ["openid", "email", "api/read"]);
    assert_eq!(web.allowed_o_auth_flows_user_pool_client, Some(true));
    let web_id = web.client_id.clone().unwrap();

    // Scopes and providers must exist in the pool.
    let e = oauth_client(&cognito, &p, &code, &["openid", "api/write"])
        .callback_urls("https://app.example.com/callback")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "ScopeDoesNotExistException".into(),
            "Invalid scope requested: api/write".into()
        )
    );
    let corp = || {
        oauth_client(&cognito, &p, &code, &["openid"])
            .callback_urls("https://app.example.com/callback")
            .supported_identity_providers("COGNITO")
            .supported_identity_providers("Corp")
    };
    let e = corp().send().await.unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            format!("The provider Corp does not exist for User Pool {p}")
        )
    );
    cognito
        .create_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .provider_type(IdentityProviderTypeType::Saml)
        .provider_details("MetadataURL", "https://idp.example.com/metadata.xml")
        .send()
        .await
        .unwrap();
    let corp_client = corp().send().await.unwrap().user_pool_client.unwrap();

    // client_credentials: alone, with a secret, with resource servers' scopes only.
    let e = oauth_client(
        &cognito,
        &p,
        &[OAuthFlowType::ClientCredentials, OAuthFlowType::Code],
        &["api/read"],
    )
    .generate_secret(true)
    .callback_urls("https://app.example.com/callback")
    .send()
    .await
    .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidOAuthFlowException".into(),
            "client_credentials flow can not be selected along with code flow or implicit flow."
                .into()
        )
    );
    let e = oauth_client(&cognito, &p, &cc, &["api/read"])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidOAuthFlowException".into(),
            "client_credentials flow can not be selected if client does not have a client secret."
                .into()
        )
    );
    let e = oauth_client(&cognito, &p, &cc, &["api/read", "openid"])
        .generate_secret(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidOAuthFlowException".into(),
            "openid is not supported with client_credentials flow".into()
        )
    );
    let machine = oauth_client(&cognito, &p, &cc, &["api/read"])
        .generate_secret(true)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert!(machine.client_secret.is_some());

    // OAuth on needs flows, scopes and, for browsers, callback URLs.
    let e = oauth_client(&cognito, &p, &[], &[])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows."
                .into()
        )
    );
    let e = oauth_client(&cognito, &p, &[OAuthFlowType::Implicit], &["openid"])
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidOAuthFlowException".into(),
            "CallbackUrls can not be empty when code flow or implicit flow is selected".into()
        )
    );

    // URLs: absolute, HTTPS but for localhost; the default among the callbacks.
    let e = oauth_client(&cognito, &p, &code, &["openid"])
        .callback_urls("http://app.example.com/callback")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "InvalidParameterException".into(),
            "HTTPS is required over HTTP except for http://localhost".into()
        )
    );
    for bad in [
        "/callback",
        "app.example.com/callback",
        "https://app.example.com/#x",
    ] {
        let e = oauth_client(&cognito, &p, &code, &["openid"])
            .callback_urls(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(error(e).0, "InvalidParameterException", "{bad}");
    }
    let e = oauth_client(&cognito, &p, &code, &["openid"])
        .callback_urls("https://app.example.com/callback")
        .logout_urls("http://example.com/bye")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidParameterException");
    let e = oauth_client(&cognito, &p, &code, &["openid"])
        .callback_urls("https://app.example.com/callback")
        .default_redirect_uri("https://app.example.com/elsewhere")
        .send()
        .await
        .unwrap_err();
    let (code_, message) = error(e);
    assert_eq!(code_, "InvalidParameterException");
    assert!(message.contains("DefaultRedirectURI"), "{message}");

    // Updates are checked the same way, and a refused update changes nothing.
    let e = cognito
        .update_user_pool_client()
        .user_pool_id(&p)
        .client_id(&web_id)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("api/nothing")
        .callback_urls("https://app.example.com/callback")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error(e),
        (
            "ScopeDoesNotExistException".into(),
            "Invalid scope requested: api/nothing".into()
        )
    );
    let e = cognito
        .update_user_pool_client()
        .user_pool_id(&p)
        .client_id(&web_id)
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("api/read")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error(e).0, "InvalidOAuthFlowException");
    let described = cognito
        .describe_user_pool_client()
        .user_pool_id(&p)
        .client_id(&web_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(described, web);

    // Deleting a resource server or a provider leaves the clients that name them.
    cognito
        .delete_resource_server()
        .user_pool_id(&p)
        .identifier("api")
        .send()
        .await
        .unwrap();
    cognito
        .delete_identity_provider()
        .user_pool_id(&p)
        .provider_name("Corp")
        .send()
        .await
        .unwrap();
    let described = cognito
        .describe_user_pool_client()
        .user_pool_id(&p)
        .client_id(&web_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        described.allowed_o_auth_scopes(),
        ["openid", "email", "api/read"]
    );
    let described = cognito
        .describe_user_pool_client()
        .user_pool_id(&p)
        .client_id(corp_client.client_id.unwrap())
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(
        described.supported_identity_providers(),
        ["COGNITO", "Corp"]
    );
}
