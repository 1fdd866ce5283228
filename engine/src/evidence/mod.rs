//! Evidence: what proves, after the fact, what an agent asked and was told.
//!
//! For now this holds the canonical JSON that digests are computed over;
//! bundles, signatures and verification build on it.

pub mod canonical;
