//! `cargo xtask data`: make the transactions datasets (see `lesson_memory::dataset`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use lesson_memory::dataset::{Manifest, Spec, generate, rows_label};

use crate::shell::root;

/// Where datasets live.
pub fn data_dir() -> PathBuf {
    root().join("data")
}

/// Makes the dataset `spec` in [`data_dir`] unless a complete copy is already there; returns its
/// folder and manifest.
pub fn ensure(spec: &Spec) -> Result<(PathBuf, Manifest)> {
    ensure_in(spec, &data_dir())
}

/// The same in the folder `datasets`.
pub fn ensure_in(spec: &Spec, datasets: &Path) -> Result<(PathBuf, Manifest)> {
    let dir = datasets.join(spec.dir_name());
    if let Ok(manifest) = Manifest::load(&dir)
        && manifest.is_complete(&dir, spec)
    {
        return Ok((dir, manifest));
    }
    let bar = ProgressBar::new(spec.rows).with_style(
        ProgressStyle::with_template(
            "{msg} [{bar:40}] {human_pos}/{human_len} rows, {per_sec}, {eta} left",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar.set_message(format!("writing {}", spec.dir_name()));
    let start = Instant::now();
    // Ctrl-C stops the generation between two blocks, and the partial file goes with it.
    let interruptible = ladder::interrupt::Interruptible::new()?;
    let written = generate(spec, &dir, &|rows| bar.set_position(rows));
    drop(interruptible);
    let manifest = match written {
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
            bar.abandon();
            bail!("interrupted: {} is left without its partial file", dir.display());
        }
        other => other.with_context(|| format!("cannot write the dataset in {}", dir.display()))?,
    };
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    eprintln!(
        "wrote {} ({} rows, {:.0} MB) in {seconds:.1} s: {:.0} MB/s",
        dir.display(),
        rows_label(spec.rows),
        manifest.bytes as f64 / 1e6,
        manifest.bytes as f64 / 1e6 / seconds
    );
    Ok((dir, manifest))
}
