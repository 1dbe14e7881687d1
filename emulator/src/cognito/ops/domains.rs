//! CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
//! DeleteUserPoolDomain.
//!
//! A pool has one domain: a prefix (`myapp`, served as
//! `myapp.auth.<region>.amazoncognito.com`) or a custom domain (`auth.example.com`, with
//! an ACM certificate, which is kept as given and never checked). Domains are unique in
//! a region, as on AWS, through the region's index of pools by domain.

use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::{ids, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

/// The words AWS reserves in domain prefixes.
const RESERVED: &[&str] = &["aws", "amazon", "cognito"];

/// AWS's refusal of a prefix outside `DomainType`'s pattern.
const INVALID_PREFIX: &str = "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$";

/// AWS's answer when the pool does not have the domain an update or delete names.
const NOT_THE_POOLS: &str = "No such domain or user pool exists.";

/// Whether `label` is one DNS label as `DomainType`'s pattern has it: lowercase letters,
/// digits and inner hyphens, at most 63 characters.
fn is_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// Checks a prefix domain: one label, without a reserved word.
fn check_prefix(domain: &str) -> CognitoResult<()> {
    if !is_label(domain) {
        return Err(CognitoError::InvalidParameterException(
            INVALID_PREFIX.into(),
        ));
    }
    if let Some(word) = RESERVED.iter().find(|w| domain.contains(*w)) {
        return Err(CognitoError::InvalidParameterException(format!(
            "The domain prefix {domain} contains the reserved word {word}: prefixes cannot contain aws, amazon or cognito."
        )));
    }
    Ok(())
}

/// Checks a custom domain: a fully qualified name, two labels or more.
fn check_custom(domain: &str) -> CognitoResult<()> {
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || !labels.iter().all(|l| is_label(l)) {
        return Err(CognitoError::InvalidParameterException(format!(
            "{domain} is not a valid custom domain: give a fully qualified domain name such as auth.example.com."
        )));
    }
    Ok(())
}

/// The managed login version asked for (1, the classic hosted UI, when none is given).
fn managed_login_version(asked: Option<i32>) -> CognitoResult<i32> {
    match asked.unwrap_or(1) {
        v @ (1 | 2) => Ok(v),
        v => Err(CognitoError::InvalidParameterException(format!(
            "ManagedLoginVersion {v} is not supported: use 1 (hosted UI classic) or 2 (managed login)."
        ))),
    }
}

/// A CloudFront distribution's domain, as AWS names them (`d` and 13 letters and digits).
fn cloud_front_domain() -> String {
    format!("d{}.cloudfront.net", ids::lower_alnum(13))
}

/// The domain's `Version`: when it was configured, as AWS's digits-only stamp.
fn version(now: Timestamp) -> String {
    now.iso8601()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect()
}

pub fn create_user_pool_domain(
    svc: &Cognito,
    ctx: &RequestContext,
    i: CreateUserPoolDomainRequest,
) -> CognitoResult<CreateUserPoolDomainResponse> {
    let domain = i.domain().to_owned();
    let custom = i.custom_domain_config.is_some();
    if custom {
        check_custom(&domain)?;
    } else {
        check_prefix(&domain)?;
    }
    let login_version = managed_login_version(i.managed_login_version)?;
    let now = svc.now();
    let pool_id = i.user_pool_id().to_owned();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool(&pool_id)?;
        if pool.oauth.domain.is_some() {
            return Err(CognitoError::InvalidParameterException(
                "User pool already has a domain configured.".into(),
            ));
        }
        if state.pool_of_domain(&domain).is_some() {
            return Err(CognitoError::InvalidParameterException(
                "Domain already associated with another user pool.".into(),
            ));
        }
        let distribution = cloud_front_domain();
        let description = DomainDescriptionType {
            user_pool_id: Some(pool_id.clone()),
            aws_account_id: Some(ctx.account_id.clone()),
            domain: Some(domain.clone()),
            s3_bucket: Some(format!("aws-cognito-prod-{}-assets", ctx.region)),
            cloud_front_distribution: Some(distribution.clone()),
            version: Some(version(now)),
            status: Some(DomainStatusType::Active),
            custom_domain_config: i.custom_domain_config.clone(),
            managed_login_version: Some(login_version),
            routing: i.routing.clone(),
        };
        state.pool_mut(&pool_id)?.oauth.domain = Some(description);
        state.bind_domain(&domain, &pool_id);
        Ok(CreateUserPoolDomainResponse {
            // AWS names the distribution only for custom domains, whose DNS must point
            // at it; a prefix domain's DNS is AWS's own.
            cloud_front_domain: custom.then_some(distribution),
            managed_login_version: Some(login_version),
            routing: i.routing.clone(),
        })
    })
}

pub fn describe_user_pool_domain(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DescribeUserPoolDomainRequest,
) -> CognitoResult<DescribeUserPoolDomainResponse> {
    svc.read(&ctx.region, |state| {
        // An unknown domain is no error on AWS: the description is empty.
        let description = state
            .pool_of_domain(i.domain())
            .and_then(|pool_id| state.pool(pool_id).ok())
            .and_then(|pool| pool.oauth.domain.clone())
            .unwrap_or_default();
        Ok(DescribeUserPoolDomainResponse {
            domain_description: Some(description),
        })
    })
}

pub fn update_user_pool_domain(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateUserPoolDomainRequest,
) -> CognitoResult<UpdateUserPoolDomainResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let description = state
            .pool_mut(i.user_pool_id())
            .ok()
            .and_then(|pool| pool.oauth.domain.as_mut())
            .filter(|d| d.domain.as_deref() == Some(i.domain()))
            .ok_or_else(|| CognitoError::InvalidParameterException(NOT_THE_POOLS.into()))?;
        let custom = description.custom_domain_config.is_some();
        if i.custom_domain_config.is_some() && !custom {
            return Err(CognitoError::InvalidParameterException(format!(
                "{} is a prefix domain: CustomDomainConfig applies to custom domains only.",
                i.domain()
            )));
        }
        // What the update leaves out stays as it was: the certificate of a custom domain,
        // the managed login version.
        let login_version = match i.managed_login_version {
            Some(v) => managed_login_version(Some(v))?,
            None => description.managed_login_version.unwrap_or(1),
        };
        if let Some(config) = &i.custom_domain_config {
            description.custom_domain_config = Some(config.clone());
        }
        if let Some(routing) = &i.routing {
            description.routing = Some(routing.clone());
        }
        description.managed_login_version = Some(login_version);
        description.version = Some(version(now));
        Ok(UpdateUserPoolDomainResponse {
            cloud_front_domain: custom
                .then(|| description.cloud_front_distribution.clone())
                .flatten(),
            managed_login_version: Some(login_version),
            routing: description.routing.clone(),
        })
    })
}

pub fn delete_user_pool_domain(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteUserPoolDomainRequest,
) -> CognitoResult<DeleteUserPoolDomainResponse> {
    svc.write(&ctx.region, |state, _| {
        let pool = state
            .pool_mut(i.user_pool_id())
            .ok()
            .filter(|p| p.oauth.domain_name() == Some(i.domain()))
            .ok_or_else(|| CognitoError::InvalidParameterException(NOT_THE_POOLS.into()))?;
        pool.oauth.domain = None;
        state.unbind_domain(i.domain());
        Ok(DeleteUserPoolDomainResponse {})
    })
}
