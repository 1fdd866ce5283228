# The CAVRA AI agent baseline pack (policies/cavra-ai-agent-baseline),
# written by hand in Rego for the peer benchmark (bench/): the literal
# translation, every CAVRA pattern a glob.match (see baseline.rego for the
# tuned variant with string built-ins). `verdict` is the
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
# Paths: glob.match with "/" as the delimiter on the lower-cased path
# (gitignore-style like CAVRA: a file-name glob is written `**/name`, which
# also matches at the root). Commands: glob.match with no delimiter, so `*`
# crosses spaces and `/` as in CAVRA's command patterns. Differences from
# CAVRA, none of which the workload exercises: paths are not canonicalised
# (`a/../.env`), and git command lines are parsed only in the simple
# `git push [opts] [remote] [src:]dst` form.
package cavra

import rego.v1

rank := {"allow": 0, "allow_with_attestation": 1, "require_approval": 2, "block": 3}

names := ["allow", "allow_with_attestation", "require_approval", "block"]

verdict := names[max({rank[v] | some v in hits})]

# ---- file patterns ------------------------------------------------------

read_block := [
	"**/.env", "**/.env.*", "**/secrets.*", "**/*.pem", "**/*.pfx", "**/*.p12",
	"**/*.key", "**/id_rsa", "**/id_dsa", "**/id_ecdsa", "**/id_ed25519",
	"**/id_ecdsa_sk", "**/id_ed25519_sk", "**/kubeconfig", "**/.kube/config",
	"**/*.tfstate", "**/*.tfstate.*", "**/*.tfvars", "**/*.tfvars.json",
	"**/.aws/credentials", "**/.npmrc", "**/.netrc", "**/.git-credentials",
	"**/.pypirc", "**/.docker/config.json",
]

write_block := [
	".github/workflows/**", "**/main.tf", "**/providers.tf", "**/backend.tf",
	"**/.git/hooks/**", ".cavra/**",
]

write_approval := ["**/iam/**", "**/security/**", "policies/**"]

secret_write := [
	"**/.env", "**/.env.*", "**/*.pem", "**/*.key", "**/*.pfx", "**/*.p12",
	"**/id_rsa", "**/id_ed25519", "**/kubeconfig", "**/.npmrc", "**/.netrc",
	"**/.git-credentials", "**/.aws/credentials",
]

# Outside the workspace: absolute and home paths, matched without their root
# (as CAVRA matches `~/.aws/credentials` as `.aws/credentials`).
outside(p) if startswith(p, "/")

outside(p) if startswith(p, "~")

rel(p) := trim_prefix(trim_prefix(lower(p), "~/"), "/")

read_blocked(p) if {
	some g in read_block
	glob.match(g, ["/"], rel(p))
}

# ---- command patterns -----------------------------------------------------

cmd_block := [
	"terraform apply*", "terraform destroy*", "terraform -chdir=* apply*",
	"terraform -chdir=* destroy*", "kubectl delete*", "az role assignment create*",
	"aws iam create-access-key*", "gcloud projects add-iam-policy-binding*",
	"rm -rf /*", "rm -fr /*", "rm -rf ~*", "mkfs*", "dd *of=/dev/*",
]

cmd_approval := [
	"git reset --hard*", "git clean*", "git rebase*", "git commit*--no-verify*",
	"git push*--no-verify*", "npm publish*", "cargo publish*", "docker push*",
	"find *-delete*", "find *-exec*",
]

cmd_allow := [
	"ls", "ls *", "pwd", "cd", "cd *", "echo", "echo *", "cat *", "head *",
	"tail *", "grep *", "rg *", "find *", "wc *", "git status*", "git diff*",
	"git log*", "git show*", "git branch*", "git add*", "git commit*",
	"git push*", "git fetch*", "git switch*", "git checkout -b *",
	"cargo build*", "cargo test*", "cargo fmt*", "cargo clippy*",
	"cargo check*", "cargo run*", "npm test*", "npm run *", "pytest*",
	"python -m pytest*", "python3 -m pytest*", "go test*", "go build*",
	"go vet*", "make test*", "terraform fmt*", "terraform validate*",
	"terraform plan*", "terraform init*",
]

readers := {"cat", "head", "tail", "less", "more", "bat", "grep", "rg", "source", "base64", "xxd", "strings"}

protected := {"main", "master"}

part_matches(part, patterns) if {
	some g in patterns
	glob.match(g, null, part)
}

# The most restrictive section verdict of one simple command, or the
# commands.default verdict when no pattern matches.
part_verdict(part) := "block" if part_matches(part, cmd_block)

else := "require_approval" if part_matches(part, cmd_approval)

else := "allow" if part_matches(part, cmd_allow)

else := "require_approval"

# ---- hits ---------------------------------------------------------------

# File reads.
hits contains "block" if {
	input.kind == "file_read"
	read_blocked(input.path)
}

hits contains "require_approval" if {
	input.kind == "file_read"
	outside(input.path)
}

hits contains "allow" if input.kind == "file_read"

# File writes.
hits contains "block" if {
	input.kind == "file_write"
	some g in write_block
	glob.match(g, ["/"], rel(input.path))
}

hits contains "block" if {
	input.kind == "file_write"
	outside(input.path)
}

hits contains "require_approval" if {
	input.kind == "file_write"
	some g in array.concat(write_approval, secret_write)
	glob.match(g, ["/"], rel(input.path))
}

hits contains "allow" if input.kind == "file_write"

# Commands: each simple command's verdict.
hits contains part_verdict(part) if {
	input.kind == "command"
	some part in input.parts
}

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
push_args(part) := args if {
	words := split(part, " ")
	words[0] == "git"
	words[1] == "push"
	args := array.slice(words, 2, count(words))
}

hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	args := push_args(part)
	some a in args
	a in {"-f", "--force", "--force-with-lease"}
}

hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	args := push_args(part)
	some a in args
	startswith(a, "+")
}

hits contains "block" if {
	input.kind == "command"
	some part in input.parts
	args := push_args(part)
	positional := [a | some a in args; not startswith(a, "-")]
	count(positional) >= 2
	refspec := split(positional[count(positional) - 1], ":")
	lower(refspec[count(refspec) - 1]) in protected
}

hits contains "require_approval" if {
	input.kind == "command"
	some part in input.parts
	args := push_args(part)
	count([a | some a in args; not startswith(a, "-")]) < 2
}

hits contains "require_approval" if {
	input.kind == "command"
	some part in input.parts
	startswith(part, "git reset --hard")
}

# A download piped into an interpreter.
hits contains "block" if {
	input.kind == "command"
	regex.match(`(^|[;&|(]\s*)(curl|wget)\s[^|]*\|\s*(sudo\s+)?(sh|bash|zsh|dash|python3?|perl|ruby|node)(\s|$)`, input.command)
}

# Structured git actions.
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

# MCP tool calls.
trusted_servers := {"github", "filesystem-readonly", "cavra"}

hits contains "block" if {
	input.kind == "mcp_tool_call"
	not lower(input.server) in trusted_servers
}

hits contains "require_approval" if {
	input.kind == "mcp_tool_call"
	some g in ["*delete*", "*drop*", "*destroy*", "*truncate*"]
	glob.match(g, null, lower(input.tool))
}

hits contains "require_approval" if {
	input.kind == "mcp_tool_call"
	input.capability in {"shell", "code_execution"}
}

hits contains "allow" if {
	input.kind == "mcp_tool_call"
	lower(input.server) in trusted_servers
}

# Pull requests.
hits contains "allow_with_attestation" if input.kind == "pull_request"
