//! Verified identities: e-mail addresses and domains a region may send from. An address
//! becomes verified when someone follows the link SES mailed to it; until then it is
//! `Pending`, and `Failed` once the link has expired, as in SES.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use base64::Engine;

use super::address::{check_domain, domain_of, parse_addr_spec};
use super::error::{SesError, SesResult};
use super::{verification_mail, Ses};
use crate::context::RequestContext;
use crate::mailer::OutgoingMail;
use crate::outbox::Destination;

/// How long a mailed verification link works: SES says 24 hours.
const EMAIL_LINK_LIFETIME_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// How long SES looks for a domain's TXT record before giving up: 72 hours.
const DOMAIN_PENDING_MILLIS: i64 = 72 * 60 * 60 * 1000;
/// The most identities one `GetIdentityVerificationAttributes` call may ask about.
const MAX_ATTRIBUTE_IDENTITIES: usize = 100;
/// The largest (and default) `ListIdentities` page.
const MAX_LIST_ITEMS: usize = 1000;

/// The kind of an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityType {
    /// A single e-mail address.
    EmailAddress,
    /// A whole domain.
    Domain,
}

impl IdentityType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmailAddress => "EmailAddress",
            Self::Domain => "Domain",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "EmailAddress" => Some(Self::EmailAddress),
            "Domain" => Some(Self::Domain),
            _ => None,
        }
    }
}

/// Where an identity is in its verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationStatus {
    /// Verification was asked for and has not happened yet.
    Pending,
    /// The identity may send.
    Success,
    /// Verification was not completed in time.
    Failed,
}

impl VerificationStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "Pending",
            Self::Success => "Success",
            Self::Failed => "Failed",
        }
    }
}

/// The input of `VerifyEmailIdentity` (and of the older `VerifyEmailAddress`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyEmailIdentityInput {
    /// The address to verify.
    pub email_address: Option<String>,
}

/// The input of `VerifyDomainIdentity`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyDomainIdentityInput {
    /// The domain to verify.
    pub domain: Option<String>,
}

/// The output of `VerifyDomainIdentity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyDomainIdentityOutput {
    /// The value of the TXT record that proves the domain is yours.
    pub verification_token: String,
}

/// The input of `GetIdentityVerificationAttributes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetIdentityVerificationAttributesInput {
    /// The identities to report on.
    pub identities: Option<Vec<String>>,
}

/// The verification state of one identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityVerificationAttributes {
    /// Where the identity is in its verification.
    pub verification_status: VerificationStatus,
    /// The TXT record value, for domains only.
    pub verification_token: Option<String>,
}

/// The output of `GetIdentityVerificationAttributes`: the known identities among those
/// asked about, in the order asked. Unknown identities are left out, as SES does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetIdentityVerificationAttributesOutput {
    /// Each known identity and its state.
    pub verification_attributes: Vec<(String, IdentityVerificationAttributes)>,
}

/// The input of `ListIdentities`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListIdentitiesInput {
    /// `EmailAddress` or `Domain`; every identity when absent.
    pub identity_type: Option<String>,
    /// The page size, 1 to 1000.
    pub max_items: Option<i64>,
    /// Where the previous page ended.
    pub next_token: Option<String>,
}

/// The output of `ListIdentities`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListIdentitiesOutput {
    /// One page of identities.
    pub identities: Vec<String>,
    /// Where the next page starts, when there is one.
    pub next_token: Option<String>,
}

/// The output of `ListVerifiedEmailAddresses`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListVerifiedEmailAddressesOutput {
    /// The verified e-mail address identities.
    pub verified_email_addresses: Vec<String>,
}

/// The input of `DeleteIdentity`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteIdentityInput {
    /// The identity to remove.
    pub identity: Option<String>,
}

/// The input of `DeleteVerifiedEmailAddress`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteVerifiedEmailAddressInput {
    /// The address to remove.
    pub email_address: Option<String>,
}

#[derive(Debug)]
struct Identity {
    kind: IdentityType,
    verified: bool,
    /// When verification was last asked for; the pending window runs from here.
    requested_at: i64,
    /// The TXT record value, for domains.
    domain_token: Option<String>,
}

impl Identity {
    fn status(&self, now: i64) -> VerificationStatus {
        let window = match self.kind {
            IdentityType::EmailAddress => EMAIL_LINK_LIFETIME_MILLIS,
            IdentityType::Domain => DOMAIN_PENDING_MILLIS,
        };
        if self.verified {
            VerificationStatus::Success
        } else if now.saturating_sub(self.requested_at) >= window {
            VerificationStatus::Failed
        } else {
            VerificationStatus::Pending
        }
    }
}

/// A verification link that was mailed.
#[derive(Debug)]
struct Link {
    region: String,
    identity: String,
    issued_at: i64,
}

/// The identities of every region, and the verification links mailed for them.
#[derive(Debug, Default)]
pub(crate) struct IdentityStore {
    /// Per region, identities by name; sorted, so pages of `ListIdentities` are stable.
    regions: HashMap<String, BTreeMap<String, Identity>>,
    /// Verification links by token.
    links: HashMap<String, Link>,
}

impl IdentityStore {
    fn request_email(&mut self, region: &str, addr: &str, token: String, now: i64) {
        let identities = self.regions.entry(region.to_owned()).or_default();
        let identity = identities
            .entry(addr.to_owned())
            .or_insert_with(|| Identity {
                kind: IdentityType::EmailAddress,
                verified: false,
                requested_at: now,
                domain_token: None,
            });
        // Asking again restarts a pending or failed verification; a verified address
        // stays verified.
        identity.requested_at = now;
        self.links.insert(
            token,
            Link {
                region: region.to_owned(),
                identity: addr.to_owned(),
                issued_at: now,
            },
        );
    }

    fn request_domain(&mut self, region: &str, domain: &str, now: i64) -> String {
        let identities = self.regions.entry(region.to_owned()).or_default();
        let identity = identities
            .entry(domain.to_owned())
            .or_insert_with(|| Identity {
                kind: IdentityType::Domain,
                verified: false,
                requested_at: now,
                domain_token: None,
            });
        identity.requested_at = now;
        // SES keeps a domain's token across repeated requests, so a published record
        // stays valid.
        identity
            .domain_token
            .get_or_insert_with(|| {
                base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>())
            })
            .clone()
    }

    pub(crate) fn confirm(&mut self, token: &str, now: i64) -> bool {
        if let Some(link) = self.links.get(token) {
            if now.saturating_sub(link.issued_at) >= EMAIL_LINK_LIFETIME_MILLIS {
                return false;
            }
            let identity = self
                .regions
                .get_mut(&link.region)
                .and_then(|ids| ids.get_mut(&link.identity));
            return match identity {
                Some(identity) => {
                    identity.verified = true;
                    true
                }
                None => false,
            };
        }
        let domain = self
            .regions
            .values_mut()
            .flat_map(|ids| ids.values_mut())
            .find(|id| id.domain_token.as_deref() == Some(token));
        match domain {
            Some(identity) => {
                identity.verified = true;
                true
            }
            None => false,
        }
    }

    fn delete(&mut self, region: &str, name: &str, only: Option<IdentityType>) {
        let Some(identities) = self.regions.get_mut(region) else {
            return;
        };
        let matches = identities
            .get(name)
            .is_some_and(|id| only.is_none_or(|kind| id.kind == kind));
        if matches {
            identities.remove(name);
            self.links
                .retain(|_, link| !(link.region == region && link.identity == name));
        }
    }

    /// Whether `addr` may send from `region`: it, or its domain, is a verified identity.
    /// Matching ignores case, as mail systems treat addresses in practice.
    pub(crate) fn is_verified_sender(&self, region: &str, addr: &str, now: i64) -> bool {
        let Some(identities) = self.regions.get(region) else {
            return false;
        };
        let domain = domain_of(addr);
        identities.iter().any(|(name, id)| {
            id.status(now) == VerificationStatus::Success
                && match id.kind {
                    IdentityType::EmailAddress => name.eq_ignore_ascii_case(addr),
                    IdentityType::Domain => domain
                        .as_deref()
                        .is_some_and(|d| name.eq_ignore_ascii_case(d)),
                }
        })
    }
}

impl Ses {
    /// `VerifyEmailIdentity`: makes the address a `Pending` identity of the region and
    /// mails it a verification link, `{link_base}/_aws/ses/verify?token=...`, which
    /// [`Ses::confirm_verification`] honours.
    pub fn verify_email_identity(
        &self,
        ctx: &RequestContext,
        input: VerifyEmailIdentityInput,
        link_base: &str,
    ) -> SesResult<()> {
        let Some(email) = input.email_address else {
            return Err(SesError::null_members(&["emailAddress"]));
        };
        let addr = parse_addr_spec(&email)?;
        let now = self.clock.now_millis();
        let token =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        let link = format!(
            "{}/_aws/ses/verify?token={token}",
            link_base.trim_end_matches('/')
        );
        let raw = verification_mail::build(&addr, &ctx.region, &link, self.clock.now_secs())?;
        self.store().request_email(&ctx.region, &addr, token, now);
        self.mailer.send(OutgoingMail {
            region: ctx.region.clone(),
            source: verification_mail::SENDER.to_owned(),
            destination: Destination {
                to_addresses: vec![addr],
                ..Destination::default()
            },
            raw,
        });
        Ok(())
    }

    /// `VerifyDomainIdentity`: makes the domain a `Pending` identity of the region and
    /// returns the TXT record value that would prove it. The emulator sees no DNS: giving
    /// the token to [`Ses::confirm_verification`] verifies the domain.
    pub fn verify_domain_identity(
        &self,
        ctx: &RequestContext,
        input: VerifyDomainIdentityInput,
    ) -> SesResult<VerifyDomainIdentityOutput> {
        let Some(domain) = input.domain else {
            return Err(SesError::null_members(&["domain"]));
        };
        let domain = domain.trim();
        if domain.is_empty() {
            return Err(SesError::InvalidParameterValue("Missing domain".into()));
        }
        check_domain(domain)?;
        let now = self.clock.now_millis();
        let verification_token = self.store().request_domain(&ctx.region, domain, now);
        Ok(VerifyDomainIdentityOutput { verification_token })
    }

    /// `GetIdentityVerificationAttributes`: the state of each known identity asked about.
    pub fn get_identity_verification_attributes(
        &self,
        ctx: &RequestContext,
        input: GetIdentityVerificationAttributesInput,
    ) -> SesResult<GetIdentityVerificationAttributesOutput> {
        let Some(asked) = input.identities else {
            return Err(SesError::null_members(&["identities"]));
        };
        if asked.len() > MAX_ATTRIBUTE_IDENTITIES {
            return Err(SesError::invalid_member(
                "identities",
                &format!("[{}]", asked.join(", ")),
                "Member must have length less than or equal to 100",
            ));
        }
        let now = self.clock.now_millis();
        let store = self.store();
        let mut out = GetIdentityVerificationAttributesOutput::default();
        let Some(identities) = store.regions.get(&ctx.region) else {
            return Ok(out);
        };
        for name in asked {
            let Some(id) = identities.get(&name) else {
                continue;
            };
            if out.verification_attributes.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let attributes = IdentityVerificationAttributes {
                verification_status: id.status(now),
                verification_token: id.domain_token.clone(),
            };
            out.verification_attributes.push((name, attributes));
        }
        Ok(out)
    }

    /// `ListIdentities`: one page of the region's identities, of one type or all.
    pub fn list_identities(
        &self,
        ctx: &RequestContext,
        input: ListIdentitiesInput,
    ) -> SesResult<ListIdentitiesOutput> {
        let kind = match input.identity_type.as_deref() {
            None => None,
            Some(t) => Some(IdentityType::parse(t).ok_or_else(|| {
                SesError::invalid_member(
                    "identityType",
                    t,
                    "Member must satisfy enum value set: [EmailAddress, Domain]",
                )
            })?),
        };
        // Out-of-range page sizes are brought into range rather than refused.
        let page = input.max_items.map_or(MAX_LIST_ITEMS, |n| {
            n.clamp(1, MAX_LIST_ITEMS as i64) as usize
        });
        let after = match input.next_token.as_deref() {
            None | Some("") => None,
            Some(token) => Some(decode_next_token(token)?),
        };
        let store = self.store();
        let mut out = ListIdentitiesOutput::default();
        let Some(identities) = store.regions.get(&ctx.region) else {
            return Ok(out);
        };
        let start = after.map_or(Bound::Unbounded, Bound::Excluded);
        let mut matching = identities
            .range::<String, _>((start, Bound::Unbounded))
            .filter(|(_, id)| kind.is_none_or(|k| id.kind == k))
            .map(|(name, _)| name);
        out.identities = matching.by_ref().take(page).cloned().collect();
        if matching.next().is_some() {
            out.next_token = out.identities.last().map(|last| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last.as_bytes())
            });
        }
        Ok(out)
    }

    /// `ListVerifiedEmailAddresses` (the older API): the verified address identities.
    pub fn list_verified_email_addresses(
        &self,
        ctx: &RequestContext,
    ) -> SesResult<ListVerifiedEmailAddressesOutput> {
        let now = self.clock.now_millis();
        let store = self.store();
        let verified_email_addresses = store
            .regions
            .get(&ctx.region)
            .into_iter()
            .flatten()
            .filter(|(_, id)| {
                id.kind == IdentityType::EmailAddress
                    && id.status(now) == VerificationStatus::Success
            })
            .map(|(name, _)| name.clone())
            .collect();
        Ok(ListVerifiedEmailAddressesOutput {
            verified_email_addresses,
        })
    }

    /// `DeleteIdentity`: removes the identity. Removing an unknown one succeeds, as in SES.
    pub fn delete_identity(
        &self,
        ctx: &RequestContext,
        input: DeleteIdentityInput,
    ) -> SesResult<()> {
        let Some(identity) = input.identity else {
            return Err(SesError::null_members(&["identity"]));
        };
        self.store().delete(&ctx.region, &identity, None);
        Ok(())
    }

    /// `DeleteVerifiedEmailAddress` (the older API): removes an address identity.
    pub fn delete_verified_email_address(
        &self,
        ctx: &RequestContext,
        input: DeleteVerifiedEmailAddressInput,
    ) -> SesResult<()> {
        let Some(email) = input.email_address else {
            return Err(SesError::null_members(&["emailAddress"]));
        };
        self.store()
            .delete(&ctx.region, &email, Some(IdentityType::EmailAddress));
        Ok(())
    }
}

fn decode_next_token(token: &str) -> SesResult<String> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| SesError::InvalidParameterValue(format!("Invalid NextToken: {token}")))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::ses::testing::{ctx, mailed_token, ses, verified_ses, BASE};

    fn verify(ses: &Ses, region: &str, addr: &str) {
        let input = VerifyEmailIdentityInput {
            email_address: Some(addr.into()),
        };
        ses.verify_email_identity(&ctx(region), input, BASE)
            .unwrap();
    }

    fn status(ses: &Ses, region: &str, identity: &str) -> Option<VerificationStatus> {
        let input = GetIdentityVerificationAttributesInput {
            identities: Some(vec![identity.into()]),
        };
        let out = ses
            .get_identity_verification_attributes(&ctx(region), input)
            .unwrap();
        out.verification_attributes
            .into_iter()
            .find(|(n, _)| n == identity)
            .map(|(_, a)| a.verification_status)
    }

    #[test]
    fn verification_goes_from_pending_to_success_through_the_mailed_link() {
        let (ses, outbox, _) = ses();
        verify(&ses, "us-east-1", "a@example.com");
        assert_eq!(
            status(&ses, "us-east-1", "a@example.com"),
            Some(VerificationStatus::Pending)
        );
        let [mail] = outbox.to("a@example.com").try_into().unwrap();
        assert_eq!(mail.source, "no-reply-aws@amazon.com");
        assert_eq!(mail.region, "us-east-1");
        assert_eq!(
            mail.subject.as_deref(),
            Some("Amazon Web Services \u{2013} Email Address Verification Request in region US East (N. Virginia)")
        );
        let token = mailed_token(&outbox, "a@example.com");
        assert!(ses.confirm_verification(&token));
        assert_eq!(
            status(&ses, "us-east-1", "a@example.com"),
            Some(VerificationStatus::Success)
        );
        // Following the link again is harmless.
        assert!(ses.confirm_verification(&token));
        assert!(!ses.confirm_verification("no-such-token"));
    }

    #[test]
    fn identities_belong_to_their_region() {
        let (ses, _, _) = verified_ses("eu-west-1", "a@example.com");
        assert_eq!(status(&ses, "us-east-1", "a@example.com"), None);
        assert_eq!(
            status(&ses, "eu-west-1", "a@example.com"),
            Some(VerificationStatus::Success)
        );
    }

    #[test]
    fn reverifying_a_verified_address_keeps_it_verified() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        verify(&ses, "us-east-1", "a@example.com");
        assert_eq!(
            status(&ses, "us-east-1", "a@example.com"),
            Some(VerificationStatus::Success)
        );
        assert_eq!(outbox.to("a@example.com").len(), 2);
    }

    #[test]
    fn links_expire_after_a_day_and_the_identity_fails() {
        let (ses, outbox, clock) = ses();
        verify(&ses, "us-east-1", "a@example.com");
        let token = mailed_token(&outbox, "a@example.com");
        clock.advance(Duration::from_secs(24 * 60 * 60));
        assert!(!ses.confirm_verification(&token));
        assert_eq!(
            status(&ses, "us-east-1", "a@example.com"),
            Some(VerificationStatus::Failed)
        );
        // Asking again starts over.
        verify(&ses, "us-east-1", "a@example.com");
        assert_eq!(
            status(&ses, "us-east-1", "a@example.com"),
            Some(VerificationStatus::Pending)
        );
        assert!(ses.confirm_verification(&mailed_token(&outbox, "a@example.com")));
    }

    #[test]
    fn unknown_identities_are_left_out_of_the_attributes() {
        let (ses, _, _) = verified_ses("us-east-1", "a@example.com");
        let input = GetIdentityVerificationAttributesInput {
            identities: Some(vec!["a@example.com".into(), "zz@example.com".into()]),
        };
        let out = ses
            .get_identity_verification_attributes(&ctx("us-east-1"), input)
            .unwrap();
        assert_eq!(out.verification_attributes.len(), 1);
        assert_eq!(out.verification_attributes[0].0, "a@example.com");
        let missing = ses
            .get_identity_verification_attributes(
                &ctx("us-east-1"),
                GetIdentityVerificationAttributesInput::default(),
            )
            .unwrap_err();
        assert_eq!(missing.code(), "ValidationError");
    }

    #[test]
    fn malformed_addresses_are_not_verified() {
        let (ses, outbox, _) = ses();
        let e = ses
            .verify_email_identity(
                &ctx("us-east-1"),
                VerifyEmailIdentityInput {
                    email_address: Some("nobody".into()),
                },
                BASE,
            )
            .unwrap_err();
        assert_eq!(e.code(), "InvalidParameterValue");
        let e = ses
            .verify_email_identity(&ctx("us-east-1"), VerifyEmailIdentityInput::default(), BASE)
            .unwrap_err();
        assert_eq!(
            e.message(),
            "1 validation error detected: Value null at 'emailAddress' failed to satisfy constraint: Member must not be null"
        );
        assert!(outbox.all().is_empty());
    }

    #[test]
    fn lists_identities_in_pages() {
        let (ses, _, _) = ses();
        for addr in ["c@example.com", "a@example.com", "b@example.com"] {
            verify(&ses, "us-east-1", addr);
        }
        ses.verify_domain_identity(
            &ctx("us-east-1"),
            VerifyDomainIdentityInput {
                domain: Some("example.org".into()),
            },
        )
        .unwrap();
        let list = |identity_type: Option<&str>, max_items, next_token: Option<String>| {
            ses.list_identities(
                &ctx("us-east-1"),
                ListIdentitiesInput {
                    identity_type: identity_type.map(Into::into),
                    max_items,
                    next_token,
                },
            )
        };
        let first = list(Some("EmailAddress"), Some(2), None).unwrap();
        assert_eq!(first.identities, ["a@example.com", "b@example.com"]);
        let token = first.next_token.expect("a next page");
        let second = list(Some("EmailAddress"), Some(2), Some(token)).unwrap();
        assert_eq!(second.identities, ["c@example.com"]);
        assert_eq!(second.next_token, None);

        let all = list(None, None, None).unwrap();
        assert_eq!(all.identities.len(), 4);
        assert_eq!(all.next_token, None);
        let domains = list(Some("Domain"), None, None).unwrap();
        assert_eq!(domains.identities, ["example.org"]);

        let e = list(Some("Phone"), None, None).unwrap_err();
        assert_eq!(
            e.message(),
            "1 validation error detected: Value 'Phone' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set: [EmailAddress, Domain]"
        );
        assert_eq!(
            list(None, None, Some("!!".into())).unwrap_err().code(),
            "InvalidParameterValue"
        );
        assert!(ses
            .list_identities(&ctx("eu-west-1"), ListIdentitiesInput::default())
            .unwrap()
            .identities
            .is_empty());
    }

    #[test]
    fn delete_removes_the_identity_and_its_links() {
        let (ses, outbox, _) = ses();
        verify(&ses, "us-east-1", "a@example.com");
        let token = mailed_token(&outbox, "a@example.com");
        let delete = |identity: &str| {
            ses.delete_identity(
                &ctx("us-east-1"),
                DeleteIdentityInput {
                    identity: Some(identity.into()),
                },
            )
        };
        delete("a@example.com").unwrap();
        assert_eq!(status(&ses, "us-east-1", "a@example.com"), None);
        assert!(!ses.confirm_verification(&token));
        // Deleting what is not there succeeds, as in SES.
        delete("a@example.com").unwrap();
        assert_eq!(
            ses.delete_identity(&ctx("us-east-1"), DeleteIdentityInput::default())
                .unwrap_err()
                .code(),
            "ValidationError"
        );
    }

    #[test]
    fn the_old_api_lists_and_deletes_verified_addresses() {
        let (ses, _, _) = verified_ses("us-east-1", "a@example.com");
        verify(&ses, "us-east-1", "pending@example.com");
        let listed = ses
            .list_verified_email_addresses(&ctx("us-east-1"))
            .unwrap();
        assert_eq!(listed.verified_email_addresses, ["a@example.com"]);
        ses.delete_verified_email_address(
            &ctx("us-east-1"),
            DeleteVerifiedEmailAddressInput {
                email_address: Some("a@example.com".into()),
            },
        )
        .unwrap();
        assert!(ses
            .list_verified_email_addresses(&ctx("us-east-1"))
            .unwrap()
            .verified_email_addresses
            .is_empty());
    }

    #[test]
    fn domains_verify_with_their_token_and_cover_their_addresses() {
        let (ses, _, _) = ses();
        let out = ses
            .verify_domain_identity(
                &ctx("us-east-1"),
                VerifyDomainIdentityInput {
                    domain: Some("example.org".into()),
                },
            )
            .unwrap();
        assert_eq!(out.verification_token.len(), 44);
        let again = ses
            .verify_domain_identity(
                &ctx("us-east-1"),
                VerifyDomainIdentityInput {
                    domain: Some("example.org".into()),
                },
            )
            .unwrap();
        assert_eq!(again, out);
        let attrs = ses
            .get_identity_verification_attributes(
                &ctx("us-east-1"),
                GetIdentityVerificationAttributesInput {
                    identities: Some(vec!["example.org".into()]),
                },
            )
            .unwrap();
        assert_eq!(
            attrs.verification_attributes[0].1,
            IdentityVerificationAttributes {
                verification_status: VerificationStatus::Pending,
                verification_token: Some(out.verification_token.clone()),
            }
        );
        let now = ses.clock.now_millis();
        assert!(!ses
            .store()
            .is_verified_sender("us-east-1", "x@example.org", now));
        assert!(ses.confirm_verification(&out.verification_token));
        assert!(ses
            .store()
            .is_verified_sender("us-east-1", "x@EXAMPLE.org", now));
        assert!(!ses
            .store()
            .is_verified_sender("us-east-1", "x@other.org", now));
    }
}
