#!/usr/bin/env bash
# Prepares what a machine with a GPU but no Rust toolchain needs to measure this lesson: the
# `gpu` binary, built here in release and stripped of its debug information, and the Vulkan
# loader it opens at run time, both under target/device (what `run.sh` expects, at most a few
# tens of MiB to carry).
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build --release --package lesson-gpu --bin gpu
mkdir -p target/device
objcopy --strip-debug target/release/gpu target/device/gpu
loader=$(ldconfig -p | awk '/libvulkan\.so\.1 / { print $NF; exit }')
if [ -z "$loader" ]; then
    echo "no libvulkan.so.1 here: apt-get install libvulkan1" >&2
    exit 1
fi
cp -L "$loader" target/device/libvulkan.so.1
du -sh target/device
