"""Checksums of 32 blocks of generated numbers, computed by a pool of four workers.

Run it as `python3 checksums.py`: it prints the checksum of all the blocks together.
"""

from concurrent.futures import ThreadPoolExecutor

BLOCKS = 32
NUMBERS_PER_BLOCK = 300_000


def checksum(block):
    """The sum, modulo 2**61 - 1, of a block of numbers from a linear congruential generator."""
    total, x = 0, block
    for _ in range(NUMBERS_PER_BLOCK):
        x = (x * 6364136223846793005 + 1442695040888963407) % 2**64
        total = (total + (x >> 33)) % (2**61 - 1)
    return total


with ThreadPoolExecutor(max_workers=4) as workers:
    checksums = list(workers.map(checksum, range(BLOCKS)))
print(sum(checksums) % (2**61 - 1))
