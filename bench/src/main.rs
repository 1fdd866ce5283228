//! `peer-bench`: times CAVRA, cedar-policy and regorus on the same agent
//! workload in one run and prints the results as Markdown.
//!
//! Every engine has its policy compiled or parsed once and every per-action
//! input built before timing (see the engine modules for exactly what is
//! inside a decision). Timing: a warm-up pass, then `ROUNDS` rounds; each
//! round runs every engine over the whole workload in batches of
//! [`BATCH`] consecutive actions, the engines in a rotating order, each
//! batch timed with one pair of `Instant::now()` calls and divided by its
//! length. Median and p99 are over those per-batch means; decisions/s is
//! all timed decisions over all timed time. A second pass does the same
//! per action kind (batches of one kind only) to show where time goes.
//!
//! Usage: `peer-bench [--rounds N]` (default 15). Single-threaded.
//!
//! Rows: the three engines the targets name (CAVRA, Cedar with a policy
//! set per action kind, regorus's `Engine` with the tuned policy), then
//! the peers' other variants (Cedar with one policy set, regorus with the
//! literal glob.match policy, regorus's RVM bytecode). The targets compare
//! CAVRA with the fastest variant of each peer.

use cavra::Library;
use cavra_peer_bench::cavra_engine::{compile_baseline, CavraEngine};
use cavra_peer_bench::cedar_engine::CedarEngine;
use cavra_peer_bench::rego_engine::{RegoEngine, RegoVmEngine, POLICY, POLICY_GLOB};
use cavra_peer_bench::workload::{self, Kind};
use cavra_peer_bench::Verdict;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Decisions per timed batch.
const BATCH: usize = 32;

struct Engines {
    cavra: CavraEngine,
    cedar: CedarEngine,
    rego: RegoEngine,
    cedar_one_set: CedarEngine,
    rego_glob: RegoEngine,
    rego_vm: RegoVmEngine,
}

/// The three engines first (the targets compare those), then the peers'
/// other variants.
const NAMES: [&str; 6] = [
    "CAVRA (baseline pack)",
    "cedar-policy (a policy set per action kind)",
    "regorus `Engine` (string built-ins)",
    "cedar-policy (one policy set)",
    "regorus `Engine` (glob.match, literal translation)",
    "regorus RVM bytecode (string built-ins)",
];
/// Which rows are Cedar and which regorus, for the targets.
const CEDAR_ROWS: [usize; 2] = [1, 3];
const REGO_ROWS: [usize; 3] = [2, 4, 5];
const ENGINES: usize = NAMES.len();
/// The per-kind pass times these only.
const MAIN_ENGINES: usize = 3;

impl Engines {
    #[inline]
    fn decide(&mut self, engine: usize, i: usize) -> Verdict {
        match engine {
            0 => self.cavra.decide(i),
            1 => self.cedar.decide(i),
            2 => self.rego.decide(i),
            3 => self.cedar_one_set.decide(i),
            4 => self.rego_glob.decide(i),
            _ => self.rego_vm.decide(i),
        }
    }
}

/// Per-batch means (ns/decision) and the totals of one engine.
#[derive(Default, Clone)]
struct Samples {
    per_decision_ns: Vec<f64>,
    decisions: usize,
    total: Duration,
}

impl Samples {
    fn median(&self) -> f64 {
        percentile(&self.per_decision_ns, 50.0)
    }
    fn p99(&self) -> f64 {
        percentile(&self.per_decision_ns, 99.0)
    }
    fn per_second(&self) -> f64 {
        self.decisions as f64 / self.total.as_secs_f64()
    }
}

fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

/// Times `engine` over `indices` in batches, appending to `samples`.
fn run(engines: &mut Engines, engine: usize, indices: &[usize], samples: &mut Samples) {
    for batch in indices.chunks(BATCH) {
        let start = Instant::now();
        for &i in batch {
            black_box(engines.decide(engine, black_box(i)));
        }
        let elapsed = start.elapsed();
        samples
            .per_decision_ns
            .push(elapsed.as_nanos() as f64 / batch.len() as f64);
        samples.decisions += batch.len();
        samples.total += elapsed;
    }
}

/// Times `f` over `indices` in batches, like [`run`].
fn run_fn(indices: &[usize], samples: &mut Samples, mut f: impl FnMut(usize)) {
    for batch in indices.chunks(BATCH) {
        let start = Instant::now();
        for &i in batch {
            f(black_box(i));
        }
        let elapsed = start.elapsed();
        samples
            .per_decision_ns
            .push(elapsed.as_nanos() as f64 / batch.len() as f64);
        samples.decisions += batch.len();
        samples.total += elapsed;
    }
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 10_000.0 {
        format!("{:.1} µs", ns / 1000.0)
    } else {
        format!("{ns:.0} ns")
    }
}

fn fmt_rate(per_s: f64) -> String {
    if per_s >= 1e6 {
        format!("{:.2} M/s", per_s / 1e6)
    } else {
        format!("{:.0} k/s", per_s / 1e3)
    }
}

fn main() {
    let mut rounds = 15usize;
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--rounds") {
        rounds = args
            .get(at + 1)
            .and_then(|n| n.parse().ok())
            .expect("--rounds N");
    }

    let actions = workload::standard();
    let n = actions.len();

    // CAVRA: load + validate + compile the baseline pack, median of 50.
    let library = Library::embedded();
    let mut compile_ns: Vec<f64> = (0..50)
        .map(|_| {
            let start = Instant::now();
            black_box(compile_baseline(black_box(&library)));
            start.elapsed().as_nanos() as f64
        })
        .collect();
    compile_ns.sort_by(|a, b| a.total_cmp(b));
    let compile_median = percentile(&compile_ns, 50.0);
    let cedar_parse = {
        let start = Instant::now();
        black_box(CedarEngine::new(&[], true));
        start.elapsed()
    };
    let rego_parse = {
        let start = Instant::now();
        black_box(RegoEngine::new(&[], POLICY));
        start.elapsed()
    };

    let mut engines = Engines {
        cavra: CavraEngine::new(&actions),
        cedar: CedarEngine::new(&actions, true),
        rego: RegoEngine::new(&actions, POLICY),
        cedar_one_set: CedarEngine::new(&actions, false),
        rego_glob: RegoEngine::new(&actions, POLICY_GLOB),
        rego_vm: RegoVmEngine::new(&actions, POLICY),
    };

    // The verdicts must agree (the agreement test checks this too).
    let mut disagree = 0;
    for i in 0..n {
        let c = engines.decide(0, i);
        if (1..ENGINES).any(|e| engines.decide(e, i) != c) {
            disagree += 1;
        }
    }
    assert_eq!(
        disagree, 0,
        "engines disagree on {disagree} actions; run cargo test"
    );

    let all: Vec<usize> = (0..n).collect();
    // Warm-up: two passes each.
    for engine in 0..ENGINES {
        let mut scratch = Samples::default();
        run(&mut engines, engine, &all, &mut scratch);
        run(&mut engines, engine, &all, &mut scratch);
    }

    let mut mix = vec![Samples::default(); ENGINES];
    for round in 0..rounds {
        for k in 0..ENGINES {
            let engine = (round + k) % ENGINES;
            run(&mut engines, engine, &all, &mut mix[engine]);
        }
    }

    let kinds = [
        Kind::FileRead,
        Kind::FileWrite,
        Kind::Command,
        Kind::Git,
        Kind::Mcp,
        Kind::PullRequest,
    ];
    let mut per_kind: Vec<Vec<Samples>> = vec![vec![Samples::default(); MAIN_ENGINES]; kinds.len()];
    let kind_indices: Vec<Vec<usize>> = kinds
        .iter()
        .map(|kind| (0..n).filter(|&i| actions[i].kind == *kind).collect())
        .collect();
    for round in 0..rounds.div_ceil(3).max(1) {
        for (ki, indices) in kind_indices.iter().enumerate() {
            for k in 0..MAIN_ENGINES {
                let engine = (round + k) % MAIN_ENGINES;
                run(&mut engines, engine, indices, &mut per_kind[ki][engine]);
            }
        }
    }

    // Where CAVRA's time goes: its public analysers alone, on the same
    // inputs, against its whole decision for that kind.
    let file_ix: Vec<usize> = (0..n)
        .filter(|&i| matches!(actions[i].kind, Kind::FileRead | Kind::FileWrite))
        .collect();
    let mut canon = Samples::default();
    let mut shell = Samples::default();
    let mut cavra_files = Samples::default();
    for _ in 0..rounds.div_ceil(3).max(1) {
        run_fn(&file_ix, &mut canon, |i| {
            let path = actions[i].path.as_deref().unwrap_or("");
            black_box(cavra::analyze::suspicious::find_suspicious(path, false));
            black_box(cavra::analyze::path::canonicalize(path, "/workspace").ok());
        });
        run_fn(&kind_indices[2], &mut shell, |i| {
            let command = actions[i].command.as_deref().unwrap_or("");
            black_box(cavra::analyze::suspicious::find_suspicious(command, true));
            black_box(cavra::analyze::shell::analyze(command).ok());
        });
        run(&mut engines, 0, &file_ix, &mut cavra_files);
    }

    // ---- report -----------------------------------------------------------
    let cavra_median = mix[0].median();
    println!("Workload: {n} actions (seed {:#x}); {rounds} rounds; batches of {BATCH} decisions; single thread.", workload::SEED);
    let counts: Vec<String> = kinds
        .iter()
        .zip(&kind_indices)
        .map(|(k, ix)| format!("{} {}", ix.len(), k.name()))
        .collect();
    let cedar_requests: usize = (0..n).map(|i| engines.cedar.request_count(i)).sum();
    println!(
        "Mix: {}. Cedar needs {cedar_requests} requests for them (one per simple command).",
        counts.join(", ")
    );
    println!();
    println!("| engine | median ns/decision | p99 ns/decision | decisions/s | median vs CAVRA |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (engine, s) in mix.iter().enumerate() {
        let ratio = if engine == 0 {
            "1×".to_string()
        } else {
            format!("{:.1}× slower", s.median() / cavra_median)
        };
        println!(
            "| {} | {} | {} | {} | {} |",
            NAMES[engine],
            fmt_ns(s.median()),
            fmt_ns(s.p99()),
            fmt_rate(s.per_second()),
            ratio
        );
    }
    println!();
    println!("Median ns/decision by action kind (batches of one kind):");
    println!();
    println!("| kind | actions | CAVRA | cedar-policy (per-kind sets) | regorus (string built-ins) | Cedar / CAVRA | regorus / CAVRA |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (ki, kind) in kinds.iter().enumerate() {
        let m: Vec<f64> = per_kind[ki].iter().map(Samples::median).collect();
        println!(
            "| {} | {} | {} | {} | {} | {:.1}× | {:.1}× |",
            kind.name(),
            kind_indices[ki].len(),
            fmt_ns(m[0]),
            fmt_ns(m[1]),
            fmt_ns(m[2]),
            m[1] / m[0],
            m[2] / m[0]
        );
    }
    println!();
    println!("CAVRA, where the time goes (median ns per action; the analysers are public functions of the cavra crate):");
    println!();
    println!("| part | ns/action |");
    println!("| --- | ---: |");
    println!(
        "| file read/write: whole `decide` | {} |",
        fmt_ns(cavra_files.median())
    );
    println!(
        "| file read/write: suspicious-character scan + path canonicalisation only | {} |",
        fmt_ns(canon.median())
    );
    println!(
        "| command: whole `decide` | {} |",
        fmt_ns(per_kind[2][0].median())
    );
    println!(
        "| command: suspicious-character scan + shell lexing/analysis only | {} |",
        fmt_ns(shell.median())
    );
    println!();
    println!(
        "Setup: CAVRA baseline pack load + validate + compile, median of 50: {:.2} ms. \
         Cedar policy set parse (once): {:.2} ms. regorus policy parse (once): {:.2} ms.",
        compile_median / 1e6,
        cedar_parse.as_secs_f64() * 1e3,
        rego_parse.as_secs_f64() * 1e3
    );
    println!();
    // Each peer is judged by its fastest variant in this run.
    let fastest = |rows: &[usize]| {
        rows.iter()
            .copied()
            .min_by(|a, b| mix[*a].median().total_cmp(&mix[*b].median()))
            .expect("rows")
    };
    let (cedar_best, rego_best) = (fastest(&CEDAR_ROWS), fastest(&REGO_ROWS));
    let cedar_ratio = mix[cedar_best].median() / cavra_median;
    let rego_ratio = mix[rego_best].median() / cavra_median;
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!("Targets:");
    println!();
    println!(
        "- CAVRA median ≤ 1 µs per decision on the mix: **{}** ({}{}).",
        verdict(cavra_median <= 1000.0),
        fmt_ns(cavra_median),
        if cavra_median <= 1000.0 {
            String::new()
        } else {
            format!(", {:.1}× over", cavra_median / 1000.0)
        }
    );
    println!(
        "- at least 3× faster than Cedar: **{}** ({cedar_ratio:.1}× against its fastest variant, {}{}).",
        verdict(cedar_ratio >= 3.0),
        NAMES[cedar_best],
        if cedar_ratio >= 3.0 {
            String::new()
        } else {
            format!(", short by {:.1}×", 3.0 / cedar_ratio)
        }
    );
    println!(
        "- at least 10× faster than regorus: **{}** ({rego_ratio:.1}× against its fastest variant, {}{}).",
        verdict(rego_ratio >= 10.0),
        NAMES[rego_best],
        if rego_ratio >= 10.0 {
            String::new()
        } else {
            format!(", short by {:.1}×", 10.0 / rego_ratio)
        }
    );
}
