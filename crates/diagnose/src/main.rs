//! `diagnose -- COMMAND [ARGS...]`: what limits a program (see [`lesson_diagnose::cli`]).

fn main() -> std::process::ExitCode {
    lesson_diagnose::cli::main()
}
