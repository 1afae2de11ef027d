// Device-memory bandwidth: every invocation reads its share of a large buffer, 16 bytes a
// load, neighbouring invocations neighbouring addresses, and mixes what it reads into one word
// (an exclusive or costs far less than a load). It stores only if the word is impossible, so
// the reads are all the kernel does.

@group(0) @binding(0) var<storage, read> data: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

// ANCHOR: read
@compute @workgroup_size(WG)
fn main(
    @builtin(global_invocation_id) id: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
) {
    let stride = groups.x * WG;
    var mixed = vec4(0u);
    for (var i = id.x; i < arrayLength(&data); i += stride) {
        mixed ^= data[i];
    }
    let word = mixed.x ^ mixed.y ^ mixed.z ^ mixed.w;
    if word == 0xdeadbeefu {
        out[0] = word;
    }
}
// ANCHOR_END: read
