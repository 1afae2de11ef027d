//! Where the time goes: the `mmap` rung's work cut into stages that can be timed apart.
//!
//! Each stage does a little more of the rung's work than the one before, on the same mapped
//! file: bring every page in, find every line end, parse every row without adding it, and
//! finally the rung itself ([`WHOLE`]). The differences between their times are the cost of
//! each stage: how much is reading, how much is parsing, how much is summing.

use std::hint::black_box;
use std::path::Path;

use crate::error::Error;
use crate::fast::{digits_one_at_a_time, ordinary_row};
use crate::ladder::{MMAP, Rung, header_at_eof, mmap_bytes};

/// One stage: a part of the rung's work, timed on its own.
pub struct Stage {
    /// Its name, in tables and benchmark ids.
    pub name: &'static str,
    /// What it does beyond the stage before.
    pub adds: &'static str,
    /// Does the work up to this stage; returns a count nothing can skip computing.
    pub run: fn(&Path) -> Result<u64, Error>,
}

/// The stages, each doing all the work of the one before and more.
pub static STAGES: &[Stage] = &[
    Stage {
        name: "touch-pages",
        adds: "map the file and bring every page into memory",
        run: touch_pages,
    },
    Stage {
        name: "find-lines",
        adds: "also look at every byte for line ends (memchr)",
        run: count_lines,
    },
    Stage {
        name: "parse",
        adds: "also parse every row's user and value, adding nothing up",
        run: parse_without_summing,
    },
];

/// The rung the stages cut apart: its own time is the last stage.
pub static WHOLE: &Rung = &MMAP;

/// What [`WHOLE`] adds to the last stage.
pub const WHOLE_ADDS: &str = "also add each value to the exact per-user sums";

/// Stage 1, reading: maps the file and touches one byte per 4 KiB page, so the kernel maps
/// every page in. Returns the bytes' sum.
pub fn touch_pages(path: &Path) -> Result<u64, Error> {
    let map = mmap_bytes(path)?;
    Ok(map.iter().step_by(4096).map(|&b| u64::from(b)).sum())
}

/// Stage 2, finding rows: also looks at every byte for line ends (memchr, SIMD).
pub fn count_lines(path: &Path) -> Result<u64, Error> {
    let map = mmap_bytes(path)?;
    Ok(memchr::memchr_iter(b'\n', &map).count() as u64)
}

/// Stage 3, parsing: reads every ordinary row's user and value but adds nothing up. The rare
/// row the fast path leaves to the careful one (a value such as `1.5e-05`, one in a million
/// here) is stepped over, not parsed. Returns how many rows it went through.
pub fn parse_without_summing(path: &Path) -> Result<u64, Error> {
    let map = mmap_bytes(path)?;
    let (parser, header_len) = header_at_eof(&map, path)?;
    let (has_index, bytes) = (parser.layout().has_index, &map[header_len..]);
    let (mut pos, mut rows) = (0, 0);
    while pos < bytes.len() {
        match ordinary_row(&bytes[pos..], has_index, digits_one_at_a_time) {
            Some(row) => {
                black_box((row.user, row.negative, row.magnitude, row.scale));
                pos += row.len;
            }
            None => {
                pos += memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len() - pos, |n| n + 1)
            }
        }
        rows += 1;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_see_every_row() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("t.csv");
        std::fs::write(&path, ",user,transaction_value\n0,1,1.5\n1,2,1.5e-05\n2,3,2.5")
            .expect("write");
        assert_eq!(count_lines(&path).expect("read"), 3);
        assert_eq!(parse_without_summing(&path).expect("read"), 3);
        assert_eq!(touch_pages(&path).expect("read"), u64::from(b','));
    }
}
