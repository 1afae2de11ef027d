//! The one command-line driver every lesson's binary uses.
//!
//! Every binary has the same shape: `--rung NAME` (repeatable, `--strategy` is kept as an
//! alias) or `--rung all`, `--list` to print the ladder, `--json` for one [`Line`] per rung
//! instead of a table. A lesson says how to run one rung of its job by implementing [`Job`];
//! [`main`] does the rest: choosing rungs, skipping those this build cannot run, timing each,
//! checking each against the first, printing, and the exit status.

use std::fmt::Display;
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use crate::error::Error;
use crate::line::Line;
use crate::rung::{Ladder, Rung};
use crate::units::seconds;

/// The flags that choose and show a ladder's rungs; each binary flattens them into its own.
#[derive(clap::Args, Debug, Clone)]
#[group(id = "ladder")]
pub struct Args {
    /// A rung to run (repeat for several), or `all`.
    #[arg(
        short,
        long = "rung",
        visible_alias = "strategy",
        short_alias = 's',
        value_name = "NAME",
        default_value = "all"
    )]
    pub rungs: Vec<String>,
    /// Print the ladder and exit.
    #[arg(long)]
    pub list: bool,
    /// Print one JSON object per rung per line instead of a table.
    #[arg(long)]
    pub json: bool,
}

impl Args {
    /// The rungs of `ladder` asked for, in the order asked; an unknown name is an error that
    /// lists the ladder.
    pub fn choose<F, X>(&self, ladder: &Ladder<F, X>) -> Result<Vec<&'static Rung<F, X>>, Error> {
        if self.rungs.iter().any(|r| r == "all") {
            return Ok(ladder.iter().collect());
        }
        let find = |wanted: &String| {
            ladder
                .get(wanted)
                .ok_or_else(|| Error::NoSuchRung { wanted: wanted.clone(), names: ladder.names() })
        };
        self.rungs.iter().map(find).collect()
    }
}

/// One column of the human table, after the rung's name and its time.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    /// The heading.
    pub title: &'static str,
    /// Characters, right-aligned; 0 for a last column left-aligned at its natural width.
    pub width: usize,
}

impl Column {
    /// A right-aligned column `width` characters wide.
    pub const fn right(title: &'static str, width: usize) -> Column {
        Column { title, width }
    }

    /// A last column, left-aligned.
    pub const fn left(title: &'static str) -> Column {
        Column { title, width: 0 }
    }

    fn cell(&self, text: &dyn Display) -> String {
        match self.width {
            0 => format!("  {text}"),
            width => format!(" {text:>width$}"),
        }
    }
}

/// The lesson's fields of one rung's run, as a table row.
pub trait Row {
    /// The columns, in order.
    const COLUMNS: &'static [Column];
    /// This row's cells, one per column.
    fn cells(&self) -> Vec<String>;
}

/// How a lesson runs one rung of its job, as the driver sees it.
pub trait Job {
    /// The function every rung of the ladder has.
    type Run: 'static;
    /// The lesson's own facts about each rung (`()` for most).
    type Facts: 'static;
    /// What one rung returns.
    type Output;
    /// The lesson's fields of a rung's line: its result and its figures.
    type Fields: Serialize + Row;
    /// What can stop the job; the driver's own errors become one of its variants.
    type Error: std::error::Error + From<Error> + 'static;

    /// The lesson's name, the `"lesson"` of every line.
    const LESSON: &'static str;

    /// What the rungs run on, printed above the table.
    fn heading(&self) -> Option<String> {
        None
    }

    /// Readies the next rung, outside the timed part (evicts files from the page cache, touches
    /// an output buffer).
    fn prepare(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }

    /// Runs one rung: the part that is timed.
    fn run(&mut self, rung: &Rung<Self::Run, Self::Facts>) -> Result<Self::Output, Self::Error>;

    /// Checks one rung's output, against the first rung's (`first` is `output` itself for the
    /// first) or against what the job knows the answer is, and gives its fields; `Err` says how
    /// it differs.
    fn fields(
        &self,
        rung: &Rung<Self::Run, Self::Facts>,
        output: &Self::Output,
        first: &Self::Output,
        seconds: f64,
    ) -> Result<Self::Fields, String>;

    /// After the last rung: what the lesson adds below the table or after the lines (the exact
    /// total, each user's).
    fn finish(&mut self, _first: &Self::Output, _json: bool) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// A lesson binary's whole run: the ladder for `--list`, otherwise the job made by `job` on the
/// rungs asked for. Errors go to stderr, with their causes, and make the exit status a failure.
pub fn main<J: Job>(
    ladder: &Ladder<J::Run, J::Facts>,
    args: &Args,
    job: impl FnOnce() -> Result<J, J::Error>,
) -> ExitCode {
    if args.list {
        list(ladder);
        return ExitCode::SUCCESS;
    }
    exit(job().and_then(|mut job| drive(ladder, args, &mut job)))
}

/// Prints a ladder for `--list`: one rung a line, its name then what it changes.
pub fn list<F, X>(ladder: &Ladder<F, X>) {
    let width = ladder.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for rung in ladder.iter() {
        println!("{:<width$} {}", rung.name, rung.summary);
    }
}

/// Runs the rungs `args` asks for with `job`: a rung this build cannot run is skipped with a
/// message saying what it needs; every other is timed, checked and printed as it finishes.
pub fn drive<J: Job>(
    ladder: &Ladder<J::Run, J::Facts>,
    args: &Args,
    job: &mut J,
) -> Result<(), J::Error> {
    let chosen = args.choose(ladder)?;
    let width = chosen.iter().map(|r| r.name.len()).max().unwrap_or(0).max("rung".len());
    if !args.json {
        if let Some(heading) = job.heading() {
            println!("{heading}");
        }
        let titles: String = J::Fields::COLUMNS.iter().map(|c| c.cell(&c.title)).collect();
        println!("{:<width$} {:>10}{titles}", "rung", "time");
    }
    // The first rung's name and output: every later rung is checked against it.
    let mut first: Option<(&'static str, J::Output)> = None;
    for rung in chosen {
        if let Some(need) = rung.missing() {
            eprintln!("{}: skipped: needs {}: {}", rung.name, need.what, need.how);
            continue;
        }
        job.prepare()?;
        let start = Instant::now();
        let output = job.run(rung)?;
        let elapsed = start.elapsed().as_secs_f64();
        let (against, first_output) = match &first {
            Some((name, o)) => (*name, o),
            None => (rung.name, &output),
        };
        let fields = job
            .fields(rung, &output, first_output, elapsed)
            .map_err(|why| Error::Disagree { rung: rung.name, first: against, why })?;
        if args.json {
            let line = Line {
                lesson: J::LESSON.to_string(),
                rung: rung.name.to_string(),
                seconds: elapsed,
                fields,
            };
            println!("{}", serde_json::to_string(&line).map_err(Error::Json)?);
        } else {
            let cells = fields.cells();
            let row: String =
                J::Fields::COLUMNS.iter().zip(&cells).map(|(c, t)| c.cell(t)).collect();
            println!("{:<width$} {:>10}{row}", rung.name, seconds(elapsed));
        }
        if first.is_none() {
            first = Some((rung.name, output));
        }
    }
    match first {
        Some((_, output)) => job.finish(&output, args.json),
        None => Ok(()),
    }
}

/// A binary's exit: success, or the error and each of its causes on stderr and a failure status.
pub fn exit<E: std::error::Error>(result: Result<(), E>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", chain(&error));
            ExitCode::FAILURE
        }
    }
}

/// An error and its causes, joined by `: `.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rung::Rung;

    type Pick = Rung<()>;
    static A: Pick = Pick::new("a", "first", ()).baseline();
    static B: Pick = Pick::new("b", "second", ());
    static C: Pick = Pick::new("c", "third", ());
    static LADDER: Ladder<()> = Ladder::new(&[&A, &B, &C]);

    fn args(rungs: &[&str]) -> Args {
        Args { rungs: rungs.iter().map(|s| s.to_string()).collect(), list: false, json: false }
    }

    #[test]
    fn chooses_all_some_or_explains() {
        let names = |chosen: Vec<&Pick>| chosen.iter().map(|r| r.name).collect::<Vec<_>>();
        assert_eq!(args(&["all"]).choose(&LADDER).map(names).ok(), Some(vec!["a", "b", "c"]));
        assert_eq!(args(&["c", "a"]).choose(&LADDER).map(names).ok(), Some(vec!["c", "a"]));
        assert_eq!(
            args(&["d"]).choose(&LADDER).err().map(|e| e.to_string()),
            Some("no rung `d`; the ladder has a, b, c".to_string())
        );
    }

    /// A job whose rungs return a number; it records what the driver did with them.
    #[derive(Default)]
    struct Count {
        prepared: usize,
        finished_with: Option<u32>,
    }

    #[derive(Serialize)]
    struct Number {
        value: u32,
    }

    impl Row for Number {
        const COLUMNS: &'static [Column] = &[Column::right("value", 6)];
        fn cells(&self) -> Vec<String> {
            vec![self.value.to_string()]
        }
    }

    impl Job for Count {
        type Run = fn() -> u32;
        type Facts = ();
        type Output = u32;
        type Fields = Number;
        type Error = Error;
        const LESSON: &'static str = "test";

        fn prepare(&mut self) -> Result<(), Error> {
            self.prepared += 1;
            Ok(())
        }

        fn run(&mut self, rung: &Rung<fn() -> u32>) -> Result<u32, Error> {
            Ok((rung.run)())
        }

        fn fields(
            &self,
            _: &Rung<fn() -> u32>,
            o: &u32,
            first: &u32,
            _: f64,
        ) -> Result<Number, String> {
            if o == first { Ok(Number { value: *o }) } else { Err(format!("{o}, not {first}")) }
        }

        fn finish(&mut self, first: &u32, _: bool) -> Result<(), Error> {
            self.finished_with = Some(*first);
            Ok(())
        }
    }

    type Way = Rung<fn() -> u32>;
    static ONE: Way = Way::new("one", "gives 1", || 1).baseline();
    static ALSO_ONE: Way = Way::new("also-one", "gives 1 too", || 1);
    static TWO: Way = Way::new("two", "gives 2", || 2);
    static MISSING: Way = Way::new("missing", "needs what no machine has", || 2)
        .needs(&[crate::Need { what: "nothing real", found: || false, how: "cannot be had" }]);
    static AGREE: Ladder<fn() -> u32> = Ladder::new(&[&ONE, &MISSING, &ALSO_ONE]);
    static DISAGREE: Ladder<fn() -> u32> = Ladder::new(&[&ONE, &TWO]);

    #[test]
    fn the_driver_skips_what_cannot_run_and_checks_the_rest_against_the_first() {
        let mut job = Count::default();
        drive(&AGREE, &args(&["all"]), &mut job).expect("the rungs agree");
        assert_eq!((job.prepared, job.finished_with), (2, Some(1)), "the missing rung is skipped");
        let error = drive(&DISAGREE, &args(&["all"]), &mut Count::default()).expect_err("2 ≠ 1");
        assert!(
            matches!(&error, Error::Disagree { rung: "two", first: "one", why } if why == "2, not 1"),
            "{error}"
        );
        let error = drive(&DISAGREE, &args(&["three"]), &mut Count::default()).expect_err("none");
        assert!(matches!(error, Error::NoSuchRung { .. }), "{error}");
    }

    #[test]
    fn errors_are_printed_with_their_causes() {
        let io = std::io::Error::other("disk on fire");
        let error = Error::Json(serde_json::Error::io(io));
        assert_eq!(chain(&error), "cannot print a JSON line: disk on fire");
    }
}
