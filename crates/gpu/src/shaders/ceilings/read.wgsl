// Device-memory bandwidth: every workgroup reads one contiguous share of a large buffer, its
// invocations side by side, 16 bytes a load (neighbouring invocations, neighbouring addresses,
// as the fastest sum kernel reads), and mixes what it reads into one word: an exclusive or
// costs far less than a load. It stores only if the word is one the data never gives, so the
// reads are all the kernel does.

@group(0) @binding(0) var<storage, read> data: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

// ANCHOR: read
@compute @workgroup_size(WG)
fn main(
    @builtin(workgroup_id) group: vec3<u32>,
    @builtin(num_workgroups) groups: vec3<u32>,
    @builtin(local_invocation_index) t: u32,
) {
    let share = (arrayLength(&data) + groups.x - 1u) / groups.x;
    let start = group.x * share;
    let end = min(start + share, arrayLength(&data));
    var mixed = vec4(0u);
    for (var i = start + t; i < end; i += WG) {
        mixed ^= data[i];
    }
    let word = mixed.x ^ mixed.y ^ mixed.z ^ mixed.w;
    if word == 0xdeadbeefu {
        out[0] = word;
    }
}
// ANCHOR_END: read
