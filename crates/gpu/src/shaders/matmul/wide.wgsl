// Wide loads: register-2d's blocks and tiles, with every value moved four at a time. Device
// memory is read as `vec4<real>`, one 16-byte (f32) or 32-byte (f64) load where register-2d
// issued four, and the workgroup's block of `a` is stored transposed, so that an invocation's
// TM values of one column of `a` lie side by side and come out of workgroup memory as vectors
// too, as its TN values of a row of `b` do. The multiply-adds are vector operations, four
// lanes at a time.
//
// Rows are read whole vectors at a time, so `k` and `n` must be multiples of 4: the host pads
// `a`, `b` and `c` with zero columns (and `b` with zero rows) to the next multiple, which adds
// only exact zeros to every sum, and drops the padding from `c` on the way back. For the same
// reason BM, BN, BK, TM and TN are multiples of 4.

struct Dims {
    m: u32,
    k: u32,
    n: u32,
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> a: array<vec4<real>>;
@group(0) @binding(2) var<storage, read> b: array<vec4<real>>;
@group(0) @binding(3) var<storage, read_write> c: array<vec4<real>>;

const THREADS = (BM / TM) * (BN / TN);

var<workgroup> a_block: array<array<vec4<real>, BM / 4>, BK>; // a_block[q][r] = a[4r..4r+4][q]
var<workgroup> b_block: array<array<vec4<real>, BN / 4>, BK>; // b_block[q][s] = b[q][4s..4s+4]

// ANCHOR: wide
@compute @workgroup_size(THREADS)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(local_invocation_index) t: u32,
) {
    let row0 = group.y * BM;
    let col0 = group.x * BN;
    let ti = (t / (BN / TN)) * TM;
    let tj = (t % (BN / TN)) * TN;
    var acc: array<array<vec4<real>, TN / 4>, TM>; // zeros
    for (var p0 = 0u; p0 < dims.k; p0 += BK) {
        // Four values of a row of `a` per load, scattered into four rows of the transposed block.
        for (var e = t; e < BM * BK / 4; e += THREADS) {
            let i = e / (BK / 4);
            let p = (e % (BK / 4)) * 4;
            var value = vec4<real>();
            if row0 + i < dims.m && p0 + p < dims.k {
                value = a[((row0 + i) * dims.k + p0 + p) / 4];
            }
            for (var l = 0u; l < 4u; l++) {
                a_block[p + l][i / 4][i % 4] = value[l];
            }
        }
        // Four values of a row of `b` per load, stored as they are.
        for (var e = t; e < BK * BN / 4; e += THREADS) {
            let p = e / (BN / 4);
            let s = e % (BN / 4);
            var value = vec4<real>();
            if p0 + p < dims.k && col0 + 4 * s < dims.n {
                value = b[((p0 + p) * dims.n + col0) / 4 + s];
            }
            b_block[p][s] = value;
        }
        workgroupBarrier();
        for (var q = 0u; q < BK; q++) {
            var a_col: array<vec4<real>, TM / 4>;
            for (var x = 0u; x < TM / 4; x++) {
                a_col[x] = a_block[q][ti / 4 + x];
            }
            var b_row: array<vec4<real>, TN / 4>;
            for (var y = 0u; y < TN / 4; y++) {
                b_row[y] = b_block[q][tj / 4 + y];
            }
            for (var x = 0u; x < TM; x++) {
                let a_value = a_col[x / 4][x % 4];
                for (var y = 0u; y < TN / 4; y++) {
                    acc[x][y] += a_value * b_row[y];
                }
            }
        }
        workgroupBarrier();
    }
    for (var x = 0u; x < TM; x++) {
        let i = row0 + ti + x;
        for (var y = 0u; y < TN / 4; y++) {
            let j = col0 + tj + 4 * y;
            if i < dims.m && j < dims.n {
                c[(i * dims.n + j) / 4] = acc[x][y];
            }
        }
    }
}
// ANCHOR_END: wide
