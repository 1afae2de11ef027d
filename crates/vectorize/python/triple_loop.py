# The seed notebook's matrix product in pure Python: three nested loops over lists of rows.
# Prints the best of three runs, in seconds, for two random n×n matrices (n, the argument).
import random, sys, time

n = int(sys.argv[1])
A = [[random.random() for _ in range(n)] for _ in range(n)]
B = [[random.random() for _ in range(n)] for _ in range(n)]
best = float("inf")
for _ in range(3):
    C = [[0.0] * n for _ in range(n)]
    start = time.perf_counter()
    for i in range(n):
        for j in range(n):
            for k in range(n):
                C[i][j] += A[i][k] * B[k][j]
    best = min(best, time.perf_counter() - start)
print(best)
