//! Options and operands of one command, GNU style, read with a [`Spec`] per
//! program that says which options take a value, so that a value (`-n 5`,
//! `-o out.txt`) is never taken for a file operand.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::analyze::shell::wrappers::is_listed;

/// How a program's options are spelled: letters and long names that take a
/// value (`-n 5`, `-n5`, `--lines 5`, `--lines=5`), and letters whose value
/// can only be attached (`sed -i.bak`).
#[derive(Clone, Copy)]
pub(super) struct Spec {
    pub(super) values: &'static str,
    pub(super) attached: &'static str,
    pub(super) long: &'static str,
}

pub(super) const fn spec(values: &'static str, long: &'static str) -> Spec {
    Spec {
        values,
        attached: "",
        long,
    }
}

pub(super) const FLAGS: Spec = spec("", "");

/// Options and operands of one command, GNU style (options may follow
/// operands; `--` ends options; `-` is an operand).
#[derive(Default)]
pub(super) struct Opts<'a> {
    pub(super) opts: Vec<(&'a str, Option<&'a str>)>,
    pub(super) operands: Vec<&'a str>,
}

impl<'a> Opts<'a> {
    pub(super) fn parse(args: &[&'a str], spec: Spec) -> Self {
        let mut o = Opts::default();
        let mut i = 0;
        let mut ended = false;
        while let Some(&a) = args.get(i) {
            i += 1;
            if ended || a == "-" || !a.starts_with('-') {
                o.operands.push(a);
                continue;
            }
            if a == "--" {
                ended = true;
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                match long.split_once('=') {
                    Some((name, value)) => o.opts.push((name, Some(value))),
                    None if is_listed(spec.long, long) => {
                        o.opts.push((long, args.get(i).copied()));
                        i += 1;
                    }
                    None => o.opts.push((long, None)),
                }
                continue;
            }
            let body = a.get(1..).unwrap_or("");
            for (k, c) in body.char_indices() {
                let next = k + c.len_utf8();
                let name = body.get(k..next).unwrap_or("");
                let rest = body.get(next..).unwrap_or("");
                if spec.attached.contains(c) {
                    o.opts.push((name, Some(rest)));
                    break;
                }
                if spec.values.contains(c) {
                    if rest.is_empty() {
                        o.opts.push((name, args.get(i).copied()));
                        i += 1;
                    } else {
                        o.opts.push((name, Some(rest)));
                    }
                    break;
                }
                o.opts.push((name, None));
            }
        }
        o
    }

    pub(super) fn has(&self, names: &[&str]) -> bool {
        self.opts.iter().any(|(n, _)| names.contains(n))
    }

    pub(super) fn values(&self, names: &[&str]) -> Vec<&'a str> {
        self.opts
            .iter()
            .filter(|(n, _)| names.contains(n))
            .filter_map(|(_, v)| *v)
            .collect()
    }

    /// Operands after the first one unless `explicit` (the first is a
    /// pattern, script or filter).
    pub(super) fn after_script(&self, explicit: bool) -> &[&'a str] {
        let skip = usize::from(!explicit).min(self.operands.len());
        self.operands.get(skip..).unwrap_or(&[])
    }
}
