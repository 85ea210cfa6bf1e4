//! The typed values of condition operators, each with exactly one parser that the
//! validator (is this a valid value for the operator?) and the evaluator (how do two
//! values compare?) share, so that the two can never disagree: [`date`] (ISO 8601 or
//! epoch seconds), [`decimal`] (exact numbers), [`cidr`] (IP ranges), [`base64`]
//! (binary values) and [`bool`] (`true`/`false`).

pub mod base64;
pub mod bool;
pub mod cidr;
pub mod date;
pub mod decimal;

pub use self::bool::parse_bool;
pub use cidr::Cidr;
pub use date::parse_date;
pub use decimal::Decimal;
