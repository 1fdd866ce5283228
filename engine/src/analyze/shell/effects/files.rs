//! File tools whose operands are not all of one kind: search tools (a
//! pattern, then files), `cp`/`mv`/`install`/`ln`, `scp`/`rsync`, `jq`/`yq`,
//! `awk`, `sed`, `perl` and `chmod`.
//!
//! Each says which operands it reads and which it writes; in-place editing
//! (`sed -i`, `perl -i`, `jq -i`, `awk -i inplace`) turns a read into a write.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use super::options::{spec, Opts, Spec};
use super::Fx;
use crate::analyze::shell::parser::is_assignment;
use crate::analyze::shell::wrappers::basename;

pub(super) const GREP: Spec = spec(
    "efABCmdD",
    "regexp file after-context before-context context max-count include exclude exclude-dir exclude-from label binary-files devices directories group-separator",
);

pub(super) const RG: Spec = spec(
    "efgtTABCmMjEdr",
    "regexp file glob iglob type type-not type-add type-clear after-context before-context context max-count max-columns threads encoding max-depth replace max-filesize ignore-file path-separator sort sortr colors context-separator engine pre pre-glob",
);

pub(super) const AG: Spec = spec(
    "ABCGgm",
    "after before context file-search-regex max-count depth pager ignore ignore-dir path-to-ignore",
);

/// grep-like: `PATTERN FILE...`, unless the pattern came from `-e`/`-f`.
pub(super) fn search(fx: &mut Fx, a: &[&str], spec: Spec, pattern_options: bool) {
    let o = Opts::parse(a, spec);
    let mut explicit = false;
    if pattern_options {
        for f in o.values(&["f", "file"]) {
            fx.read(f);
        }
        explicit = o.has(&["e", "regexp", "f", "file"]);
    }
    for f in o.after_script(explicit) {
        fx.read(f);
    }
}

/// `cp`, `mv`, `install`, `ln`: sources then destination (or `-t DIR`).
pub(super) fn copy(fx: &mut Fx, program: &str, a: &[&str]) {
    let spec = if program == "install" {
        spec("mogtS", "mode owner group target-directory suffix")
    } else {
        spec("tS", "target-directory suffix")
    };
    let o = Opts::parse(a, spec);
    if program == "install" && o.has(&["d", "directory"]) {
        for f in &o.operands {
            fx.write(f);
        }
        return;
    }
    // `mv` removes its sources; `ln` neither reads nor writes its targets.
    let source = |fx: &mut Fx, f: &str| match program {
        "mv" => fx.write(f),
        "ln" => {}
        _ => fx.read(f),
    };
    if let Some(dir) = o.values(&["t", "target-directory"]).first() {
        for f in &o.operands {
            source(fx, f);
        }
        fx.write(dir);
        return;
    }
    match o.operands.split_last() {
        Some((dest, sources)) if !sources.is_empty() => {
            for f in sources {
                source(fx, f);
            }
            fx.write(dest);
        }
        // `ln -s path/x` creates `x` here.
        Some((only, _)) if program == "ln" => fx.write(basename(only)),
        Some((only, _)) => source(fx, only),
        None => {}
    }
}

/// `scp`/`rsync`: like `cp`, but `host:path` operands are remote (skipped)
/// and `scheme://` operands are URLs.
pub(super) fn remote_copy(fx: &mut Fx, program: &str, a: &[&str]) {
    let spec = if program == "scp" {
        spec("cFiJloPSXD", "")
    } else {
        spec(
            "efBTM",
            "rsh exclude include exclude-from include-from filter files-from log-file password-file partial-dir temp-dir compare-dest copy-dest link-dest backup-dir suffix chmod chown bwlimit timeout port max-size min-size rsync-path out-format",
        )
    };
    let o = Opts::parse(a, spec);
    let Some((dest, sources)) = o.operands.split_last() else {
        return;
    };
    if sources.is_empty() {
        return;
    }
    let operand = |fx: &mut Fx, f: &str, write: bool| {
        if f.contains("://") {
            fx.url(f, "");
        } else if f
            .find(':')
            .is_some_and(|k| k > 0 && !f.get(..k).unwrap_or("").contains('/'))
        {
            // remote `host:path`: not a local file
        } else if write {
            fx.write(f);
        } else {
            fx.read(f);
        }
    };
    for f in sources {
        operand(fx, f, false);
    }
    operand(fx, dest, true);
}

/// `jq [options] FILTER [FILE...]`, `yq [eval] [options] EXPR [FILE...]`.
pub(super) fn jq(fx: &mut Fx, program: &str, a: &[&str]) {
    let mut i = 0;
    let mut operands = Vec::new();
    let (mut from_file, mut positional_args, mut in_place, mut ended) =
        (false, false, false, false);
    while let Some(&x) = a.get(i) {
        i += 1;
        if ended || x == "-" || !x.starts_with('-') {
            operands.push(x);
            continue;
        }
        match x {
            "--" => ended = true,
            "--arg" | "--argjson" => i += 2,
            "--slurpfile" | "--rawfile" => {
                if let Some(f) = a.get(i + 1) {
                    fx.read(f);
                }
                i += 2;
            }
            "--args" | "--jsonargs" => positional_args = true,
            "--indent" | "-L" | "-o" | "--output-format" | "-p" | "--input-format" | "-I" => {
                i += 1;
            }
            "-f" | "--from-file" => {
                if let Some(f) = a.get(i) {
                    fx.read(f);
                }
                i += 1;
                from_file = true;
            }
            "-i" | "--inplace" => in_place = true,
            _ => {}
        }
    }
    let mut files = operands.as_slice();
    if program == "yq" && matches!(files.first(), Some(&("eval" | "e" | "eval-all" | "ea"))) {
        files = files.get(1..).unwrap_or(&[]);
    }
    if !from_file {
        files = files.get(1..).unwrap_or(&[]);
    }
    if positional_args {
        return;
    }
    for f in files {
        if in_place {
            fx.write(f);
        } else {
            fx.read(f);
        }
    }
}

pub(super) fn awk(fx: &mut Fx, a: &[&str]) {
    let o = Opts::parse(
        a,
        spec(
            "EFfvile",
            "field-separator assign file exec include load source",
        ),
    );
    for f in o.values(&["f", "file", "E", "exec"]) {
        fx.read(f);
    }
    let explicit = o.has(&["f", "file", "E", "exec", "e", "source"]);
    let in_place = o.values(&["i", "include"]).contains(&"inplace");
    for f in o.after_script(explicit) {
        if is_assignment(f) {
            continue;
        }
        if in_place {
            fx.write(f);
        } else {
            fx.read(f);
        }
    }
}

pub(super) fn sed(fx: &mut Fx, a: &[&str]) {
    // BSD `sed -i '' ...`: the empty word is the backup suffix.
    let mut args = Vec::with_capacity(a.len());
    let mut after_i = false;
    for &x in a {
        if !(after_i && x.is_empty()) {
            args.push(x);
        }
        after_i = x == "-i";
    }
    let o = Opts::parse(
        &args,
        Spec {
            values: "efl",
            attached: "i",
            long: "expression file line-length",
        },
    );
    for f in o.values(&["f", "file"]) {
        fx.read(f);
    }
    let explicit = o.has(&["e", "expression", "f", "file"]);
    let in_place = o.has(&["i", "in-place"]);
    for f in o.after_script(explicit) {
        if in_place {
            fx.write(f);
        } else {
            fx.read(f);
        }
    }
}

/// `perl -i`: the files it edits. Options stop at the first operand (the
/// script, unless `-e` gave the code).
pub(super) fn perl(fx: &mut Fx, a: &[&str]) {
    let mut i = 0;
    let (mut code, mut in_place) = (false, false);
    let mut operands = Vec::new();
    while let Some(&x) = a.get(i) {
        i += 1;
        if !operands.is_empty() || x == "-" || !x.starts_with('-') {
            operands.push(x);
            continue;
        }
        if x == "--" {
            operands.extend(a.get(i..).unwrap_or(&[]));
            break;
        }
        let body = x.get(1..).unwrap_or("");
        for (k, c) in body.char_indices() {
            let rest_empty = body.get(k + c.len_utf8()..).unwrap_or("").is_empty();
            match c {
                'e' | 'E' => {
                    code = true;
                    if rest_empty {
                        i += 1;
                    }
                    break;
                }
                'i' => {
                    in_place = true;
                    break;
                }
                'I' | 'M' | 'm' | 'l' | '0' | 'F' | 'C' | 'd' | 'D' | 'x' | 'V' => break,
                _ => {}
            }
        }
    }
    if in_place {
        let skip = usize::from(!code).min(operands.len());
        for f in operands.get(skip..).unwrap_or(&[]) {
            fx.write(f);
        }
    }
}

/// `chmod [opts] MODE FILE...`; `-x`, `-w`, `-rwx` are modes, not options.
pub(super) fn chmod(fx: &mut Fx, a: &[&str]) {
    let (mut mode_seen, mut reference, mut ended) = (false, false, false);
    let mut files = Vec::new();
    for &x in a {
        if !ended && x.starts_with('-') && x != "-" {
            if x == "--" {
                ended = true;
            } else if x.starts_with("--") {
                reference |= x.starts_with("--reference");
            } else if !mode_seen && x.chars().skip(1).all(|c| "rwxXst".contains(c)) {
                mode_seen = true;
            }
            continue;
        }
        files.push(x);
    }
    let skip = usize::from(!mode_seen && !reference).min(files.len());
    for f in files.get(skip..).unwrap_or(&[]) {
        fx.write(f);
    }
}
