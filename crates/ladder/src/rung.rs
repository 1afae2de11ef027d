//! A rung is one version of a lesson's job; a ladder is every version, slowest first.
//!
//! A lesson declares each rung once, as a `static`, and lists them in one [`Ladder`]. The
//! tests, the benchmarks, the lesson's binary, `cargo xtask bench` and the book's tables all
//! iterate over that ladder, so adding a rung adds it everywhere. Code that needs one particular
//! rung names its `static` (`lesson_io::ladder::RAYON`) or asks the ladder for a role
//! ([`Ladder::baseline`]), never a name string: renaming a rung cannot break anything but the
//! text people read.
//!
//! A ladder is checked when it is compiled: [`Ladder::new`] refuses an empty ladder, two rungs
//! with one name, a name that is not lower-case words joined by `-`, and a ladder with no
//! baseline or with two.

/// What a rung is for, beyond its own step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The straightforward version, the notebook's: every other rung is measured against it.
    /// A ladder has exactly one.
    Baseline,
    /// One step up the ladder.
    Step,
    /// A library written by others, the yardstick for the hand-written rungs (BLAS).
    Library,
}

/// Something a rung needs that a build or a machine may lack: a library, a processor feature,
/// a GPU.
#[derive(Debug)]
pub struct Need {
    /// What it is, for a message: `OpenBLAS`.
    pub what: &'static str,
    /// Whether this build, on this machine, has it.
    pub found: fn() -> bool,
    /// How to get it.
    pub how: &'static str,
}

/// One version of a lesson's job. `F` is the function the lesson's rungs share; `X` holds what
/// one lesson alone needs to know about each of its rungs (how many waiting tasks overlap, whether
/// the heap grows with the file), `()` for the others.
#[derive(Debug)]
pub struct Rung<F: 'static, X: 'static = ()> {
    /// Short name, for the command line, tables and records: lower-case words joined by `-`.
    pub name: &'static str,
    /// What this rung changes from the one before, and why, in one line.
    pub summary: &'static str,
    /// Its role in the ladder.
    pub role: Role,
    /// What it needs that a build or machine may lack.
    pub needs: &'static [Need],
    /// True when it uses the threads it is given: the benchmarks measure it on several counts.
    pub parallel: bool,
    /// The lesson's own facts about it.
    pub facts: X,
    /// Does the job.
    pub run: F,
}

impl<F> Rung<F> {
    /// A step of the ladder that runs on one thread and needs nothing: set the rest with the
    /// methods below, which are `const` so that a rung is declared as a `static`. A lesson calls
    /// it through its own alias (`type Rung = ladder::Rung<Sum>`), which fixes `F`.
    pub const fn new(name: &'static str, summary: &'static str, run: F) -> Self {
        Rung { name, summary, role: Role::Step, needs: &[], parallel: false, facts: (), run }
    }
}

impl<F, X> Rung<F, X> {
    /// [`Rung::new`] for a lesson that keeps facts of its own about each rung.
    pub const fn with_facts(name: &'static str, summary: &'static str, facts: X, run: F) -> Self {
        Rung { name, summary, role: Role::Step, needs: &[], parallel: false, facts, run }
    }

    /// The same rung as the ladder's baseline.
    pub const fn baseline(mut self) -> Self {
        self.role = Role::Baseline;
        self
    }

    /// The same rung as a library written by others.
    pub const fn library(mut self) -> Self {
        self.role = Role::Library;
        self
    }

    /// The same rung, using the threads it is given.
    pub const fn parallel(mut self) -> Self {
        self.parallel = true;
        self
    }

    /// The same rung, needing `needs`.
    pub const fn needs(mut self, needs: &'static [Need]) -> Self {
        self.needs = needs;
        self
    }

    /// The first thing it needs that this build or machine lacks, if any.
    pub fn missing(&self) -> Option<&'static Need> {
        self.needs.iter().find(|need| !(need.found)())
    }

    /// Whether this build, on this machine, can run it.
    pub fn available(&self) -> bool {
        self.missing().is_none()
    }
}

/// Every rung of one lesson's job, slowest first.
#[derive(Debug)]
pub struct Ladder<F: 'static, X: 'static = ()> {
    rungs: &'static [&'static Rung<F, X>],
}

impl<F, X> Ladder<F, X> {
    /// The ladder of `rungs`, checked when it is compiled (see the module's documentation):
    ///
    /// ```
    /// type Way = ladder::Rung<fn() -> u8>;
    /// static SLOW: Way = Way::new("slow", "the notebook's way", || 1).baseline();
    /// static FAST: Way = Way::new("fast", "one change", || 1);
    /// static LADDER: ladder::Ladder<fn() -> u8> = ladder::Ladder::new(&[&SLOW, &FAST]);
    /// ```
    ///
    /// A ladder without a baseline, or with two rungs of one name, does not compile:
    ///
    /// ```compile_fail
    /// type Way = ladder::Rung<fn() -> u8>;
    /// static FAST: Way = Way::new("fast", "one change", || 1);
    /// static LADDER: ladder::Ladder<fn() -> u8> = ladder::Ladder::new(&[&FAST]);
    /// ```
    ///
    /// ```compile_fail
    /// type Way = ladder::Rung<fn() -> u8>;
    /// static SLOW: Way = Way::new("slow", "the notebook's way", || 1).baseline();
    /// static AGAIN: Way = Way::new("slow", "another", || 2);
    /// static LADDER: ladder::Ladder<fn() -> u8> = ladder::Ladder::new(&[&SLOW, &AGAIN]);
    /// ```
    pub const fn new(rungs: &'static [&'static Rung<F, X>]) -> Self {
        assert!(!rungs.is_empty(), "a ladder needs at least one rung");
        let mut baselines = 0;
        let mut i = 0;
        while i < rungs.len() {
            assert!(
                is_kebab_case(rungs[i].name),
                "a rung's name is lower-case words joined by `-`"
            );
            assert!(!rungs[i].summary.is_empty(), "every rung says what it changes");
            if matches!(rungs[i].role, Role::Baseline) {
                baselines += 1;
            }
            let mut j = 0;
            while j < i {
                assert!(!same(rungs[i].name, rungs[j].name), "two rungs have the same name");
                j += 1;
            }
            i += 1;
        }
        assert!(baselines == 1, "a ladder has exactly one baseline");
        Ladder { rungs }
    }

    /// Every rung, slowest first.
    pub fn rungs(&self) -> &'static [&'static Rung<F, X>] {
        self.rungs
    }

    /// The rungs in order.
    pub fn iter(&self) -> impl Iterator<Item = &'static Rung<F, X>> + use<F, X> {
        self.rungs.iter().copied()
    }

    /// The rungs this build, on this machine, can run.
    pub fn available(&self) -> impl Iterator<Item = &'static Rung<F, X>> + use<F, X> {
        self.iter().filter(|r| r.available())
    }

    /// How many rungs there are.
    pub fn len(&self) -> usize {
        self.rungs.len()
    }

    /// Never true: a ladder has at least one rung.
    pub fn is_empty(&self) -> bool {
        self.rungs.is_empty()
    }

    /// The rung called `name`.
    pub fn get(&self, name: &str) -> Option<&'static Rung<F, X>> {
        self.iter().find(|r| r.name == name)
    }

    /// The baseline, which every other rung is measured against.
    pub fn baseline(&self) -> &'static Rung<F, X> {
        self.iter().find(|r| r.role == Role::Baseline).unwrap_or(self.rungs[0])
    }

    /// The rungs with `role`, in order.
    pub fn with_role(&self, role: Role) -> impl Iterator<Item = &'static Rung<F, X>> + use<F, X> {
        self.iter().filter(move |r| r.role == role)
    }

    /// Every rung's name, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.iter().map(|r| r.name).collect()
    }
}

/// Whether `name` is one or more lower-case words (letters and digits) joined by single `-`.
const fn is_kebab_case(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes[0] == b'-' || bytes[bytes.len() - 1] == b'-' {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let word = b.is_ascii_lowercase() || b.is_ascii_digit();
        if !(word || (b == b'-' && bytes[i - 1] != b'-')) {
            return false;
        }
        i += 1;
    }
    true
}

/// `a == b`, in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one() -> u32 {
        1
    }
    fn two() -> u32 {
        2
    }

    type Count = Rung<fn() -> u32>;
    static SLOW: Count = Count::new("slow", "the first way", one).baseline();
    static FAST: Count = Count::new("fast-2", "the second way", two).parallel().needs(&[Need {
        what: "nothing real",
        found: || false,
        how: "cannot be had",
    }]);
    static LADDER: Ladder<fn() -> u32> = Ladder::new(&[&SLOW, &FAST]);

    #[test]
    fn finds_rungs_by_name_and_role() {
        assert!(std::ptr::eq(LADDER.get("fast-2").expect("found"), &FAST));
        assert!(LADDER.get("fastest").is_none());
        assert!(std::ptr::eq(LADDER.baseline(), &SLOW));
        assert_eq!(LADDER.names(), ["slow", "fast-2"]);
        assert_eq!(LADDER.with_role(Role::Library).count(), 0);
        assert_eq!((LADDER.baseline().run)(), 1);
    }

    #[test]
    fn a_rung_that_needs_what_is_missing_is_not_available() {
        assert!(SLOW.available() && !SLOW.parallel);
        assert_eq!(FAST.missing().map(|n| n.what), Some("nothing real"));
        assert_eq!(LADDER.available().count(), 1);
    }

    #[test]
    fn facts_travel_with_the_rung() {
        let rung = Rung::with_facts("a", "b", 7u8, ()).library();
        assert_eq!((rung.facts, rung.role), (7, Role::Library));
    }

    #[test]
    fn names_are_lower_case_words() {
        for good in ["a", "load-all", "blocked-rayon", "read-only-64k"] {
            assert!(is_kebab_case(good), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "Load", "a_b", "a b"] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("ab", "abc"));
    }
}
