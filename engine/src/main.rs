//! The `cavra` command. All of it lives in `cavra::cli`; this only runs it.

fn main() -> std::process::ExitCode {
    cavra::cli::run()
}
