//! Analysis: turning raw agent input into facts the policy can match.
//!
//! Paths are canonicalised, shell commands lexed and split, git command
//! lines parsed, URLs normalised, and invisible characters caught. None of
//! this touches the file system or the network, so it runs the same in the
//! browser.

pub mod git;
pub mod path;
pub mod shell;
pub mod suspicious;
pub mod url;
