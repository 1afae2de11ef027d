//! The device's ceilings are measured, on whatever GPU this machine has: every rate positive
//! and finite, and every transfer's bytes back as they went up (checked inside).

use std::time::Duration;

use lesson_gpu::ceilings::{TRANSFER_BYTES, measure};
use lesson_gpu::kit;

#[test]
fn every_ceiling_is_measured() {
    let Some(gpu) = kit::gpu() else { return };
    let ceilings = measure(&gpu, Duration::from_millis(20)).expect("the ceilings");
    let rates = [ceilings.fma_f32_flops_per_s, ceilings.read_bytes_per_s]
        .into_iter()
        .chain(ceilings.fma_f64_flops_per_s)
        .chain(
            ceilings.transfers.iter().flat_map(|t| [t.upload_bytes_per_s, t.download_bytes_per_s]),
        );
    for rate in rates {
        assert!(rate.is_finite() && rate > 0.0, "{ceilings:?}");
    }
    let sizes = TRANSFER_BYTES.iter().filter(|&&b| b <= gpu.facts().max_binding_bytes).count();
    assert_eq!(ceilings.transfers.len(), sizes);
    assert_eq!(ceilings.fma_f64_flops_per_s.is_some(), gpu.facts().f64);
}
