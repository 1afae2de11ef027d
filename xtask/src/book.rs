//! `cargo xtask book`: build or serve the mdBook, installing mdbook and its link checker.

use anyhow::Result;

use crate::shell::{CargoTool, root, run};

const MDBOOK: CargoTool = CargoTool {
    krate: "mdbook",
    version: "^0.5.4",
    binary: "mdbook",
    accept: |v| v.starts_with("mdbook v0.5."),
};

const LINKCHECK: CargoTool = CargoTool {
    krate: "mdbook-linkcheck2",
    version: "^0.13",
    binary: "mdbook-linkcheck2",
    accept: |v| v.contains(" 0.13."),
};

/// Builds the book into `book/book/html` (links checked by the `linkcheck2` renderer), or serves
/// it with live reload.
pub fn run_book(serve: bool) -> Result<()> {
    MDBOOK.ensure()?;
    let book = root().join("book");
    if serve {
        // Serving renders HTML only; `cargo xtask book` checks the links.
        eprintln!("serving the book on http://localhost:3000 (Ctrl-C to stop)");
        return run(std::process::Command::new("mdbook").arg("serve").arg(&book));
    }
    LINKCHECK.ensure()?;
    run(std::process::Command::new("mdbook").arg("build").arg(&book))?;
    eprintln!("the book is in {}", book.join("book/html/index.html").display());
    Ok(())
}
