//! The memory lesson's job on the GPU: the exact totals of a transactions file, bit for bit
//! the memory lesson's, from a ladder of reduction kernels.
//!
//! The processor parses the file into a [`Column`]: each bucket's mantissas, one after
//! another. The GPU adds them, exactly: each bucket is cut into pieces, a workgroup adds up one
//! piece into a 96-bit sum of three 32-bit limbs (no 64-bit arithmetic, no atomics, nothing
//! rounded), and the host adds the pieces' sums of each bucket and hands them to the memory
//! lesson's [`Totals`]. The kernels differ only in how a workgroup adds up its piece.
//!
//! A file too large for one buffer goes up in batches of whole pieces, each the most the
//! device binds: the sums of pieces add up the same whichever batch they came in.

use std::ops::Range;
use std::time::Duration;

use lesson_memory::Totals;

use crate::column::Column;
use crate::device::Gpu;
use crate::error::Error;
use crate::shader::Shader;

/// What every exact-sum kernel binds, and the 96-bit addition they share.
pub const BINDINGS: &str = include_str!("shaders/sum.wgsl");

/// Invocations per workgroup of the tree kernels.
pub const WG: u32 = 256;

/// Values one workgroup of the many-values kernels adds: 32 for each invocation.
pub const MANY: usize = 32 * WG as usize;

/// How a kernel shares the work out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Split {
    /// One invocation adds every piece.
    Serial,
    /// One workgroup for every piece of this many values.
    Pieces(usize),
}

/// A kernel of the ladder and how it shares the work out.
#[derive(Debug)]
pub struct Adder {
    /// The kernel.
    pub shader: Shader,
    /// Which invocations add which values.
    pub split: Split,
}

/// One invocation does it all.
pub static ONE_ADDER: Adder = Adder {
    shader: Shader {
        name: "one-invocation",
        bindings: BINDINGS,
        body: include_str!("shaders/sum/one.wgsl"),
        // One invocation: the workgroup memory of the shared tree is one sum, unused.
        constants: &[("WG", 1)],
    },
    split: Split::Serial,
};

/// A tree per workgroup, every other invocation working.
pub static TREE_ADDER: Adder = Adder {
    shader: Shader {
        name: "tree",
        bindings: BINDINGS,
        body: include_str!("shaders/sum/tree.wgsl"),
        constants: &[("WG", WG)],
    },
    split: Split::Pieces(WG as usize),
};

/// A tree per workgroup, the working invocations side by side.
pub static SEQUENTIAL_ADDER: Adder = Adder {
    shader: Shader {
        name: "sequential",
        bindings: BINDINGS,
        body: include_str!("shaders/sum/sequential.wgsl"),
        constants: &[("WG", WG)],
    },
    split: Split::Pieces(WG as usize),
};

/// Many values per invocation before the tree.
pub static MANY_ADDER: Adder = Adder {
    shader: Shader {
        name: "many-per-invocation",
        bindings: BINDINGS,
        body: include_str!("shaders/sum/many.wgsl"),
        constants: &[("WG", WG)],
    },
    split: Split::Pieces(MANY),
};

/// Two values per load.
pub static WIDE_ADDER: Adder = Adder {
    shader: Shader {
        name: "wide-loads",
        bindings: BINDINGS,
        body: include_str!("shaders/sum/wide.wgsl"),
        constants: &[("WG", WG)],
    },
    split: Split::Pieces(MANY),
};

/// The totals a kernel computed, and how long it took on the GPU's clock (every batch's
/// kernel, where the device can tell).
#[derive(Clone, Debug, PartialEq)]
pub struct Added {
    /// The memory lesson's totals.
    pub totals: Totals,
    /// The kernels' own time: no upload, no download.
    pub kernel: Option<Duration>,
}

/// The values of one upload, and its pieces.
#[derive(Debug, PartialEq, Eq)]
struct Batch {
    /// Which of the column's values go up: an even start and end, so that pairs stay pairs.
    values: Range<usize>,
    /// Each piece's range, counted from `values.start`.
    pieces: Vec<[u32; 2]>,
    /// The bucket each piece belongs to.
    owners: Vec<usize>,
}

/// `column`'s buckets cut into pieces as `split` says, in batches of at most `budget` values
/// (even, at least 4).
fn batches(column: &Column, split: Split, budget: usize) -> Vec<Batch> {
    let size = match split {
        Split::Serial => budget,
        Split::Pieces(size) => size,
    };
    // An upload starts at an even index, one value early at most, and ends one late at most.
    let size = size.min(budget - 2);
    let even = |i: usize| i.next_multiple_of(2);
    let mut batches: Vec<Batch> = Vec::new();
    for (owner, bucket) in column.buckets().iter().enumerate() {
        let mut start = bucket.range.start;
        while start < bucket.range.end {
            let end = (start + size).min(bucket.range.end);
            let full = batches.last().is_none_or(|b| even(end) - b.values.start > budget);
            if full {
                let first = start / 2 * 2;
                batches.push(Batch {
                    values: first..first,
                    pieces: Vec::new(),
                    owners: Vec::new(),
                });
            }
            let batch = batches.last_mut().expect("pushed above");
            let offset = batch.values.start;
            // Within one upload, and an upload holds fewer than 2³² values.
            batch.pieces.push([(start - offset) as u32, (end - offset) as u32]);
            batch.owners.push(owner);
            batch.values.end = even(end);
            start = end;
        }
    }
    batches
}

/// Workgroups for `pieces` pieces: rows of at most `limit`.
fn grid(pieces: usize, limit: u32) -> [u64; 3] {
    let x = (pieces as u64).min(u64::from(limit)).max(1);
    [x, (pieces as u64).div_ceil(x), 1]
}

/// Adds up `column` on the GPU with `adder`'s kernel: every batch uploaded, its pieces added,
/// their sums downloaded and added into their buckets' on the host.
pub fn add_up(gpu: &Gpu, adder: &'static Adder, column: &Column) -> Result<Added, Error> {
    let budget = usize::try_from(gpu.facts().max_binding_bytes / 8).unwrap_or(usize::MAX);
    add_up_within(gpu, adder, column, budget)
}

/// [`add_up`] with uploads of at most `budget` values (rounded down to an even number, and at
/// least 4): how a file too large for one buffer is added up, tried on small ones.
pub fn add_up_within(
    gpu: &Gpu,
    adder: &'static Adder,
    column: &Column,
    budget: usize,
) -> Result<Added, Error> {
    let kernel = gpu.kernel(&adder.shader, None)?;
    let facts = gpu.facts();
    let budget = match (adder.split, facts.loop_turns) {
        // One invocation takes a turn per value and one per piece (no more pieces than
        // values): where the driver caps its turns, each upload, one dispatch, stays under it.
        (Split::Serial, Some(turns)) => {
            budget.min(usize::try_from(turns / 2).unwrap_or(usize::MAX))
        }
        _ => budget,
    };
    let mut sums = vec![0u128; column.buckets().len()];
    let mut kernel_time = facts.timestamps.then_some(Duration::ZERO);
    for batch in batches(column, adder.split, (budget & !1).max(4)) {
        let values = gpu.upload("the values", &column.values()[batch.values.clone()])?;
        let pieces = gpu.upload("the pieces", &batch.pieces)?;
        let out = gpu.output::<u32>("the sums", 3 * batch.pieces.len())?;
        let groups = match adder.split {
            Split::Serial => [1, 1, 1],
            Split::Pieces(_) => grid(batch.pieces.len(), facts.workgroups_per_dimension),
        };
        let time = gpu.dispatch(&kernel, &[&pieces, &values, &out], groups)?;
        kernel_time = kernel_time.zip(time).map(|(total, t)| total + t);
        let limbs: Vec<u32> = gpu.download("the sums", &out)?;
        for (limb, &owner) in limbs.chunks_exact(3).zip(&batch.owners) {
            let sum = u128::from(limb[0]) | u128::from(limb[1]) << 32 | u128::from(limb[2]) << 64;
            // A bucket of fewer than 2⁶⁴ values (all memory can hold) sums below 2¹²⁸.
            sums[owner] += sum;
        }
    }
    Ok(Added { totals: column.totals(&sums), kernel: kernel_time })
}

/// One invocation adds every value.
pub fn one_invocation(gpu: &Gpu, column: &Column) -> Result<Added, Error> {
    add_up(gpu, &ONE_ADDER, column)
}

/// A tree of additions in workgroup memory, interleaved.
pub fn tree(gpu: &Gpu, column: &Column) -> Result<Added, Error> {
    add_up(gpu, &TREE_ADDER, column)
}

/// A tree of additions in workgroup memory, sequential.
pub fn sequential(gpu: &Gpu, column: &Column) -> Result<Added, Error> {
    add_up(gpu, &SEQUENTIAL_ADDER, column)
}

/// Many values per invocation, then the sequential tree.
pub fn many_per_invocation(gpu: &Gpu, column: &Column) -> Result<Added, Error> {
    add_up(gpu, &MANY_ADDER, column)
}

/// Two values per load, then the sequential tree.
pub fn wide_loads(gpu: &Gpu, column: &Column) -> Result<Added, Error> {
    add_up(gpu, &WIDE_ADDER, column)
}

/// What every rung of the ladder does: a column's exact totals, on the GPU.
pub type Sum = fn(&Gpu, &Column) -> Result<Added, Error>;

/// A rung of the exact-sum ladder; its facts are its kernel and how it splits the work.
pub type Rung = ladder::Rung<Sum, &'static Adder>;

/// One invocation.
pub static ONE_INVOCATION: Rung = Rung::with_facts(
    "one-invocation",
    "one invocation adds every value in turn: the GPU used as one slow core",
    &ONE_ADDER,
    one_invocation,
)
.baseline();

/// A tree per workgroup.
pub static TREE: Rung = Rung::with_facts(
    "tree",
    "256 values per workgroup, added in pairs in workgroup memory: log₂ 256 = 8 steps",
    &TREE_ADDER,
    tree,
);

/// Sequential addressing.
pub static SEQUENTIAL: Rung = Rung::with_facts(
    "sequential",
    "the same tree, the working invocations side by side so that whole groups rest together",
    &SEQUENTIAL_ADDER,
    sequential,
);

/// Many values per invocation.
pub static MANY_PER_INVOCATION: Rung = Rung::with_facts(
    "many-per-invocation",
    "each invocation first adds 32 values in its registers: one tree per 8192 values",
    &MANY_ADDER,
    many_per_invocation,
);

/// Wider loads.
pub static WIDE_LOADS: Rung = Rung::with_facts(
    "wide-loads",
    "the same, each load bringing two values (16 bytes) from device memory",
    &WIDE_ADDER,
    wide_loads,
);

/// The exact-sum ladder.
pub static LADDER: ladder::Ladder<Sum, &'static Adder> =
    ladder::Ladder::new(&[&ONE_INVOCATION, &TREE, &SEQUENTIAL, &MANY_PER_INVOCATION, &WIDE_LOADS]);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::column::Collect;
    use lesson_memory::totals::Rows;

    fn column(buckets: &[usize]) -> Column {
        let mut collect = Collect::default();
        for (user, &len) in buckets.iter().enumerate() {
            for m in 0..len {
                collect.add_small(user as i64, false, m as u64, 0);
            }
        }
        collect.into_column()
    }

    /// Every value of every bucket in exactly one piece of its own bucket, every upload
    /// within the budget and starting at an even index, pieces within their upload.
    fn check(column: &Column, split: Split, budget: usize) {
        let mut covered = vec![0; column.values().len()];
        for batch in batches(column, split, budget) {
            assert!(batch.values.len() <= budget, "{batch:?} over {budget}");
            assert_eq!(batch.values.start % 2, 0);
            assert_eq!(batch.values.end % 2, 0);
            for (&[start, end], &owner) in batch.pieces.iter().zip(&batch.owners) {
                let (start, end) =
                    (batch.values.start + start as usize, batch.values.start + end as usize);
                assert!(start < end && end <= batch.values.end);
                let bucket = &column.buckets()[owner].range;
                assert!(bucket.start <= start && end <= bucket.end);
                if let Split::Pieces(size) = split {
                    assert!(end - start <= size);
                }
                covered[start..end].iter_mut().for_each(|c| *c += 1);
            }
        }
        for bucket in column.buckets() {
            assert!(covered[bucket.range.clone()].iter().all(|&c| c == 1), "{covered:?}");
        }
    }

    #[test]
    fn batches_cover_every_value_once() {
        let column = column(&[1, 0, 7, 3, 256, 257, 2, 1000]);
        for split in [Split::Serial, Split::Pieces(1), Split::Pieces(3), Split::Pieces(256)] {
            for budget in [4, 6, 10, 64, 1 << 20] {
                check(&column, split, budget);
            }
        }
    }

    #[test]
    fn an_empty_column_needs_no_batch() {
        assert_eq!(batches(&Column::default(), Split::Pieces(8), 64), []);
    }

    #[test]
    fn grids_are_rows_of_at_most_the_limit() {
        assert_eq!(grid(0, 65_535), [1, 0, 1]);
        assert_eq!(grid(10, 65_535), [10, 1, 1]);
        assert_eq!(grid(65_536, 65_535), [65_535, 2, 1]);
    }
}
