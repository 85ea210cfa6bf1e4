//! The small Markdown subset of challenge and course instructions, read into blocks that the
//! view renders as elements (never as HTML: a `<script>` in a course file shows as text).
//!
//! The subset: paragraphs (separated by a blank line), bullet lists (`- ` or `* ` at the
//! start of a line), `**strong**`, `` `code` `` and `[text](https://…)` links (http and https
//! only; anything else stays text). Hand-written because a Markdown crate would add tens of
//! kilobytes to a wasm already over its size budget to render a handful of constructs, and
//! would pass HTML through unless configured not to.

/// A run of inline text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// `**strong**`.
    Strong(String),
    /// `` `code` ``.
    Code(String),
    /// `[text](url)`, with an http(s) URL.
    Link {
        /// The link text.
        text: String,
        /// The address.
        url: String,
    },
}

/// A block of instructions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bullet list, one entry per item.
    List(Vec<Vec<Inline>>),
}

/// Reads `text` into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let flush_paragraph = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(inline(&paragraph.join(" "))));
            paragraph.clear();
        }
    };
    let flush_list = |items: &mut Vec<String>, blocks: &mut Vec<Block>| {
        if !items.is_empty() {
            blocks.push(Block::List(items.iter().map(|i| inline(i)).collect()));
            items.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush_paragraph(&mut paragraph, &mut blocks);
            flush_list(&mut items, &mut blocks);
        } else if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            flush_paragraph(&mut paragraph, &mut blocks);
            items.push(item.trim().to_owned());
        } else if let (Some(last), true) = (items.last_mut(), line.starts_with(' ')) {
            // an indented line continues the list item
            last.push(' ');
            last.push_str(trimmed);
        } else {
            flush_list(&mut items, &mut blocks);
            paragraph.push(trimmed);
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut items, &mut blocks);
    blocks
}

/// Reads the inline constructs of one paragraph or item.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let found = match c {
            '`' => delimited(rest, "`").map(|(inner, used)| (Inline::Code(inner), used)),
            '*' => delimited(rest, "**").map(|(inner, used)| (Inline::Strong(inner), used)),
            '[' => link(rest),
            _ => None,
        };
        match found {
            Some((node, used)) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(node);
                rest = rest.get(used..).unwrap_or_default();
            }
            None => {
                plain.push(c);
                rest = rest.get(c.len_utf8()..).unwrap_or_default();
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// The non-empty text between `mark` at the start of `rest` and the next `mark`, with the
/// bytes both marks and the text take.
fn delimited(rest: &str, mark: &str) -> Option<(String, usize)> {
    let inner = rest.strip_prefix(mark)?;
    let end = inner.find(mark).filter(|end| *end > 0)?;
    Some((inner.get(..end)?.to_owned(), end + 2 * mark.len()))
}

/// `[text](url)` at the start of `rest`, with the bytes it takes; `None` unless the URL is
/// http(s) and has no space.
fn link(rest: &str) -> Option<(Inline, usize)> {
    let close = rest.find("](")?;
    let text = rest.get(1..close)?;
    let after = rest.get(close + 2..)?;
    let end = after.find(')')?;
    let url = after.get(..end)?;
    let safe = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace)
        && !text.is_empty();
    safe.then(|| {
        (
            Inline::Link {
                text: text.to_owned(),
                url: url.to_owned(),
            },
            close + 2 + end + 1,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn paragraphs_lists_and_inline_constructs() {
        let blocks = parse(
            "Studio sets the **source identity** (`aws:SourceIdentity`).\nIt sticks.\n\nFix it:\n\n- alice reads\n  her prefix;\n* bob does not\n\nSee [the guide](https://docs.aws.amazon.com/IAM/).",
        );
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph(vec![
                    text("Studio sets the "),
                    Inline::Strong("source identity".into()),
                    text(" ("),
                    Inline::Code("aws:SourceIdentity".into()),
                    text("). It sticks."),
                ]),
                Block::Paragraph(vec![text("Fix it:")]),
                Block::List(vec![
                    vec![text("alice reads her prefix;")],
                    vec![text("bob does not")]
                ]),
                Block::Paragraph(vec![
                    text("See "),
                    Inline::Link {
                        text: "the guide".into(),
                        url: "https://docs.aws.amazon.com/IAM/".into()
                    },
                    text(".")
                ]),
            ]
        );
    }

    #[test]
    fn html_and_unsafe_links_stay_text() {
        assert_eq!(
            inline("<script>alert(1)</script> [x](javascript:alert(1)) s3:* **"),
            vec![text(
                "<script>alert(1)</script> [x](javascript:alert(1)) s3:* **"
            )]
        );
        // unclosed constructs and an empty code span are text, and nothing panics on
        // multi-byte text
        assert_eq!(inline("a `b"), vec![text("a `b")]);
        assert_eq!(inline("``"), vec![text("``")]);
        assert_eq!(
            inline("é **ü**"),
            vec![text("é "), Inline::Strong("ü".into())]
        );
        assert!(parse("").is_empty());
    }
}
