#!/usr/bin/env bash
# Measures this lesson on a machine with a GPU, from what `prepare.sh` left under target/device:
# the device's facts, then everything `cargo xtask bench` records (`gpu bench`), and the host's
# facts beside them, all written under $OUT (default: target/device/out), for
# `cargo xtask import-gpu` to make the lesson's record of. Run from the repository root; the data
# is made there from the seed, nothing is downloaded. `--quick` measures small sizes only (a
# rehearsal).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=${OUT:-target/device/out}
quick=false
case "${1:-}" in
    --quick) quick=true ;;
    "") ;;
    *) echo "usage: run.sh [--quick]" >&2; exit 2 ;;
esac
mkdir -p "$out"
# The loader carried, if the machine has none of its own; the NVIDIA driver's Vulkan ICD.
if ! ldconfig -p | grep -q 'libvulkan\.so\.1 '; then
    export LD_LIBRARY_PATH="$PWD/target/device${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
for icd in /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json \
    /usr/share/vulkan/icd.d/nvidia_icd.x86_64.json; do
    if [ -f "$icd" ]; then
        export VK_DRIVER_FILES="$icd"
        break
    fi
done
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
{
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
    echo "cores: $(nproc)"
    echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
    echo "icd: ${VK_DRIVER_FILES:-none found}"
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "quick: $quick"
    cat target/device/build.txt
    nvidia-smi --query-gpu=name,driver_version,memory.total,pcie.link.gen.max,pcie.link.width.max \
        --format=csv 2>&1 || true
} > "$out/host.txt"
target/device/gpu device --json > "$out/device.json" 2> "$out/device.err"
target/device/gpu bench $([ "$quick" = true ] && echo --quick) > "$out/gpu-measured.json" 2> "$out/bench.err"
cat "$out/host.txt"
tail -3 "$out/bench.err"
