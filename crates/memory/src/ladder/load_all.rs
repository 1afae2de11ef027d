//! Rung 1: load every row, then sum, as `pd.read_csv(path)` followed by `.sum()` does.

use std::path::Path;

use super::Options;
use super::csv_rows::Rows;
use crate::error::Error;
use crate::exact::Decimal;
use crate::totals::Totals;

// ANCHOR: load_all
/// Reads the whole file into a table, then sums it. The table needs 24 bytes a row, like
/// pandas' three 8-byte columns: a 10-million-row file needs 240 MB before the sum starts.
pub fn load_all(path: &Path, _: &Options) -> Result<Totals, Error> {
    let mut rows = Rows::open(path)?;
    let mut table: Vec<(i64, Decimal)> = Vec::new();
    while let Some(row) = rows.next_row()? {
        table.push(row);
    }
    let mut totals = Totals::default();
    for (user, value) in &table {
        totals.add(*user, value);
    }
    Ok(totals)
}
// ANCHOR_END: load_all
