//! A group of a user pool: its name, description, IAM role and precedence, and its
//! members; and how a user's groups show in tokens (`cognito:groups`, `cognito:roles`,
//! `cognito:preferred_role`).

use std::collections::BTreeSet;

use crate::generated::cognito::shapes::GroupType;
use crate::shape::Timestamp;

/// One group.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Group {
    /// The name, unique in the pool.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// The IAM role of the group's members.
    pub role_arn: Option<String>,
    /// Lower values take precedence; a group without one comes after every group with one.
    pub precedence: Option<i32>,
    /// When it was created.
    pub created: Timestamp,
    /// When it was last changed.
    pub modified: Timestamp,
    /// The stored usernames of the members.
    pub members: BTreeSet<String>,
}

impl Group {
    /// A new group without members.
    pub fn new(
        name: String,
        description: Option<String>,
        role_arn: Option<String>,
        precedence: Option<i32>,
        now: Timestamp,
    ) -> Self {
        Self {
            name,
            description,
            role_arn,
            precedence,
            created: now,
            modified: now,
            members: BTreeSet::new(),
        }
    }

    /// The `GroupType` AWS describes the group with, in pool `pool_id`.
    pub fn describe(&self, pool_id: &str) -> GroupType {
        GroupType {
            group_name: Some(self.name.clone()),
            user_pool_id: Some(pool_id.to_owned()),
            description: self.description.clone(),
            role_arn: self.role_arn.clone(),
            precedence: self.precedence,
            last_modified_date: Some(self.modified),
            creation_date: Some(self.created),
        }
    }

    /// What a token needs to know of the group.
    pub fn claim(&self) -> GroupClaim {
        GroupClaim {
            name: self.name.clone(),
            precedence: self.precedence,
            role_arn: self.role_arn.clone(),
        }
    }
}

/// One group of a user, as far as tokens are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupClaim {
    /// The group's name.
    pub name: String,
    /// Its precedence.
    pub precedence: Option<i32>,
    /// Its role.
    pub role_arn: Option<String>,
}

/// A user's groups in the order tokens list them: by precedence, lowest first, groups
/// without precedence last, ties by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memberships(Vec<GroupClaim>);

impl Memberships {
    /// The groups `groups`, put in token order.
    pub fn new(mut groups: Vec<GroupClaim>) -> Self {
        groups.sort_by(|a, b| {
            let rank = |g: &GroupClaim| (g.precedence.is_none(), g.precedence);
            rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name))
        });
        Self(groups)
    }

    /// Whether the user is in no group (tokens then carry no group claims).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `cognito:groups`: the names.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|g| g.name.as_str()).collect()
    }

    /// `cognito:roles`: the roles of the groups that have one, each once.
    pub fn roles(&self) -> Vec<&str> {
        let mut roles: Vec<&str> = Vec::new();
        for role in self.0.iter().filter_map(|g| g.role_arn.as_deref()) {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        roles
    }

    /// `cognito:preferred_role`: the role of the group that takes precedence among those
    /// with a role. Groups tied at that precedence with different roles leave no
    /// preferred role, as AWS documents; tied with the same role, that role.
    pub fn preferred_role(&self) -> Option<&str> {
        let first = self.0.iter().find(|g| g.role_arn.is_some())?;
        let mut tied = self
            .0
            .iter()
            .filter(|g| g.role_arn.is_some() && g.precedence == first.precedence)
            .filter_map(|g| g.role_arn.as_deref());
        let role = tied.next()?;
        tied.all(|r| r == role).then_some(role)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(name: &str, precedence: Option<i32>, role: Option<&str>) -> GroupClaim {
        GroupClaim {
            name: name.into(),
            precedence,
            role_arn: role.map(Into::into),
        }
    }

    #[test]
    fn orders_by_precedence_then_name_with_unranked_last() {
        let m = Memberships::new(vec![
            g("zeta", None, None),
            g("beta", Some(5), None),
            g("alpha", None, None),
            g("gamma", Some(1), None),
            g("delta", Some(5), None),
        ]);
        assert_eq!(m.names(), ["gamma", "beta", "delta", "alpha", "zeta"]);
    }

    #[test]
    fn the_preferred_role_is_the_highest_ranked_groups() {
        let m = Memberships::new(vec![
            g("a", Some(3), Some("arn:r3")),
            g("b", Some(1), None),
            g("c", Some(2), Some("arn:r2")),
        ]);
        assert_eq!(m.preferred_role(), Some("arn:r2"));
        assert_eq!(m.roles(), ["arn:r2", "arn:r3"]);
    }

    #[test]
    fn ties_with_different_roles_leave_no_preferred_role() {
        let tied = Memberships::new(vec![
            g("a", Some(1), Some("arn:x")),
            g("b", Some(1), Some("arn:y")),
        ]);
        assert_eq!(tied.preferred_role(), None);
        let same = Memberships::new(vec![
            g("a", Some(1), Some("arn:x")),
            g("b", Some(1), Some("arn:x")),
        ]);
        assert_eq!(same.preferred_role(), Some("arn:x"));
        assert_eq!(same.roles(), ["arn:x"]);
        let unranked = Memberships::new(vec![g("a", None, Some("arn:x"))]);
        assert_eq!(unranked.preferred_role(), Some("arn:x"));
        assert_eq!(Memberships::default().preferred_role(), None);
    }
}
