# The seed notebook's two pandas programs, timed on one file: `full` reads the whole file and
# sums it; `chunked` is the notebook's loop over chunks. Best of three runs, each program in its
# own process (the second argument) so that the peak memory it reports is its own.
import json, resource, sys, time

import pandas as pd

path, program = sys.argv[1], sys.argv[2]


def full():
    return float(pd.read_csv(path)["transaction_value"].sum())


def chunked():
    total = 0.0
    for chunk in pd.read_csv(path, chunksize=100_000):
        total += chunk["transaction_value"].sum()
    return float(total)


name, job = {
    "full": ("read_csv().sum()", full),
    "chunked": ("chunked loop (the seed)", chunked),
}[program]
best = None
for _ in range(3):
    start = time.perf_counter()
    total = job()
    seconds = time.perf_counter() - start
    best = seconds if best is None else min(best, seconds)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
name = f"pandas {pd.__version__}: {name}"
print(json.dumps({"name": name, "seconds": best, "peak_rss_bytes": peak, "total": total}))
