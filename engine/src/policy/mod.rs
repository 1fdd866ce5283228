//! Policies: loading (YAML/JSON), schema validation, inheritance,
//! compilation into matchers, and the tools around them (tests, lint, diff,
//! fmt).

pub mod compile;
pub mod diagnostic;
pub mod diff;
pub mod library;
pub mod lint;
pub mod matcher;
pub mod mcp_registry;
pub mod merge;
pub mod model;
pub mod render;
pub mod schema;
pub mod signing;
pub mod source;
pub mod testing;
