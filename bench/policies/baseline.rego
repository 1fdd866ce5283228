# The CAVRA AI agent baseline pack (policies/cavra-ai-agent-baseline),
# written by hand in Rego for the peer benchmark (bench/), tuned for
# regorus: every pattern that is a plain name, prefix, suffix or infix is
# tested with string built-ins (`in`, startswith, endswith, contains), not
# glob.match or regex.match, whose regorus implementations clone a compiled
# matcher (and rebuild its lazy DFA) on every call. baseline-glob.rego is
# the literal translation with glob.match, for comparison. `verdict` is the
# most restrictive of the verdicts in `hits`: block > require_approval >
# allow_with_attestation > allow.
#
# Input (raw fields; Rego cannot canonicalise paths or lex a shell):
#   {"kind": "file_read" | "file_write", "path": "..."}
#   {"kind": "command", "command": "<the raw line>",
#    "parts": ["<simple command>", ...]}   # pre-split outside the timed
#                                          # loop, `sudo X` also as `X`
#   {"kind": "git", "operation": "push", "branch": "main", "force": false}
#   {"kind": "mcp_tool_call", "server": "...", "tool": "...", "capability": "..."}
#   {"kind": "pull_request", "branch": "..."}
#
# Differences from CAVRA, none of which the workload exercises: paths are
# not canonicalised (`a/../.env`); a command pattern with an inner `*`
# (`terraform -chdir=* apply*`) is tested as prefix + infix; git command
# lines are parsed only in the simple `git push [opts] [remote] [src:]dst`
# form; a download piped to an interpreter is recognised as `curl `/`wget `
# plus `| sh` (or another interpreter) in the line.
package cavra

import rego.v1

rank := {"allow": 0, "allow_with_attestation": 1, "require_approval": 2, "block": 3}

names := ["allow", "allow_with_attestation", "require_approval", "block"]

verdict := names[max({rank[v] | some v in hits})]

# ---- paths ----------------------------------------------------------------

# Absolute and home paths are outside the workspace; they are matched
# without their root (as CAVRA matches `~/.aws/credentials`).
outside(p) if startswith(p, "/")

outside(p) if startswith(p, "~")

rel(p) := trim_prefix(trim_prefix(lower(p), "~/"), "/")

base(r) := parts[count(parts) - 1] if parts := split(r, "/")

# `name` at any depth.
at_any_depth(r, name) if r == name

at_any_depth(r, name) if endswith(r, concat("", ["/", name]))

# `dir/**` at the root, or `**/dir/**` at any depth.
under(r, dir) if startswith(r, concat("", [dir, "/"]))

under_any(r, dir) if under(r, dir)

under_any(r, dir) if contains(r, concat("", ["/", dir, "/"]))

secret_names := {
	".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk",
	"id_ed25519_sk", "kubeconfig", ".npmrc", ".netrc", ".git-credentials", ".pypirc",
}

secret_prefixes := [".env.", "secrets."]

secret_suffixes := [".pem", ".pfx", ".p12", ".key", ".tfstate", ".tfvars", ".tfvars.json"]

secret_paths := [".kube/config", ".aws/credentials", ".docker/config.json"]

read_blocked(p) if base(rel(p)) in secret_names

read_blocked(p) if {
	some s in secret_prefixes
	startswith(base(rel(p)), s)
}

read_blocked(p) if {
	some s in secret_suffixes
	endswith(rel(p), s)
}

read_blocked(p) if contains(base(rel(p)), ".tfstate.")

read_blocked(p) if {
	some s in secret_paths
	at_any_depth(rel(p), s)
}

write_blocked(r) if under(r, ".github/workflows")

write_blocked(r) if base(r) in {"main.tf", "providers.tf", "backend.tf"}

write_blocked(r) if under_any(r, ".git/hooks")

write_blocked(r) if under(r, ".cavra")

write_approval(r) if under_any(r, "iam")

write_approval(r) if under_any(r, "security")

write_approval(r) if under(r, "policies")

secret_write(r) if base(r) in {
	".env", "id_rsa", "id_ed25519", "kubeconfig", ".npmrc", ".netrc",
	".git-credentials",
}

secret_write(r) if startswith(base(r), ".env.")

secret_write(r) if {
	some s in [".pem", ".key", ".pfx", ".p12"]
	endswith(r, s)
}

secret_write(r) if at_any_depth(r, ".aws/credentials")

# ---- commands ---------------------------------------------------------------

# Command patterns: exact names, prefixes (`cargo test*`) and
# prefix + infix (`git commit*--no-verify*`).
cmd_block_prefixes := [
	"terraform apply", "terraform destroy", "kubectl delete",
	"az role assignment create", "aws iam create-access-key",
	"gcloud projects add-iam-policy-binding", "rm -rf /", "rm -fr /",
	"rm -rf ~", "mkfs",
]

cmd_block_infix := [
	["terraform -chdir=", " apply"], ["terraform -chdir=", " destroy"],
	["dd ", "of=/dev/"],
]

cmd_approval_prefixes := [
	"git reset --hard", "git clean", "git rebase", "npm publish",
	"cargo publish", "docker push",
]

cmd_approval_infix := [
	["git commit", "--no-verify"], ["git push", "--no-verify"],
	["find ", "-delete"], ["find ", "-exec"],
]

cmd_allow_exact := {"ls", "pwd", "cd", "echo"}

cmd_allow_prefixes := [
	"ls ", "cd ", "echo ", "cat ", "head ", "tail ", "grep ", "rg ", "find ",
	"wc ", "git status", "git diff", "git log", "git show", "git branch",
	"git add", "git commit", "git push", "git fetch", "git switch",
	"git checkout -b ", "cargo build", "cargo test", "cargo fmt",
	"cargo clippy", "cargo check", "cargo run", "npm test", "npm run ",
	"pytest", "python -m pytest", "python3 -m pytest", "go test", "go build",
	"go vet", "make test", "terraform fmt", "terraform validate",
	"terraform plan", "terraform init",
]

has_prefix(part, prefixes) if {
	some p in prefixes
	startswith(part, p)
}

has_infix(part, pairs) if {
	some pair in pairs
	startswith(part, pair[0])
	contains(part, pair[1])
}

# The most restrictive section a simple command matches, or the
# commands.default verdict when none does.
part_verdict(part) := "block" if has_prefix(part, cmd_block_prefixes)

else := "block" if has_infix(part, cmd_block_infix)

else := "require_approval" if has_prefix(part, cmd_approval_prefixes)

else := "require_approval" if has_infix(part, cmd_approval_infix)

else := "allow" if part in cmd_allow_exact

else := "allow" if has_prefix(part, cmd_allow_prefixes)

else := "require_approval"

hits contains part_verdict(part) if {
	input.kind == "command"
	some part in input.parts
}

readers := {"cat", "head", "tail", "less", "more", "bat", "grep", "rg", "source", "base64", "xxd", "strings"}

# Derived reads: file operands of readers.
hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	words := split(part, " ")
	words[0] in readers
	some i, w in words
	i > 0
	not startswith(w, "-")
	read_blocked(w)
}

# Derived git pushes.
push_args(part) := array.slice(words, 2, count(words)) if {
	startswith(part, "git push")
	words := split(part, " ")
	words[1] == "push"
}

hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	some a in push_args(part)
	a in {"-f", "--force", "--force-with-lease"}
}

hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	some a in push_args(part)
	startswith(a, "+")
}

hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	positional := [a | some a in push_args(part); not startswith(a, "-")]
	count(positional) >= 2
	refspec := split(positional[count(positional) - 1], ":")
	lower(refspec[count(refspec) - 1]) in protected
}

hits contains "require_approval" if {
	input.kind == "command"
	some part in input.parts
	# Checked before push_args: regorus's RVM (0.14.1) does not stop a
	# body at `args := f(x)` when f is undefined, as its interpreter does.
	startswith(part, "git push")
	args := push_args(part)
	count([a | some a in args; not startswith(a, "-")]) < 2
}

hits contains "require_approval" if {
	input.kind == "command"
	some part in input.parts
	startswith(part, "git reset --hard")
}

# A download piped into an interpreter.
interpreters := ["sh", "bash", "zsh", "dash", "python", "python3", "perl", "ruby", "node", "sudo sh", "sudo bash"]

hits contains "block" if {
	input.kind == "command"
	some tool in ["curl ", "wget "]
	contains(input.command, tool)
	some i in interpreters
	piped_into(input.command, i)
}

piped_into(cmd, i) if endswith(cmd, concat("", ["| ", i]))

piped_into(cmd, i) if contains(cmd, concat("", ["| ", i, " "]))

# ---- file reads and writes ----------------------------------------------------

hits contains "block" if {
	input.kind == "file_read"
	read_blocked(input.path)
}

hits contains "require_approval" if {
	input.kind == "file_read"
	outside(input.path)
}

hits contains "allow" if input.kind == "file_read"

hits contains "block" if {
	input.kind == "file_write"
	write_blocked(rel(input.path))
}

hits contains "block" if {
	input.kind == "file_write"
	outside(input.path)
}

hits contains "require_approval" if {
	input.kind == "file_write"
	write_approval(rel(input.path))
}

hits contains "require_approval" if {
	input.kind == "file_write"
	secret_write(rel(input.path))
}

hits contains "allow" if input.kind == "file_write"

# ---- git --------------------------------------------------------------------

protected := {"main", "master"}

hits contains "block" if {
	input.kind == "git"
	input.operation in {"push", "force_push"}
	lower(input.branch) in protected
}

hits contains "block" if {
	input.kind == "git"
	input.force == true
}

hits contains "block" if {
	input.kind == "git"
	input.operation == "force_push"
}

hits contains "block" if {
	input.kind == "git"
	input.operation == "delete_branch"
	lower(input.branch) in protected
}

hits contains "require_approval" if {
	input.kind == "git"
	input.operation == "reset_hard"
}

hits contains "allow" if input.kind == "git"

# ---- MCP tool calls -----------------------------------------------------------

trusted_servers := {"github", "filesystem-readonly", "cavra"}

hits contains "block" if {
	input.kind == "mcp_tool_call"
	not lower(input.server) in trusted_servers
}

hits contains "require_approval" if {
	input.kind == "mcp_tool_call"
	some word in ["delete", "drop", "destroy", "truncate"]
	contains(lower(input.tool), word)
}

hits contains "require_approval" if {
	input.kind == "mcp_tool_call"
	input.capability in {"shell", "code_execution"}
}

hits contains "allow" if {
	input.kind == "mcp_tool_call"
	lower(input.server) in trusted_servers
}

# ---- pull requests --------------------------------------------------------------

hits contains "allow_with_attestation" if input.kind == "pull_request"
