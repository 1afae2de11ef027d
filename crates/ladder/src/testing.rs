//! The test runner every lesson's "every rung agrees" tests share.
//!
//! A test hands it the ladder and how to run one rung on the test's input; it runs every rung
//! this build and machine can run and names the rung in any failure, so a lesson's test states
//! only what must hold.

use std::fmt::{Debug, Display};

use crate::rung::{Ladder, Rung};

/// Every available rung's result, with its name; panics naming the first rung that fails.
pub fn every_rung<F, X, T, E: Display>(
    ladder: &Ladder<F, X>,
    mut run: impl FnMut(&Rung<F, X>) -> Result<T, E>,
) -> Vec<(&'static str, T)> {
    ladder
        .available()
        .map(|rung| match run(rung) {
            Ok(result) => (rung.name, result),
            Err(e) => panic!("{}: {e}", rung.name),
        })
        .collect()
}

/// Every available rung's error on an input they must all refuse, with its name; panics naming
/// the first rung that accepts it.
pub fn every_rung_fails<F, X, T: Debug, E>(
    ladder: &Ladder<F, X>,
    mut run: impl FnMut(&Rung<F, X>) -> Result<T, E>,
) -> Vec<(&'static str, E)> {
    ladder
        .available()
        .map(|rung| match run(rung) {
            Ok(result) => panic!("{} accepted a bad input: {result:?}", rung.name),
            Err(e) => (rung.name, e),
        })
        .collect()
}

/// Whether every available rung gives `expected`: `Err` names the first that does not, with
/// what it gave, for tests that report failures themselves (property tests).
pub fn agree<F, X, T: PartialEq + Debug, E: Display>(
    ladder: &Ladder<F, X>,
    expected: &T,
    mut run: impl FnMut(&Rung<F, X>) -> Result<T, E>,
) -> Result<(), String> {
    for rung in ladder.available() {
        match run(rung) {
            Ok(result) if result == *expected => {}
            Ok(result) => return Err(format!("{}: {result:?}, expected {expected:?}", rung.name)),
            Err(e) => return Err(format!("{}: {e}", rung.name)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Add = Rung<fn(u32) -> Result<u32, String>>;
    static GOOD: Add = Add::new("good", "adds one", |x| Ok(x + 1)).baseline();
    static SAME: Add = Add::new("same", "adds one too", |x| Ok(1 + x));
    static GOOD_PAIR: Ladder<fn(u32) -> Result<u32, String>> = Ladder::new(&[&GOOD, &SAME]);
    static WRONG: Add = Add::new("wrong", "adds two", |x| Ok(x + 2));
    static ONE_WRONG: Ladder<fn(u32) -> Result<u32, String>> = Ladder::new(&[&GOOD, &WRONG]);
    static PICKY: Add = Add::new("picky", "refuses zero", |x| match x {
        0 => Err("zero".into()),
        x => Ok(x + 1),
    });
    static ONE_PICKY: Ladder<fn(u32) -> Result<u32, String>> = Ladder::new(&[&GOOD, &PICKY]);

    #[test]
    fn every_rung_runs_and_is_named() {
        assert_eq!(every_rung(&GOOD_PAIR, |r| (r.run)(1)), [("good", 2), ("same", 2)]);
        assert_eq!(agree(&GOOD_PAIR, &5, |r| (r.run)(4)), Ok(()));
        assert_eq!(agree(&ONE_WRONG, &5, |r| (r.run)(4)), Err("wrong: 6, expected 5".into()));
        assert_eq!(agree(&ONE_PICKY, &1, |r| (r.run)(0)), Err("picky: zero".into()));
    }

    #[test]
    #[should_panic(expected = "picky: zero")]
    fn a_failing_rung_is_named() {
        every_rung(&ONE_PICKY, |r| (r.run)(0));
    }

    #[test]
    #[should_panic(expected = "good accepted a bad input: 2")]
    fn a_rung_that_accepts_bad_input_is_named() {
        every_rung_fails(&ONE_PICKY, |r| (r.run)(1));
    }
}
