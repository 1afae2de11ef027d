//! Rung 2: a fixed number of rows at a time, like the seed's `read_csv(..., chunksize=n)` loop.

use std::path::Path;

use super::Options;
use super::csv_rows::Rows;
use crate::error::Error;
use crate::exact::Decimal;
use crate::totals::Totals;

// ANCHOR: chunked
/// Reads `rows_per_chunk` rows, sums them, adds that partial result to the running total,
/// and reuses the same chunk buffer for the next rows: memory no longer grows with the file.
pub fn chunked(path: &Path, options: &Options) -> Result<Totals, Error> {
    if options.rows_per_chunk == 0 {
        return Err(Error::Option("rows per chunk must be at least 1".into()));
    }
    let mut rows = Rows::open(path)?;
    let mut chunk: Vec<(i64, Decimal)> = Vec::with_capacity(options.rows_per_chunk);
    let mut totals = Totals::default();
    loop {
        chunk.clear();
        while chunk.len() < options.rows_per_chunk {
            let Some(row) = rows.next_row()? else { break };
            chunk.push(row);
        }
        if chunk.is_empty() {
            return Ok(totals);
        }
        let mut partial = Totals::default();
        for (user, value) in &chunk {
            partial.add(*user, value);
        }
        totals.merge(&partial); // exact, so merging partial sums changes nothing
    }
}
// ANCHOR_END: chunked
