//! The command-line shape every lesson's binary shares: `--strategy NAME` (repeatable) or
//! `--strategy all`, `--list` and `--json`. Each binary flattens [`LadderArgs`] into its own
//! arguments and lets it pick the rungs, so the flags and their errors read the same everywhere.

/// The flags that choose and show a ladder's rungs.
#[derive(clap::Args, Debug)]
pub struct LadderArgs {
    /// A rung to run (repeat for several), or `all`.
    #[arg(short, long = "strategy", value_name = "NAME", default_value = "all")]
    pub strategies: Vec<String>,
    /// Print the ladder and exit.
    #[arg(long)]
    pub list: bool,
    /// Print one JSON object per rung per line instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl LadderArgs {
    /// The rungs of `ladder` asked for, in the order asked; an unknown name is an error that
    /// lists the ladder.
    pub fn choose<'a, T>(
        &self,
        ladder: &'a [T],
        name: impl Fn(&T) -> &str,
    ) -> Result<Vec<&'a T>, String> {
        if self.strategies.iter().any(|s| s == "all") {
            return Ok(ladder.iter().collect());
        }
        let find = |wanted: &String| {
            ladder.iter().find(|rung| name(rung) == wanted.as_str()).ok_or_else(|| {
                let names: Vec<&str> = ladder.iter().map(&name).collect();
                format!("no strategy `{wanted}`; the ladder has {}", names.join(", "))
            })
        };
        self.strategies.iter().map(find).collect()
    }
}

/// A lesson binary's exit: success, or the error on stderr and a failure status.
pub fn exit(result: Result<(), String>) -> std::process::ExitCode {
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Prints a ladder for `--list`: one rung a line, its name then what it changes.
pub fn print_ladder<T>(ladder: &[T], rung: impl Fn(&T) -> (&str, &str)) {
    let width = ladder.iter().map(|r| rung(r).0.len()).max().unwrap_or(0);
    for r in ladder {
        let (name, summary) = rung(r);
        println!("{name:<width$} {summary}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(strategies: &[&str]) -> LadderArgs {
        LadderArgs {
            strategies: strategies.iter().map(|s| s.to_string()).collect(),
            list: false,
            json: false,
        }
    }

    #[test]
    fn chooses_all_some_or_explains() {
        let ladder = ["a", "b", "c"];
        fn name<'a>(rung: &'a &str) -> &'a str {
            rung
        }
        assert_eq!(args(&["all"]).choose(&ladder, name), Ok(vec![&"a", &"b", &"c"]));
        assert_eq!(args(&["c", "a"]).choose(&ladder, name), Ok(vec![&"c", &"a"]));
        assert_eq!(
            args(&["d"]).choose(&ladder, name),
            Err("no strategy `d`; the ladder has a, b, c".to_string())
        );
    }
}
