"""How many times a log file reports an error.

Run it as `python3 scan.py FILE`: it prints how many times `ERROR` appears in FILE.
"""

import sys

errors, tail = 0, b""
with open(sys.argv[1], "rb") as log:
    while block := log.read(1 << 20):
        # The last four bytes of the block before: an ERROR cut in two is counted once.
        errors += (tail + block).count(b"ERROR")
        tail = block[-4:]
print(errors, "errors")
