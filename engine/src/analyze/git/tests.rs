use super::{branch_name, parse_git_args, GitAction, GitOperation};

/// Expected action: operation name (as [`GitOperation::parse`] reads it),
/// remote, branch (`""` = `None`), and flags: `f` = force, `n` = no_verify.
type Want = (&'static str, &'static str, &'static str, &'static str);

/// Command line after `git` (split on spaces), and the actions expected.
#[rustfmt::skip]
const CASES: &[(&str, &[Want])] = &[
    // push: force flags
    ("push -f", &[("force_push", "", "", "f")]),
    ("push --force origin main", &[("force_push", "origin", "main", "f")]),
    ("push -f origin main", &[("force_push", "origin", "main", "f")]),
    ("push origin main --force", &[("force_push", "origin", "main", "f")]),
    ("push origin main -f", &[("force_push", "origin", "main", "f")]),
    ("push -fu origin main", &[("force_push", "origin", "main", "f")]),
    ("push -uf origin main", &[("force_push", "origin", "main", "f")]),
    ("push --force-with-lease origin x", &[("force_push", "origin", "x", "f")]),
    ("push --force-with-lease=x:abc1 origin x", &[("force_push", "origin", "x", "f")]),
    ("push --force-if-includes origin x", &[("force_push", "origin", "x", "f")]),
    ("push --forc origin main", &[("force_push", "origin", "main", "f")]),
    ("push --force-w origin main", &[("force_push", "origin", "main", "f")]),
    ("push --fo origin main", &[("force_push", "origin", "main", "f")]),
    ("push --force --no-force origin main", &[("push", "origin", "main", "")]),
    ("push --no-force --force origin main", &[("force_push", "origin", "main", "f")]),
    ("push --mirror", &[("force_push", "", "", "f")]),
    ("push --mirror backup", &[("force_push", "backup", "", "f")]),
    ("push -f origin a b", &[("force_push", "origin", "a", "f"), ("force_push", "origin", "b", "f")]),
    // push: refspecs
    ("push origin HEAD:main", &[("push", "origin", "main", "")]),
    ("push origin HEAD:refs/heads/main", &[("push", "origin", "main", "")]),
    ("push origin feature:main", &[("push", "origin", "main", "")]),
    ("push origin HEAD~1:main", &[("push", "origin", "main", "")]),
    ("push origin main:refs/heads/main", &[("push", "origin", "main", "")]),
    ("push origin main:main", &[("push", "origin", "main", "")]),
    ("push origin main", &[("push", "origin", "main", "")]),
    ("push origin refs/heads/main", &[("push", "origin", "main", "")]),
    ("push origin domain", &[("push", "origin", "domain", "")]),
    ("push origin feature/main-menu", &[("push", "origin", "feature/main-menu", "")]),
    ("push origin +feature:main", &[("force_push", "origin", "main", "f")]),
    ("push origin +main", &[("force_push", "origin", "main", "f")]),
    ("push origin main +dev", &[("push", "origin", "main", ""), ("force_push", "origin", "dev", "f")]),
    ("push origin a b", &[("push", "origin", "a", ""), ("push", "origin", "b", "")]),
    ("push origin :main", &[("delete_branch", "origin", "main", "")]),
    ("push origin :refs/heads/main", &[("delete_branch", "origin", "main", "")]),
    ("push origin +:main", &[("delete_branch", "origin", "main", "f")]),
    ("push --delete origin main", &[("delete_branch", "origin", "main", "")]),
    ("push origin --delete main", &[("delete_branch", "origin", "main", "")]),
    ("push -d origin a b", &[("delete_branch", "origin", "a", ""), ("delete_branch", "origin", "b", "")]),
    ("push --del origin main", &[("delete_branch", "origin", "main", "")]),
    ("push origin :", &[("push", "origin", "", "")]),
    ("push origin HEAD", &[("push", "origin", "", "")]),
    ("push origin @", &[("push", "origin", "", "")]),
    ("push -u origin HEAD", &[("push", "origin", "", "")]),
    ("push origin", &[("push", "origin", "", "")]),
    ("push", &[("push", "", "", "")]),
    ("push origin refs/heads/*:refs/heads/*", &[("push", "origin", "", "")]),
    ("push --all origin", &[("push", "origin", "", "")]),
    ("push --branches --force origin", &[("force_push", "origin", "", "f")]),
    ("push origin refs/tags/v1", &[("tag", "origin", "v1", "")]),
    ("push origin v1:refs/tags/v1", &[("tag", "origin", "v1", "")]),
    ("push origin +refs/tags/v1", &[("tag", "origin", "v1", "f")]),
    ("push --tags origin", &[("tag", "origin", "", "")]),
    ("push --prune origin main", &[("push", "origin", "main", ""), ("delete_branch", "origin", "", "")]),
    ("push https://github.com/a/b.git main", &[("push", "https://github.com/a/b.git", "main", "")]),
    // push: other options and their values
    ("push --no-verify origin main", &[("push", "origin", "main", "n")]),
    ("push --no-verify --verify origin main", &[("push", "origin", "main", "")]),
    ("push -o ci.skip origin main", &[("push", "origin", "main", "")]),
    ("push -oci.skip origin main", &[("push", "origin", "main", "")]),
    ("push --push-option ci.skip origin main", &[("push", "origin", "main", "")]),
    ("push --push-option=ci.skip origin main", &[("push", "origin", "main", "")]),
    ("push --repo=origin", &[("push", "origin", "", "")]),
    ("push --repo origin", &[("push", "origin", "", "")]),
    ("push -- origin main", &[("push", "origin", "main", "")]),
    ("push origin -- -f", &[("push", "origin", "-f", "")]),
    ("push --unknown-option origin main", &[("push", "origin", "main", "")]),
    ("push -n origin main", &[("push", "origin", "main", "")]),
    // global options before the subcommand
    ("-C /x push origin main", &[("push", "origin", "main", "")]),
    ("-C /x -C y push -f origin main", &[("force_push", "origin", "main", "f")]),
    ("-c user.name=x push origin main", &[("push", "origin", "main", "")]),
    ("-c core.hooksPath=/dev/null push origin main", &[("push", "origin", "main", "n")]),
    ("--git-dir=.git --work-tree . push origin main", &[("push", "origin", "main", "")]),
    ("--git-dir .git push origin main", &[("push", "origin", "main", "")]),
    ("--no-pager -P --bare --namespace ns --exec-path push origin main", &[("push", "origin", "main", "")]),
    ("PUSH origin main", &[("push", "origin", "main", "")]),
    // branch
    ("branch -D main", &[("delete_branch", "", "main", "")]),
    ("branch -d main", &[("delete_branch", "", "main", "")]),
    ("branch --delete x y", &[("delete_branch", "", "x", ""), ("delete_branch", "", "y", "")]),
    ("branch -d refs/heads/main", &[("delete_branch", "", "main", "")]),
    ("branch -Dr origin/x", &[("delete_branch", "origin", "x", "")]),
    ("branch -dr origin/x", &[("delete_branch", "origin", "x", "")]),
    ("branch -d -r origin/feature/x", &[("delete_branch", "origin", "feature/x", "")]),
    ("branch -d -f main", &[("delete_branch", "", "main", "")]),
    ("branch", &[("branch", "", "", "")]),
    ("branch -a", &[("branch", "", "", "")]),
    ("branch -r", &[("branch", "", "", "")]),
    ("branch --list feat*", &[("branch", "", "", "")]),
    ("branch --contains abc1", &[("branch", "", "", "")]),
    ("branch feature", &[("branch", "", "feature", "")]),
    ("branch -f main x", &[("branch", "", "main", "f")]),
    ("branch -u origin/main feature", &[("branch", "", "feature", "")]),
    ("branch -M x main", &[("branch", "", "main", "f"), ("delete_branch", "", "x", "")]),
    ("branch -m x main", &[("branch", "", "main", "f"), ("delete_branch", "", "x", "")]),
    ("branch -m main old", &[("branch", "", "old", "f"), ("delete_branch", "", "main", "")]),
    ("branch -m newname", &[("branch", "", "newname", "f"), ("delete_branch", "", "", "")]),
    ("branch -c x main", &[("branch", "", "main", "f")]),
    // reset
    ("reset --hard HEAD~1", &[("reset_hard", "", "", "")]),
    ("reset --hard", &[("reset_hard", "", "", "")]),
    ("reset --har origin/main", &[("reset_hard", "", "", "")]),
    ("reset -q --hard", &[("reset_hard", "", "", "")]),
    ("reset HEAD~1", &[("reset", "", "", "")]),
    ("reset --soft HEAD~1", &[("reset", "", "", "")]),
    ("reset --hard --soft", &[("reset", "", "", "")]),
    ("reset -- --hard", &[("reset", "", "", "")]),
    // commit
    ("commit -m x --no-verify", &[("commit", "", "", "n")]),
    ("commit -n -m x", &[("commit", "", "", "n")]),
    ("commit -anm x", &[("commit", "", "", "n")]),
    ("commit --no-verif -m x", &[("commit", "", "", "n")]),
    ("commit -m -n", &[("commit", "", "", "")]),
    ("commit -am msg", &[("commit", "", "", "")]),
    ("commit --no-verify --verify", &[("commit", "", "", "")]),
    ("commit -F -n", &[("commit", "", "", "")]),
    ("-c core.hookspath= commit -m x", &[("commit", "", "", "n")]),
    // merge, rebase
    ("merge feature", &[("merge", "", "feature", "")]),
    ("merge --no-ff -m msg feature", &[("merge", "", "feature", "")]),
    ("merge -s ours feature", &[("merge", "", "feature", "")]),
    ("merge --no-verify feature", &[("merge", "", "feature", "n")]),
    ("merge --abort", &[("merge", "", "", "")]),
    ("rebase main", &[("rebase", "", "main", "")]),
    ("rebase origin/main", &[("rebase", "", "origin/main", "")]),
    ("rebase --onto main upstream", &[("rebase", "", "upstream", "")]),
    ("rebase -i HEAD~3", &[("rebase", "", "HEAD~3", "")]),
    ("rebase -x make upstream", &[("rebase", "", "upstream", "")]),
    ("rebase", &[("rebase", "", "", "")]),
    // checkout, switch
    ("checkout main", &[("checkout", "", "main", "")]),
    ("checkout -b feature", &[("checkout", "", "feature", "")]),
    ("checkout -b", &[("checkout", "", "", "")]),
    ("checkout -fb x main", &[("checkout", "", "x", "")]),
    ("checkout -b feature origin/feature", &[("checkout", "", "feature", "")]),
    ("checkout -B main", &[("checkout", "", "main", "")]),
    ("checkout -f main", &[("checkout", "", "main", "")]),
    ("checkout -- file.txt", &[("checkout", "", "", "")]),
    ("checkout main -- file.txt", &[("checkout", "", "main", "")]),
    ("switch main", &[("checkout", "", "main", "")]),
    ("switch -c new", &[("checkout", "", "new", "")]),
    ("switch -C main", &[("checkout", "", "main", "")]),
    ("switch --discard-changes main", &[("checkout", "", "main", "")]),
    // tag
    ("tag v1.0", &[("tag", "", "v1.0", "")]),
    ("tag -a v1.0 -m msg", &[("tag", "", "v1.0", "")]),
    ("tag -m msg v1.0", &[("tag", "", "v1.0", "")]),
    ("tag -f v1.0", &[("tag", "", "v1.0", "")]),
    ("tag -fm msg v1.0", &[("tag", "", "v1.0", "")]),
    ("tag -d v1 v2", &[("tag", "", "v1", ""), ("tag", "", "v2", "")]),
    ("tag", &[("tag", "", "", "")]),
    ("tag -l v*", &[("tag", "", "", "")]),
    // clone, fetch, pull, status
    ("clone https://github.com/a/b.git", &[("clone", "https://github.com/a/b.git", "", "")]),
    ("clone -b dev https://x.test/y dir", &[("clone", "https://x.test/y", "dev", "")]),
    ("clone --depth 1 https://x.test/y", &[("clone", "https://x.test/y", "", "")]),
    ("fetch", &[("fetch", "", "", "")]),
    ("fetch origin", &[("fetch", "origin", "", "")]),
    ("fetch origin main", &[("fetch", "origin", "main", "")]),
    ("fetch --depth 5 origin +refs/heads/main:refs/remotes/origin/main", &[("fetch", "origin", "main", "")]),
    ("fetch --all", &[("fetch", "", "", "")]),
    ("pull", &[("pull", "", "", "")]),
    ("pull origin main", &[("pull", "origin", "main", "")]),
    ("pull --rebase origin main", &[("pull", "origin", "main", "")]),
    ("pull -s ours origin main", &[("pull", "origin", "main", "")]),
    ("status", &[("status", "", "", "")]),
    ("status -s", &[("status", "", "", "")]),
    // everything else
    ("log --oneline", &[("log", "", "", "")]),
    ("stash drop", &[("stash", "", "", "")]),
    ("am --no-verify x.patch", &[("am", "", "", "n")]),
    ("", &[("", "", "", "")]),
    ("-C /x", &[("", "", "", "")]),
    ("-c", &[("", "", "", "")]),
    ("--version", &[("version", "", "", "")]),
    ("--help push", &[("help", "", "", "")]),
    ("help push", &[("help", "", "", "")]),
];

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn action(want: &Want) -> GitAction {
    let (operation, remote, branch, flags) = *want;
    let some = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    GitAction {
        operation: GitOperation::parse(operation),
        remote: some(remote),
        branch: some(branch),
        force: flags.contains('f'),
        no_verify: flags.contains('n'),
    }
}

#[test]
fn table() {
    let mut failures = Vec::new();
    for (line, wants) in CASES {
        let got = parse_git_args(&words(line));
        let want: Vec<GitAction> = wants.iter().map(action).collect();
        if got != want {
            failures.push(format!(
                "git {line}\n   got {got:?}\n  want {want:?}\n  repro: cargo test git::tests::table"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn aliases_from_dash_c_are_expanded() {
    #[rustfmt::skip]
    let cases: &[(&[&str], Want)] = &[
        (&["-c", "alias.p=push -f", "p", "origin", "main"], ("force_push", "origin", "main", "f")),
        (&["-c", "alias.P=push", "p", "origin", "main"], ("push", "origin", "main", "")),
        (&["-c", "alias.a=b", "-c", "alias.b=push --delete", "a", "o", "x"], ("delete_branch", "o", "x", "")),
        (&["-c", "alias.p=-c core.hooksPath=/x push", "p", "o", "main"], ("push", "o", "main", "n")),
        (&["-c", "alias.p='push' \"--force\"", "p", "o", "main"], ("force_push", "o", "main", "f")),
        (&["-c", "alias.p=!git push -f", "p"], ("alias", "", "", "")),
        (&["--config-env", "alias.p=ENV", "p"], ("alias", "", "", "")),
        (&["-c", "alias.a=a", "a"], ("alias", "", "", "")),
        (&["-c", "alias.x=push", "-c", "alias.x=status", "x"], ("status", "", "", "")),
        // Builtins win over aliases.
        (&["-c", "alias.push=status", "push", "o", "main"], ("push", "o", "main", "")),
        (&["commit", "-m", "two words", "--no-verify"], ("commit", "", "", "n")),
    ];
    for (args, want) in cases {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        assert_eq!(parse_git_args(&args), vec![action(want)], "git {args:?}");
    }
}

#[test]
fn branch_names() {
    let cases: &[(&str, Option<&str>, &str)] = &[
        ("refs/heads/main", None, "main"),
        ("refs/heads/main", Some("origin"), "main"),
        ("origin/main", Some("origin"), "main"),
        ("origin/main", None, "origin/main"),
        ("origin/domain", Some("origin"), "domain"),
        ("origin/domain", None, "origin/domain"),
        ("upstream/main", Some("origin"), "upstream/main"),
        ("originmain", Some("origin"), "originmain"),
        ("origin/", Some("origin"), "origin/"),
        ("refs/remotes/origin/main", Some("origin"), "main"),
        ("refs/heads/origin/main", Some("origin"), "main"),
        ("feature/main-menu", Some("origin"), "feature/main-menu"),
        ("main", Some(""), "main"),
        ("", None, ""),
    ];
    for (raw, remote, want) in cases {
        assert_eq!(
            branch_name(raw, *remote),
            *want,
            "branch_name({raw:?}, {remote:?})"
        );
    }
}

#[test]
fn operation_names_round_trip() {
    let all = [
        GitOperation::Push,
        GitOperation::ForcePush,
        GitOperation::DeleteBranch,
        GitOperation::Merge,
        GitOperation::Rebase,
        GitOperation::ResetHard,
        GitOperation::Commit,
        GitOperation::Tag,
        GitOperation::Checkout,
        GitOperation::Clone,
        GitOperation::Fetch,
        GitOperation::Pull,
        GitOperation::Status,
        GitOperation::Other("stash".to_owned()),
    ];
    for operation in all {
        assert_eq!(GitOperation::parse(operation.as_str()), operation);
        assert_eq!(operation.to_string(), operation.as_str());
    }
}

#[test]
fn operation_aliases() {
    let cases: &[(&str, GitOperation)] = &[
        ("force-push", GitOperation::ForcePush),
        ("forcepush", GitOperation::ForcePush),
        ("Force_Push", GitOperation::ForcePush),
        ("delete", GitOperation::DeleteBranch),
        ("delete-branch", GitOperation::DeleteBranch),
        ("reset --hard", GitOperation::ResetHard),
        ("RESET_HARD", GitOperation::ResetHard),
        (" Push ", GitOperation::Push),
        ("Stash Drop", GitOperation::Other("stash drop".to_owned())),
        ("", GitOperation::Other(String::new())),
    ];
    for (name, want) in cases {
        assert_eq!(GitOperation::parse(name), *want, "{name:?}");
    }
}

#[test]
fn never_panics_and_never_returns_nothing() {
    #[rustfmt::skip]
    let tokens = [
        "push", "branch", "reset", "commit", "tag", "checkout", "switch", "clone", "fetch",
        "pull", "merge", "rebase", "-C", "-c", "--", "-", "-f", "-d", "-D", "-m", "-o", "-b",
        "--force", "--delete", "--repo", "--hard", "=", "--=", "+", ":", "+:", "::", "a:b:c",
        "origin", "main", "é", "-é", "--é", "-oé", "alias.x=x", "--config-env",
    ];
    let mut args: Vec<String> = Vec::new();
    for a in tokens {
        for b in tokens {
            for c in tokens {
                args.clear();
                args.extend([a, b, c].map(str::to_owned));
                assert!(!parse_git_args(&args).is_empty(), "{args:?}");
            }
        }
    }
}
