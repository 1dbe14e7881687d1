//! An index of a pool's users by the value of one attribute (`email`, `phone_number`), so
//! that sign-in by an alias and the check for a taken address need no scan of the users.

use std::collections::HashMap;

/// Usernames by the (lower-cased) value of one attribute, and the value each username is
/// indexed under, to unindex it without a scan.
#[derive(Debug, Default)]
pub struct AttributeIndex {
    /// Nearly always one holder: a sorted `Vec`, not a `BTreeSet` (whose first node
    /// alone takes some 300 bytes).
    by_value: HashMap<String, Vec<String>>,
    of_user: HashMap<String, String>,
}

impl AttributeIndex {
    /// Indexes `username` under `value`, or under nothing when `None`.
    pub fn set(&mut self, username: &str, value: Option<&str>) {
        self.remove(username);
        if let Some(value) = value.map(str::to_lowercase) {
            let names = self.by_value.entry(value.clone()).or_default();
            if let Err(at) = names.binary_search_by(|n| n.as_str().cmp(username)) {
                names.insert(at, username.to_owned());
            }
            self.of_user.insert(username.to_owned(), value);
        }
    }

    /// Forgets `username`.
    pub fn remove(&mut self, username: &str) {
        let Some(value) = self.of_user.remove(username) else {
            return;
        };
        if let Some(names) = self.by_value.get_mut(&value) {
            names.retain(|n| n != username);
            if names.is_empty() {
                self.by_value.remove(&value);
            }
        }
    }

    /// The usernames holding `value` (compared without case), in username order.
    pub fn holders(&self, value: &str) -> impl Iterator<Item = &String> {
        self.by_value
            .get(&value.to_lowercase())
            .into_iter()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_changes_and_ignores_case() {
        let mut index = AttributeIndex::default();
        index.set("a", Some("X@Example.com"));
        index.set("b", Some("x@example.com"));
        assert_eq!(index.holders("x@EXAMPLE.com").count(), 2);
        index.set("a", Some("y@example.com"));
        assert_eq!(index.holders("x@example.com").collect::<Vec<_>>(), ["b"]);
        index.remove("b");
        assert_eq!(index.holders("x@example.com").count(), 0);
        index.set("a", None);
        assert_eq!(index.holders("y@example.com").count(), 0);
    }
}
