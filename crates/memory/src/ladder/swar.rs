//! Rung 5: the mapped file again, with each value's digits read eight at a time.

use std::path::Path;

use super::Options;
use super::mmap::{map, parse_mapped};
use crate::error::Error;
use crate::fast::Digits;
use crate::totals::Totals;

// ANCHOR: swar_rung
/// The `mmap` rung with one change: runs of digits are read by
/// [`crate::fast::digits_eight_at_a_time`], eight bytes per step instead of one.
pub fn swar(path: &Path, _: &Options) -> Result<Totals, Error> {
    let map = map(path)?;
    parse_mapped(&map, path, Digits::EightAtATime)
}
// ANCHOR_END: swar_rung
