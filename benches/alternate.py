#!/usr/bin/env python3
"""Times commands run alternately, A B C, C B A, A B C, ..., and prints
the median ratio of each round's time of every command to its time of A,
and of each command after B to the one before it.

On a machine whose speed drifts from second to second (a virtual machine,
a laptop's clock), two commands timed one after the other in separate
batches meet different conditions; run in alternation, the two halves of
a round meet nearly the same ones, and the median of the per-round ratios
is a steadier comparison than the ratio of two means.

    benches/alternate.py ROUNDS 'COMMAND A' 'COMMAND B' ['COMMAND C' ...]

Each command is split on whitespace (no shell), and its output is thrown
away. Two warm-up rounds are not counted.
"""

import os
import statistics
import subprocess
import sys
import time


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    names = [chr(ord("A") + i) for i in range(len(sys.argv) - 2)]
    commands = dict(zip(names, (c.split() for c in sys.argv[2:])))
    times = {name: [] for name in names}
    for n in range(rounds + 2):
        order = names if n % 2 == 0 else names[::-1]
        for name in order:
            took = timed(commands[name])
            if n >= 2:
                times[name].append(took)
    for name in names:
        q1, median, q3 = statistics.quantiles(times[name], n=4)
        shown = " ".join(os.path.basename(p) if "/" in p else p for p in commands[name])
        print(f"{name}: median {median:.1f} ms (quartiles {q1:.1f}–{q3:.1f}, fastest {min(times[name]):.1f})  {shown}")
    pairs = [("A", name) for name in names[1:]]
    pairs += [(before, name) for before, name in zip(names[1:], names[2:])]
    for base, name in pairs:
        ratios = [tb / ta for ta, tb in zip(times[base], times[name])]
        q1, median, q3 = statistics.quantiles(ratios, n=4)
        print(f"{name}/{base} per round, {rounds} rounds: median {median:.3f} (quartiles {q1:.3f}–{q3:.3f})")


if __name__ == "__main__":
    main()
