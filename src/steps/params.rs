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

/// `{names}`: one or more quoted names, as a sentence lists them: `"readers"`,
/// `"readers" and "editors"`, `"readers", "editors" and "auditors"`. In the order written.
#[derive(Debug, Clone, PartialEq, Eq, Parameter)]
#[param(name = "names", regex = r#""[^"]+"(?:(?:, | and )"[^"]+")*"#)]
pub(crate) struct Names(pub(crate) Vec<String>);

impl FromStr for Names {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let names: Vec<String> = s.split('"').skip(1).step_by(2).map(str::to_owned).collect();
        if names.is_empty() {
            return Err(format!("no quoted names in {s:?}"));
        }
        Ok(Self(names))
    }
}

/// `{attribute}`: a custom attribute of the pool, by its full name (`custom:tenant`).
#[derive(Debug, Clone, PartialEq, Eq, Parameter)]
#[param(name = "attribute", regex = r"custom:\w+")]
pub(crate) struct CustomAttribute(String);

impl FromStr for CustomAttribute {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

impl CustomAttribute {
    /// The full name, `custom:tenant`: how users and tokens see it.
    pub(crate) fn full_name(&self) -> &str {
        &self.0
    }

    /// The name in the pool's schema, without `custom:`.
    pub(crate) fn schema_name(&self) -> &str {
        self.0.strip_prefix("custom:").unwrap_or(&self.0)
    }
}

/// `{mfa}`: how a pool asks for a second factor: "offers optional" (OPTIONAL: users who
/// set one up are asked for it) or "requires" (ON: everyone, and a first sign-in sets it
/// up).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Parameter)]
#[param(name = "mfa", regex = "offers optional|requires")]
pub(crate) enum MfaMode {
    /// OPTIONAL
    Optional,
    /// ON
    Required,
}

impl FromStr for MfaMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "offers optional" => Ok(Self::Optional),
            "requires" => Ok(Self::Required),
            other => Err(format!(
                "{other:?} is not \"offers optional\" or \"requires\""
            )),
        }
    }
}

/// Every parameter the steps take: its name, the values it accepts (its pattern), and
/// what it stands for. `cognito-e2e steps` and `docs/steps.md` list them.
pub(crate) fn catalog() -> Vec<(&'static str, &'static str, &'static str)> {
    use cucumber::codegen::Parameter as P;
    vec![
        (
            PersonName::NAME,
            PersonName::REGEX,
            "a person of the scenario, by name (alice); each gets a fresh address and password",
        ),
        (
            Pronoun::NAME,
            Pronoun::REGEX,
            "her, his or their, whichever reads best",
        ),
        (
            UserStatus::NAME,
            UserStatus::REGEX,
            "a user's status, as AdminGetUser reports it",
        ),
        (
            Verified::NAME,
            Verified::REGEX,
            "whether an address is verified",
        ),
        (
            BrokenRule::NAME,
            BrokenRule::REGEX,
            "the one rule of the default password policy a password breaks",
        ),
        (
            Names::NAME,
            Names::REGEX,
            "one or more quoted names: \"a\", \"a\" and \"b\", \"a\", \"b\" and \"c\"",
        ),
        (
            CustomAttribute::NAME,
            CustomAttribute::REGEX,
            "a custom attribute by its full name (custom:tenant)",
        ),
        (
            MfaMode::NAME,
            MfaMode::REGEX,
            "how a pool asks for a second factor: offers optional (OPTIONAL) or requires (ON)",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::Names;

    #[test]
    fn names_are_read_in_the_order_written() {
        let parse = |s: &str| s.parse::<Names>().map(|n| n.0);
        assert_eq!(parse(r#""readers""#), Ok(vec!["readers".to_owned()]));
        assert_eq!(
            parse(r#""readers", "editors" and "auditors""#),
            Ok(vec![
                "readers".to_owned(),
                "editors".to_owned(),
                "auditors".to_owned()
            ])
        );
        assert!(parse("readers").is_err());
    }
}
