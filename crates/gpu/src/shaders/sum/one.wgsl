// One invocation adds up every piece, one value after another: the GPU used as one slow core.

@group(0) @binding(1) var<storage, read> values: array<vec2<u32>>;

// ANCHOR: one
@compute @workgroup_size(1)
fn main() {
    for (var p = 0u; p < arrayLength(&pieces); p++) {
        var sum = vec3(0u);
        for (var i = pieces[p].x; i < pieces[p].y; i++) {
            sum = add(sum, widen(values[i]));
        }
        store(p, sum);
    }
}
// ANCHOR_END: one
