//! A challenge posed in the middle of a sign-in, found again when the client answers:
//! by its `Session` string, or for SRP's `PASSWORD_VERIFIER` by its `SECRET_BLOCK`
//! (AWS answers that challenge without a `Session`, and clients such as pycognito send
//! none back). One variant per challenge the emulator poses.

use crate::cognito::srp::ServerHalf;
use crate::generated::cognito::shapes::ChallengeNameType;
use crate::shape::Timestamp;

/// Who is being challenged: the pool, the client that started the sign-in, the user's
/// stored username, and when the session stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeSubject {
    /// The pool.
    pub pool_id: String,
    /// The client that started the sign-in.
    pub client_id: String,
    /// The user's stored username.
    pub username: String,
    /// When the session stops working.
    pub expires: Timestamp,
}

/// The server's half of an SRP exchange, waiting for the client's proof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifier {
    /// Who signs in (for a user who does not exist, the name typed).
    pub subject: ChallengeSubject,
    /// The client's public `A`, in hex.
    pub a_hex: String,
    /// The server's secret and public values; `None` for a user who does not exist,
    /// challenged anyway because the client hides whether users exist.
    pub server: Option<ServerHalf>,
    /// For custom authentication that starts with SRP (`CUSTOM_AUTH` with `SRP_A`): the
    /// challenges so far, as DefineAuthChallenge's `session` lists them. `None` for
    /// `USER_SRP_AUTH`.
    pub custom: Option<Vec<serde_json::Value>>,
}

/// A pending challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// SRP: the client must prove it knows the password.
    PasswordVerifier(PasswordVerifier),
    /// An administrator-created user signed in with the temporary password and must
    /// choose a new one.
    NewPasswordRequired(ChallengeSubject),
    /// MFA: the user must give a code from their authenticator app.
    SoftwareTokenMfa(ChallengeSubject),
    /// MFA: the user must give the code mailed to them.
    EmailOtp {
        /// Who signs in.
        subject: ChallengeSubject,
        /// The code mailed.
        code: String,
    },
    /// MFA: the user has several factors and picks one.
    SelectMfaType(ChallengeSubject),
    /// Custom authentication: the pool's CreateAuthChallenge trigger posed a question.
    Custom {
        /// Who signs in.
        subject: ChallengeSubject,
        /// The challenges so far, as the triggers' `session` lists them.
        history: Vec<serde_json::Value>,
        /// `privateChallengeParameters`, for VerifyAuthChallengeResponse.
        private: serde_json::Value,
        /// `challengeMetadata`, recorded in the history once answered.
        metadata: serde_json::Value,
    },
    /// Choice-based sign-in (`USER_AUTH`): the user picks how to prove who they are.
    SelectChallenge {
        /// Who signs in.
        subject: ChallengeSubject,
        /// The first factors offered.
        available: Vec<ChallengeNameType>,
    },
    /// MFA is required and the user has no factor: they set up an authenticator app with
    /// `AssociateSoftwareToken` and `VerifySoftwareToken`, passing the session along.
    MfaSetup {
        /// Who signs in.
        subject: ChallengeSubject,
        /// Whether the new token has been verified, so that the sign-in may end.
        verified: bool,
    },
}

impl Challenge {
    /// Who is being challenged.
    pub fn subject(&self) -> &ChallengeSubject {
        match self {
            Self::PasswordVerifier(v) => &v.subject,
            Self::NewPasswordRequired(s) | Self::SoftwareTokenMfa(s) | Self::SelectMfaType(s) => s,
            Self::EmailOtp { subject, .. }
            | Self::MfaSetup { subject, .. }
            | Self::SelectChallenge { subject, .. }
            | Self::Custom { subject, .. } => subject,
        }
    }

    /// The challenge's name, as clients answer it.
    pub fn name(&self) -> ChallengeNameType {
        match self {
            Self::PasswordVerifier(_) => ChallengeNameType::PasswordVerifier,
            Self::NewPasswordRequired(_) => ChallengeNameType::NewPasswordRequired,
            Self::SoftwareTokenMfa(_) => ChallengeNameType::SoftwareTokenMfa,
            Self::EmailOtp { .. } => ChallengeNameType::EmailOtp,
            Self::SelectMfaType(_) => ChallengeNameType::SelectMfaType,
            Self::MfaSetup { .. } => ChallengeNameType::MfaSetup,
            Self::SelectChallenge { .. } => ChallengeNameType::SelectChallenge,
            Self::Custom { .. } => ChallengeNameType::CustomChallenge,
        }
    }

    /// The pool.
    pub fn pool_id(&self) -> &str {
        &self.subject().pool_id
    }

    /// The client.
    pub fn client_id(&self) -> &str {
        &self.subject().client_id
    }

    /// Whether the session has stopped working at `now`.
    pub fn expired(&self, now: Timestamp) -> bool {
        self.subject().expires < now
    }
}
