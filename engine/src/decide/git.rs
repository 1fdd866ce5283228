//! Git actions: the built-in protections (direct pushes to protected
//! branches, force pushes, protected branch deletion, unnamed pushes), then
//! the rules.

use super::*;

impl<'p> Evaluation<'p> {
    /// Evaluates a git action.
    pub(super) fn git(&mut self, git: &GitAction, main: bool) {
        let start = self.hits.len();
        let kind = ActionKind::Git;
        let branch_lower = git.branch.as_deref().map(str::to_lowercase);
        let settings = &self.policy.git;
        let protected = branch_lower
            .as_deref()
            .and_then(|b| settings.protected.first_match(b))
            .map(|p| p.text.clone());
        let target = match (&git.remote, &git.branch) {
            (Some(r), Some(b)) => format!("{r}/{b}"),
            (None, Some(b)) => b.clone(),
            (Some(r), None) => format!("{r}/HEAD"),
            (None, None) => "HEAD".to_string(),
        };
        let branch = git.branch.as_deref().unwrap_or("HEAD");
        let source = |key: &str| {
            settings
                .sources
                .get(key)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "builtin".into())
        };
        let is_push = matches!(git.operation, GitOperation::Push | GitOperation::ForcePush);
        let force = git.force || git.operation == GitOperation::ForcePush;
        if force {
            self.signals.force = true;
        }
        if protected.is_some() {
            self.signals.protected_branch = true;
        }
        if git.operation == GitOperation::DeleteBranch
            && protected.is_some()
            && settings.block_protected_branch_deletion
        {
            let src = source("block_protected_branch_deletion");
            self.builtin(
                "git.protected_branch.block_delete",
                Verdict::Block,
                Some(Severity::Critical),
                kind,
                &target,
                src,
                format!("Deleting the protected branch `{branch}` is blocked."),
            );
        }
        if force && settings.block_force_push {
            let src = source("block_force_push");
            self.builtin(
                "git.force_push.block",
                Verdict::Block,
                Some(Severity::Critical),
                kind,
                &target,
                src,
                format!("Force-pushing `{branch}` rewrites published history, so it is blocked."),
            );
        }
        if is_push && settings.block_direct_push {
            if let Some(pattern) = &protected {
                let src = source("block_direct_push_to_protected_branch");
                self.push(Hit {
                    rule_id: Cow::Borrowed("git.protected_branch.block_direct_push"),
                    decision: Verdict::Block,
                    pattern: Some(pattern.clone()),
                    source: src,
                    severity: Some(Severity::High),
                    reason: format!(
                        "Pushing straight to the protected branch `{branch}` is blocked; open a pull request instead."
                    ),
                    approvers: None,
                    kind,
                    target: target.clone(),
                });
            } else if git.branch.is_none() {
                self.builtin(
                    "git.push.unnamed_branch",
                    Verdict::RequireApproval,
                    Some(Severity::Medium),
                    kind,
                    &target,
                    "builtin".into(),
                    "This push names no branch, so it goes to the current branch, which may be protected; name the branch (git push origin my-branch).".into(),
                );
            }
        }
        let facts = Facts {
            operation: Some(git.operation.as_str()),
            branch: git.branch.as_deref(),
            ..Facts::default()
        };
        self.rules(kind, &target, &facts);
        if self.hits.len() == start {
            self.default_hit(
                Cow::Borrowed("git.allow"),
                Verdict::Allow,
                kind,
                &target,
                format!(
                    "git {} of `{target}` matches no git rule, so it is allowed.",
                    git.operation.as_str()
                ),
            );
        }
        if !main {
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(
                kind,
                &format!("{} {target}", git.operation.as_str()),
                verdict,
                rule,
            );
        }
    }
}
