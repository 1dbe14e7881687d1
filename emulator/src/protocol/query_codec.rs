//! The query protocol's data model: form parameters in (`Destination.ToAddresses.member.1`),
//! XML out. The generated SES shapes implement [`FromQuery`] and [`ToXml`] member by
//! member; the scalars, lists and maps they are built from implement them here.

use std::collections::BTreeMap;

use crate::shape::{Blob, Timestamp};

/// The form parameters of one request.
#[derive(Debug, Default, Clone)]
pub struct QueryParams {
    /// By name; when a name repeats, the first value counts.
    values: BTreeMap<String, String>,
}

impl QueryParams {
    /// Parameters from decoded `(name, value)` pairs.
    pub fn new(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        let mut values = BTreeMap::new();
        for (name, value) in pairs {
            values.entry(name).or_insert(value);
        }
        Self { values }
    }

    /// `prefix.member`, or `member` at the top.
    pub fn join(prefix: &str, member: &str) -> String {
        if prefix.is_empty() {
            member.to_owned()
        } else {
            format!("{prefix}.{member}")
        }
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether the structure, list or map `prefix` was sent: the name itself (an empty list
    /// is sent as `Name=`) or anything under it. The top (`""`) always is.
    pub fn has(&self, prefix: &str) -> bool {
        if prefix.is_empty() {
            return true;
        }
        let nested = format!("{prefix}.");
        self.values
            .range(prefix.to_owned()..)
            .take_while(|(k, _)| k.starts_with(prefix))
            .any(|(k, _)| k == prefix || k.starts_with(&nested))
    }

    /// The indexes `N` of `prefix.N.…` or `prefix.N`, in numeric order.
    fn indexes(&self, prefix: &str) -> Vec<u64> {
        let start = format!("{prefix}.");
        let mut found: Vec<u64> = self
            .values
            .range(start.clone()..)
            .take_while(|(k, _)| k.starts_with(&start))
            .filter_map(|(k, _)| k[start.len()..].split('.').next()?.parse().ok())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// A parameter sent in a form its member's type cannot take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// A number member whose text is not a number: a breach of the model (the service
    /// answers it as a validation error).
    NotANumber {
        /// The parameter's name (`MaxItems`, `Message.Body.Text.Data`).
        key: String,
        /// What was sent.
        value: String,
    },
    /// Any other value the member cannot take (a boolean, a time, base64 data).
    Invalid(String),
}

/// A value read from form parameters. `Ok(None)` when it was not sent.
pub trait FromQuery: Sized {
    /// Reads the value named `key`.
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError>;
}

impl FromQuery for String {
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
        Ok(q.get(key).map(str::to_owned))
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl FromQuery for $t {
            fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
                q.get(key)
                    .map(|v| {
                        v.trim().parse().map_err(|_| QueryError::NotANumber {
                            key: key.to_owned(),
                            value: v.to_owned(),
                        })
                    })
                    .transpose()
            }
        }
    )*};
}
numbers!(i32, i64, f64);

/// Reads parameter `key` with `parse`, naming `what` the value should have been.
fn parsed<T>(
    q: &QueryParams,
    key: &str,
    what: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<Option<T>, QueryError> {
    q.get(key)
        .map(|v| {
            parse(v).ok_or_else(|| {
                QueryError::Invalid(format!("Invalid {what} value for parameter {key}"))
            })
        })
        .transpose()
}

impl FromQuery for bool {
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
        parsed(q, key, "boolean", |v| v.trim().parse().ok())
    }
}

impl FromQuery for Timestamp {
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
        parsed(q, key, "timestamp", Timestamp::parse_iso8601)
    }
}

impl FromQuery for Blob {
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
        parsed(q, key, "base64", Blob::from_base64)
    }
}

impl<T: FromQuery> FromQuery for Vec<T> {
    /// `key.member.1`, `key.member.2`, … in index order.
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
        if !q.has(key) {
            return Ok(None);
        }
        let member = format!("{key}.member");
        let mut items = Vec::new();
        for i in q.indexes(&member) {
            if let Some(item) = T::from_query(q, &format!("{member}.{i}"))? {
                items.push(item);
            }
        }
        Ok(Some(items))
    }
}

impl<V: FromQuery> FromQuery for BTreeMap<String, V> {
    /// `key.entry.N.key` and `key.entry.N.value`.
    fn from_query(q: &QueryParams, key: &str) -> Result<Option<Self>, QueryError> {
        if !q.has(key) {
            return Ok(None);
        }
        let entry = format!("{key}.entry");
        let mut map = BTreeMap::new();
        for i in q.indexes(&entry) {
            let k = q.get(&format!("{entry}.{i}.key"));
            let v = V::from_query(q, &format!("{entry}.{i}.value"))?;
            if let (Some(k), Some(v)) = (k, v) {
                map.insert(k.to_owned(), v);
            }
        }
        Ok(Some(map))
    }
}

/// XML under construction. Every text goes through [`xml_text`].
#[derive(Debug, Default)]
pub struct XmlWriter(String);

impl XmlWriter {
    /// `<tag>`.
    pub fn open(&mut self, tag: &str) {
        self.0.push('<');
        self.0.push_str(tag);
        self.0.push('>');
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &str) {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
    }

    /// `<tag>text</tag>`.
    pub fn leaf(&mut self, tag: &str, text: &str) {
        self.open(tag);
        self.0.push_str(&xml_text(text));
        self.close(tag);
    }

    /// `<tag><member>item</member>…</tag>`: a list of strings.
    pub fn members(&mut self, tag: &str, items: &[String]) {
        self.open(tag);
        for item in items {
            self.leaf("member", item);
        }
        self.close(tag);
    }

    /// The XML written.
    pub fn finish(self) -> String {
        self.0
    }
}

/// `text` as XML character data: markup characters escaped, a carriage return kept as a
/// reference (a parser would fold a raw one into a line feed), and characters XML 1.0
/// cannot carry at all replaced by U+FFFD, so the document always parses.
pub fn xml_text(text: &str) -> String {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    let clean: String = text
        .chars()
        .map(|c| if allowed(c) { c } else { '\u{FFFD}' })
        .collect();
    quick_xml::escape::escape(clean.as_str()).replace('\r', "&#13;")
}

/// A value written as XML.
pub trait ToXml {
    /// Writes the value as element `tag`.
    fn write_xml(&self, w: &mut XmlWriter, tag: &str) {
        w.open(tag);
        self.write_members(w);
        w.close(tag);
    }

    /// Writes a structure's members (nothing for scalars).
    fn write_members(&self, w: &mut XmlWriter);
}

macro_rules! leaf {
    ($($t:ty => $text:expr),*) => {$(
        impl ToXml for $t {
            fn write_xml(&self, w: &mut XmlWriter, tag: &str) {
                let text: String = ($text)(self);
                w.leaf(tag, &text);
            }

            fn write_members(&self, _: &mut XmlWriter) {}
        }
    )*};
}
leaf!(
    String => |s: &String| s.clone(),
    i32 => |n: &i32| n.to_string(),
    i64 => |n: &i64| n.to_string(),
    f64 => |n: &f64| n.to_string(),
    bool => |b: &bool| b.to_string(),
    Timestamp => |t: &Timestamp| t.iso8601(),
    Blob => |b: &Blob| b.to_base64()
);

impl<T: ToXml> ToXml for Vec<T> {
    fn write_members(&self, w: &mut XmlWriter) {
        for item in self {
            item.write_xml(w, "member");
        }
    }
}

impl<V: ToXml> ToXml for BTreeMap<String, V> {
    fn write_members(&self, w: &mut XmlWriter) {
        for (k, v) in self {
            w.open("entry");
            w.leaf("key", k);
            v.write_xml(w, "value");
            w.close("entry");
        }
    }
}

/// Actions without output write nothing.
impl ToXml for () {
    fn write_members(&self, _: &mut XmlWriter) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> QueryParams {
        QueryParams::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn lists_come_in_index_order_and_maps_by_entry() {
        let q = params(&[
            ("L.member.10", "c"),
            ("L.member.2", "b"),
            ("L.member.1", "a"),
            ("M.entry.1.key", "k"),
            ("M.entry.1.value", "v"),
        ]);
        let l: Vec<String> = FromQuery::from_query(&q, "L").unwrap().unwrap();
        assert_eq!(l, ["a", "b", "c"]);
        let m: BTreeMap<String, String> = FromQuery::from_query(&q, "M").unwrap().unwrap();
        assert_eq!(m["k"], "v");
        let none: Option<Vec<String>> = FromQuery::from_query(&q, "X").unwrap();
        assert!(none.is_none());
        let n: Result<Option<i32>, QueryError> = FromQuery::from_query(&params(&[("N", "x")]), "N");
        assert!(n.is_err());
    }

    #[test]
    fn lists_write_members() {
        let mut w = XmlWriter::default();
        vec!["a<".to_owned()].write_xml(&mut w, "L");
        assert_eq!(w.finish(), "<L><member>a&lt;</member></L>");
    }
}
