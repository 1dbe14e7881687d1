//! Verified identities: e-mail addresses and domains a region may send from. An address
//! becomes verified when someone follows the link SES mailed to it; until then it is
//! `Pending`, and `Failed` once the link has expired, as in SES.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::time::Duration;

use base64::Engine;

use super::address::{check_domain, domain_of, parse_addr_spec};
use super::error::{SesError, SesResult};
use super::{verification_mail, Ses};
use crate::context::RequestContext;
use crate::generated::ses::shapes::*;
use crate::mailer::OutgoingMail;
use crate::outbox::Destination as OutboxDestination;
use crate::shape::Timestamp;

/// How long a mailed verification link works: SES says 24 hours.
const EMAIL_LINK_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// How long SES looks for a domain's TXT record before giving up: 72 hours.
const DOMAIN_PENDING: Duration = Duration::from_secs(72 * 60 * 60);
/// The most identities one `GetIdentityVerificationAttributes` call may ask about.
const MAX_ATTRIBUTE_IDENTITIES: usize = 100;
/// The largest (and default) `ListIdentities` page.
const MAX_LIST_ITEMS: usize = 1000;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Identity {
    #[serde(with = "identity_type")]
    kind: IdentityType,
    verified: bool,
    /// When verification was last asked for; the pending window runs from here.
    requested_at: Timestamp,
    /// The TXT record value, for domains.
    domain_token: Option<String>,
}

impl Identity {
    fn status(&self, now: Timestamp) -> VerificationStatus {
        let window = match self.kind {
            IdentityType::Domain => DOMAIN_PENDING,
            _ => EMAIL_LINK_LIFETIME,
        };
        if self.verified {
            VerificationStatus::Success
        } else if now >= self.requested_at.plus(window) {
            VerificationStatus::Failed
        } else {
            VerificationStatus::Pending
        }
    }
}

/// `IdentityType` in state documents: its name on the wire (the SES model's shapes carry
/// no serde of their own; their wire format is XML).
mod identity_type {
    use super::IdentityType;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &IdentityType, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(t.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<IdentityType, D::Error> {
        Ok(IdentityType::from(String::deserialize(d)?))
    }
}

/// A verification link that was mailed.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Link {
    region: String,
    identity: String,
    issued_at: Timestamp,
}

/// The identities of every region, and the verification links mailed for them.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct IdentityStore {
    /// Per region, identities by name; sorted, so pages of `ListIdentities` are stable.
    regions: HashMap<String, BTreeMap<String, Identity>>,
    /// Verification links by token.
    links: HashMap<String, Link>,
}

impl IdentityStore {
    /// Forgets the identities (and pending links) of `region`, or of every region.
    pub(crate) fn reset(&mut self, region: Option<&str>) {
        match region {
            Some(r) => {
                self.regions.remove(r);
                self.links.retain(|_, l| l.region != r);
            }
            None => {
                self.regions.clear();
                self.links.clear();
            }
        }
    }

    fn request_email(&mut self, region: &str, addr: &str, token: String, now: Timestamp) {
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

    fn request_domain(&mut self, region: &str, domain: &str, now: Timestamp) -> String {
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

    pub(crate) fn confirm(&mut self, token: &str, now: Timestamp) -> bool {
        if let Some(link) = self.links.get(token) {
            if now >= link.issued_at.plus(EMAIL_LINK_LIFETIME) {
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
            .is_some_and(|id| only.as_ref().is_none_or(|kind| id.kind == *kind));
        if matches {
            identities.remove(name);
            self.links
                .retain(|_, link| !(link.region == region && link.identity == name));
        }
    }

    /// Whether `addr` may send from `region`: it, or its domain, is a verified identity.
    /// Matching ignores case, as mail systems treat addresses in practice.
    pub(crate) fn is_verified_sender(&self, region: &str, addr: &str, now: Timestamp) -> bool {
        let Some(identities) = self.regions.get(region) else {
            return false;
        };
        let domain = domain_of(addr);
        identities.iter().any(|(name, id)| {
            id.status(now) == VerificationStatus::Success
                && match id.kind {
                    IdentityType::Domain => domain
                        .as_deref()
                        .is_some_and(|d| name.eq_ignore_ascii_case(d)),
                    _ => name.eq_ignore_ascii_case(addr),
                }
        })
    }
}

impl Ses {
    /// `VerifyEmailIdentity`: makes the address a `Pending` identity of the region and
    /// mails it a verification link, `{endpoint}/_aws/ses/verify?token=...`, which
    /// [`Ses::confirm_verification`] honours.
    pub fn verify_email(&self, ctx: &RequestContext, email: &str) -> SesResult<()> {
        let addr = parse_addr_spec(email)?;
        let now = self.clock.now();
        let token =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
        let link = format!(
            "{}/_aws/ses/verify?token={token}",
            ctx.endpoint.trim_end_matches('/')
        );
        let raw = verification_mail::build(&addr, &ctx.region, &link, self.clock.now().secs())?;
        self.change(|s| s.request_email(&ctx.region, &addr, token, now));
        self.mailer.send(OutgoingMail {
            region: ctx.region.clone(),
            source: verification_mail::SENDER.to_owned(),
            destination: OutboxDestination {
                to_addresses: vec![addr],
                ..OutboxDestination::default()
            },
            raw,
        });
        Ok(())
    }

    /// `VerifyDomainIdentity`: makes the domain a `Pending` identity of the region and
    /// returns the TXT record value that would prove it. The emulator sees no DNS: giving
    /// the token to [`Ses::confirm_verification`] verifies the domain.
    pub(crate) fn verify_domain(
        &self,
        ctx: &RequestContext,
        input: VerifyDomainIdentityRequest,
    ) -> SesResult<VerifyDomainIdentityResponse> {
        let domain = input.domain().trim();
        if domain.is_empty() {
            return Err(SesError::InvalidParameterValue("Missing domain".into()));
        }
        check_domain(domain)?;
        let now = self.clock.now();
        let verification_token = self.change(|s| s.request_domain(&ctx.region, domain, now));
        Ok(VerifyDomainIdentityResponse {
            verification_token: Some(verification_token),
        })
    }

    /// `GetIdentityVerificationAttributes`: the state of each known identity asked about;
    /// unknown identities are left out, as SES does.
    pub(crate) fn verification_attributes(
        &self,
        ctx: &RequestContext,
        input: GetIdentityVerificationAttributesRequest,
    ) -> SesResult<GetIdentityVerificationAttributesResponse> {
        let asked = input.identities();
        // The model sets no limit; SES's reference does.
        if asked.len() > MAX_ATTRIBUTE_IDENTITIES {
            return Err(SesError::invalid_member(
                "identities",
                &format!("[{}]", asked.join(", ")),
                "Member must have length less than or equal to 100",
            ));
        }
        let now = self.clock.now();
        let store = self.store();
        let identities = store.regions.get(&ctx.region);
        let verification_attributes = asked
            .iter()
            .filter_map(|name| {
                let id = identities?.get(name)?;
                let attributes = IdentityVerificationAttributes {
                    verification_status: Some(id.status(now)),
                    verification_token: id.domain_token.clone(),
                };
                Some((name.clone(), attributes))
            })
            .collect();
        Ok(GetIdentityVerificationAttributesResponse {
            verification_attributes: Some(verification_attributes),
        })
    }

    /// `ListIdentities`: one page of the region's identities, of one type or all.
    pub(crate) fn list(
        &self,
        ctx: &RequestContext,
        input: ListIdentitiesRequest,
    ) -> SesResult<ListIdentitiesResponse> {
        // Out-of-range page sizes are brought into range rather than refused.
        let page = input.max_items.map_or(MAX_LIST_ITEMS, |n| {
            n.clamp(1, MAX_LIST_ITEMS as i32) as usize
        });
        let after = match input.next_token.as_deref() {
            None | Some("") => None,
            Some(token) => Some(decode_next_token(token)?),
        };
        let store = self.store();
        let Some(identities) = store.regions.get(&ctx.region) else {
            return Ok(ListIdentitiesResponse {
                identities: Some(Vec::new()),
                next_token: None,
            });
        };
        let start = after.map_or(Bound::Unbounded, Bound::Excluded);
        let kind = input.identity_type.as_ref();
        let mut matching = identities
            .range::<String, _>((start, Bound::Unbounded))
            .filter(|(_, id)| kind.is_none_or(|k| id.kind == *k))
            .map(|(name, _)| name);
        let page: Vec<String> = matching.by_ref().take(page).cloned().collect();
        let next_token = if matching.next().is_some() {
            page.last().map(|last| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(last.as_bytes())
            })
        } else {
            None
        };
        Ok(ListIdentitiesResponse {
            identities: Some(page),
            next_token,
        })
    }

    /// `ListVerifiedEmailAddresses` (the older API): the verified address identities.
    pub(crate) fn verified_addresses(
        &self,
        ctx: &RequestContext,
    ) -> SesResult<ListVerifiedEmailAddressesResponse> {
        let now = self.clock.now();
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
        Ok(ListVerifiedEmailAddressesResponse {
            verified_email_addresses: Some(verified_email_addresses),
        })
    }

    /// `DeleteIdentity`, and `DeleteVerifiedEmailAddress` (the older API, `only` address
    /// identities): removes the identity. Removing an unknown one succeeds, as in SES.
    pub(crate) fn delete(&self, ctx: &RequestContext, identity: &str, only: Option<IdentityType>) {
        self.change(|s| s.delete(&ctx.region, identity, only));
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
    use crate::generated::ses::SesApi;
    use crate::ses::testing::{checked, ctx, mailed_token, ses, verified_ses};

    fn verify(ses: &Ses, region: &str, addr: &str) {
        ses.verify_email(&ctx(region), addr).unwrap();
    }

    fn status(ses: &Ses, region: &str, identity: &str) -> Option<VerificationStatus> {
        let input = GetIdentityVerificationAttributesRequest {
            identities: Some(vec![identity.into()]),
        };
        let out = ses
            .get_identity_verification_attributes(&ctx(region), input)
            .unwrap();
        out.verification_attributes
            .unwrap_or_default()
            .remove(identity)
            .and_then(|a| a.verification_status)
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
        let input = GetIdentityVerificationAttributesRequest {
            identities: Some(vec!["a@example.com".into(), "zz@example.com".into()]),
        };
        let out = ses
            .get_identity_verification_attributes(&ctx("us-east-1"), input)
            .unwrap();
        let attributes = out.verification_attributes.unwrap();
        assert_eq!(attributes.len(), 1);
        assert!(attributes.contains_key("a@example.com"));
        let missing = checked(GetIdentityVerificationAttributesRequest::default()).unwrap_err();
        assert_eq!(missing.code(), "ValidationError");
    }

    #[test]
    fn malformed_addresses_are_not_verified() {
        let (ses, outbox, _) = ses();
        let e = ses.verify_email(&ctx("us-east-1"), "nobody").unwrap_err();
        assert_eq!(e.code(), "InvalidParameterValue");
        let e = checked(VerifyEmailIdentityRequest::default()).unwrap_err();
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
            VerifyDomainIdentityRequest {
                domain: Some("example.org".into()),
            },
        )
        .unwrap();
        let list = |identity_type: Option<&str>, max_items, next_token: Option<String>| {
            let input = checked(ListIdentitiesRequest {
                identity_type: identity_type.map(Into::into),
                max_items,
                next_token,
            })?;
            ses.list_identities(&ctx("us-east-1"), input)
        };
        let first = list(Some("EmailAddress"), Some(2), None).unwrap();
        assert_eq!(
            first.identities.unwrap(),
            ["a@example.com", "b@example.com"]
        );
        let token = first.next_token.expect("a next page");
        let second = list(Some("EmailAddress"), Some(2), Some(token)).unwrap();
        assert_eq!(second.identities.unwrap(), ["c@example.com"]);
        assert_eq!(second.next_token, None);

        let all = list(None, None, None).unwrap();
        assert_eq!(all.identities.unwrap().len(), 4);
        assert_eq!(all.next_token, None);
        let domains = list(Some("Domain"), None, None).unwrap();
        assert_eq!(domains.identities.unwrap(), ["example.org"]);

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
            .list_identities(&ctx("eu-west-1"), ListIdentitiesRequest::default())
            .unwrap()
            .identities
            .unwrap()
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
                DeleteIdentityRequest {
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
            checked(DeleteIdentityRequest::default())
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
        assert_eq!(listed.verified_email_addresses.unwrap(), ["a@example.com"]);
        ses.delete_verified_email_address(
            &ctx("us-east-1"),
            DeleteVerifiedEmailAddressRequest {
                email_address: Some("a@example.com".into()),
            },
        )
        .unwrap();
        assert!(ses
            .list_verified_email_addresses(&ctx("us-east-1"))
            .unwrap()
            .verified_email_addresses
            .unwrap()
            .is_empty());
    }

    #[test]
    fn domains_verify_with_their_token_and_cover_their_addresses() {
        let (ses, _, _) = ses();
        let out = ses
            .verify_domain_identity(
                &ctx("us-east-1"),
                VerifyDomainIdentityRequest {
                    domain: Some("example.org".into()),
                },
            )
            .unwrap();
        let token = out.verification_token.clone().unwrap();
        assert_eq!(token.len(), 44);
        let again = ses
            .verify_domain_identity(
                &ctx("us-east-1"),
                VerifyDomainIdentityRequest {
                    domain: Some("example.org".into()),
                },
            )
            .unwrap();
        assert_eq!(again, out);
        let attrs = ses
            .get_identity_verification_attributes(
                &ctx("us-east-1"),
                GetIdentityVerificationAttributesRequest {
                    identities: Some(vec!["example.org".into()]),
                },
            )
            .unwrap();
        assert_eq!(
            attrs.verification_attributes.unwrap()["example.org"],
            IdentityVerificationAttributes {
                verification_status: Some(VerificationStatus::Pending),
                verification_token: Some(token.clone()),
            }
        );
        let now = ses.clock.now();
        assert!(!ses
            .store()
            .is_verified_sender("us-east-1", "x@example.org", now));
        assert!(ses.confirm_verification(&token));
        assert!(ses
            .store()
            .is_verified_sender("us-east-1", "x@EXAMPLE.org", now));
        assert!(!ses
            .store()
            .is_verified_sender("us-east-1", "x@other.org", now));
    }
}
