//! Checking an input against the model's constraints, the way AWS's front end does:
//! every breach is collected (not just the first), members in alphabetical order of
//! their camelCase names, each worded as AWS words it:
//!
//! `2 validation errors detected: Value at 'password' failed to satisfy constraint:
//! Member must have length greater than or equal to 6; Value 'x' at 'userPoolId' failed
//! to satisfy constraint: Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`
//!
//! Values of `sensitive` members are never echoed (`Value at 'password'`). The generated
//! `validate_at` of each structure calls the methods of [`Violations`] below, one per
//! member; rules are statics in the generated code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;

use super::{Blob, Timestamp};

/// A pattern of the model: its Java text, shown in messages, and its `regex` spelling,
/// compiled on first use (so start-up compiles nothing).
#[derive(Debug)]
pub struct Pattern {
    model: &'static str,
    regex: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern, `model` as the model writes it and `regex` as the generator translated it.
    pub const fn new(model: &'static str, regex: &'static str) -> Self {
        Self {
            model,
            regex,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the model writes it.
    pub fn model(&self) -> &'static str {
        self.model
    }

    /// The compiled expression; `None` if the translation does not compile (a test
    /// compiles every pattern of the models, so this does not happen).
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| Regex::new(self.regex).ok())
            .as_ref()
    }

    /// Whether `value` matches the whole pattern.
    pub fn matches(&self, value: &str) -> bool {
        self.regex().is_none_or(|r| r.is_match(value))
    }
}

/// The constraints of a string shape.
#[derive(Debug)]
pub struct StringRule {
    /// Fewest characters (UTF-16 code units, as Java counts).
    pub min: Option<i64>,
    /// Most characters.
    pub max: Option<i64>,
    /// The pattern the whole value must match.
    pub pattern: Option<&'static Pattern>,
    /// Whether values are secret and never echoed.
    pub sensitive: bool,
}

/// The constraints of a number shape.
#[derive(Debug)]
pub struct NumberRule {
    /// The smallest value.
    pub min: Option<i64>,
    /// The largest value.
    pub max: Option<i64>,
}

/// The constraints of a list or map shape.
#[derive(Debug)]
pub struct ListRule {
    /// Fewest entries.
    pub min: Option<i64>,
    /// Most entries.
    pub max: Option<i64>,
    /// Whether entries are secret.
    pub sensitive: bool,
}

/// The rule for each element of a list (or key or value of a map).
#[derive(Debug)]
pub enum ElemRule {
    /// Elements of a string shape.
    String(&'static StringRule),
    /// Elements of a number shape.
    Number(&'static NumberRule),
    /// Enums and structures carry their own checks.
    None,
}

/// A string enum of the model.
pub trait ModelEnum {
    /// The model's values.
    fn values() -> &'static [&'static str];
    /// Whether the value is one of them.
    fn is_known(&self) -> bool;
    /// The value on the wire.
    fn as_str(&self) -> &str;
}

/// Something that can be an element of a list or a value of a map.
pub trait Element {
    /// The element as it is shown in a message.
    fn render(&self) -> String;
    /// The constraints of `rule` that this element breaks.
    fn failures(&self, rule: &ElemRule, out: &mut Vec<String>) {
        let _ = (rule, out);
    }
    /// Checks a structure element's own members, at path `at`.
    fn nested(&self, at: &str, v: &mut Violations) {
        let _ = (at, v);
    }
}

impl Element for String {
    fn render(&self) -> String {
        self.clone()
    }

    fn failures(&self, rule: &ElemRule, out: &mut Vec<String>) {
        if let ElemRule::String(rule) = rule {
            out.extend(string_failures(self, rule));
        }
    }
}

macro_rules! numeric_element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            fn render(&self) -> String {
                self.to_string()
            }

            fn failures(&self, rule: &ElemRule, out: &mut Vec<String>) {
                if let ElemRule::Number(rule) = rule {
                    out.extend(number_failures(i64::from(*self), rule));
                }
            }
        }
    )*};
}
numeric_element!(i32, i64);

impl Element for bool {
    fn render(&self) -> String {
        self.to_string()
    }
}

impl Element for f64 {
    fn render(&self) -> String {
        self.to_string()
    }
}

impl Element for Timestamp {
    fn render(&self) -> String {
        self.iso8601()
    }
}

impl Element for Blob {
    fn render(&self) -> String {
        format!("{self:?}")
    }
}

/// The failure of an enum value the model does not list.
pub fn enum_failures<E: ModelEnum>(value: &E, out: &mut Vec<String>) {
    if !value.is_known() {
        out.push(enum_message::<E>());
    }
}

fn enum_message<E: ModelEnum>() -> String {
    format!(
        "Member must satisfy enum value set: [{}]",
        E::values().join(", ")
    )
}

/// A value (`what` is "value") or a length ("length") outside `min..=max`.
fn bound_failures(n: i64, min: Option<i64>, max: Option<i64>, what: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(min) = min.filter(|min| n < *min) {
        out.push(format!(
            "Member must have {what} greater than or equal to {min}"
        ));
    }
    if let Some(max) = max.filter(|max| n > *max) {
        out.push(format!(
            "Member must have {what} less than or equal to {max}"
        ));
    }
    out
}

/// Patterns the model gives that AWS's front end does not enforce. Cognito's `DomainType`
/// pattern describes a domain prefix, yet the same members carry a custom domain's full
/// name (`auth.example.com`), which AWS accepts; the domain operations check a prefix
/// themselves, refusing it with AWS's own message.
const UNENFORCED_PATTERNS: &[&str] = &["^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$"];

fn string_failures(value: &str, rule: &StringRule) -> Vec<String> {
    // Java counts UTF-16 code units.
    let len = value.encode_utf16().count() as i64;
    let mut out = bound_failures(len, rule.min, rule.max, "length");
    if let Some(p) = rule
        .pattern
        .filter(|p| !UNENFORCED_PATTERNS.contains(&p.model()) && !p.matches(value))
    {
        out.push(format!(
            "Member must satisfy regular expression pattern: {}",
            p.model()
        ));
    }
    out
}

fn number_failures(value: i64, rule: &NumberRule) -> Vec<String> {
    bound_failures(value, rule.min, rule.max, "value")
}

fn count_failures(len: usize, rule: &ListRule) -> Vec<String> {
    bound_failures(len as i64, rule.min, rule.max, "length")
}

fn render_list<T: Element>(items: &[T]) -> String {
    let items: Vec<String> = items.iter().map(Element::render).collect();
    format!("[{}]", items.join(", "))
}

fn render_map<V: Element>(map: &BTreeMap<String, V>) -> String {
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{k}={}", v.render()))
        .collect();
    format!("{{{}}}", items.join(", "))
}

/// How a value appears in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// `Value null at`.
    Null,
    /// `Value at`: a sensitive member.
    Hidden,
    /// `Value 'x' at`.
    Text(String),
}

impl Shown {
    /// `text`, or hidden when it is `sensitive`.
    pub fn of(text: String, sensitive: bool) -> Self {
        if sensitive {
            Self::Hidden
        } else {
            Self::Text(text)
        }
    }
}

/// A structure that can be checked against the model's constraints.
pub trait Validate {
    /// Adds the breaches of this structure's members to `v`; `at` is the structure's own
    /// path (empty for the operation's input).
    fn validate_at(&self, at: &str, v: &mut Violations);

    /// Every breach, or `Ok` when there is none.
    fn validate(&self) -> Result<(), Violations> {
        let mut v = Violations::default();
        self.validate_at("", &mut v);
        if v.is_empty() {
            Ok(())
        } else {
            Err(v)
        }
    }
}

/// The breaches found so far, each one AWS's sentence.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Violations(Vec<String>);

impl Violations {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The sentences, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// AWS's message: `N validation error(s) detected: a; b`.
    pub fn message(&self) -> String {
        let n = self.0.len();
        let plural = if n == 1 { "" } else { "s" };
        format!(
            "{n} validation error{plural} detected: {}",
            self.0.join("; ")
        )
    }

    /// Adds a breach of `constraint` by member `path`, whose value is `shown`.
    pub fn push(&mut self, path: &str, shown: &Shown, constraint: &str) {
        let value = match shown {
            Shown::Null => " null".to_owned(),
            Shown::Hidden => String::new(),
            Shown::Text(t) => format!(" '{t}'"),
        };
        self.0.push(format!(
            "Value{value} at '{path}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// The path of member `name` and its value when it was given; a missing required
    /// member is a breach of its own.
    fn given<T>(
        &mut self,
        at: &str,
        name: &str,
        value: Option<T>,
        required: bool,
    ) -> Option<(String, T)> {
        let path = join(at, name);
        match value {
            Some(v) => Some((path, v)),
            None => {
                if required {
                    self.push(&path, &Shown::Null, "Member must not be null");
                }
                None
            }
        }
    }

    fn push_all(&mut self, path: &str, shown: &Shown, failures: Vec<String>) {
        for f in failures {
            self.push(path, shown, &f);
        }
    }

    /// The breaches of a list's elements (or a map's keys or values), which AWS reports
    /// as one constraint of the whole member: `{what} must satisfy constraint: [a, b]`.
    fn elements(&mut self, path: &str, shown: &Shown, what: &str, mut failures: Vec<String>) {
        dedup_in_order(&mut failures);
        if !failures.is_empty() {
            let constraint = format!("{what} must satisfy constraint: [{}]", failures.join(", "));
            self.push(path, shown, &constraint);
        }
    }

    /// A string member.
    pub fn string(
        &mut self,
        at: &str,
        name: &str,
        value: Option<&str>,
        required: bool,
        rule: &StringRule,
    ) {
        if let Some((path, s)) = self.given(at, name, value, required) {
            let shown = Shown::of(s.to_owned(), rule.sensitive);
            self.push_all(&path, &shown, string_failures(s, rule));
        }
    }

    /// A number member.
    pub fn number(
        &mut self,
        at: &str,
        name: &str,
        value: Option<i64>,
        required: bool,
        rule: &NumberRule,
    ) {
        if let Some((path, n)) = self.given(at, name, value, required) {
            self.push_all(&path, &Shown::Text(n.to_string()), number_failures(n, rule));
        }
    }

    /// A member whose only constraint is being there (booleans, times, blobs, documents).
    pub fn present(&mut self, at: &str, name: &str, present: bool, required: bool) {
        self.given(at, name, present.then_some(()), required);
    }

    /// An enum member.
    pub fn enumeration<E: ModelEnum>(
        &mut self,
        at: &str,
        name: &str,
        value: Option<&E>,
        required: bool,
    ) {
        if let Some((path, e)) = self.given(at, name, value, required) {
            if !e.is_known() {
                self.push(
                    &path,
                    &Shown::Text(e.as_str().to_owned()),
                    &enum_message::<E>(),
                );
            }
        }
    }

    /// A structure member: its own members are checked under its path.
    pub fn structure<T: Validate>(
        &mut self,
        at: &str,
        name: &str,
        value: Option<&T>,
        required: bool,
    ) {
        if let Some((path, s)) = self.given(at, name, value, required) {
            s.validate_at(&path, self);
        }
    }

    /// A list member: its length, then its elements (`name.1.member`, ...).
    pub fn list<T: Element>(
        &mut self,
        at: &str,
        name: &str,
        value: Option<&[T]>,
        required: bool,
        rule: &ListRule,
        elem: &ElemRule,
    ) {
        let Some((path, items)) = self.given(at, name, value, required) else {
            return;
        };
        let shown = Shown::of(render_list(items), rule.sensitive);
        self.push_all(&path, &shown, count_failures(items.len(), rule));
        let mut failures = Vec::new();
        for item in items {
            item.failures(elem, &mut failures);
        }
        self.elements(&path, &shown, "Member", failures);
        for (i, item) in items.iter().enumerate() {
            item.nested(&format!("{path}.{}.member", i + 1), self);
        }
    }

    /// A map member: its size, then its keys and values.
    #[allow(clippy::too_many_arguments)]
    pub fn map<V: Element>(
        &mut self,
        at: &str,
        name: &str,
        value: Option<&BTreeMap<String, V>>,
        required: bool,
        rule: &ListRule,
        key: &ElemRule,
        val: &ElemRule,
    ) {
        let Some((path, map)) = self.given(at, name, value, required) else {
            return;
        };
        let shown = Shown::of(render_map(map), rule.sensitive);
        self.push_all(&path, &shown, count_failures(map.len(), rule));
        let (mut keys, mut values) = (Vec::new(), Vec::new());
        for (k, v) in map {
            k.failures(key, &mut keys);
            v.failures(val, &mut values);
        }
        self.elements(&path, &shown, "Map key", keys);
        self.elements(&path, &shown, "Map value", values);
        for (k, v) in map {
            v.nested(&format!("{path}.{k}"), self);
        }
    }
}

fn dedup_in_order(items: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    items.retain(|i| seen.insert(i.clone()));
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static NAME: StringRule = StringRule {
        min: Some(1),
        max: Some(4),
        pattern: Some(&WORD),
        sensitive: false,
    };
    static WORD: Pattern = Pattern::new(r"[\w]+", r"^(?:[0-9A-Za-z_]+)$");
    static SECRET: StringRule = StringRule {
        min: Some(6),
        max: None,
        pattern: None,
        sensitive: true,
    };

    #[test]
    fn one_and_several_violations_are_worded_as_aws_words_them() {
        let mut v = Violations::default();
        v.string("", "name", Some("ab"), true, &NAME);
        assert!(v.is_empty());
        v.string("", "name", Some("a b c"), true, &NAME);
        assert_eq!(
            v.message(),
            "2 validation errors detected: Value 'a b c' at 'name' failed to satisfy constraint: Member must have length less than or equal to 4; Value 'a b c' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+"
        );
        let mut v = Violations::default();
        v.string("lambdaConfig", "secret", Some("abc"), true, &SECRET);
        v.string("", "missing", None, true, &NAME);
        assert_eq!(
            v.message(),
            "2 validation errors detected: Value at 'lambdaConfig.secret' failed to satisfy constraint: Member must have length greater than or equal to 6; Value null at 'missing' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn java_classes_are_ascii_only() {
        let mut v = Violations::default();
        v.string("", "name", Some("é"), true, &NAME);
        assert_eq!(v.len(), 1, "Java's \\w does not match é");
    }

    #[test]
    fn list_elements_are_checked_as_one_constraint() {
        let rule = ListRule {
            min: None,
            max: Some(2),
            sensitive: false,
        };
        let items = vec!["ok".to_owned(), "not ok".to_owned(), "x".repeat(5)];
        let mut v = Violations::default();
        v.list(
            "",
            "names",
            Some(&items),
            false,
            &rule,
            &ElemRule::String(&NAME),
        );
        let all: Vec<&str> = v.iter().collect();
        assert_eq!(all.len(), 2);
        assert!(all[0].ends_with("Member must have length less than or equal to 2"));
        assert_eq!(
            all[1],
            "Value '[ok, not ok, xxxxx]' at 'names' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 4, Member must satisfy regular expression pattern: [\\w]+]"
        );
    }
}
