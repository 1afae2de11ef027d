//! Fetching shards from a real server on loopback, one at a time or many in flight, gives the
//! manifest's exact totals; a shard the server does not have is a clear error.

use std::time::Duration;

use lesson_io::Error;
use lesson_io::latency::{Server, fetch_all};
use lesson_memory::dataset::{Spec, generate};

#[test]
fn any_number_in_flight_gives_the_same_totals() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = generate(&Spec { rows: 6_000, seed: 11, shards: 12 }, dir.path(), &|_| {})
        .expect("generate");
    let files = manifest.paths(dir.path());
    let server = Server::start(files, Duration::from_millis(5)).expect("a loopback server");
    for in_flight in [1, 4, 64] {
        let totals = fetch_all(server.addr(), 12, in_flight).expect("fetches");
        assert_eq!(totals.summary(), manifest.expected, "{in_flight} in flight");
    }
    let error = fetch_all(server.addr(), 13, 4).expect_err("there is no shard 12");
    assert!(matches!(error, Error::Fetch { index: 12, .. }), "{error}");
    assert!(error.to_string().starts_with("fetching shard 12 from 127.0.0.1:"), "{error}");
}
