//! Fetching shards from a real server on loopback, one at a time or many in flight, gives the
//! manifest's exact totals; a shard the server does not have is a clear error; and the server
//! sees the requests in flight the client keeps. The checks are the lesson's kit.

use lesson_io::kit;
use lesson_io::latency::fetch_all;

#[test]
fn any_number_in_flight_gives_the_same_totals() {
    kit::fetches_the_manifests_totals("fetch_all", fetch_all);
}

#[test]
fn the_server_sees_the_requests_in_flight_and_the_check_notices_one_at_a_time() {
    kit::keeps_requests_in_flight("fetch_all", fetch_all);
    let one_at_a_time =
        || kit::keeps_requests_in_flight("one at a time", |s, c, _| fetch_all(s, c, 1));
    assert!(std::panic::catch_unwind(one_at_a_time).is_err(), "one request at a time");
}
