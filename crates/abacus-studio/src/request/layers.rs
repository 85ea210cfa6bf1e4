//! The keys many requests share, built once and shared by reference ([`Context::share`]).
//!
//! The access matrix builds a request for each of thousands of cells. The cells of a row
//! have one caller, so one signer and the same principal and global keys; the cells of the
//! columns that act on one resource have the same target and resource keys. [`KeyLayers`]
//! keeps both, so that a cell's context holds only the keys of its own action, and the
//! world's resources are resolved once. The keys are the same as a request built alone:
//! [`Context::share`] behaves as inserting each key, and a layer is copied into a context
//! that sets one of its keys again.

use super::caller::{self, Signer};
use super::resource_keys::{self, Carried};
use super::route::Route;
use super::selection::Selection;
use super::target::{self, Resolved, Target};
use super::{principal_keys, RequestError};
use crate::actions::ActionSpec;
use crate::model::{Domain, UserProfile, World};
use abacus_policy::Context;
use foldhash::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

/// The shared keys of the requests built with it, for one world and one generation of
/// reference data (`abacus_reference::generation`). A request for another world (at
/// another address) or built after reference data was installed empties them first
/// ([`KeyLayers::for_world`]); a world changed in place, at the same address, needs new
/// layers (`Workspace` makes them whenever its world or an attachment changes).
#[derive(Debug, Default)]
pub struct KeyLayers {
    /// The address of the world they were built for.
    world: usize,
    generation: u64,
    /// The last few callers, newest last (a row's cells and the checks they imply).
    callers: Vec<Arc<CallerLayer>>,
    /// The targets of world resources, by resource id.
    targets: HashMap<String, TargetLayer>,
}

/// How many callers [`KeyLayers`] keeps: a call and the checks it implies may be signed
/// differently (a role chain's hop).
const CALLERS_KEPT: usize = 4;

/// One signer's keys and what they were built for.
#[derive(Debug)]
pub(super) struct CallerLayer {
    user: String,
    route: Route,
    time: Option<String>,
    source_ip: Option<String>,
    called_via: Vec<String>,
    /// The signer, with the request's own source IP.
    pub(super) signer: Signer,
    /// What signing noted.
    pub(super) notes: Vec<String>,
    /// `principal_arn` of the signer.
    pub(super) principal: String,
    /// The principal and global keys ([`principal_keys::insert`]) and `aws:CalledVia*`.
    pub(super) keys: Arc<Context>,
}

impl CallerLayer {
    /// True when it was built for `selection`'s user, route, time, source IP and services.
    fn is_for(&self, selection: &Selection) -> bool {
        let p = &selection.parameters;
        self.user == selection.user
            && self.route == selection.route
            && self.time == p.time
            && self.source_ip == p.source_ip
            && self.called_via == p.called_via
    }
}

/// A call's target and the keys of it that the call carries.
pub(super) type TargetWithKeys = (Arc<Target>, Arc<Context>);

/// A world resource's target, and its keys for each [`Carried`] that asked for them.
#[derive(Debug)]
struct TargetLayer {
    target: Arc<Target>,
    keys: Vec<(Carried, Arc<Context>)>,
}

impl KeyLayers {
    /// Empties the layers unless they were built for `world` (by address) with the
    /// reference data installed now.
    pub(super) fn for_world(&mut self, world: &World) {
        let (at, generation) = (
            std::ptr::from_ref(world) as usize,
            abacus_reference::generation(),
        );
        if (self.world, self.generation) != (at, generation) {
            *self = KeyLayers {
                world: at,
                generation,
                ..KeyLayers::default()
            };
        }
    }

    /// The caller layer of `selection`, made by `user` of `domain`: kept, or built now.
    pub(super) fn caller(
        &mut self,
        world: &World,
        user: &UserProfile,
        domain: &Domain,
        selection: &Selection,
    ) -> Result<Arc<CallerLayer>, RequestError> {
        if let Some(kept) = self.callers.iter().find(|c| c.is_for(selection)) {
            return Ok(kept.clone());
        }
        let layer = Arc::new(caller_layer(world, user, domain, selection)?);
        if self.callers.len() >= CALLERS_KEPT {
            self.callers.remove(0);
        }
        self.callers.push(layer.clone());
        Ok(layer)
    }

    /// The target of `selection`'s call by `user` to `action` (`None` for an action on
    /// `*`) and its keys that the action carries: a world resource's are made once.
    pub(super) fn target(
        &mut self,
        world: &World,
        user: &UserProfile,
        action: &ActionSpec,
        selection: &Selection,
    ) -> Result<Option<TargetWithKeys>, RequestError> {
        let carried = Carried::by(action);
        let keys_of = |target: &Target| {
            let mut keys = Context::new();
            resource_keys::insert(&mut keys, carried, target);
            keys.shrink_to_fit();
            Arc::new(keys)
        };
        let r = match target::resolve_target(world, user, action, selection)? {
            None => return Ok(None),
            Some(Resolved::Made(t)) => {
                let keys = keys_of(&t);
                return Ok(Some((Arc::from(t), keys)));
            }
            Some(Resolved::World(r)) => r,
        };
        let kept = match self.targets.entry(r.id.clone()) {
            Entry::Occupied(kept) => kept.into_mut(),
            Entry::Vacant(slot) => slot.insert(TargetLayer {
                target: Arc::new(target::resource_target(world, r)?),
                keys: Vec::new(),
            }),
        };
        let keys = match kept.keys.iter().find(|(c, _)| *c == carried) {
            Some((_, keys)) => keys.clone(),
            None => {
                let keys = keys_of(&kept.target);
                kept.keys.push((carried, keys.clone()));
                keys
            }
        };
        Ok(Some((kept.target.clone(), keys)))
    }
}

/// Signs `selection`'s call and builds its caller's keys.
fn caller_layer(
    world: &World,
    user: &UserProfile,
    domain: &Domain,
    selection: &Selection,
) -> Result<CallerLayer, RequestError> {
    let mut notes = Vec::new();
    let mut signer = caller::sign(world, user, domain, &selection.route, &mut notes)?;
    let p = &selection.parameters;
    if let Some(ip) = &p.source_ip {
        signer.source_ip = ip.clone();
    }
    let mut keys = Context::new();
    principal_keys::insert(
        &mut keys,
        world,
        &signer,
        p.time.as_deref().unwrap_or(&world.clock),
    );
    // IAM User Guide, "AWS global condition context keys": aws:CalledVia lists the services
    // that made the request with the principal's credentials, first to last
    if let (Some(first), Some(last)) = (p.called_via.first(), p.called_via.last()) {
        keys.insert_multi("aws:CalledVia", p.called_via.clone());
        keys.insert_single("aws:CalledViaFirst", first.clone());
        keys.insert_single("aws:CalledViaLast", last.clone());
        keys.insert_single("aws:ViaAWSService", "true");
    }
    keys.shrink_to_fit();
    Ok(CallerLayer {
        user: selection.user.clone(),
        route: selection.route.clone(),
        time: p.time.clone(),
        source_ip: p.source_ip.clone(),
        called_via: p.called_via.clone(),
        principal: caller::principal_arn(world, &signer.caller),
        signer,
        notes,
        keys: Arc::new(keys),
    })
}
