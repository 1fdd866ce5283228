//! Effects: the files a simple command reads and writes and the URLs it
//! fetches, from its redirections and, for the programs `effects_for` knows,
//! from its options and operands.
//!
//! Targets are reported as written; `-`, devices, `<(..)` and the `{}`
//! placeholder are left out.
//! Options are parsed in `options`; the programs whose operands need more than
//! one rule are read in `files` (file tools) and `network` (HTTP clients).

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod files;
mod network;
mod options;

use self::files::{awk, chmod, copy, jq, perl, remote_copy, search, sed, AG, GREP, RG};
use self::network::{curl, httpie, wget};
use self::options::{spec, Opts, Spec, FLAGS};
use super::tree::{Redir, RedirOp};
use super::Effect;

const DEVICES: [&str; 5] = [
    "/dev/null",
    "/dev/stdin",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/tty",
];

/// Not a file worth reporting: stdin/stdout `-`, a device, `<(..)`, the
/// `{}` placeholder of `find -exec` and `xargs -I{}`.
fn is_file(p: &str) -> bool {
    !(p.is_empty()
        || p == "-"
        || p == "{}"
        || DEVICES.contains(&p)
        || ((p.starts_with("<(") || p.starts_with(">(")) && p.ends_with(')')))
}

#[derive(Default)]
struct Fx(Vec<Effect>);

impl Fx {
    fn read(&mut self, p: &str) {
        if is_file(p) {
            self.0.push(Effect::Read(p.to_string()));
        }
    }

    fn write(&mut self, p: &str) {
        if is_file(p) {
            self.0.push(Effect::Write(p.to_string()));
        }
    }

    /// A URL operand; scheme-less host-like operands get `scheme`.
    fn url(&mut self, s: &str, scheme: &str) {
        if s.contains("://") {
            self.0.push(Effect::Url(s.to_string()));
        } else if host_like(s) {
            self.0.push(Effect::Url(format!("{scheme}://{s}")));
        }
    }
}

/// `example.com/x`, `user@host:8080/p`, `localhost:3000`, `[::1]/x`.
fn host_like(s: &str) -> bool {
    if s.is_empty() || s.starts_with('-') || s.chars().any(char::is_whitespace) {
        return false;
    }
    let authority = s.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    if host_port.starts_with('[') {
        return host_port.contains(']');
    }
    let host = match host_port.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return false,
        None => host_port,
    };
    !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && (host.contains('.') || host.eq_ignore_ascii_case("localhost"))
}

pub(super) fn redirect_effects(redirs: &[Redir]) -> Vec<Effect> {
    let mut fx = Fx::default();
    for r in redirs {
        let target = r.target.value.as_str();
        match r.op {
            RedirOp::In => fx.read(target),
            RedirOp::ReadWrite => {
                fx.read(target);
                fx.write(target);
            }
            RedirOp::Out
            | RedirOp::Append
            | RedirOp::Clobber
            | RedirOp::OutErr
            | RedirOp::AppendErr => fx.write(target),
            // `>&2`, `>&-`, `>&$fd` duplicate a descriptor; `>&file` writes.
            RedirOp::DupOut => {
                let fd = target.strip_suffix('-').unwrap_or(target);
                if !(fd.bytes().all(|b| b.is_ascii_digit()) || fd.starts_with('$')) {
                    fx.write(target);
                }
            }
            RedirOp::DupIn | RedirOp::HereDoc { .. } | RedirOp::HereString => {}
        }
    }
    fx.0
}

pub(super) fn effects_for(program: &str, args: &[String]) -> Vec<Effect> {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut fx = Fx::default();
    match program {
        "cat" | "tac" | "nl" | "less" | "more" | "bat" | "batcat" | "base64" | "od" | "hexdump"
        | "strings" | "head" | "tail" | "diff" => {
            for f in Opts::parse(&a, reader_spec(program)).operands {
                // `less +G`, `more +/pattern`: a start command, not a file.
                if !(matches!(program, "less" | "more") && f.starts_with('+')) {
                    fx.read(f);
                }
            }
        }
        "xxd" => {
            let o = Opts::parse(&a, spec("cglosn", ""));
            if let Some(f) = o.operands.first() {
                fx.read(f);
            }
            if let Some(f) = o.operands.get(1) {
                fx.write(f);
            }
        }
        "open" | "xdg-open" => {
            for f in Opts::parse(&a, spec("ab", "")).operands {
                if f.contains("://") {
                    fx.url(f, "");
                } else {
                    fx.read(f);
                }
            }
        }
        "source" | "." => {
            if let Some(f) = a.iter().find(|x| **x != "--") {
                fx.read(f);
            }
        }
        "grep" | "egrep" | "fgrep" => search(&mut fx, &a, GREP, true),
        "rg" => search(&mut fx, &a, RG, true),
        "ag" => search(&mut fx, &a, AG, false),
        "cp" | "mv" | "install" | "ln" => copy(&mut fx, program, &a),
        "scp" | "rsync" => remote_copy(&mut fx, program, &a),
        "jq" | "yq" => jq(&mut fx, program, &a),
        "awk" | "gawk" | "mawk" | "nawk" => awk(&mut fx, &a),
        "sed" | "gsed" => sed(&mut fx, &a),
        "perl" => perl(&mut fx, &a),
        "dd" => {
            for x in &a {
                if let Some(f) = x.strip_prefix("if=") {
                    fx.read(f);
                } else if let Some(f) = x.strip_prefix("of=") {
                    fx.write(f);
                }
            }
        }
        "tee" | "rm" | "rmdir" | "unlink" | "shred" | "touch" | "mkdir" | "truncate" => {
            for f in Opts::parse(&a, writer_spec(program)).operands {
                fx.write(f);
            }
        }
        "chmod" => chmod(&mut fx, &a),
        "chown" | "chgrp" => {
            let o = Opts::parse(&a, FLAGS);
            for f in o.after_script(o.has(&["reference"])) {
                fx.write(f);
            }
        }
        "curl" => curl(&mut fx, &a),
        "wget" => wget(&mut fx, &a),
        "fetch" => {
            let o = Opts::parse(&a, spec("oBNSTi", "output"));
            for f in o.values(&["o", "output"]) {
                fx.write(f);
            }
            for u in &o.operands {
                fx.url(u, "http");
            }
        }
        "http" | "https" | "xh" | "xhs" => httpie(&mut fx, program, &a),
        _ => {}
    }
    fx.0
}

fn reader_spec(program: &str) -> Spec {
    match program {
        "tac" => spec("s", "separator"),
        "nl" => spec("bdfhilnsvw", ""),
        "less" => spec(
            "bhjkoOpPtTxyz",
            "log-file LOG-FILE pattern tag tabs shift window",
        ),
        "more" => spec("n", "lines"),
        "bat" | "batcat" => spec(
            "lHrm",
            "language highlight-line line-range map-syntax theme style tabs wrap terminal-width color italic-text decorations paging pager file-name diff-context",
        ),
        "base64" => spec("w", "wrap"),
        "od" => spec(
            "AjNtwS",
            "address-radix skip-bytes read-bytes format width strings endian",
        ),
        "hexdump" => spec("efns", "format format-file length skip"),
        "strings" => spec("nteT", "bytes radix encoding target"),
        "head" | "tail" => spec(
            "ncs",
            "lines bytes sleep-interval pid max-unchanged-stats",
        ),
        "diff" => spec(
            "CDFILSUWXx",
            "label ignore-matching-lines exclude exclude-from starting-file show-function-line horizon-lines width tabsize",
        ),
        _ => FLAGS,
    }
}

fn writer_spec(program: &str) -> Spec {
    match program {
        "shred" => spec("ns", "iterations size random-source"),
        "touch" => spec("dtr", "date reference time"),
        "mkdir" => spec("m", "mode"),
        "truncate" => spec("sr", "size reference"),
        _ => FLAGS,
    }
}
