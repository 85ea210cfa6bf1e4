//! The registry of diagnostic codes: every code the JSON reader, the policy grammar, the
//! validator, the template engine and the simulator report, each with its severity and
//! what it means. Sites name a [`Code`] instead of writing the string, so a code cannot be
//! misspelled, and the README's code table is checked against [`Code::ALL`] by a test
//! (`tests/tests/codes.rs`).
//!
//! The linter's rules (`abacus_templates::lint::RULES`) have their own table, with the
//! rule's scope; the one rule the parser reports, `policy-variable-without-version`, is
//! named from here.
//!
//! A code is stable: tools and tests match on it. Rename one only together with the
//! README.

use crate::diagnostic::Severity;

/// How serious the diagnostics of a code are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeSeverity {
    /// Always this severity.
    Fixed(Severity),
    /// As severe as the worst of the diagnostics it stands for (a summary of those left out).
    WorstLeftOut,
}

impl CodeSeverity {
    /// `error`, `warning`, `info`, or `varies`.
    pub const fn label(self) -> &'static str {
        match self {
            CodeSeverity::Fixed(Severity::Error) => "error",
            CodeSeverity::Fixed(Severity::Warning) => "warning",
            CodeSeverity::Fixed(Severity::Info) => "info",
            CodeSeverity::WorstLeftOut => "varies",
        }
    }
}

const ERROR: CodeSeverity = CodeSeverity::Fixed(Severity::Error);
const WARNING: CodeSeverity = CodeSeverity::Fixed(Severity::Warning);

/// Declares [`Code`] from one table: variant, code, severity, meaning.
macro_rules! registry {
    ($($variant:ident = $code:literal, $severity:expr, $meaning:literal;)*) => {
        /// A diagnostic code. Its string ([`Code::as_str`]) is what diagnostics carry.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $meaning]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in the registry's order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as diagnostics carry it, e.g. `json-trailing-comma`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// How serious its diagnostics are.
            pub const fn severity(self) -> CodeSeverity {
                match self {
                    $(Code::$variant => $severity,)*
                }
            }

            /// What it means, in one line.
            pub const fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

registry! {
    // The JSON reader (`json.rs`).
    JsonEmpty = "json-empty", ERROR, "the document is empty";
    JsonTrailingContent = "json-trailing-content", ERROR, "text after the end of the JSON document";
    JsonNonbreakingSpace = "json-nonbreaking-space", ERROR, "a non-breaking space between tokens (copied from a web page)";
    JsonSmartQuote = "json-smart-quote", ERROR, "a typographic quote used as a string delimiter";
    JsonSingleQuote = "json-single-quote", ERROR, "a single-quoted string";
    JsonEllipsis = "json-ellipsis", ERROR, "`...` where a sample elides part of the policy";
    JsonUnexpectedCharacter = "json-unexpected-character", ERROR, "a character that starts no JSON token";
    JsonComment = "json-comment", ERROR, "a `//` or `/* */` comment, which IAM rejects";
    JsonControlCharacter = "json-control-character", ERROR, "an unescaped control character inside a string";
    JsonSmartQuoteInString = "json-smart-quote-in-string", WARNING, "a typographic quote inside a string: valid, but usually a copy-paste accident";
    JsonUnterminatedStringSmartQuote = "json-unterminated-string-smart-quote", ERROR, "a string never closed because a typographic quote stands where its closing quote belongs";
    JsonUnterminatedString = "json-unterminated-string", ERROR, "a string never closed";
    JsonInvalidEscape = "json-invalid-escape", ERROR, "an escape JSON does not define, or `\\u` without four hex digits";
    JsonInvalidNumber = "json-invalid-number", ERROR, "a malformed number (leading zero, leading `+`, ...)";
    JsonUnquotedText = "json-unquoted-text", ERROR, "a bare word where a string or `true`/`false`/`null` belongs";
    JsonTooDeep = "json-too-deep", ERROR, "containers nested deeper than 64 levels";
    JsonUnexpectedEnd = "json-unexpected-end", ERROR, "the document ends where a value was expected";
    JsonExpectedValue = "json-expected-value", ERROR, "something other than a value where a value belongs";
    JsonUnclosed = "json-unclosed", ERROR, "an object or array never closed";
    JsonExpectedColon = "json-expected-colon", ERROR, "an object key not followed by `:`";
    JsonExpectedKey = "json-expected-key", ERROR, "something other than a string key inside an object";
    JsonMissingComma = "json-missing-comma", ERROR, "two entries without a comma between them";
    JsonExpectedComma = "json-expected-comma", ERROR, "something other than `,` or the closing bracket after an entry";
    JsonTrailingComma = "json-trailing-comma", ERROR, "a comma after the last entry of an object or array";
    JsonMismatchedBracket = "json-mismatched-bracket", ERROR, "`}` where an array's `]` was expected";

    // The policy grammar (`parse.rs`) and policy variables (`variables.rs`).
    PolicyTooManyDiagnostics = "policy-too-many-diagnostics", CodeSeverity::WorstLeftOut, "more diagnostics than a policy reports: how many were left out and where the first starts";
    PolicyWrongType = "policy-wrong-type", ERROR, "an element of the wrong JSON type";
    PolicyElementCase = "policy-element-case", ERROR, "an element name in the wrong case, e.g. `effect`";
    PolicyUnknownElement = "policy-unknown-element", ERROR, "an element the policy grammar does not have at this place";
    PolicyDuplicateElement = "policy-duplicate-element", ERROR, "the same element twice in one object";
    PolicyNotObject = "policy-not-object", ERROR, "the document is not a JSON object";
    PolicyBareStatement = "policy-bare-statement", ERROR, "a single statement where a policy document belongs";
    PolicyMissingVersion = "policy-missing-version", WARNING, "no `Version`, so policy variables are plain text";
    PolicyUnknownVersion = "policy-unknown-version", ERROR, "a `Version` other than `2012-10-17` or `2008-10-17`";
    PolicyMissingStatement = "policy-missing-statement", ERROR, "no `Statement`";
    PolicyEmptyStatement = "policy-empty-statement", ERROR, "an empty `Statement` array";
    PolicyNestedStatementArray = "policy-nested-statement-array", ERROR, "an array inside `Statement` where a statement belongs";
    PolicyMisplacedVersion = "policy-misplaced-version", ERROR, "`Version` inside a statement";
    PolicyMissingEffect = "policy-missing-effect", ERROR, "a statement without `Effect`";
    PolicyActionAndNotAction = "policy-action-and-not-action", ERROR, "a statement with both `Action` and `NotAction`";
    PolicyMissingAction = "policy-missing-action", ERROR, "a statement without `Action` or `NotAction`";
    PolicyResourceAndNotResource = "policy-resource-and-not-resource", ERROR, "a statement with both `Resource` and `NotResource`";
    PolicyPrincipalAndNotPrincipal = "policy-principal-and-not-principal", ERROR, "a statement with both `Principal` and `NotPrincipal`";
    PolicyInvalidEffect = "policy-invalid-effect", ERROR, "an `Effect` other than `Allow` or `Deny`";
    PolicyEmptyList = "policy-empty-list", ERROR, "an empty array of actions, resources, principals or condition values";
    PolicyNestedArray = "policy-nested-array", ERROR, "an array inside a list of strings";
    PolicyInvalidAction = "policy-invalid-action", ERROR, "an action not written `service:ActionName`";
    PolicyInvalidPrincipal = "policy-invalid-principal", ERROR, "a principal that is not `*`, an account, an ARN or a service principal of its type";
    PolicyDuplicateConditionOperator = "policy-duplicate-condition-operator", ERROR, "the same condition operator twice in one `Condition`";
    PolicyEmptyCondition = "policy-empty-condition", ERROR, "a condition operator without keys";
    PolicyDuplicateConditionKey = "policy-duplicate-condition-key", ERROR, "the same condition key twice under one operator (keys are case-insensitive)";
    PolicyNullIfExists = "policy-null-if-exists", ERROR, "`NullIfExists`, which is not an operator";
    PolicyUnknownConditionOperator = "policy-unknown-condition-operator", ERROR, "a condition operator IAM does not define (or a key where the operator belongs)";
    PolicyUnclosedVariable = "policy-unclosed-variable", ERROR, "`${` never closed";
    PolicyInvalidVariable = "policy-invalid-variable", ERROR, "a malformed policy variable";
    PolicyTooManyVariables = "policy-too-many-variables", ERROR, "more policy variables in one value than are resolved";

    // The validator (`validate.rs`).
    PolicyDuplicateSid = "policy-duplicate-sid", ERROR, "two statements with the same `Sid`";
    PolicySidCharacters = "policy-sid-characters", WARNING, "a `Sid` with characters other than letters and digits";
    PolicyPrincipalNotAllowed = "policy-principal-not-allowed", ERROR, "`Principal` or `NotPrincipal` in a policy type that has none";
    PolicyMissingPrincipal = "policy-missing-principal", ERROR, "a statement of a resource-based policy without `Principal`";
    PolicyRcpPrincipal = "policy-rcp-principal", ERROR, "a resource control policy principal other than `*`";
    PolicyMissingResource = "policy-missing-resource", ERROR, "a statement without `Resource` or `NotResource` where the policy type needs one";
    PolicyNotprincipalAllow = "policy-notprincipal-allow", ERROR, "`NotPrincipal` with `Allow`, which grants every other principal";
    PolicyInvalidConditionValue = "policy-invalid-condition-value", ERROR, "a condition value its operator cannot compare (date, number, IP, Boolean, ARN, base64)";
    PolicyWildcardTooLong = "policy-wildcard-too-long", ERROR, "a wildcard pattern with a run too long to search, which matches nothing";
    PolicyVariableWithoutVersion = "policy-variable-without-version", WARNING, "`${...}` in a policy without `Version` `2012-10-17`, where it is literal text";
    PolicyPlaceholder = "policy-placeholder", WARNING, "a value that looks like an unfilled `<...>` or `{...}` placeholder";
    PolicyMalformedArn = "policy-malformed-arn", ERROR, "a resource that is not a valid ARN";
    PolicyWildcardInService = "policy-wildcard-in-service", WARNING, "a wildcard in the service segment of a resource ARN";

    // The template engine (`abacus-templates`).
    TemplateUnclosedSlot = "template-unclosed-slot", ERROR, "a `{{` slot marker never closed";
    TemplateUnknownOverride = "template-unknown-override", ERROR, "a value given for a slot the template does not have";
    TemplateInvalidValue = "template-invalid-value", ERROR, "a slot or placeholder value of the wrong kind";
    TemplateUnknownSlot = "template-unknown-slot", ERROR, "a slot the template's declarations do not name";
    TemplateUnfilledSlot = "template-unfilled-slot", ERROR, "a slot with no value from the overrides, the world or a default";
    DocPlaceholder = "doc-placeholder", WARNING, "a documentation placeholder (`<region>`, `{account_number}`, `my_bucket`) in a pasted sample";
    UnboundPlaceholder = "unbound-placeholder", ERROR, "a documentation placeholder left without a value when binding";

    // The simulator (`abacus-studio`).
    MatrixTooLarge = "matrix-too-large", ERROR, "an access matrix with more cells than are computed";
}

impl Code {
    /// The code written `code`, if it is in the registry.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Code> for String {
    fn from(code: Code) -> String {
        code.as_str().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_kebab_case_and_read_back() {
        let mut seen = HashSet::new();
        for &code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.split('-').all(|w| !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
                "{s}"
            );
            assert_eq!(Code::parse(s), Some(code));
            assert_eq!(code.to_string(), s);
            let meaning = code.meaning();
            assert!(!meaning.is_empty() && !meaning.ends_with('.'), "{s}");
        }
        assert_eq!(Code::parse("json-nope"), None);
    }

    #[test]
    fn diagnostics_of_broken_policies_carry_registered_codes_and_severities() {
        let texts = [
            "",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\",}]}",
            "{'Version': \"2012-10-17\"} // note",
            "{\"Statement\": [[{\"effect\": \"Allow\"}]], \"Version\": \"2012-10-18\"}",
            "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Maybe\", \"Action\": [], \"NotAction\": \"x\", \"Resource\": \"arn:aws:s3:::b/${aws:username\", \"Condition\": {\"NullIfExists\": {\"k\": \"true\"}, \"DateEquals\": {\"aws:CurrentTime\": \"soon\"}}}}",
            "{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::<bucket>/*\"}",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"a-b\", \"Effect\": \"Allow\", \"Principal\": \"x\", \"Action\": \"s3\", \"Resource\": \"arn:aws:s3\"}, {\"Sid\": \"a-b\", \"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]}",
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/“x”\"}] ",
            "[1, 2 3, {\"a\" 1}, {5: 1}, tru, 01, \"\\q\", ...",
        ];
        let mut checked = 0;
        for text in texts {
            for d in crate::parse_policy(text).diagnostics {
                let code = Code::parse(&d.code)
                    .unwrap_or_else(|| panic!("`{}` is not in the registry", d.code));
                if let CodeSeverity::Fixed(s) = code.severity() {
                    assert_eq!(d.severity, s, "{}", d.code);
                }
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked}");
    }
}
