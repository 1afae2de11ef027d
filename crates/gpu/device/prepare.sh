#!/usr/bin/env bash
# Prepares what a machine with a GPU but no Rust toolchain needs to measure this lesson: the
# `gpu` binary, built here in release and stripped of its debug information, and the Vulkan
# loader it opens at run time, both under target/device (what `run.sh` expects, at most a few
# tens of MiB to carry), with what the record says of the build.
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
# What the record says of the build, since the machine that measures cannot tell: the compiler
# and the commit (dirty if the code differs from it; the book's records do not count).
{
    echo "rustc: $(rustc --version)"
    dirty=$(git status --porcelain --untracked-files=no -- . ':!book/src/generated')
    echo "commit: $(git rev-parse --short HEAD)${dirty:+-dirty}"
} > target/device/build.txt
du -sh target/device
