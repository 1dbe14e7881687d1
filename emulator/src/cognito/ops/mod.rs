//! One function per Cognito operation, grouped by family. Each takes the service, the
//! request's context and its typed, validated input, and returns the typed output.

mod attribute_change;
pub mod attributes;
pub mod auth;
pub mod clients;
pub mod domains;
pub mod groups;
pub mod identity_providers;
pub mod mfa;
mod migration;
pub mod pools;
pub mod resource_servers;
pub mod sessions;
pub mod sign_up;
mod support;
pub mod users;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::error::{CognitoError, CognitoResult};

/// One page of `items` after `token`, at most `max` long (AWS's default page size when
/// the caller gives none), with the token of the next page.
fn paginate<T: Clone>(
    items: &[T],
    token: Option<&str>,
    max: Option<i32>,
    default_max: usize,
) -> CognitoResult<(Vec<T>, Option<String>)> {
    let max = max.map_or(default_max, |m| m.max(0) as usize);
    let start = match token {
        None => 0,
        Some(t) => URL_SAFE_NO_PAD
            .decode(t)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| {
                CognitoError::InvalidParameterException("Invalid pagination token.".into())
            })?,
    };
    let page: Vec<T> = items.iter().skip(start).take(max).cloned().collect();
    let end = start + page.len();
    let next = (end < items.len()).then(|| URL_SAFE_NO_PAD.encode(end.to_string()));
    Ok((page, next))
}
