# The numbers below n added one at a time, the loop as a learner writes it in Python.
import sys

n = int(sys.argv[1])
# ANCHOR: add
s = 0
for i in range(n):
    s += i
# ANCHOR_END: add
