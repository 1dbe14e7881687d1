//! `cognito-e2e sweep`: removes pools that runs left behind (a run killed before its
//! cleanup). A pool is swept only when all three hold: its name has the harness's prefix,
//! it carries the harness's run tag, and it is older than the given age. Anything else
//! in the account is left alone.

use std::time::{Duration, SystemTime};

use aws_sdk_cognitoidentityprovider::Client;

use crate::api_error::ApiError;
use crate::error::Result;
use crate::naming::{POOL_PREFIX, RUN_TAG};

/// What a sweep found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Pools deleted (or, in a dry run, that would be): (id, name).
    pub swept: Vec<(String, String)>,
    /// Pools looked at and left alone.
    pub kept: usize,
}

/// Sweeps the harness's pools older than `older_than` at `now`; with `dry_run`, deletes
/// nothing and reports what it would delete.
pub async fn sweep(
    cognito: &Client,
    older_than: Duration,
    now: SystemTime,
    dry_run: bool,
) -> Result<SweepReport> {
    let cutoff = now
        .checked_sub(older_than)
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut candidates = Vec::new();
    let mut report = SweepReport::default();
    let mut pages = cognito
        .list_user_pools()
        .max_results(60)
        .into_paginator()
        .send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| ApiError::from_sdk("ListUserPools", &e).into_error())?;
        for pool in page.user_pools() {
            let (Some(id), Some(name)) = (pool.id(), pool.name()) else {
                continue;
            };
            let old = pool
                .creation_date()
                .and_then(|d| SystemTime::try_from(*d).ok())
                .is_some_and(|created| created < cutoff);
            if name.starts_with(POOL_PREFIX) && old {
                candidates.push((id.to_owned(), name.to_owned()));
            } else {
                report.kept += 1;
            }
        }
    }
    for (id, name) in candidates {
        let described = cognito
            .describe_user_pool()
            .user_pool_id(&id)
            .send()
            .await
            .map_err(|e| ApiError::from_sdk("DescribeUserPool", &e).into_error())?;
        let tagged = described
            .user_pool()
            .and_then(|p| p.user_pool_tags())
            .is_some_and(|tags| tags.contains_key(RUN_TAG));
        if !tagged {
            report.kept += 1;
            continue;
        }
        if !dry_run {
            cognito
                .delete_user_pool()
                .user_pool_id(&id)
                .send()
                .await
                .map_err(|e| ApiError::from_sdk("DeleteUserPool", &e).into_error())?;
        }
        report.swept.push((id, name));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cognito_emulator::clock::{Clock, ManualClock};
    use cognito_emulator::Emulator;

    use super::*;

    #[tokio::test]
    async fn sweeps_only_old_tagged_prefixed_pools() {
        let clock = ManualClock::starting_now();
        let emulator = Emulator::new()
            .clock(Arc::new(clock.clone()))
            .start()
            .await
            .unwrap();
        let config =
            crate::sdk_config::emulator_sdk_config(&emulator.endpoint(), "us-east-1").await;
        let cognito = Client::new(&config);
        let create = |name: &'static str, tagged: bool| {
            let cognito = cognito.clone();
            async move {
                let mut request = cognito.create_user_pool().pool_name(name);
                if tagged {
                    request = request.user_pool_tags(RUN_TAG, "r1");
                }
                request.send().await.unwrap().user_pool.unwrap().id.unwrap()
            }
        };
        let old_leftover = create("cognito-e2e-r1-helloWorld", true).await;
        let old_untagged = create("cognito-e2e-r1-someone-elses", false).await;
        let old_other_name = create("production-pool", true).await;
        clock.advance(Duration::from_secs(2 * 3600));
        let new_leftover = create("cognito-e2e-r2-helloWorld", true).await;
        let now = SystemTime::UNIX_EPOCH + Duration::from_millis(clock.now_millis() as u64);

        let dry = sweep(&cognito, Duration::from_secs(3600), now, true)
            .await
            .unwrap();
        assert_eq!(
            dry.swept,
            [(old_leftover.clone(), "cognito-e2e-r1-helloWorld".to_owned())]
        );
        assert_eq!(dry.kept, 3);
        let listed = |c: Client| async move {
            let out = c.list_user_pools().max_results(60).send().await.unwrap();
            out.user_pools()
                .iter()
                .map(|p| p.id().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            listed(cognito.clone()).await.len(),
            4,
            "a dry run deletes nothing"
        );

        let done = sweep(&cognito, Duration::from_secs(3600), now, false)
            .await
            .unwrap();
        assert_eq!(done.swept.len(), 1);
        let left = listed(cognito.clone()).await;
        assert!(!left.contains(&old_leftover));
        for kept in [old_untagged, old_other_name, new_leftover] {
            assert!(left.contains(&kept));
        }
    }
}
