//! The words steps share, as cucumber expression parameters: `{person}` for a name,
//! `{pronoun}` for her, his or their, and a few closed lists. Writing them once keeps
//! every step matching the same names the same way.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use cucumber::Parameter;

/// `{person}`: a person of the scenario, by the name the feature calls them ("alice").
#[derive(Debug, Clone, PartialEq, Eq, Parameter)]
#[param(name = "person", regex = r"\w+")]
pub(crate) struct PersonName(String);

impl FromStr for PersonName {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl Deref for PersonName {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `{pronoun}`: her, his or their, so a step reads naturally whoever it is about. The
/// steps do not need to know which one was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(name = "pronoun", regex = "her|his|their")]
pub(crate) enum Pronoun {
    /// her
    Her,
    /// his
    His,
    /// their
    Their,
}

impl FromStr for Pronoun {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "her" => Ok(Self::Her),
            "his" => Ok(Self::His),
            "their" => Ok(Self::Their),
            other => Err(format!("{other:?} is not her, his or their")),
        }
    }
}

/// `{status}`: a user's status as AdminGetUser reports it.
#[derive(Debug, Clone, PartialEq, Eq, Parameter)]
#[param(
    name = "status",
    regex = "UNCONFIRMED|CONFIRMED|FORCE_CHANGE_PASSWORD|RESET_REQUIRED"
)]
pub(crate) struct UserStatus(String);

impl FromStr for UserStatus {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl UserStatus {
    /// The status as AWS spells it.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// `{verified}`: "verified" or "not verified".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(name = "verified", regex = "verified|not verified")]
pub(crate) struct Verified(pub(crate) bool);

impl FromStr for Verified {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "verified" => Ok(Self(true)),
            "not verified" => Ok(Self(false)),
            other => Err(format!("{other:?} is not \"verified\" or \"not verified\"")),
        }
    }
}

/// `{rule}`: the one rule of the default password policy a password breaks.
/// Only the rules listed here match, so a rule the harness cannot break is an undefined
/// step, not a failure at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(
    name = "rule",
    regex = "is too short|has no lower-case letter|has no upper-case letter|has no digit|has no symbol"
)]
pub(crate) enum BrokenRule {
    /// is too short
    TooShort,
    /// has no lower-case letter
    NoLowercase,
    /// has no upper-case letter
    NoUppercase,
    /// has no digit
    NoDigit,
    /// has no symbol
    NoSymbol,
}

impl FromStr for BrokenRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "is too short" => Self::TooShort,
            "has no lower-case letter" => Self::NoLowercase,
            "has no upper-case letter" => Self::NoUppercase,
            "has no digit" => Self::NoDigit,
            "has no symbol" => Self::NoSymbol,
            other => return Err(format!("no password rule {other:?}")),
        })
    }
}
