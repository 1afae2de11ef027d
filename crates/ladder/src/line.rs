//! The typed JSON line: what a lesson binary prints for each rung with `--json`, and what
//! `cargo xtask bench` (or anyone's script) reads back.
//!
//! Every line has the same three fields, `"lesson"`, `"rung"` and `"seconds"`, then the lesson's
//! own (memory: `"rows"`, `"total"` and `"exact"`; vectorize: `"n"`, `"gflops"`,
//! `"rel_error"`, …). One struct serves both directions, so a field renamed on one side cannot
//! go unnoticed on the other.

use serde::{Deserialize, Serialize};

/// One rung's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Line<F> {
    /// The lesson, such as `memory`.
    pub lesson: String,
    /// The rung's name.
    pub rung: String,
    /// Wall time of the rung's run, in seconds.
    pub seconds: f64,
    /// The lesson's own fields.
    #[serde(flatten)]
    pub fields: F,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Figures {
        rows: u64,
        total: f64,
    }

    #[test]
    fn reads_back_what_it_prints() {
        let line = Line {
            lesson: "memory".into(),
            rung: "mmap".into(),
            seconds: 0.25,
            fields: Figures { rows: 3, total: 1.5 },
        };
        let text = serde_json::to_string(&line).expect("serializable");
        assert_eq!(
            text,
            r#"{"lesson":"memory","rung":"mmap","seconds":0.25,"rows":3,"total":1.5}"#
        );
        assert_eq!(serde_json::from_str::<Line<Figures>>(&text).expect("readable"), line);
    }
}
