//! Option scanning, the way git's parse-options reads a command line: options
//! may come anywhere (before, between or after operands) until `--`; short
//! options cluster (`-fu`); a short option taking a value takes the rest of
//! its cluster or the next word; long options take `--name=value` or, when the
//! value is required, the next word; a long option may be abbreviated to any
//! unambiguous prefix.
//!
//! Reading options as git does is what keeps `-fu`, `--forc` or a force
//! flag after the refspecs from passing as a plain push.

/// What an option does to the action; `Plain` options are only listed so
/// abbreviations and values are read correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flag {
    Plain,
    Force,
    NoForce,
    Lease,
    NoLease,
    IfIncludes,
    NoIfIncludes,
    Mirror,
    All,
    Tags,
    Delete,
    Prune,
    NoVerify,
    Verify,
    Repo,
    Hard,
    NotHard,
    Remotes,
    List,
    Move,
    Copy,
    Upstream,
    NewBranch,
}

impl Flag {
    /// Options that undo another; left out when an abbreviation is
    /// ambiguous, so the ambiguity never reads as the safer command.
    fn is_negation(self) -> bool {
        matches!(
            self,
            Self::NoForce | Self::NoLease | Self::NoIfIncludes | Self::Verify | Self::NotHard
        )
    }
}

/// Whether an option takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Takes {
    Nothing,
    /// `--name=value`, `--name value`, `-xvalue`, `-x value`.
    Value,
    /// Optional, only attached: `--name=value`, `-xvalue`.
    Attached,
}

/// One option of a subcommand. `short` is [`NO`] when there is none;
/// `long` is empty when there is none.
pub(super) struct Opt {
    long: &'static str,
    short: char,
    takes: Takes,
    flag: Flag,
}

/// The `short` of an option that has no short form.
pub(super) const NO: char = ' ';

/// An option that takes no value.
pub(super) const fn sw(long: &'static str, short: char, flag: Flag) -> Opt {
    Opt {
        long,
        short,
        takes: Takes::Nothing,
        flag,
    }
}

/// An option that requires a value.
pub(super) const fn val(long: &'static str, short: char, flag: Flag) -> Opt {
    Opt {
        long,
        short,
        takes: Takes::Value,
        flag,
    }
}

/// An option whose value is optional and only attached.
pub(super) const fn opt(long: &'static str, short: char, flag: Flag) -> Opt {
    Opt {
        long,
        short,
        takes: Takes::Attached,
        flag,
    }
}

#[derive(Default)]
pub(super) struct Scanned {
    pub(super) flags: Vec<(Flag, Option<String>)>,
    pub(super) positionals: Vec<String>,
    /// How many positionals came before `--`, when there was one.
    pub(super) dashdash: Option<usize>,
}

enum Resolved<'t> {
    One(&'t Opt),
    Ambiguous(Vec<&'t Opt>),
    Unknown,
}

fn resolve_long<'t>(name: &str, table: &'t [Opt]) -> Resolved<'t> {
    if name.is_empty() {
        return Resolved::Unknown;
    }
    if let Some(exact) = table.iter().find(|opt| opt.long == name) {
        return Resolved::One(exact);
    }
    let candidates: Vec<&Opt> = table
        .iter()
        .filter(|opt| opt.long.starts_with(name))
        .collect();
    match candidates.as_slice() {
        [] => Resolved::Unknown,
        [one] => Resolved::One(one),
        _ => Resolved::Ambiguous(candidates),
    }
}

pub(super) fn scan(args: &[String], table: &[Opt]) -> Scanned {
    let mut scanned = Scanned::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if scanned.dashdash.is_some() {
            scanned.positionals.push(word.clone());
        } else if word == "--" {
            scanned.dashdash = Some(scanned.positionals.len());
        } else if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (long, None),
            };
            match resolve_long(name, table) {
                Resolved::One(opt) => {
                    let value = match opt.takes {
                        Takes::Nothing => None,
                        Takes::Value => inline.or_else(|| words.next().cloned()),
                        Takes::Attached => inline,
                    };
                    scanned.flags.push((opt.flag, value));
                }
                // Git rejects the command; read it as doing everything the
                // abbreviation could mean.
                Resolved::Ambiguous(opts) => scanned.flags.extend(
                    opts.into_iter()
                        .filter(|opt| !opt.flag.is_negation())
                        .map(|opt| (opt.flag, inline.clone())),
                ),
                Resolved::Unknown => {}
            }
        } else if let Some(cluster) = word.strip_prefix('-').filter(|rest| !rest.is_empty()) {
            scan_cluster(cluster, table, &mut words, &mut scanned.flags);
        } else {
            scanned.positionals.push(word.clone());
        }
    }
    scanned
}

fn scan_cluster<'a>(
    cluster: &str,
    table: &[Opt],
    words: &mut impl Iterator<Item = &'a String>,
    flags: &mut Vec<(Flag, Option<String>)>,
) {
    for (at, c) in cluster.char_indices() {
        let Some(opt) = table.iter().find(|opt| opt.short == c && c != NO) else {
            continue;
        };
        let rest = cluster.get(at + c.len_utf8()..).unwrap_or_default();
        match opt.takes {
            Takes::Nothing => flags.push((opt.flag, None)),
            Takes::Value => {
                let value = if rest.is_empty() {
                    words.next().cloned()
                } else {
                    Some(rest.to_owned())
                };
                flags.push((opt.flag, value));
                return;
            }
            Takes::Attached => {
                flags.push((opt.flag, Some(rest.to_owned()).filter(|v| !v.is_empty())));
                return;
            }
        }
    }
}
