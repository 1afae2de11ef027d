"""The distinct lines of a file, counted in the order they first appear.

Run it as `python3 dedupe.py FILE`: it prints how many distinct lines FILE has.
"""

import sys

first_seen = {}
with open(sys.argv[1]) as lines:
    for number, line in enumerate(lines):
        first_seen.setdefault(line, number)
print(len(first_seen), "distinct lines")
