//! The facts a template takes its slot defaults from: account, Region, partition, domain,
//! bucket, teams, user profiles and roles of a simulated world.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Named facts about a world, e.g. `account_id` → `111122223333`.
///
/// Slots name the fact that fills them (`"world": "bucket"`). Well-known names are the
/// constants of this module; a world may carry more (`user_profile_2`, `team_2`, ...).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldFacts {
    facts: BTreeMap<String, String>,
}

/// The account ID.
pub const ACCOUNT_ID: &str = "account_id";
/// The Region.
pub const REGION: &str = "region";
/// The partition.
pub const PARTITION: &str = "partition";
/// The first domain's ID.
pub const DOMAIN_ID: &str = "domain_id";
/// The first S3 bucket.
pub const BUCKET: &str = "bucket";
/// The first team.
pub const TEAM: &str = "team";
/// The second team.
pub const TEAM_2: &str = "team_2";
/// The first user profile.
pub const USER_PROFILE: &str = "user_profile";
/// The second user profile.
pub const USER_PROFILE_2: &str = "user_profile_2";
/// The execution role's name.
pub const ROLE_NAME: &str = "role_name";

impl WorldFacts {
    /// No facts at all: every slot without an override stays unfilled.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The built-in example world used when no scenario is at hand (CLI `render`, docs).
    /// It matches the names the seeds use where they give any (Team A and Team B, user A1).
    pub fn example() -> Self {
        let mut facts = Self::empty();
        for (name, value) in [
            (ACCOUNT_ID, "111122223333"),
            (REGION, "us-east-1"),
            (PARTITION, "aws"),
            (DOMAIN_ID, "d-abacus0team0a"),
            (BUCKET, "abacus-ml-data"),
            (TEAM, "TeamA"),
            (TEAM_2, "TeamB"),
            (USER_PROFILE, "alice"),
            (USER_PROFILE_2, "bob"),
            (ROLE_NAME, "SageMakerStudioExecutionRole"),
        ] {
            facts.set(name, value);
        }
        facts
    }

    /// Sets (or replaces) one fact.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.facts.insert(name.into(), value.into());
    }

    /// The value of fact `name`, if the world has it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.facts.get(name).map(String::as_str)
    }

    /// Every fact, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.facts.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl WorldFacts {
    /// The facts of a simulated world: its account, Region and partition, the first
    /// domain and its default execution role, the first two user profiles, the first two
    /// distinct `team` tags (of users, then roles) and the first S3 bucket.
    pub fn from_world(world: &abacus_studio::model::World) -> Self {
        let mut facts = Self::empty();
        facts.set(ACCOUNT_ID, world.account.clone());
        facts.set(REGION, world.region.clone());
        facts.set(PARTITION, world.partition.clone());
        if let Some(domain) = world.domains.first() {
            facts.set(DOMAIN_ID, domain.id.clone());
            facts.set(ROLE_NAME, domain.default_execution_role.clone());
        }
        for (name, user) in [USER_PROFILE, USER_PROFILE_2].into_iter().zip(&world.users) {
            facts.set(name, user.name.clone());
        }
        let mut teams: Vec<&String> = Vec::new();
        let tagged = world
            .users
            .iter()
            .map(|u| &u.tags)
            .chain(world.roles.iter().map(|r| &r.tags));
        for tags in tagged {
            if let Some(team) = tags.get("team") {
                if !teams.contains(&team) {
                    teams.push(team);
                }
            }
        }
        for (name, team) in [TEAM, TEAM_2].into_iter().zip(teams) {
            facts.set(name, team.clone());
        }
        let bucket = world
            .resources
            .iter()
            .find_map(|r| match r.resource_type.as_str() {
                "s3-bucket" => Some(r.name.clone()),
                "s3-object" => r.name.split('/').next().map(str::to_owned),
                _ => None,
            });
        if let Some(bucket) = bucket {
            facts.set(BUCKET, bucket);
        }
        facts
    }

    /// The facts of a scenario's world.
    pub fn from_scenario(scenario: &abacus_studio::scenario::Scenario) -> Self {
        Self::from_world(&scenario.world)
    }
}

impl From<&abacus_studio::scenario::Scenario> for WorldFacts {
    fn from(scenario: &abacus_studio::scenario::Scenario) -> Self {
        Self::from_scenario(scenario)
    }
}

impl FromIterator<(String, String)> for WorldFacts {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(iter: I) -> Self {
        // built by insertion: `collect` would add a sort to the bundle
        let mut facts = BTreeMap::new();
        facts.extend(iter);
        Self { facts }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slot::SlotKind;

    #[test]
    fn example_world_values_are_valid_for_their_kinds() {
        let world = WorldFacts::example();
        for (name, kind) in [
            (ACCOUNT_ID, SlotKind::AccountId),
            (REGION, SlotKind::Region),
            (PARTITION, SlotKind::Partition),
            (DOMAIN_ID, SlotKind::DomainId),
            (BUCKET, SlotKind::Bucket),
            (TEAM, SlotKind::Team),
            (USER_PROFILE, SlotKind::UserProfile),
            (USER_PROFILE_2, SlotKind::UserProfile),
            (ROLE_NAME, SlotKind::RoleName),
        ] {
            let value = world.get(name).unwrap();
            assert!(kind.validate(value).is_ok(), "{name} = {value}");
        }
    }

    #[test]
    fn default_scenario_world_gives_facts() {
        let scenario = abacus_studio::scenario::default_scenario();
        let facts = WorldFacts::from_scenario(&scenario);
        assert_eq!(facts.get(ACCOUNT_ID), Some(scenario.world.account.as_str()));
        assert!(facts.get(DOMAIN_ID).is_some());
        assert!(facts.get(USER_PROFILE).is_some());
        assert!(facts.get(BUCKET).is_some());
    }
}
