//! Policy templates with typed slots, the library of seed samples, the scenario gallery
//! and the ABAC linter.
