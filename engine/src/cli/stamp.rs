//! Decision ids and timestamps for the native CLI: the system clock and the
//! operating system's randomness.

use crate::decision::DecisionStamp;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A fresh stamp: random ids, the current time.
pub fn fresh() -> DecisionStamp {
    let mut random = [0u8; 12];
    if getrandom::fill(&mut random).is_err() {
        // Ids must still be unique-ish without OS randomness: fall back to
        // the clock's nanoseconds, which is enough for a correlation id.
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        random.copy_from_slice(&nanos.to_le_bytes()[..12]);
    }
    DecisionStamp::from_parts(random, now_millis())
}
