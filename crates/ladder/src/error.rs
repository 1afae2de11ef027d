//! What the driver itself can refuse, whatever the lesson.

/// The driver's own errors; every lesson's error type has a variant for them.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A rung was asked for by a name the ladder does not have.
    #[error("no rung `{wanted}`; the ladder has {}", names.join(", "))]
    NoSuchRung {
        /// The name asked for.
        wanted: String,
        /// The ladder's names, in order.
        names: Vec<&'static str>,
    },
    /// A rung's result differs from the first rung's, or from the known answer.
    #[error("rungs disagree: `{rung}` against `{first}`: {why} (a bug: please report it)")]
    Disagree {
        /// The rung whose result is wrong.
        rung: &'static str,
        /// The rung it was checked against.
        first: &'static str,
        /// How they differ.
        why: String,
    },
    /// A line could not be written as JSON.
    #[error("cannot print a JSON line")]
    Json(#[source] serde_json::Error),
}
