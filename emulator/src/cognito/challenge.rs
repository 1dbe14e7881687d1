//! A challenge posed in the middle of a sign-in, found again by its `Session` string when
//! the client answers. One variant per challenge the emulator poses; SRP, MFA and custom
//! challenges will join `NewPasswordRequired`.

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

/// A pending challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// An administrator-created user signed in with the temporary password and must
    /// choose a new one.
    NewPasswordRequired(ChallengeSubject),
}

impl Challenge {
    /// Who is being challenged.
    pub fn subject(&self) -> &ChallengeSubject {
        match self {
            Self::NewPasswordRequired(s) => s,
        }
    }

    /// The challenge's name, as clients answer it.
    pub fn name(&self) -> ChallengeNameType {
        match self {
            Self::NewPasswordRequired(_) => ChallengeNameType::NewPasswordRequired,
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
}
