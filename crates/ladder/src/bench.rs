//! What a benchmark and `cargo xtask bench` agree on: the plan of a run, and the ids of its
//! measurements.
//!
//! Each lesson declares its plan (the sizes, counts and limits of a full run and of a quick one)
//! as a typed struct. `cargo xtask bench` hands the plan it chose to the benchmark binary in one
//! environment variable, as JSON, and reads the results back under the same [`Id`]s the
//! benchmark measured, both made by the lesson's own functions.

use std::fmt::Display;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The environment variable that carries a benchmark's plan, as JSON.
pub const PLAN_ENV: &str = "WORKSHOP_BENCH_PLAN";

/// The plan `cargo xtask bench` set for this benchmark, if it set one.
pub fn plan<T: DeserializeOwned>() -> Result<Option<T>, String> {
    let Some(text) = std::env::var_os(PLAN_ENV) else { return Ok(None) };
    let text = text.to_str().ok_or_else(|| format!("{PLAN_ENV} is not UTF-8"))?;
    serde_json::from_str(text).map(Some).map_err(|e| format!("{PLAN_ENV}={text}: {e}"))
}

/// The variable that hands `plan` to a benchmark: its name and value.
pub fn plan_var<T: Serialize>(plan: &T) -> (&'static str, String) {
    (PLAN_ENV, serde_json::to_string(plan).expect("a plan is plain data"))
}

/// One measurement: criterion's group, function and (optional) parameter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id {
    /// The group, one per table or plot: `memory`, `compute-pi`.
    pub group: &'static str,
    /// What is measured: a rung's name, or a stage's.
    pub function: String,
    /// What it is measured at: a size, a thread count.
    pub parameter: Option<String>,
}

impl Id {
    /// `function` in `group`.
    pub fn new(group: &'static str, function: impl Into<String>) -> Id {
        Id { group, function: function.into(), parameter: None }
    }

    /// The same measurement at `parameter`.
    pub fn at(self, parameter: impl Display) -> Id {
        Id { parameter: Some(parameter.to_string()), ..self }
    }
}

impl Display for Id {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.group, self.function)?;
        match &self.parameter {
            Some(p) => write!(f, "/{p}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_like_criterion_paths() {
        assert_eq!(Id::new("compute-pi", "rayon").at(2).to_string(), "compute-pi/rayon/2");
        assert_eq!(Id::new("memory", "mmap").to_string(), "memory/mmap");
    }

    #[test]
    fn a_plan_travels_as_json() {
        let (name, value) = plan_var(&vec![1u32, 2]);
        assert_eq!((name, value.as_str()), (PLAN_ENV, "[1,2]"));
    }
}
