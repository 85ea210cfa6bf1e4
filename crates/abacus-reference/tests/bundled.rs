//! The bundled data: every file parses, and spot checks of facts the simulator and linter
//! rely on, each from the Service Authorization Reference page it encodes.

use abacus_reference::{current, load, matching_actions, AccessLevel, KeyLookup};

#[test]
fn every_bundled_service_parses_and_matches_the_index() {
    let r = current();
    let index = r.index().unwrap();
    assert_eq!(r.services().count(), index.services.len());
    for (prefix, _, count) in &index.services {
        let s = r
            .service(prefix)
            .unwrap_or_else(|| panic!("{prefix} does not parse"));
        assert_eq!(s.actions.len(), *count, "{prefix}");
    }
    assert!(load::parse_service("{\"prefix\":").is_err());
}

// "Actions, resources, and condition keys for Amazon S3"
#[test]
fn s3_facts() {
    let r = current();
    let (_, a) = r.action("S3:getobjecttagging").unwrap();
    assert_eq!(a.name, "GetObjectTagging");
    assert_eq!(a.access_level(), AccessLevel::Read);
    assert!(a.resource_types.iter().any(|rt| rt.name() == "object"));
    let bucket = r.resource_type("s3", "bucket").unwrap();
    assert_eq!(bucket.arn, "arn:${Partition}:s3:::${BucketName}");
    assert!(matches!(r.key("s3:prefix"), KeyLookup::Service { .. }));
    assert_eq!(r.key("s3:prefixx"), KeyLookup::UnknownKey);
}

// "Actions, resources, and condition keys for Amazon SageMaker AI"
#[test]
fn sagemaker_facts() {
    let r = current();
    let (s, a) = r.action("sagemaker:CreateTrainingJob").unwrap();
    let keys = r.action_keys(s, a);
    assert!(keys.contains(&"aws:RequestTag/${TagKey}"));
    assert!(keys.contains(&"sagemaker:FileSystemDirectoryPath"));
    assert_eq!(matching_actions(&r, "sagemaker:Stop*Jbo").len(), 0);
    assert!(matching_actions(&r, "sagemaker:Stop*Job").len() > 5);
}

// IAM User Guide: "AWS global condition context keys"
#[test]
fn global_keys() {
    let r = current();
    match r.key("aws:PrincipalTag/team") {
        KeyLookup::Global { name, value_type } => {
            assert_eq!(name, "aws:PrincipalTag/${TagKey}");
            assert!(!value_type.unwrap().multivalued);
        }
        other => panic!("{other:?}"),
    }
    assert!(r.key("aws:TagKeys").value_type().unwrap().multivalued);
    assert_eq!(r.key("saml:aud"), KeyLookup::UnknownService);
    assert_eq!(r.key("aws:SourceIdentityy"), KeyLookup::UnknownKey);
}

#[test]
fn a_reference_of_its_own_holds_only_its_services() {
    let r = abacus_reference::Reference::from_texts(
        abacus_reference::INDEX_JSON,
        &[include_str!("../data/services/s3.json")],
    )
    .unwrap();
    assert_eq!(r.status("s3"), abacus_reference::ServiceStatus::Loaded);
    assert_eq!(r.status("ec2"), abacus_reference::ServiceStatus::NotLoaded);
    assert_eq!(r.status("nosuch"), abacus_reference::ServiceStatus::Unknown);
    assert!(abacus_reference::Reference::from_texts("{", &[]).is_err());
}
