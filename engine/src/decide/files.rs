//! File reads and writes: canonicalise the path, then the outside-workspace
//! rule, the section lists and the rules; shell-expanded words need a human.

use super::*;

impl<'p> Evaluation<'p> {
    /// Evaluates a file read or write; returns the canonical path.
    pub(super) fn path(
        &mut self,
        kind: ActionKind,
        raw: &str,
        main: bool,
    ) -> Result<String, InputError> {
        if self.suspicious(kind, raw, false) {
            if !main {
                self.derive(kind, raw, Verdict::Block, "input.suspicious_characters");
            }
            return Ok(raw.to_string());
        }
        if !main && is_dynamic(raw) {
            // `cat $F`, `cat .e*`: the shell decides the real file at run
            // time, so no pattern can vouch for it.
            self.unjudgeable_part(
                "filesystem.dynamic_target",
                kind,
                raw,
                format!(
                    "`{raw}` is expanded by the shell at run time (variable, glob or substitution), so CAVRA cannot tell which file it is."
                ),
            );
            return Ok(raw.to_string());
        }
        let target = match canonicalize(raw, self.workspace) {
            Ok(target) => target,
            Err(e) if main => return Err(InputError::field("path", e.message)),
            Err(e) => {
                self.unjudgeable_part(
                    "filesystem.unparseable_path",
                    kind,
                    raw,
                    format!("CAVRA cannot interpret the path `{raw}`: {}.", e.message),
                );
                return Ok(raw.to_string());
            }
        };
        let canonical = target.as_str().to_string();
        let matched_text = match &target {
            PathTarget::Workspace(p) => p.as_str(),
            PathTarget::Outside(p) => p
                .trim_start_matches("~/")
                .trim_start_matches('~')
                .trim_start_matches('/'),
        };
        let folded;
        let matched_text = if self.policy.case_sensitive {
            matched_text
        } else {
            folded = matched_text.to_lowercase();
            folded.as_str()
        };
        let candidate = Candidate::new(matched_text);
        let start = self.hits.len();
        let write = kind == ActionKind::FileWrite;
        let verb = if write { "Writing" } else { "Reading" };
        if target.is_outside() {
            self.signals.outside_workspace = true;
            let decision = if write {
                Verdict::Block
            } else {
                Verdict::RequireApproval
            };
            self.builtin(
                "filesystem.outside_workspace",
                decision,
                None,
                kind,
                &canonical,
                "builtin".into(),
                format!(
                    "{verb} `{canonical}` reaches outside the workspace `{}`.",
                    self.workspace
                ),
            );
        }
        let policy = self.policy;
        let sections: &[PathSection] = if write { &policy.write } else { &policy.read };
        for section in sections {
            if let Some(pattern) = section.list.first_match(&candidate) {
                if section.decision == Verdict::Block {
                    self.signals.secret_path |= !write;
                }
                let subject = format!("{verb} `{canonical}`");
                self.section_hit(
                    section.rule_id,
                    section.decision,
                    pattern,
                    kind,
                    &canonical,
                    &subject,
                );
            }
        }
        let facts = Facts {
            path: Some(&candidate),
            ..Facts::default()
        };
        self.rules(kind, &canonical, &facts);
        let explicit = self.hits.get(start..).is_some_and(|h| !h.is_empty());
        if !explicit {
            let rule = if write {
                "filesystem.write.allow"
            } else {
                "filesystem.read.allow"
            };
            self.default_hit(
                Cow::Borrowed(rule),
                Verdict::Allow,
                kind,
                &canonical,
                format!("{verb} `{canonical}` matches no rule, so it is allowed."),
            );
        }
        if !main {
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(kind, &canonical, verdict, rule);
        }
        Ok(canonical)
    }
}
