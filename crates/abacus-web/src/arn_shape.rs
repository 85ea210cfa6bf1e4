//! Whether a typed ARN has the shape of a resource type's ARN format, as the Service
//! Authorization Reference writes it (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`):
//! the request panel uses it to drop a typed ARN the newly chosen action cannot act on.
//!
//! The service must be the same, and the resource part must match the format's resource part
//! read as a pattern: fixed text literally, a `${…}` variable as one or more characters other
//! than `/`, except a last variable after fixed text, which takes the rest (object keys, log
//! group names and paths hold slashes; a bucket name, the whole resource part, does not). Partition, region and account are not compared: a typed ARN may name
//! another account on purpose.

/// Longest ARN checked; a longer one is given the benefit of the doubt (the matcher
/// backtracks, and a pasted megabyte must not hang typing).
const MAX_CHECKED: usize = 2048;

/// One piece of a format's resource part.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Text(&'a str),
    /// A variable; `rest` when it takes the rest of the ARN.
    Var {
        rest: bool,
    },
}

fn pieces(resource: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut left = resource;
    while let Some(start) = left.find("${") {
        if start > 0 {
            out.push(Piece::Text(left.get(..start).unwrap_or("")));
        }
        let after = left.get(start..).unwrap_or("");
        let end = after.find('}').map_or(after.len(), |e| e + 1);
        left = after.get(end..).unwrap_or("");
        out.push(Piece::Var { rest: false });
    }
    if !left.is_empty() {
        out.push(Piece::Text(left));
    }
    // a last variable after fixed text takes the rest: object keys, log group names and
    // paths hold slashes; a variable that is the whole resource part (a bucket) does not
    let several = out.len() > 1;
    if let Some(Piece::Var { rest }) = out.last_mut() {
        *rest = several;
    }
    out
}

fn matches(pieces: &[Piece<'_>], text: &str) -> bool {
    let Some((first, more)) = pieces.split_first() else {
        return text.is_empty();
    };
    match first {
        Piece::Text(t) => text
            .strip_prefix(t)
            .is_some_and(|after| matches(more, after)),
        Piece::Var { rest: true } => !text.is_empty(),
        Piece::Var { rest: false } => {
            let run = text.find('/').unwrap_or(text.len());
            (1..=run).any(|n| text.get(n..).is_some_and(|after| matches(more, after)))
        }
    }
}

/// Whether `arn` can name a resource of ARN format `format`.
pub fn fits(format: &str, arn: &str) -> bool {
    if arn.len() > MAX_CHECKED {
        return true;
    }
    let mut f = format.splitn(6, ':');
    let mut a = arn.splitn(6, ':');
    let (f_service, a_service) = (f.nth(2), a.nth(2));
    let (f_resource, a_resource) = (f.nth(2), a.nth(2));
    f_service == a_service
        && match (f_resource, a_resource) {
            (Some(f), Some(a)) => matches(&pieces(f), a),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Formats as the Service Authorization Reference writes them (Amazon S3, Amazon
    // SageMaker AI, Amazon CloudWatch Logs).
    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const PROFILE: &str =
        "arn:${Partition}:sagemaker:${Region}:${Account}:user-profile/${DomainId}/${UserProfileName}";
    const JOB: &str =
        "arn:${Partition}:sagemaker:${Region}:${Account}:training-job/${TrainingJobName}";
    const LOG_GROUP: &str = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";

    #[test]
    fn objects_and_buckets_are_told_apart() {
        assert!(fits(OBJECT, "arn:aws:s3:::bucket/users/alice/x.csv"));
        assert!(!fits(OBJECT, "arn:aws:s3:::bucket"));
        assert!(fits(BUCKET, "arn:aws:s3:::bucket"));
        assert!(!fits(BUCKET, "arn:aws:s3:::bucket/key"));
    }

    #[test]
    fn services_and_resource_prefixes_must_agree() {
        let job = "arn:aws:sagemaker:us-east-1:111122223333:training-job/x";
        assert!(fits(JOB, job));
        assert!(!fits(PROFILE, job));
        assert!(!fits(OBJECT, job));
        assert!(fits(
            PROFILE,
            "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abc/alice"
        ));
        assert!(!fits(
            PROFILE,
            "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abc"
        ));
        assert!(fits(
            LOG_GROUP,
            "arn:aws:logs:us-east-1:111122223333:log-group:/aws/sagemaker/x"
        ));
        assert!(!fits(JOB, "not an arn"));
    }

    #[test]
    fn a_huge_arn_is_not_matched_by_backtracking() {
        let huge = format!("arn:aws:s3:::{}", "a".repeat(1_000_000));
        assert!(fits(OBJECT, &huge));
    }
}
