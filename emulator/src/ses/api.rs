//! The SES API as the emulator implements it: the generated trait's methods that are
//! emulated. Every other action of the model keeps the trait's default, `InvalidAction`
//! naming it as not emulated.

use super::{Ses, SesResult};
use crate::context::RequestContext;
use crate::generated::ses::shapes::*;
use crate::generated::ses::SesApi;

/// The actions the emulator emulates. A test checks them against the model and the
/// trait implementation below.
pub const EMULATED: &[&str] = &[
    "DeleteIdentity",
    "DeleteVerifiedEmailAddress",
    "GetIdentityVerificationAttributes",
    "ListIdentities",
    "ListVerifiedEmailAddresses",
    "SendEmail",
    "SendRawEmail",
    "VerifyDomainIdentity",
    "VerifyEmailAddress",
    "VerifyEmailIdentity",
];

impl SesApi for Ses {
    fn verify_email_identity(
        &self,
        ctx: &RequestContext,
        input: VerifyEmailIdentityRequest,
    ) -> SesResult<VerifyEmailIdentityResponse> {
        self.verify_email(ctx, input.email_address())?;
        Ok(VerifyEmailIdentityResponse {})
    }

    /// The older name of `VerifyEmailIdentity`, with no result element.
    fn verify_email_address(
        &self,
        ctx: &RequestContext,
        input: VerifyEmailAddressRequest,
    ) -> SesResult<()> {
        self.verify_email(ctx, input.email_address())
    }

    fn verify_domain_identity(
        &self,
        ctx: &RequestContext,
        input: VerifyDomainIdentityRequest,
    ) -> SesResult<VerifyDomainIdentityResponse> {
        self.verify_domain(ctx, input)
    }

    fn get_identity_verification_attributes(
        &self,
        ctx: &RequestContext,
        input: GetIdentityVerificationAttributesRequest,
    ) -> SesResult<GetIdentityVerificationAttributesResponse> {
        self.verification_attributes(ctx, input)
    }

    fn list_identities(
        &self,
        ctx: &RequestContext,
        input: ListIdentitiesRequest,
    ) -> SesResult<ListIdentitiesResponse> {
        self.list(ctx, input)
    }

    fn list_verified_email_addresses(
        &self,
        ctx: &RequestContext,
    ) -> SesResult<ListVerifiedEmailAddressesResponse> {
        self.verified_addresses(ctx)
    }

    fn delete_identity(
        &self,
        ctx: &RequestContext,
        input: DeleteIdentityRequest,
    ) -> SesResult<DeleteIdentityResponse> {
        self.delete(ctx, input.identity(), None);
        Ok(DeleteIdentityResponse {})
    }

    fn delete_verified_email_address(
        &self,
        ctx: &RequestContext,
        input: DeleteVerifiedEmailAddressRequest,
    ) -> SesResult<()> {
        self.delete(ctx, input.email_address(), Some(IdentityType::EmailAddress));
        Ok(())
    }

    fn send_email(
        &self,
        ctx: &RequestContext,
        input: SendEmailRequest,
    ) -> SesResult<SendEmailResponse> {
        Ses::send_email(self, ctx, input)
    }

    fn send_raw_email(
        &self,
        ctx: &RequestContext,
        input: SendRawEmailRequest,
    ) -> SesResult<SendRawEmailResponse> {
        Ses::send_raw_email(self, ctx, input)
    }
}
