//! Unknown or broken input: a clear message naming the file, the JSON path and the line and
//! column, and nothing imported.
#![cfg(test)]

use abacus_account::import::{import, ImportError, ImportFile};

fn one(name: &str, text: &str) -> Vec<ImportError> {
    let files = [ImportFile {
        name: name.to_owned(),
        text: text.to_owned(),
    }];
    import(&files).expect_err("the import must fail")
}

#[test]
fn broken_json_is_placed() {
    let e = one(
        "details.json",
        "{\n  \"RoleDetailList\": [\n    {\"RoleName\": \"x\",}\n  ]\n}",
    );
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].file, "details.json");
    assert_eq!((e[0].line, e[0].column), (Some(3), Some(21)), "{}", e[0]);
    assert!(e[0].message.starts_with("not JSON"), "{}", e[0]);
}

#[test]
fn an_unknown_shape_lists_the_exports_read() {
    let e = one("notes.json", r#"{"hello": "world"}"#);
    assert_eq!(e[0].message, "not an export Abacus reads");
    assert!(
        e[0].help
            .contains("aws iam get-account-authorization-details"),
        "{}",
        e[0]
    );
    assert!(one("list.json", "[1, 2]")[0]
        .message
        .contains("not an export"));
    assert_eq!(one("empty.json", "")[0].message, "the file is empty");
}

#[test]
fn a_missing_or_mistyped_member_names_its_path() {
    let e = one(
        "details.json",
        "{\"RoleDetailList\": [\n  {\"Arn\": \"arn:aws:iam::444455556666:role/r\", \"Path\": \"/\"}\n]}",
    );
    assert_eq!(e[0].path, "$.RoleDetailList[0]");
    assert_eq!(e[0].message, "`RoleName` is missing");
    assert_eq!((e[0].line, e[0].column), (Some(2), Some(3)));
    let e = one(
        "details.json",
        r#"{"UserDetailList": [{"UserName": "u", "Arn": "arn:aws:iam::444455556666:user/u", "Tags": [{"Key": 7}]}]}"#,
    );
    assert_eq!(e[0].path, "$.UserDetailList[0].Tags[0].Key");
    assert_eq!(e[0].message, "expected a string, found a number");
    let e = one(
        "details.json",
        r#"{"RoleDetailList": [{"RoleName": "r", "Arn": "arn:aws:iam::444455556666:role/r", "AssumeRolePolicyDocument": "plain words"}]}"#,
    );
    assert_eq!(e[0].path, "$.RoleDetailList[0].AssumeRolePolicyDocument");
}

#[test]
fn a_file_that_does_not_say_what_it_is_about_needs_a_subject() {
    let e = one(
        "tags.json",
        r#"{"Tags": [{"Key": "team", "Value": "red"}]}"#,
    );
    assert!(e[0].message.contains("aws sagemaker list-tags"), "{}", e[0]);
    assert!(e[0].help.contains("@SUBJECT.json"), "{}", e[0]);
    let e = one("get-bucket-policy.json", r#"{"Policy": "{}"}"#);
    assert!(
        e[0].message.contains("aws s3api get-bucket-policy"),
        "{}",
        e[0]
    );
}

#[test]
fn pages_and_two_accounts_are_refused() {
    let e = one(
        "details.json",
        r#"{"UserDetailList": [], "IsTruncated": true, "Marker": "m"}"#,
    );
    assert!(e[0].message.contains("IsTruncated"), "{}", e[0]);
    let e = one(
        "details.json",
        r#"{"RoleDetailList": [{"RoleName": "a", "Arn": "arn:aws:iam::444455556666:role/a"}, {"RoleName": "b", "Arn": "arn:aws:iam::111122223333:role/b"}]}"#,
    );
    assert_eq!(e[0].path, "$.RoleDetailList[1]");
    assert!(
        e[0].message.contains("one import is one account"),
        "{}",
        e[0]
    );
}

#[test]
fn every_file_is_checked_and_nothing_is_half_imported() {
    let files = [
        ImportFile {
            name: "a.json".to_owned(),
            text: "{".to_owned(),
        },
        ImportFile {
            name: "b.json".to_owned(),
            text: "{}".to_owned(),
        },
    ];
    let e = import(&files).unwrap_err();
    assert_eq!(
        e.iter().map(|e| e.file.as_str()).collect::<Vec<_>>(),
        ["a.json", "b.json"]
    );
    // tags for a profile no export describes
    let e = one("list-tags@nobody.json", r#"{"Tags": []}"#);
    assert!(
        e[0].message.contains("no file names the account") || e[0].message.contains("`nobody`"),
        "{e:?}"
    );
}

#[test]
fn an_iam_only_import_says_what_is_missing() {
    let e = one(
        "details.json",
        r#"{"RoleDetailList": [{"RoleName": "a", "Arn": "arn:aws:iam::444455556666:role/a"}]}"#,
    );
    assert!(
        e[0].message.contains("no SageMaker user profile"),
        "{}",
        e[0]
    );
    assert!(e[0].help.contains("list-user-profiles"), "{}", e[0]);
}

#[test]
fn oversize_files_and_too_many_files_are_refused_before_reading() {
    use abacus_account::import::{MAX_FILES, MAX_FILE_BYTES};
    let e = one("big.json", &" ".repeat(MAX_FILE_BYTES + 1));
    assert!(e[0].message.contains("more than the"), "{}", e[0]);
    let files: Vec<ImportFile> = (0..=MAX_FILES)
        .map(|i| ImportFile {
            name: format!("{i}.json"),
            text: "{}".to_owned(),
        })
        .collect();
    let e = import(&files).unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(
        e[0].message
            .starts_with(&format!("{} files", MAX_FILES + 1)),
        "{}",
        e[0]
    );
}

#[test]
fn a_trail_with_too_many_records_is_refused_before_reading_them() {
    use abacus_account::trail::{read_trail, MAX_RECORDS};
    let text = format!("[{}1]", "1,".repeat(MAX_RECORDS));
    let e = read_trail(&ImportFile {
        name: "t.json".to_owned(),
        text,
    })
    .unwrap_err();
    assert_eq!(e.len(), 1, "one error, not one per record");
    assert!(
        e[0].message
            .starts_with(&format!("{} records", MAX_RECORDS + 1)),
        "{}",
        e[0]
    );
    let e = read_trail(&ImportFile {
        name: "t.json".to_owned(),
        text: " ".repeat(abacus_account::import::MAX_FILE_BYTES + 1),
    })
    .unwrap_err();
    assert!(e[0].message.contains("more than the"), "{}", e[0]);
}
