//! The model's patterns are Java regular expressions, matched against the whole value.
//! The emulator matches with the `regex` crate, whose syntax differs in a few places;
//! this turns one into the other, keeping Java's meaning:
//!
//! - `\w`, `\d`, `\s` and `\S` are ASCII classes in Java (without UNICODE_CHARACTER_CLASS)
//!   and Unicode ones in `regex`, so they are spelled out;
//! - Java's `matches()` anchors at both ends, so the whole pattern is wrapped in `^(?:…)$`;
//! - `regex` has no look-behind; the one pattern that uses it is rewritten by hand below.

/// Java's ASCII classes, as `regex` class items (usable inside or outside brackets).
const WORD: &str = "0-9A-Za-z_";
const DIGIT: &str = "0-9";
const SPACE: &str = r"\t\n\x0B\x0C\r ";

/// The `regex` crate's spelling of Java pattern `java`, anchored.
pub fn to_rust(java: &str) -> String {
    // "Letters, digits, dots, dashes and underscores, not ending in a dot" is the only
    // pattern with a look-behind.
    let java = match java {
        r"^[0-9A-Za-z\.\-_]*(?<!\.)$" => r"^(?:[0-9A-Za-z.\-_]*[0-9A-Za-z\-_])?$",
        other => other,
    };
    let mut out = String::new();
    let mut chars = java.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push_str(r"\\");
                    break;
                };
                // Inside brackets the class's items go in as they are; outside, they
                // become a class of their own. `\S` is always a (nested) negated class,
                // which `regex` allows inside brackets too.
                let ascii = |items: &str| {
                    if in_class {
                        items.to_owned()
                    } else {
                        format!("[{items}]")
                    }
                };
                match e {
                    'w' => out.push_str(&ascii(WORD)),
                    'd' => out.push_str(&ascii(DIGIT)),
                    's' => out.push_str(&ascii(SPACE)),
                    'S' => out.push_str(&format!("[^{SPACE}]")),
                    // Every other escape means the same in both syntaxes (`regex`
                    // accepts any escaped ASCII punctuation).
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                // A `]` first in a class is a literal in Java.
                if chars.peek() == Some(&']') {
                    out.push_str(r"\]");
                    chars.next();
                }
            }
            '[' => out.push_str(r"\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' if in_class => {
                // `&&` and `~~` are class operators in `regex`, plain characters in Java.
                out.push('\\');
                out.push(c);
            }
            other => out.push(other),
        }
    }
    format!("^(?:{out})$")
}

#[cfg(test)]
mod tests {
    use super::to_rust;

    #[test]
    fn java_classes_are_ascii() {
        assert_eq!(to_rust(r"[\w-]+"), r"^(?:[0-9A-Za-z_-]+)$");
        assert_eq!(to_rust(r"[\S]+"), r"^(?:[[^\t\n\x0B\x0C\r ]]+)$");
        assert_eq!(
            to_rust(r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+"),
            r"^(?:[\p{L}\p{M}\p{S}\p{N}\p{P}]+)$"
        );
    }
}
