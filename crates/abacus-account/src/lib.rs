//! Bring your own account: the JSON that AWS CLI commands print about a real account,
//! turned into a scenario world ([`import`]), so that a design review can simulate *their*
//! roles, profiles and policies instead of the seeds' example account.
//!
//! Everything here runs in the page or the CLI: nothing is sent anywhere. The engine crates'
//! rule holds: no web dependencies.

pub mod anonymise;
pub mod import;
pub mod replay;
pub mod trail;
pub mod who_can;
