//! A user's verification of a changed attribute: the code mailed to prove the address,
//! and, in pools that keep the old address until the new one is proven
//! (`AttributesRequireVerificationBeforeUpdate`), the new address waiting for its proof.

use super::codes::PendingCode;

/// The attribute verification in progress for one user.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct AttributeVerification {
    /// The code that proves the e-mail address (`VerifyUserAttribute`).
    pub email_code: PendingCode,
    /// The new address, kept aside until it is verified.
    pub pending_email: Option<String>,
}
