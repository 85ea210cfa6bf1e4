//! Human-readable output shows text from the user's files (policy text in findings, scenario
//! and expectation names, ids, paths). A control character in that text could move the
//! cursor, clear a line and print `8 passed, 0 failed` over the real result, so every value
//! from a file is shown through [`shown`]: control characters become visible escapes
//! (`\n`, `\r`, `\t`, `\u{1b}`). JSON output needs nothing: serde escapes them itself.

use std::fmt::{self, Display, Write as _};

/// A value whose text is shown with its control characters escaped.
pub struct Shown<T>(T);

impl<T: Display> Display for Shown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        for c in text.chars() {
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// `value` shown with its control characters escaped.
pub fn shown<T: Display>(value: T) -> Shown<T> {
    Shown(value)
}

/// A multi-line text: its line breaks stay, every other control character is escaped.
pub fn block(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = write!(out, "{}", shown(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_visible() {
        assert_eq!(
            shown("a\u{1b}[2K\r8 passed, 0 failed\nx\u{7f}").to_string(),
            "a\\u{1b}[2K\\r8 passed, 0 failed\\nx\\u{7f}"
        );
        assert_eq!(shown("plain `text` é").to_string(), "plain `text` é");
        assert_eq!(block("a\u{1b}\nb\r"), "a\\u{1b}\nb\\r");
    }
}
