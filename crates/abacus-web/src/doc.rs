//! Edits to the workspace document (`abacus_studio::scenario::Scenario`): the only module
//! that changes its fields. Each edit keeps the document valid for `Scenario::from_json`
//! (world edits are checked with the studio's own `problems()` and rolled back if refused).

use crate::view::{RequestEdit, WorldEdit};
use abacus_studio::actions::{resource_type_spec, spec, KeyFamily};
use abacus_studio::model::{Authentication, Resource, UserProfile};
use abacus_studio::scenario::{PolicyEntry, PolicyKind, Route, Scenario};

/// Reads a scenario document (share link, autosave, import); the error lists the problems
/// the studio found, with their JSON path and line.
pub fn parse(text: &str) -> Result<Scenario, String> {
    Scenario::from_json(text).map_err(|e| describe(&e))
}

/// The first three problems of a scenario or course, placed, and how many more: what a
/// message in the app shows of them.
pub fn describe(e: &abacus_studio::scenario::ScenarioError) -> String {
    let shown: Vec<String> = e
        .issues
        .iter()
        .take(3)
        .map(|i| {
            let at = match (i.line, i.column) {
                (Some(l), Some(c)) => format!("{l}:{c} "),
                _ => String::new(),
            };
            let path = if i.path.is_empty() {
                String::new()
            } else {
                format!("`{}`: ", i.path)
            };
            format!("{at}{path}{}", i.message)
        })
        .collect();
    let more = e.issues.len().saturating_sub(3);
    if more > 0 {
        format!("{} (and {more} more)", shown.join("; "))
    } else {
        shown.join("; ")
    }
}

/// The document as pretty JSON (autosave, export, share link payload).
pub fn to_json(doc: &Scenario) -> String {
    doc.to_json_pretty()
}

/// The document's title.
pub fn title(doc: &Scenario) -> String {
    doc.name.clone()
}

/// Number of policies.
pub fn policy_count(doc: &Scenario) -> usize {
    doc.policies.len()
}

/// The policy the editor opens on: the one the document was saved showing, else the first
/// identity policy (what most lessons edit).
pub fn initial_policy(doc: &Scenario) -> usize {
    let saved = doc.view.policy.as_deref();
    saved
        .and_then(|id| doc.policies.iter().position(|p| p.id == id))
        .or_else(|| {
            doc.policies
                .iter()
                .position(|p| p.kind == PolicyKind::Identity)
        })
        .unwrap_or(0)
}

/// Replaces the text of policy `index`; false if there is no such policy or no change.
pub fn set_policy_text(doc: &mut Scenario, index: usize, text: String) -> bool {
    match doc.policies.get_mut(index) {
        Some(p) if p.text != text => {
            p.text = text.into();
            true
        }
        _ => false,
    }
}

/// A policy to add to the workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPolicy {
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: PolicyKind,
    /// Text.
    pub text: String,
    /// Attachments.
    pub attached_to: Vec<String>,
}

/// Adds `policy` with a fresh id and returns its index.
pub fn add_policy(doc: &mut Scenario, policy: NewPolicy) -> usize {
    let mut n = doc.policies.len() + 1;
    let mut id = format!("policy-{n}");
    while doc.policies.iter().any(|p| p.id == id) {
        n += 1;
        id = format!("policy-{n}");
    }
    doc.policies.push(PolicyEntry {
        id,
        name: policy.name,
        kind: policy.kind,
        text: policy.text.into(),
        attached_to: policy.attached_to,
        arn: None,
    });
    doc.policies.len() - 1
}

/// Renders template `id` from `library` with this world's facts, attached where the
/// template's kind belongs (the selected user's execution role for identity policies).
pub fn policy_from_template(
    doc: &Scenario,
    library: &abacus_templates::Library,
    id: &str,
) -> Result<NewPolicy, String> {
    use abacus_templates::{Overrides, PolicyUse};
    let template = library
        .get(id)
        .ok_or_else(|| format!("no template `{id}` in the library"))?;
    let facts = abacus_templates::WorldFacts::from_scenario(doc);
    let rendered = template
        .render(&facts, &Overrides::default())
        .map_err(|diags| {
            let first = diags.first().map(|d| d.message.clone()).unwrap_or_default();
            format!("template `{id}` cannot be filled from this world: {first}")
        })?;
    let role = doc
        .world
        .user(&doc.selection.user)
        .and_then(|u| doc.world.execution_role_of(u));
    let (kind, attached_to) = match template.kind {
        PolicyUse::Identity => (
            PolicyKind::Identity,
            role.map(|r| vec![format!("role:{r}")]).unwrap_or_default(),
        ),
        PolicyUse::Trust => (
            PolicyKind::Trust,
            role.map(|r| vec![format!("role:{r}")]).unwrap_or_default(),
        ),
        PolicyUse::Resource => (
            PolicyKind::Resource,
            doc.selection
                .resource
                .clone()
                .map(|r| vec![format!("resource:{r}")])
                .unwrap_or_default(),
        ),
    };
    Ok(NewPolicy {
        name: template.title.clone(),
        kind,
        text: rendered.text,
        attached_to,
    })
}

/// Route keys used by the route `<select>`.
pub fn route_key(route: &Route) -> String {
    match route {
        Route::StudioSpace => "studio".to_owned(),
        Route::TrainingJob { .. } => "training-job".to_owned(),
        Route::ProcessingJob { .. } => "processing-job".to_owned(),
        Route::Pipeline { .. } => "pipeline".to_owned(),
        Route::AccessKeys { .. } => "access-keys".to_owned(),
        Route::RoleChain { role, .. } => format!("role-chain:{role}"),
        Route::RoleSession { role, .. } => format!("role-session:{role}"),
        Route::Console => "console".to_owned(),
        Route::Endpoint { .. } => "endpoint".to_owned(),
        Route::TransformJob { .. } => "transform-job".to_owned(),
        Route::EmrStep { role, .. } => format!("emr-step:{role}"),
    }
}

/// The route for a key of [`route_key`].
pub fn route_from_key(key: &str) -> Option<Route> {
    Some(match key {
        "studio" => Route::StudioSpace,
        "training-job" => Route::TrainingJob { role: None },
        "processing-job" => Route::ProcessingJob { role: None },
        "pipeline" => Route::Pipeline { role: None },
        "access-keys" => Route::AccessKeys { iam_user: None },
        "console" => Route::Console,
        "endpoint" => Route::Endpoint { role: None },
        "transform-job" => Route::TransformJob { role: None },
        other if other.starts_with("role-session:") => Route::RoleSession {
            role: other.strip_prefix("role-session:")?.to_owned(),
            session_name: None,
            source_identity: None,
        },
        other if other.starts_with("emr-step:") => Route::EmrStep {
            role: other.strip_prefix("emr-step:")?.to_owned(),
            cluster: None,
            instance_profile_role: None,
        },
        other => Route::RoleChain {
            role: other.strip_prefix("role-chain:")?.to_owned(),
            session_name: None,
        },
    })
}

/// Resource ids of the world the action can target, the selected user's own first: those
/// of a type the action accepts (the catalogue's, or the reference's for a derived action);
/// for tagging actions, any taggable resource.
pub fn resources_for(doc: &Scenario, action: &str, user: &str) -> Vec<String> {
    let Some(spec) = spec(action) else {
        return Vec::new();
    };
    let mut ids: Vec<&Resource> = doc
        .world
        .resources
        .iter()
        .filter(|r| {
            spec.resource_type != "none"
                && spec.accepts(&r.resource_type)
                && (!spec.any_resource_type
                    || r.resource_type == spec.resource_type
                    || resource_type_spec(&r.resource_type)
                        .is_some_and(|t| !t.tag_key_prefixes.is_empty()))
        })
        .collect();
    abacus_policy::order::sort_by_key(&mut ids, |r| r.owner.as_deref() != Some(user));
    ids.into_iter().map(|r| r.id.clone()).collect()
}

/// Whether the typed ARN names a resource type the selected action takes.
fn typed_arn_fits(doc: &Scenario, arn: &str) -> bool {
    let Some(a) = spec(&doc.selection.action) else {
        return true;
    };
    if a.any_resource_type {
        // tagging actions take any taggable resource
        return abacus_studio::actions::catalogue()
            .resource_types
            .values()
            .filter(|t| !t.tag_key_prefixes.is_empty())
            .any(|t| crate::arn_shape::fits(&t.arn, arn));
    }
    std::iter::once(&a.resource_type)
        .chain(&a.other_resource_types)
        .filter_map(|t| resource_type_spec(t))
        .any(|t| crate::arn_shape::fits(&t.arn, arn))
}

/// Keeps the target fitting the selected action; says so when a typed ARN had to go.
fn fit_resource(doc: &mut Scenario) -> Option<String> {
    let takes_resource = takes_resource(doc);
    let mut note = None;
    if let Some(arn) = doc.selection.resource_arn.clone() {
        if takes_resource && typed_arn_fits(doc, &arn) {
            // a typed ARN stays typed: the user switches back through the resource list
            return None;
        }
        doc.selection.resource_arn = None;
        note = Some(format!(
            "the typed ARN `{arn}` is not a resource {} acts on, so the request now targets {}",
            doc.selection.action, "the first resource that fits"
        ));
    }
    let fits = resources_for(doc, &doc.selection.action, &doc.selection.user);
    let current_fits = doc
        .selection
        .resource
        .as_ref()
        .is_some_and(|r| fits.contains(r));
    if !current_fits {
        doc.selection.resource = fits.into_iter().next();
    }
    if doc.selection.resource.is_none() && takes_resource && doc.selection.parameters.name.is_none()
    {
        // nothing in the world fits (a log group, an ECR repository): aim at an example
        // ARN of the action's resource type, so that there is a decision to look at
        let arn = starting_arn(doc);
        let note = note.map(|n| {
            n.replace(
                "the first resource that fits",
                &format!("the example ARN `{arn}`"),
            )
        });
        doc.selection.resource_arn = Some(arn);
        return note;
    }
    note.map(|n| match &doc.selection.resource {
        Some(r) => n.replace("the first resource that fits", &format!("`{r}`")),
        None => n.replace("the first resource that fits", "no resource (`*`)"),
    })
}

/// The resource-list value that switches to typing an ARN (not a valid resource id: ids
/// never start with a space).
pub const CUSTOM_ARN: &str = " custom-arn";

/// Whether the current action acts on a resource (so an ARN can be typed for it).
pub fn takes_resource(doc: &Scenario) -> bool {
    spec(&doc.selection.action).is_some_and(|a| a.resource_type != "none")
}

/// The ARN to start typing from: the current target's, else the action's resource-type
/// ARN format filled in from the world.
fn starting_arn(doc: &Scenario) -> String {
    if let Ok(built) = abacus_studio::request::build_request(&doc.world, &doc.selection) {
        if built.request.resource != "*" {
            return built.request.resource;
        }
    }
    let w = &doc.world;
    spec(&doc.selection.action)
        .and_then(|a| {
            w.resolve(&Resource {
                id: String::new(),
                resource_type: a.resource_type.clone(),
                name: "example".to_owned(),
                owner: Some(doc.selection.user.clone()),
                created_in_studio: false,
                tags: Default::default(),
                kms_key: None,
            })
        })
        .map(|resolved| resolved.arn)
        .unwrap_or_else(|| format!("arn:{}:", w.partition))
}

/// Applies a request-panel change to the selection; returns a note for the user when the
/// change had to undo something they set (a typed ARN the new action cannot act on).
pub fn edit_request(doc: &mut Scenario, edit: RequestEdit) -> Option<String> {
    let sel = &mut doc.selection;
    match edit {
        RequestEdit::User(u) => sel.user = u,
        RequestEdit::Action(a) => {
            sel.action = a;
            return fit_resource(doc);
        }
        RequestEdit::Resource(r) if r == CUSTOM_ARN => {
            let arn = starting_arn(doc);
            doc.selection.resource = None;
            doc.selection.resource_arn = Some(arn);
        }
        RequestEdit::Resource(r) => {
            sel.resource_arn = None;
            sel.resource = if r.is_empty() { None } else { Some(r) };
        }
        RequestEdit::ResourceArn(arn) => {
            sel.resource = None;
            sel.resource_arn = Some(arn.trim().to_owned());
        }
        RequestEdit::Route(key) => {
            if let Some(route) = route_from_key(&key) {
                sel.route = route;
            }
        }
        RequestEdit::Param(key, value) => set_param(&mut sel.parameters, &key, value),
    }
    None
}

fn opt(value: String) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `key=value, key2=value2` → tags.
pub fn parse_tags(text: &str) -> std::collections::BTreeMap<String, String> {
    // built by insertion: `collect` would add a sort to the bundle
    let mut tags = std::collections::BTreeMap::new();
    tags.extend(
        split_list(text)
            .into_iter()
            .map(|kv| match kv.split_once('=') {
                Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
                None => (kv, String::new()),
            }),
    );
    tags
}

/// Tags → `key=value, key2=value2`.
pub fn format_tags(tags: &std::collections::BTreeMap<String, String>) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn set_param(p: &mut abacus_studio::scenario::Parameters, key: &str, value: String) {
    match key {
        "name" => p.name = opt(value),
        "tags" => p.tags = parse_tags(&value),
        "prefix" => p.prefix = opt(value),
        "fileSystemDirectoryPaths" => p.file_system_directory_paths = split_list(&value),
        "taggingAction" => p.tagging_action = opt(value),
        "transitiveTagKeys" => p.transitive_tag_keys = split_list(&value),
        "passedToService" => p.passed_to_service = opt(value),
        "roleArn" => p.role_arn = opt(value),
        "permission" => p.permission = opt(value),
        _ => {}
    }
}

/// The parameter fields the action needs: (key, label, current value, example).
pub fn param_fields(doc: &Scenario) -> Vec<(&'static str, &'static str, String, &'static str)> {
    let Some(spec) = spec(&doc.selection.action) else {
        return Vec::new();
    };
    let p = &doc.selection.parameters;
    let mut out = Vec::new();
    if spec.action.to_ascii_lowercase().contains(":create") && doc.selection.resource.is_none() {
        out.push((
            "name",
            "New name",
            p.name.clone().unwrap_or_default(),
            "my-training-job",
        ));
    }
    if spec.carries(KeyFamily::RequestTags) {
        out.push((
            "tags",
            "Request tags",
            format_tags(&p.tags),
            "team=team-a, owner=alice",
        ));
    }
    if spec.carries(KeyFamily::TaggingAction) {
        out.push((
            "taggingAction",
            "Tagging action",
            p.tagging_action.clone().unwrap_or_default(),
            "CreateTrainingJob",
        ));
    }
    if spec.carries(KeyFamily::S3Prefix) {
        out.push((
            "prefix",
            "S3 prefix",
            p.prefix.clone().unwrap_or_default(),
            "home/alice/",
        ));
    }
    if spec.carries(KeyFamily::FileSystemDirectoryPath) {
        out.push((
            "fileSystemDirectoryPaths",
            "FS paths",
            p.file_system_directory_paths.join(", "),
            "/fsx/alice",
        ));
    }
    if spec.carries(KeyFamily::TransitiveTagKeys) {
        out.push((
            "transitiveTagKeys",
            "Transitive keys",
            p.transitive_tag_keys.join(", "),
            "team",
        ));
    }
    let passes_role = abacus_studio::implied::rules().iter().any(|r| {
        r.check == abacus_studio::implied::CheckKind::PassRole && r.triggered_by(&spec.action)
    });
    if passes_role {
        out.push((
            "roleArn",
            "Passed role",
            p.role_arn.clone().unwrap_or_default(),
            "your execution role",
        ));
    }
    if spec.carries(KeyFamily::PassedToService) {
        out.push((
            "passedToService",
            "Passed to",
            p.passed_to_service.clone().unwrap_or_default(),
            "sagemaker.amazonaws.com",
        ));
    }
    out
}

/// Applies a world-editor change; refused changes leave the document as it was.
pub fn edit_world(doc: &mut Scenario, edit: WorldEdit) -> Result<(), String> {
    let before = doc.world.clone();
    let w = std::sync::Arc::make_mut(&mut doc.world);
    match edit {
        WorldEdit::AddUser { name, domain, team } => {
            let name = name.trim().to_owned();
            if name.is_empty() {
                return Err("a user profile needs a name".to_owned());
            }
            if w.user(&name).is_some() {
                return Err(format!("user profile `{name}` already exists"));
            }
            let mut tags = abacus_studio::model::Tags::new();
            tags.insert("studiouserid".to_owned(), name.clone());
            if !team.trim().is_empty() {
                tags.insert("team".to_owned(), team.trim().to_owned());
            }
            // sign-in like the first existing user (SAML to the same role, or Identity Center)
            let auth = w
                .users
                .first()
                .map(|u| match &u.auth {
                    Authentication::Saml {
                        role,
                        principal_tags,
                        transitive_tag_keys,
                        saml_provider,
                        ..
                    } => {
                        let mut principal_tags = principal_tags.clone();
                        if let Some(t) = tags.get("team") {
                            if principal_tags.contains_key("team") {
                                principal_tags.insert("team".to_owned(), t.clone());
                            }
                        }
                        Authentication::Saml {
                            role: role.clone(),
                            session_name: format!("{name}@example.com"),
                            principal_tags,
                            transitive_tag_keys: transitive_tag_keys.clone(),
                            saml_provider: saml_provider.clone(),
                        }
                    }
                    Authentication::IdentityCenter {
                        permission_set_role,
                        ..
                    } => Authentication::IdentityCenter {
                        user_id: format!(
                            "90676c{:04x}-0000-4000-8000-{:012x}",
                            name.len(),
                            name.bytes().map(u64::from).sum::<u64>()
                        ),
                        user_name: name.clone(),
                        groups: Vec::new(),
                        permission_set_role: permission_set_role.clone(),
                    },
                    Authentication::IamUser { .. } => Authentication::IamUser {
                        user_name: name.clone(),
                    },
                })
                .ok_or_else(|| {
                    "add users by editing the scenario file when the world has none".to_owned()
                })?;
            if let Authentication::IamUser { user_name } = &auth {
                if w.iam_user(user_name).is_none() {
                    w.iam_users.push(abacus_studio::model::IamUser {
                        name: user_name.clone(),
                        tags: tags.clone(),
                    });
                }
            }
            w.users.push(UserProfile {
                name,
                domain,
                tags,
                execution_role: None,
                auth,
            });
        }
        WorldEdit::TagUser { user, key, value } => {
            let u = w
                .users
                .iter_mut()
                .find(|u| u.name == user)
                .ok_or_else(|| format!("no user profile `{user}`"))?;
            if key.trim().is_empty() {
                return Err("a tag needs a key".to_owned());
            }
            u.tags
                .insert(key.trim().to_owned(), value.trim().to_owned());
        }
        WorldEdit::AddResource {
            resource_type,
            name,
            owner,
            created_in_studio,
        } => {
            let name = name.trim().to_owned();
            if name.is_empty() {
                return Err("a resource needs a name".to_owned());
            }
            let mut id = format!("{resource_type}-{name}")
                .to_ascii_lowercase()
                .replace(['/', ' '], "-");
            while w.resource(&id).is_some() {
                id.push_str("-2");
            }
            w.resources.push(Resource {
                id,
                resource_type,
                name,
                owner: (!owner.is_empty()).then_some(owner),
                created_in_studio,
                tags: Default::default(),
                kms_key: None,
            });
        }
        WorldEdit::TagResource {
            resource,
            key,
            value,
        } => {
            let r = w
                .resources
                .iter_mut()
                .find(|r| r.id == resource)
                .ok_or_else(|| format!("no resource `{resource}`"))?;
            if key.trim().is_empty() {
                return Err("a tag needs a key".to_owned());
            }
            r.tags
                .insert(key.trim().to_owned(), value.trim().to_owned());
        }
    }
    let problems = doc.problems();
    if let Some((path, message, _)) = problems.first() {
        doc.world = before;
        return Err(format!(
            "the world would be invalid: `{}`: {message}",
            abacus_studio::scenario::render_path(path)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use abacus_studio::scenario::default_scenario;

    #[test]
    fn default_document_round_trips_through_json() {
        let d = default_scenario();
        assert_eq!(parse(&to_json(&d)).unwrap(), d);
    }

    #[test]
    fn parse_errors_say_where() {
        let e = parse("{\n  \"version\": 2,,\n}").unwrap_err();
        assert!(e.starts_with("2:"), "{e}");
    }

    #[test]
    fn editing_text_only_touches_that_policy() {
        let mut d = default_scenario();
        assert!(d.policies.len() > 1);
        let other = d.policies[1].clone();
        assert!(set_policy_text(&mut d, 0, "{}".into()));
        assert_eq!(d.policies[0].text, "{}");
        assert_eq!(d.policies[1], other);
        assert!(!set_policy_text(&mut d, 0, "{}".into()));
        assert!(!set_policy_text(&mut d, 99, "x".into()));
    }

    #[test]
    fn routes_round_trip_through_keys() {
        for r in [
            Route::StudioSpace,
            Route::TrainingJob { role: None },
            Route::AccessKeys { iam_user: None },
            Route::RoleChain {
                role: "TeamRole".into(),
                session_name: None,
            },
            Route::RoleSession {
                role: "TeamRole".into(),
                session_name: None,
                source_identity: None,
            },
            Route::Console,
        ] {
            assert_eq!(route_from_key(&route_key(&r)), Some(r));
        }
        assert_eq!(route_from_key("nonsense"), None);
    }

    #[test]
    fn changing_action_picks_a_fitting_resource() {
        let mut d = default_scenario();
        let user = d.selection.user.clone();
        let action = d.selection.action.clone();
        edit_request(&mut d, RequestEdit::Action(action.clone()));
        let fits = resources_for(&d, &action, &user);
        if let Some(r) = &d.selection.resource {
            assert!(fits.contains(r));
        }
    }

    fn decision_of(d: &Scenario) -> abacus_policy::Decision {
        abacus_studio::evaluate::Workspace::new(d)
            .evaluate(&d.selection)
            .unwrap()
            .authorization
            .decision
    }

    #[test]
    fn a_custom_arn_starts_from_the_current_target_and_decides_the_same() {
        let mut d = default_scenario();
        edit_request(&mut d, RequestEdit::Resource("tj-alice".into()));
        let by_id = decision_of(&d);
        edit_request(&mut d, RequestEdit::Resource(CUSTOM_ARN.into()));
        assert_eq!(d.selection.resource, None);
        assert_eq!(
            d.selection.resource_arn.as_deref(),
            Some("arn:aws:sagemaker:us-east-1:111122223333:training-job/alice-xgboost-1")
        );
        assert_eq!(decision_of(&d), by_id);
        // and it survives the autosave / share-link document round trip
        let back = parse(&to_json(&d)).unwrap();
        assert_eq!(back.selection, d.selection);
    }

    #[test]
    fn typing_a_foreign_arn_loses_the_owner_tag_and_the_allow() {
        // "IAM JSON policy elements: Condition": a missing aws:ResourceTag key fails a
        // StringEquals on it, so the ABAC allow no longer applies.
        let mut d = default_scenario();
        edit_request(&mut d, RequestEdit::Resource("tj-alice".into()));
        assert_eq!(decision_of(&d), abacus_policy::Decision::Allow);
        edit_request(
            &mut d,
            RequestEdit::ResourceArn(
                " arn:aws:sagemaker:us-east-1:444455556666:training-job/alice-xgboost-1 ".into(),
            ),
        );
        assert_eq!(
            d.selection.resource_arn.as_deref(),
            Some("arn:aws:sagemaker:us-east-1:444455556666:training-job/alice-xgboost-1")
        );
        assert_ne!(decision_of(&d), abacus_policy::Decision::Allow);
    }

    #[test]
    fn without_a_target_a_custom_arn_starts_from_the_resource_type_format() {
        let mut d = default_scenario();
        d.selection.resource = None;
        edit_request(&mut d, RequestEdit::Resource(CUSTOM_ARN.into()));
        assert_eq!(
            d.selection.resource_arn.as_deref(),
            Some("arn:aws:sagemaker:us-east-1:111122223333:training-job/example")
        );
    }

    #[test]
    fn picking_a_world_resource_or_a_resourceless_action_drops_the_arn() {
        let mut d = default_scenario();
        edit_request(&mut d, RequestEdit::Resource(CUSTOM_ARN.into()));
        let note = edit_request(
            &mut d,
            RequestEdit::Action("sagemaker:DescribeTrainingJob".into()),
        );
        assert!(
            d.selection.resource_arn.is_some(),
            "an ARN that fits stays typed"
        );
        assert_eq!(note, None);
        edit_request(&mut d, RequestEdit::Resource("tj-bob".into()));
        assert_eq!(d.selection.resource_arn, None);
        assert_eq!(d.selection.resource.as_deref(), Some("tj-bob"));
        edit_request(&mut d, RequestEdit::Resource(CUSTOM_ARN.into()));
        edit_request(
            &mut d,
            RequestEdit::Action("sagemaker:ListTrainingJobs".into()),
        );
        assert_eq!(d.selection.resource_arn, None);
        assert!(!takes_resource(&d));
    }

    #[test]
    fn tags_parse_and_format() {
        let t = parse_tags("team=a, owner = alice ,flag");
        assert_eq!(t.get("owner").map(String::as_str), Some("alice"));
        assert_eq!(t.get("flag").map(String::as_str), Some(""));
        assert_eq!(format_tags(&t), "flag=, owner=alice, team=a");
    }

    #[test]
    fn world_edits_add_users_and_refuse_duplicates() {
        let mut d = default_scenario();
        let domain = d.world.domains[0].id.clone();
        let n = d.world.users.len();
        edit_world(
            &mut d,
            WorldEdit::AddUser {
                name: "dave".into(),
                domain: domain.clone(),
                team: "team-b".into(),
            },
        )
        .unwrap();
        assert_eq!(d.world.users.len(), n + 1);
        assert!(parse(&to_json(&d)).is_ok());
        let again = edit_world(
            &mut d,
            WorldEdit::AddUser {
                name: "dave".into(),
                domain,
                team: String::new(),
            },
        );
        assert!(again.is_err());
        assert_eq!(d.world.users.len(), n + 1);
    }

    #[test]
    fn a_derived_action_offers_world_resources_it_accepts_and_a_typed_arn() {
        // s3:GetObjectTagging is not in the Studio catalogue: its spec comes from the
        // reference once S3 is loaded (Service Authorization Reference: object, Read)
        abacus_reference::install_service(include_str!(
            "../../abacus-reference/data/services/s3.json"
        ))
        .unwrap();
        let mut d = default_scenario();
        edit_request(&mut d, RequestEdit::Action("s3:GetObjectTagging".into()));
        let offered = resources_for(&d, "s3:GetObjectTagging", &d.selection.user);
        assert!(!offered.is_empty());
        for id in &offered {
            assert_eq!(d.world.resource(id).unwrap().resource_type, "s3-object");
        }
        assert_eq!(d.selection.resource.as_ref(), offered.first());
        assert!(takes_resource(&d));
        edit_request(&mut d, RequestEdit::Resource(CUSTOM_ARN.into()));
        let arn = d.selection.resource_arn.clone().unwrap();
        assert!(arn.starts_with("arn:aws:s3:::"), "{arn}");
        edit_request(
            &mut d,
            RequestEdit::ResourceArn("arn:aws:s3:::elsewhere/report.csv".into()),
        );
        assert_eq!(
            abacus_studio::request::build_request(&d.world, &d.selection)
                .unwrap()
                .request
                .resource,
            "arn:aws:s3:::elsewhere/report.csv"
        );
    }

    #[test]
    fn a_typed_arn_the_new_action_cannot_act_on_is_dropped_with_a_note() {
        let mut d = default_scenario();
        edit_request(&mut d, RequestEdit::Resource(CUSTOM_ARN.into()));
        let typed = d.selection.resource_arn.clone().unwrap();
        let note = edit_request(
            &mut d,
            RequestEdit::Action("sagemaker:CreateUserProfile".into()),
        )
        .unwrap();
        let now = d.selection.resource_arn.clone().unwrap();
        assert!(
            now.contains(":user-profile/"),
            "a training job is no user profile: {now}"
        );
        assert!(note.contains(&format!("`{now}`")), "{note}");
        assert!(note.contains(&format!("`{typed}`")), "{note}");
        assert!(note.contains("sagemaker:CreateUserProfile"), "{note}");
        // an object ARN is no bucket
        edit_request(&mut d, RequestEdit::Action("s3:GetObject".into()));
        edit_request(
            &mut d,
            RequestEdit::ResourceArn("arn:aws:s3:::b/key".into()),
        );
        let note = edit_request(&mut d, RequestEdit::Action("s3:ListBucket".into()));
        assert!(note.is_some_and(|n| n.contains("arn:aws:s3:::b/key")));
        // tagging actions take any taggable resource
        let experiment = "arn:aws:sagemaker:us-east-1:111122223333:experiment/x";
        edit_request(
            &mut d,
            RequestEdit::Action("sagemaker:StopTrainingJob".into()),
        );
        edit_request(&mut d, RequestEdit::ResourceArn(experiment.into()));
        assert_eq!(
            edit_request(&mut d, RequestEdit::Action("sagemaker:AddTags".into())),
            None
        );
        assert_eq!(d.selection.resource_arn.as_deref(), Some(experiment));
    }

    #[test]
    fn an_action_on_a_resource_the_world_lacks_gets_an_example_arn_and_a_decision() {
        // neither service is in the Studio catalogue: their specs come from the reference
        let services = [
            include_str!("../../abacus-reference/data/services/logs.json"),
            include_str!("../../abacus-reference/data/services/ecr.json"),
        ];
        for text in services {
            abacus_reference::install_service(text).unwrap();
        }
        for action in ["logs:CreateLogStream", "ecr:BatchGetImage"] {
            let mut d = default_scenario();
            edit_request(&mut d, RequestEdit::Action(action.into()));
            let arn = d.selection.resource_arn.clone().unwrap_or_default();
            assert!(arn.starts_with("arn:aws:"), "{action}: {arn}");
            assert!(
                abacus_studio::evaluate::Workspace::new(&d)
                    .evaluate(&d.selection)
                    .is_ok(),
                "{action} has a decision"
            );
        }
    }
}
