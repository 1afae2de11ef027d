// Register tiles: a workgroup computes a BM × BN block of `c`, and each of its invocations a
// TM × TN tile of that block, in registers. For each step of BK along `k`, the workgroup loads a
// BM × BK block of `a` and a BK × BN block of `b` into its memory, every invocation loading a
// few values (neighbouring invocations, neighbouring values); then each invocation reads TM
// values of `a` and TN of `b` from there and does TM · TN multiply-adds with them. With
// TN = 1 it is a column of TM elements per invocation; with TM = TN = 4, sixteen products for
// eight reads.

const THREADS = (BM / TM) * (BN / TN);

var<workgroup> a_block: array<array<real, BK>, BM>;
var<workgroup> b_block: array<array<real, BN>, BK>;

// ANCHOR: register
@compute @workgroup_size(THREADS)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) t: u32,
) {
    let row0 = group.y * BM; // the block's first row and column in c
    let col0 = group.x * BN;
    let ti = (t / (BN / TN)) * TM; // this invocation's tile within the block
    let tj = (t % (BN / TN)) * TN;
    var acc: array<array<real, TN>, TM>; // zeros
    for (var p0 = 0u; p0 < dims.k; p0 += BK) {
        // Load both blocks, zeros outside the matrices.
        for (var e = t; e < BM * BK; e += THREADS) {
            let i = row0 + e / BK;
            let p = p0 + e % BK;
            var value = real(0);
            if i < dims.m && p < dims.k {
                value = a[i * dims.k + p];
            }
            a_block[e / BK][e % BK] = value;
        }
        for (var e = t; e < BK * BN; e += THREADS) {
            let p = p0 + e / BN;
            let j = col0 + e % BN;
            var value = real(0);
            if p < dims.k && j < dims.n {
                value = b[p * dims.n + j];
            }
            b_block[e / BN][e % BN] = value;
        }
        workgroupBarrier();
        for (var q = 0u; q < BK; q++) {
            var a_col: array<real, TM>;
            for (var x = 0u; x < TM; x++) {
                a_col[x] = a_block[ti + x][q];
            }
            var b_row: array<real, TN>;
            for (var y = 0u; y < TN; y++) {
                b_row[y] = b_block[q][tj + y];
            }
            for (var x = 0u; x < TM; x++) {
                for (var y = 0u; y < TN; y++) {
                    acc[x][y] += a_col[x] * b_row[y];
                }
            }
        }
        workgroupBarrier();
    }
    for (var x = 0u; x < TM; x++) {
        for (var y = 0u; y < TN; y++) {
            let i = row0 + ti + x;
            let j = col0 + tj + y;
            if i < dims.m && j < dims.n {
                c[i * dims.n + j] = acc[x][y];
            }
        }
    }
}
// ANCHOR_END: register
