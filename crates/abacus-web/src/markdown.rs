//! "Copy as Markdown" for a design review: the selected request (decision, AccessDenied
//! message, the deciding statements with their text, the condition trace, the CloudTrail
//! records) and the access matrix's diff (who gained and who lost access), as Markdown a
//! review document can take as it is. Free of the DOM, tested natively.

use crate::view::{trace_outline, DecisionView, MatrixChange, TraceNode};
use abacus_policy::Decision;
use abacus_studio::scenario::Scenario;
use std::fmt::Write as _;

/// A fence of backticks longer than any run of backticks in `text`, so the block cannot be
/// closed early by its own content.
fn fence(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// `text` as a fenced block of language `lang`.
fn block(out: &mut String, lang: &str, text: &str) {
    let f = fence(text);
    let _ = writeln!(out, "{f}{lang}\n{}\n{f}", text.trim_end());
}

/// Text for a table cell: no line breaks, pipes escaped.
fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

fn decision_words(d: Decision) -> &'static str {
    match d {
        Decision::Allow => "Allow",
        Decision::ExplicitDeny => "Explicit deny",
        Decision::ImplicitDeny => "Implicit deny",
    }
}

/// The selected request of `doc` as Markdown.
pub fn request_markdown(
    doc: &Scenario,
    decision: &DecisionView,
    trace: &[TraceNode],
    cloudtrail: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {}: {}\n",
        decision_words(decision.decision),
        doc.selection.describe(&doc.world)
    );
    let _ = writeln!(out, "Scenario: {}  ", cell(&doc.name));
    let _ = writeln!(out, "Request: `{}`\n", decision.request_line);
    if let Some(message) = &decision.message {
        out.push_str("**AccessDenied message**\n\n");
        block(&mut out, "text", message);
        out.push('\n');
    }
    if !decision.deciding.is_empty() {
        out.push_str("**Deciding statements**\n\n");
        for d in &decision.deciding {
            let _ = writeln!(out, "- {}", d.label);
            let text = d
                .policy
                .and_then(|i| doc.policies.get(i))
                .and_then(|p| p.text.get(d.span.0..d.span.1));
            if let Some(text) = text {
                out.push('\n');
                block(&mut out, "json", &abacus_policy::json::dedent_value(text));
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if !decision.missing_keys.is_empty() {
        let keys: Vec<String> = decision
            .missing_keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect();
        let _ = writeln!(
            out,
            "Keys the policies test that the request lacks: {}\n",
            keys.join(", ")
        );
    }
    if !trace.is_empty() {
        out.push_str("**Condition trace**\n\n");
        block(&mut out, "text", &trace_outline(trace));
        out.push('\n');
    }
    if !cloudtrail.trim().is_empty() {
        out.push_str("**CloudTrail**\n\n");
        block(&mut out, "json", cloudtrail);
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "_Simulated by Abacus {} with {}._",
        env!("CARGO_PKG_VERSION"),
        abacus_reference::current().index().map_or_else(
            || "the AWS reference data still loading".to_owned(),
            |i| format!("AWS reference data {}", i.describe())
        )
    );
    out
}

/// Who gained and who lost access against the baseline, as a Markdown table (gained, then
/// lost, then another kind of deny).
pub fn matrix_diff_markdown(changes: &[MatrixChange]) -> String {
    if changes.is_empty() {
        return "No access changed against the baseline.\n".to_owned();
    }
    let count = |k: &str| changes.iter().filter(|c| c.kind() == k).count();
    let mut out = format!(
        "**Access changes against the baseline:** {} gained, {} lost, {} with another kind of deny\n\n| user | action and resource | before | after | change |\n|---|---|---|---|---|\n",
        count("gained"),
        count("lost"),
        count("changed")
    );
    for kind in ["gained", "lost", "changed"] {
        for c in changes.iter().filter(|c| c.kind() == kind) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                cell(&c.user),
                cell(&c.column.label()),
                c.before.map_or("—", decision_words),
                decision_words(c.after),
                if kind == "changed" {
                    "other deny"
                } else {
                    kind
                }
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::scenario::default_scenario;

    #[test]
    fn a_denied_request_reads_as_a_review_note() {
        let doc = default_scenario();
        let d = crate::derive::workspace(&doc, 0);
        let decision = d.decision.clone().unwrap();
        let md = request_markdown(&doc, &decision, &d.trace, d.cloudtrail.as_str());
        assert!(
            md.starts_with(&format!("### {}: ", decision_words(decision.decision))),
            "{md}"
        );
        if decision.message.is_some() {
            assert!(
                md.contains("**AccessDenied message**\n\n```text\nUser: arn:aws:"),
                "{md}"
            );
        }
        assert!(md.contains("**Condition trace**"), "{md}");
        assert!(md.contains("**CloudTrail**\n\n```json\n"), "{md}");
        assert!(md.trim_end().ends_with("._"), "{md}");
        // fences never close early
        assert_eq!(fence("a ``` b"), "````");
        assert_eq!(fence("none"), "```");
    }

    #[test]
    fn the_matrix_diff_is_a_table() {
        use crate::view::{matrix_diff, MatrixColumn, MatrixView};
        use Decision::*;
        let col = |a: &str, s: &str| MatrixColumn {
            action: a.into(),
            scope: s.into(),
        };
        let before = MatrixView {
            users: vec!["alice".into(), "bob|x".into()],
            columns: vec![col("s3:GetObject", "own"), col("s3:GetObject", "others")],
            cells: vec![
                vec![Some(Allow), Some(ImplicitDeny)],
                vec![Some(Allow), Some(ImplicitDeny)],
            ],
            refused: None,
            ..MatrixView::default()
        };
        let mut after = before.clone();
        after.cells[0][1] = Some(Allow);
        after.cells[1][0] = Some(ExplicitDeny);
        let md = matrix_diff_markdown(&matrix_diff(&before, &after));
        assert!(
            md.starts_with("**Access changes against the baseline:** 1 gained, 1 lost, 0 with another kind of deny"),
            "{md}"
        );
        assert!(md.contains("| alice | "), "{md}");
        assert!(md.contains("| Implicit deny | Allow | gained |"), "{md}");
        assert!(md.contains("| bob\\|x | "), "{md}");
        assert!(md.contains("| Allow | Explicit deny | lost |"), "{md}");
        assert_eq!(
            matrix_diff_markdown(&[]),
            "No access changed against the baseline.\n"
        );
    }
}
