//! The vectorize lesson's tests of a rung, as functions of the rung: the lesson's own tests run
//! them on every rung of its ladder, and each exercise runs them on the learner's version
//! (built with the feature `kit`).
//!
//! Besides the products (within the error bound on every shape, empty ones included, and a clear
//! error on a wrong one), two counted properties: the threads a parallel rung starts
//! ([`ladder::probe`]), and the instructions a rung executes per floating-point operation,
//! counted by callgrind (where valgrind is installed) against the lesson's own `flat` rung in the
//! same run.

use std::num::NonZeroUsize;
use std::process::Command;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::error::Error;
use crate::ladder::{FLAT, Multiply};
use crate::matrix::{Matrix, error_bound, reference, relative_error};

fn threads(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).expect("non-zero")
}

/// An output matrix full of NaN: a rung that adds to what `c` held, instead of overwriting
/// it, gives NaN and fails the check.
fn garbage(rows: usize, cols: usize) -> Matrix {
    Matrix::new(rows, cols, vec![f64::NAN; rows * cols]).expect("shape")
}

/// `multiply` on `m×k` times `k×n`, on 1 and 3 threads, against the reference: `Err` says how
/// it differs.
fn within_the_bound(
    what: &str,
    multiply: Multiply,
    (m, k, n): (usize, usize, usize),
    seed: u64,
) -> Result<(), String> {
    let a = Matrix::random(m, k, seed);
    let b = Matrix::random(k, n, seed + 1);
    let truth = reference(&a, &b).expect("defined");
    for t in [1, 3] {
        let mut c = garbage(m, n);
        multiply(&a, &b, &mut c, threads(t)).map_err(|e| format!("{what} on {m}×{k}×{n}: {e}"))?;
        if (c.rows(), c.cols()) != (m, n) {
            return Err(format!("{what} changed the output's shape to {}×{}", c.rows(), c.cols()));
        }
        let error = relative_error(&c, &truth, &a, &b);
        if error.is_nan() || error > error_bound(k) {
            return Err(format!(
                "{what} on {m}×{k}×{n}, {t} threads: error {error:e} > bound {:e} (a NaN means \
                 an element of `c` was added to instead of written)",
                error_bound(k)
            ));
        }
    }
    Ok(())
}

/// Square, tall, wide, a long inner dimension (several blocks), one row, one column, sizes around
/// the micro-kernel's and the blocks' edges, and more columns than one packed panel of `b` holds:
/// within the error bound for each inner dimension.
pub fn on_shapes_that_fit_no_block(what: &str, multiply: Multiply) {
    for (m, k, n) in [
        (1, 1, 1),
        (7, 5, 3),
        (33, 17, 65),
        (100, 100, 100),
        (97, 300, 50),
        (8, 600, 24),
        (1, 513, 1),
        (200, 3, 130),
        (3, 5, 3100),
    ] {
        within_the_bound(what, multiply, (m, k, n), (m * 1000 + k * 10 + n) as u64)
            .unwrap_or_else(|why| panic!("{why}"));
    }
}

/// An empty inner dimension gives zeros, and an empty side an empty product.
pub fn on_empty_dimensions(what: &str, multiply: Multiply) {
    for (m, k, n) in [(3, 0, 4), (0, 5, 2), (4, 5, 0), (0, 0, 0)] {
        let (a, b) = (Matrix::zeros(m, k), Matrix::zeros(k, n));
        let mut c = garbage(m, n);
        multiply(&a, &b, &mut c, threads(2))
            .unwrap_or_else(|e| panic!("{what} on {m}×{k}×{n}: {e}"));
        assert_eq!(c, Matrix::zeros(m, n), "{what} on {m}×{k}×{n}");
    }
}

/// Inner dimensions that differ, and an output of the wrong shape: a shape error naming both.
pub fn refuses_a_bad_shape(what: &str, multiply: Multiply) {
    let (a, b) = (Matrix::zeros(3, 4), Matrix::zeros(5, 2));
    let (fits, wrong_output) = (Matrix::zeros(4, 2), Matrix::zeros(2, 3));
    match multiply(&a, &b, &mut Matrix::zeros(3, 2), threads(1)) {
        Err(Error::Shape(message)) => {
            assert!(message.contains("3×4") && message.contains("5×2"), "{what}: {message}")
        }
        other => panic!("{what}: expected a shape error, got {other:?}"),
    }
    let mut c = wrong_output.clone();
    match multiply(&a, &fits, &mut c, threads(1)) {
        Err(Error::Shape(message)) => {
            assert!(message.contains("3×2") && message.contains("not 2×3"), "{what}: {message}")
        }
        other => panic!("{what}: expected a shape error, got {other:?}"),
    }
}

/// Twenty-four random shapes up to 40×300×40, within the bound.
pub fn on_random_shapes(what: &str, multiply: Multiply) {
    let mut runner = TestRunner::new(Config::with_cases(24));
    let shapes = (1usize..40, 1usize..300, 1usize..40, 0u64..1000);
    let result = runner.run(&shapes, |(m, k, n, seed)| {
        within_the_bound(what, multiply, (m, k, n), seed).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{what} on a random shape: {e}");
    }
}

/// Four threads asked for, on two 384×384 matrices: at least three threads beside the caller
/// must run at once. A version that multiplies on one thread gives the product and fails here.
/// The count is the whole process's: run this check in a test binary of its own.
pub fn uses_the_threads_it_is_given(what: &str, multiply: Multiply) {
    let n = 384;
    let (a, b) = (Matrix::random(n, n, 1), Matrix::random(n, n, 2));
    let truth = reference(&a, &b).expect("defined");
    let mut c = Matrix::zeros(n, n);
    let (result, more) =
        ladder::probe::threads_started_during(what, || multiply(&a, &b, &mut c, threads(4)));
    result.unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(relative_error(&c, &truth, &a, &b) <= error_bound(n), "{what}: outside the bound");
    let Some(more) = more else { return };
    assert!(
        more >= 3,
        "{what}: asked for 4 threads, at most {more} more than the caller ran at once: the \
         product is computed on one core"
    );
}

/// The variable that tells a test binary run under callgrind what to do once and stop.
const PROBE: &str = "LESSON_VECTORIZE_CALLGRIND_PROBE";
/// The size of the product callgrind counts: every rung's steady state, and quick under valgrind.
const PROBED: usize = 96;
/// How many more instructions per operation than the lesson's own code a version may take.
const MORE_THAN_THE_LESSONS: f64 = 1.25;

/// Whether this process is a run under callgrind started by one of the instruction checks,
/// which only does its one piece of work and must not check anything.
pub fn probing() -> bool {
    std::env::var_os(PROBE).is_some()
}

/// Instructions per operation of `mine` and of `lessons` (each doing `operations`), counted by
/// callgrind in the same run; `None` where valgrind is not installed, after saying so.
///
/// The test binary runs itself under callgrind three times (the current test only), with
/// `LESSON_VECTORIZE_CALLGRIND_PROBE` set to say which work to do: `mine`, `lessons` or neither.
/// The differences from the third run are the two pieces of work's instructions. In those runs
/// this returns `None` at once, after doing the work asked for.
fn instructions_per_operation(
    what: &str,
    operations: f64,
    mine: impl FnOnce(),
    lessons: impl FnOnce(),
) -> Option<(f64, f64)> {
    if let Ok(probe) = std::env::var(PROBE) {
        match probe.as_str() {
            "mine" => mine(),
            "lessons" => lessons(),
            _ => {}
        }
        return None;
    }
    if Command::new("valgrind").arg("--version").output().is_err() {
        eprintln!(
            "{what}: valgrind is not installed: the instruction count is not checked (on \
             Debian or Ubuntu: apt-get install valgrind)"
        );
        return None;
    }
    let test = std::thread::current().name().unwrap_or_default().to_string();
    let count = |probe: &str| -> u64 {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("callgrind.out");
        let exe = std::env::current_exe().expect("the test binary");
        let run = Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg(&exe)
            .args([test.as_str(), "--exact", "--test-threads=1", "--quiet"])
            .env(PROBE, probe)
            .output()
            .expect("valgrind runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{what}: callgrind failed: {stderr}");
        let text = std::fs::read_to_string(&out).expect("callgrind's output");
        text.lines()
            .find_map(|l| l.strip_prefix("summary:").or_else(|| l.strip_prefix("totals:")))
            .and_then(|n| n.trim().split(' ').next()?.parse().ok())
            .expect("callgrind's total")
    };
    let none = count("none");
    let per_operation = |ir: u64| ir.saturating_sub(none) as f64 / operations;
    Some((per_operation(count("mine")), per_operation(count("lessons"))))
}

/// Instructions per floating-point operation, counted by callgrind, must be at most 1.25 times
/// the lesson's own `flat` rung's on the same 96×96 product in the same run: the inner loop
/// walks along rows and is vectorized. The seed's order, a column of `b` at a time, takes several
/// times as many and fails here. Skipped, with a note, where valgrind is not installed. Run it in
/// a test binary of its own.
pub fn vectorizes_like_flat(what: &str, multiply: Multiply) {
    let (a, b) = (Matrix::random(PROBED, PROBED, 1), Matrix::random(PROBED, PROBED, 2));
    let product = |run: Multiply| {
        let mut c = Matrix::zeros(PROBED, PROBED);
        run(std::hint::black_box(&a), &b, &mut c, threads(1)).expect("valid shapes");
        std::hint::black_box(c);
    };
    let operations = crate::flops(PROBED, PROBED, PROBED);
    let counts =
        instructions_per_operation(what, operations, || product(multiply), || product(FLAT.run));
    let Some((mine, flat)) = counts else { return };
    assert!(
        mine <= MORE_THAN_THE_LESSONS * flat,
        "{what}: {mine:.2} instructions per operation, against {flat:.2} for the lesson's `flat` \
         rung on the same {PROBED}×{PROBED} product: the innermost loop does not walk along rows \
         of `b` and `c` (the order i, k, j), so the compiler cannot do several at once"
    );
}

/// A micro-kernel of a `4 × 4` tile: `MR × NR` of `c` from a packed sliver of `a` and one of `b`
/// (see [`crate::arch::portable::micro_kernel`]).
pub type Tile = fn(usize, &[f64], &[f64]) -> [[f64; 4]; 4];

/// The tile `kernel` computes from random packed slivers, for `kc` from 0 to 300 steps, against
/// the same sum done term by term in twice the working precision: within `γ_kc` of `Σ |a| |b|`,
/// element by element. The slivers are given exactly as long as `kc` steps need.
pub fn computes_the_tile(what: &str, kernel: Tile) {
    for kc in [0, 1, 2, 3, 7, 64, 255, 256, 300] {
        let a = Matrix::random(1, 4 * kc, kc as u64).data().to_vec();
        let b = Matrix::random(1, 4 * kc, kc as u64 + 1000).data().to_vec();
        let tile = kernel(kc, &a, &b);
        for (i, row) in tile.iter().enumerate() {
            for (j, got) in row.iter().enumerate() {
                let terms: Vec<(f64, f64)> =
                    (0..kc).map(|p| (a[p * 4 + i], b[p * 4 + j])).collect();
                let exact: f64 = terms.iter().map(|(x, y)| x * y).sum::<f64>();
                let scale: f64 = terms.iter().map(|(x, y)| (x * y).abs()).sum();
                let bound = 2.0 * error_bound(kc) * scale; // the kernel's rounding and this sum's
                assert!(
                    (got - exact).abs() <= bound,
                    "{what}: kc = {kc}, tile[{i}][{j}] = {got}, expected {exact} within {bound:e}: \
                     element (i, j) is the sum over p of a[p·4 + i] · b[p·4 + j]"
                );
            }
        }
    }
}

/// Instructions per operation of `kernel` on 256 steps, counted by callgrind, at most 1.25 times
/// the lesson's own portable micro-kernel's in the same run: the tile's sixteen sums stay in
/// registers and every step is a few vector instructions. Skipped, with a note, where valgrind is
/// not installed. Run it in a test binary of its own.
pub fn vectorizes_like_the_lessons_kernel(what: &str, kernel: Tile) {
    let kc = 256;
    let a = Matrix::random(1, 4 * kc, 1).data().to_vec();
    let b = Matrix::random(1, 4 * kc, 2).data().to_vec();
    let tile = |run: Tile| {
        for _ in 0..64 {
            std::hint::black_box(run(kc, std::hint::black_box(&a), &b));
        }
    };
    let lessons: Tile = crate::arch::portable::micro_kernel::<4, 4>;
    let operations = 64.0 * 2.0 * 16.0 * kc as f64;
    let Some((mine, lesson)) =
        instructions_per_operation(what, operations, || tile(kernel), || tile(lessons))
    else {
        return;
    };
    assert!(
        mine <= MORE_THAN_THE_LESSONS * lesson,
        "{what}: {mine:.2} instructions per operation, against {lesson:.2} for the lesson's \
         portable micro-kernel: keep the tile in a local array of accumulators, and read each \
         step's four values of `a` and of `b` once"
    );
}
