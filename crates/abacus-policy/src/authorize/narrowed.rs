//! A policy set narrowed to one action: for each policy, which of its statements have an
//! `Action` or `NotAction` that covers the action. A decision for that action then visits
//! those statements alone, instead of filtering every statement of every policy.
//!
//! An access matrix decides each pair of policy set and action for many resources (and a
//! set is shared by the users of one role): in the large world of the bench a decision
//! filters about 330 statements and keeps about 20, and the filtering was about half of
//! the decision. Narrowing changes no decision: the statements left out are the ones whose
//! action never matches, which the fast path skips anyway, and the ones kept are visited in
//! the same order.

use super::evaluator::{ActionProbe, Evaluator};
use super::matching::covers_action;
use super::{authorize_decision, NamedPolicy, PolicySet};
use crate::decision::Decision;
use crate::request::Request;
use std::sync::Arc;

/// A [`PolicySet`] narrowed to one action (see the module docs). It keeps the set, so the
/// statements it lists are always those of the policies it decides with.
#[derive(Clone, Debug)]
pub struct ActionSet {
    set: Arc<PolicySet>,
    action: Box<str>,
    /// For each policy, in [`policies_in_order`]: its range of `positions`, and how many
    /// statements it has (a check that the list fits the policy).
    ranges: Box<[PolicyStatements]>,
    /// Positions in the policies' statement lists, policy after policy.
    positions: Box<[usize]>,
}

/// One policy's part of [`ActionSet::positions`].
#[derive(Clone, Copy, Debug)]
struct PolicyStatements {
    start: usize,
    end: usize,
    statements: usize,
}

impl ActionSet {
    /// Narrows `set` to `action` (compared as written: a request for another action, even
    /// one that differs in case only, is decided against the whole set).
    pub fn new(set: Arc<PolicySet>, action: &str) -> Self {
        let probe = ActionProbe::new(action);
        let mut ranges = Vec::new();
        let mut positions = Vec::new();
        for np in policies_in_order(&set) {
            let start = positions.len();
            let statements = match &np.parsed.policy {
                Some(policy) => {
                    if policy.service_filter & probe.service_bit != 0 {
                        positions.extend(policy.statements.iter().enumerate().filter_map(
                            |(k, st)| {
                                (probe.may_cover(st) && covers_action(&probe, action, st))
                                    .then_some(k)
                            },
                        ));
                    }
                    policy.statements.len()
                }
                None => 0,
            };
            ranges.push(PolicyStatements {
                start,
                end: positions.len(),
                statements,
            });
        }
        ActionSet {
            set,
            action: action.into(),
            ranges: ranges.into(),
            positions: positions.into(),
        }
    }

    /// Decides `request` as [`authorize_decision`] does against the whole set (without the
    /// narrowing when the request is for another action).
    pub fn decide(&self, request: &Request) -> Decision {
        if request.action != *self.action {
            return authorize_decision(&self.set, request);
        }
        let mut eval = Evaluator::new(&self.set, request, false);
        eval.run(&Narrowed {
            ranges: &self.ranges,
            positions: &self.positions,
        })
        .decision
    }
}

/// An [`ActionSet`]'s lists, as the evaluator reads them.
#[derive(Clone, Copy)]
pub(super) struct Narrowed<'a> {
    ranges: &'a [PolicyStatements],
    positions: &'a [usize],
}

impl<'a> Narrowed<'a> {
    /// The positions of the statements that cover the action in the policy at `position`
    /// (in [`policies_in_order`]), if that policy has `statements` statements.
    pub(super) fn statements(self, position: usize, statements: usize) -> Option<&'a [usize]> {
        let r = self.ranges.get(position)?;
        if r.statements != statements {
            return None;
        }
        self.positions.get(r.start..r.end)
    }
}

/// Every policy of `set` in the order the evaluation logic reads their lists: SCPs (root
/// level first), RCPs, identity-based policies, the resource-based policy, permissions
/// boundaries, the session policy.
pub(super) fn policies_in_order(set: &PolicySet) -> impl Iterator<Item = &NamedPolicy> {
    set.scps
        .iter()
        .flatten()
        .chain(set.rcps.iter().flatten())
        .chain(&set.identity)
        .chain(set.resource.as_ref())
        .chain(&set.permission_boundaries)
        .chain(set.session.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Context;

    fn policy(name: &str, statements: &str) -> NamedPolicy {
        NamedPolicy::from_text(
            name,
            &format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#),
        )
    }

    const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/StudioRole/alice";

    fn req(action: &str) -> Request {
        Request {
            principal: SESSION.into(),
            action: action.into(),
            resource: "arn:aws:s3:::b/k".into(),
            context: Context::new(),
        }
    }

    #[test]
    fn lists_the_statements_whose_action_covers_it() {
        let set = Arc::new(PolicySet {
            identity: vec![policy(
                "i",
                r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"},
                   {"Effect":"Allow","Action":"s3:PutObject","Resource":"*"},
                   {"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"},
                   {"Effect":"Allow","Action":["sagemaker:*","S3:GETOBJECT"],"Resource":"*"}"#,
            )],
            ..Default::default()
        });
        let narrowed = ActionSet::new(set.clone(), "s3:GetObject");
        assert_eq!(narrowed.positions.len(), 2);
        assert_eq!(narrowed.decide(&req("s3:GetObject")), Decision::Allow);
        // the statement left out for `s3:GetObject` denies `s3:PutObject`: a request for
        // another action is decided against the whole set
        assert_eq!(
            narrowed.decide(&req("s3:PutObject")),
            Decision::ExplicitDeny
        );
        assert_eq!(
            ActionSet::new(set, "s3:PutObject").decide(&req("s3:PutObject")),
            Decision::ExplicitDeny
        );
    }

    // every list has one policy of two statements; the one that denies has its statement
    // for the action first, the others second: a list given another policy's positions
    // (lists out of order) misses the Deny
    #[test]
    fn each_policy_gets_its_own_list_whatever_its_type() {
        const DENY: &str = r#"{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*"},
            {"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"}"#;
        const ALLOW: &str = r#"{"Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"*"},
            {"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}"#;
        // identity policies, SCPs, boundaries and session policies name no principal
        let without = |t: &str| t.replace(r#""Principal":"*","#, "");
        for denying in 0..7 {
            let text = |i: usize, principal: bool| {
                let t = if i == denying { DENY } else { ALLOW };
                policy(
                    &format!("p{i}"),
                    &if principal { t.to_owned() } else { without(t) },
                )
            };
            let set = Arc::new(PolicySet {
                scps: vec![vec![text(0, false)], vec![text(1, false)]],
                rcps: vec![vec![text(2, true)]],
                identity: vec![text(3, false)],
                resource: Some(text(4, true)),
                permission_boundaries: vec![text(5, false)],
                session: Some(text(6, false)),
                ..Default::default()
            });
            let r = req("s3:GetObject");
            assert_eq!(
                authorize_decision(&set, &r),
                Decision::ExplicitDeny,
                "{denying}"
            );
            assert_eq!(
                ActionSet::new(set, "s3:GetObject").decide(&r),
                Decision::ExplicitDeny,
                "{denying}"
            );
        }
    }

    #[test]
    fn a_list_that_does_not_fit_its_policy_is_not_used() {
        let set = Arc::new(PolicySet {
            identity: vec![policy(
                "i",
                r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#,
            )],
            ..Default::default()
        });
        let narrowed = ActionSet::new(set, "s3:GetObject");
        let n = Narrowed {
            ranges: &narrowed.ranges,
            positions: &narrowed.positions,
        };
        assert_eq!(n.statements(0, 1), Some(&[0][..]));
        assert_eq!(n.statements(0, 2), None);
        assert_eq!(n.statements(1, 1), None);
    }
}
