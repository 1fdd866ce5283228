//! Shell commands: every simple command against the command lists and
//! rules, then the reads, writes, downloads and git actions derived from it,
//! and downloads piped into interpreters.

use super::*;

impl<'p> Evaluation<'p> {
    /// Evaluates a shell command and everything derived from it.
    pub(super) fn command(&mut self, command: &str) -> Result<(), InputError> {
        if command.trim().is_empty() {
            return Err(InputError::field("command", "must not be empty"));
        }
        if self.suspicious(ActionKind::Command, command, true) {
            return Ok(());
        }
        let analysis = match shell::analyze(command) {
            Ok(analysis) => analysis,
            Err(e) => {
                self.builtin(
                    "commands.unparseable",
                    Verdict::RequireApproval,
                    None,
                    ActionKind::Command,
                    command,
                    "builtin".into(),
                    format!(
                        "CAVRA cannot parse this command ({} at byte {}), so a human must look at it.",
                        e.message, e.offset
                    ),
                );
                return Ok(());
            }
        };
        if analysis.commands.is_empty() {
            return Err(InputError::field("command", "contains no command to run"));
        }
        for simple in &analysis.commands {
            let start = self.hits.len();
            let text = simple.text.as_str();
            let policy = self.policy;
            let mut matched = false;
            for section in &policy.commands {
                if let Some(pattern) = section.list.first_match(text) {
                    matched = true;
                    let subject = format!("`{text}`");
                    self.section_hit(
                        section.rule_id,
                        section.decision,
                        pattern,
                        ActionKind::Command,
                        text,
                        &subject,
                    );
                }
            }
            let facts = Facts {
                command: Some(text),
                ..Facts::default()
            };
            matched |= self.rules(ActionKind::Command, text, &facts).is_some();
            if !matched {
                let default = policy.command_default;
                self.default_hit(
                    Cow::Owned(format!("commands.default.{default}")),
                    default,
                    ActionKind::Command,
                    text,
                    format!(
                        "`{text}` matches no command rule, so it gets the default: {}.",
                        default
                    ),
                );
            }
            let (verdict, rule) = self.part_result(start);
            self.derive_owned(ActionKind::Command, text, verdict, rule);
            for effect in &simple.effects {
                match effect {
                    Effect::Read(path) => {
                        self.path(ActionKind::FileRead, path, false)?;
                    }
                    Effect::Write(path) => {
                        self.path(ActionKind::FileWrite, path, false)?;
                    }
                    Effect::Url(url) => {
                        self.network(url, false)?;
                    }
                }
            }
            if simple.program == "git" {
                for git in parse_git_args(&simple.args) {
                    self.git(&git, false);
                }
            }
        }
        for pipeline in &analysis.pipe_to_interpreter {
            self.signals.pipe_to_interpreter = true;
            let v = self.builtin(
                "commands.pipe_to_interpreter",
                Verdict::Block,
                Some(Severity::Critical),
                ActionKind::Command,
                pipeline,
                "builtin".into(),
                format!(
                    "`{pipeline}` runs downloaded code straight in an interpreter, unreviewed."
                ),
            );
            self.derive(
                ActionKind::Command,
                pipeline,
                v,
                "commands.pipe_to_interpreter",
            );
        }
        Ok(())
    }
}
