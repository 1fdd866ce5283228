//! Agent hooks: turn the event an agent's harness sends before (or after) a
//! tool call into an [`ActionRequest`](crate::ActionRequest), and a
//! [`Decision`](crate::Decision) back into the answer that harness expects.
//!
//! Each agent gets one file. Only the translation lives here; reading
//! stdin, loading the policy and writing the session log belong to the
//! `cavra hook` command, and what an action *means* belongs to the engine.

pub(crate) mod claude_code;
