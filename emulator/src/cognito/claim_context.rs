//! What the pool and the app client contribute to a user's tokens besides the user's own
//! attributes: the groups the user is in, and which attributes the client may read.
//! Gathered under the state lock with the grant, so a refresh sees today's groups.

use std::collections::BTreeSet;

use super::group::Memberships;

/// The pool's and the client's part of a grant.
#[derive(Debug, Clone, Default)]
pub struct ClaimContext {
    /// The user's groups, in token order.
    pub groups: Memberships,
    /// The client's `ReadAttributes`, when it names some; `None` reads everything.
    pub readable: Option<BTreeSet<String>>,
}

impl ClaimContext {
    /// Whether the id token may carry attribute `name`.
    pub fn may_read(&self, name: &str) -> bool {
        self.readable.as_ref().is_none_or(|r| r.contains(name))
    }
}
