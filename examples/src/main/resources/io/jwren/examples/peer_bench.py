"""The peer side of jwren's `bench --peers`: one library (Dask distributed, Ray or Lithops' localhost
backend) started once with 2 worker processes, then the bench's workloads on request.

Run with the peer's venv python: `python peer_bench.py --peer dask --workers 2`. It reads one JSON command
per line on stdin and answers one JSON line on stdout: first {"ready": ..., "startup_s": ...} once the
cluster is up, then one answer per command. Everything the libraries print goes to stderr, so stdout
carries the protocol only. Timings start at submit and end with every result in the driver's hands.
"""
import argparse
import faulthandler
import json
import math
import os
import signal
import sys
import time

import numpy as np


# ---- what the workers run (defined at module level so each library ships it the same way)

def noop(x):
    return x


def count_inside(seed, slice_no, n):
    """Draws n points in the unit square (numpy, in blocks of 2^20) and counts those inside the quarter-circle."""
    rng = np.random.default_rng([seed, slice_no])
    inside = 0
    left = n
    while left > 0:
        m = min(left, 1 << 20)
        x = rng.random(m)
        y = rng.random(m)
        inside += int(np.count_nonzero(x * x + y * y <= 1.0))
        left -= m
    return inside


def matvec(n, b, seed, index):
    """PyWren's matvec call with numpy: an n×n normal matrix scaled by b times a vector of ones; the norm."""
    rng = np.random.default_rng([seed, index])
    a = b * rng.standard_normal((n, n))
    x = np.ones(n)
    y = a @ x
    return float(np.linalg.norm(y))


# ---- one class per peer: start, and the ways it runs a list of calls

class Dask:
    name = "dask"

    def __init__(self, workers):
        from dask.distributed import Client, LocalCluster
        self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                    dashboard_address=None)
        self.client = Client(self.cluster)

    def map_defaults(self, fn, items):
        import dask.bag as db
        return db.from_sequence(items).map(fn).compute()

    forms = {"defaults": "dask.bag.from_sequence(inputs).map(f).compute() (default partitioning)",
             "chunk1": "client.gather(client.map(f, inputs, pure=False))"}

    def map_one_task_each(self, fn, items, *args):
        futures = self.client.map(fn, items, *args, pure=False)
        return self.client.gather(futures)

    def call(self, fn, *args):
        return self.client.submit(fn, *args, pure=False).result()

    def close(self):
        self.client.close()
        self.cluster.close()


class Ray:
    name = "ray"

    def __init__(self, workers):
        import ray
        self.ray = ray
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        self.remotes = {}

    def remote(self, fn):
        if fn not in self.remotes:
            self.remotes[fn] = self.ray.remote(fn)
        return self.remotes[fn]

    forms = {"defaults": "ray.get([f.remote(x) for x in inputs])",
             "chunk1": "ray.get([f.remote(x) for x in inputs]) (Ray tasks are one call each)"}

    def map_defaults(self, fn, items):
        return self.map_one_task_each(fn, items)

    def map_one_task_each(self, fn, items, *args):
        f = self.remote(fn)
        columns = [items] + [list(a) for a in args]
        return self.ray.get([f.remote(*row) for row in zip(*columns)])

    def call(self, fn, *args):
        return self.ray.get(self.remote(fn).remote(*args))

    def close(self):
        self.ray.shutdown()


class Lithops:
    name = "lithops"

    def __init__(self, workers):
        import lithops
        config = {"lithops": {"backend": "localhost", "storage": "localhost", "log_level": "WARNING"},
                  "localhost": {"runtime": sys.executable, "worker_processes": workers}}
        self.fexec = lithops.FunctionExecutor(config=config)
        # The localhost backend starts its worker processes with the first job: keep that out of the figures.
        self.fexec.get_result(self.fexec.map(noop, range(workers)))

    forms = {"defaults": "fexec.get_result(fexec.map(f, inputs)) (default chunksize)",
             "chunk1": "fexec.get_result(fexec.map(f, inputs, chunksize=1))"}

    def result(self, futures, timeout_s=300):
        # A stuck job (seen: a call_async after a few maps never finishing) fails the figure instead of the run.
        return self.fexec.get_result(futures, timeout=timeout_s)

    def map_defaults(self, fn, items):
        return self.result(self.fexec.map(fn, list(items)))

    def map_one_task_each(self, fn, items, *args):
        columns = [items] + [list(a) for a in args]
        return self.result(self.fexec.map(fn, [tuple(row) for row in zip(*columns)], chunksize=1))

    def call(self, fn, *args):
        return self.result(self.fexec.call_async(fn, args), timeout_s=30)

    def close(self):
        self.fexec.clean()


PEERS = {"dask": Dask, "ray": Ray, "lithops": Lithops}


# ---- the workloads

def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def scaled(run, wanted, budget_s):
    """Warms up with 10, 100, 1000... calls until a run takes a second or reaches `wanted`; when `wanted` calls
    would take over budget_s at the rate seen, runs fewer (a multiple of 10). Returns (calls run, seconds)."""
    probe = min(10, wanted)
    while True:
        _, seconds = timed(lambda: run(probe))
        if seconds >= 1 or probe >= wanted:
            break
        probe = min(wanted, probe * 10)
    calls = wanted
    if seconds * wanted / probe > budget_s:
        calls = max(10, int(budget_s * probe / seconds) // 10 * 10)
    _, seconds = timed(lambda: run(calls))
    return calls, seconds


def noop_calls(peer, how, cmd):
    def run(n):
        items = list(range(n))
        out = peer.map_defaults(noop, items) if how == "defaults" else peer.map_one_task_each(noop, items)
        if list(out) != items:
            raise AssertionError(f"{peer.name} {how}: wrong results")
    calls, seconds = scaled(run, cmd["calls"], cmd["budget_s"])
    return {"calls": calls, "seconds": seconds, "form": peer.forms[how]}


def round_trips(peer, cmd):
    times = []
    deadline = time.perf_counter() + cmd["budget_s"]
    peer.call(noop, -1)
    for i in range(cmd["count"]):
        start = time.perf_counter()
        if peer.call(noop, i) != i:
            raise AssertionError(f"{peer.name}: wrong round-trip result")
        times.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() > deadline:
            break
    times.sort()
    pick = lambda q: times[min(len(times) - 1, math.ceil(q * len(times)) - 1)]
    return {"count": len(times), "p50_ms": pick(0.50), "p99_ms": pick(0.99)}


def montecarlo(peer, cmd):
    trials, slices, seed = cmd["trials"], cmd["slices"], cmd["seed"]
    sizes = [trials // slices + (1 if s < trials % slices else 0) for s in range(slices)]
    counts, seconds = timed(lambda: peer.map_one_task_each(count_inside, [seed] * slices, range(slices), sizes))
    return {"seconds": seconds, "pi": 4.0 * sum(counts) / trials}


def matvec_calls(peer, cmd):
    calls, size, seed = cmd["calls"], cmd["size"], cmd["seed"]
    scales = [0.1 + (100 - 0.1) * i / (calls - 1) for i in range(calls)]
    norms, seconds = timed(lambda: peer.map_one_task_each(matvec, [size] * calls, scales, [seed] * calls, range(calls)))
    # |A·1| / (b·n) is about 1 for normal entries
    check = sum(norm / (b * size) for norm, b in zip(norms, scales)) / calls
    return {"seconds": seconds, "check": check}


WORKLOADS = {
    "noop_defaults": lambda peer, cmd: noop_calls(peer, "defaults", cmd),
    "noop_chunk1": lambda peer, cmd: noop_calls(peer, "chunk1", cmd),
    "round_trip": round_trips,
    "montecarlo": montecarlo,
    "matvec": matvec_calls,
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--peer", required=True, choices=sorted(PEERS))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    # `kill -USR1 <pid>` prints every thread's stack to stderr: how to see where a peer hangs.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    # The protocol gets the real stdout; anything else written to fd 1 (by us, the libraries or their
    # child processes) lands on stderr.
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def answer(obj):
        protocol.write(json.dumps(obj) + "\n")
        protocol.flush()

    try:
        peer, startup = timed(lambda: PEERS[args.peer](args.workers))
    except Exception as e:
        answer({"error": f"cannot start {args.peer}: {type(e).__name__}: {e}"})
        return 1
    import importlib.metadata
    answer({"ready": True, "startup_s": startup,
            "version": importlib.metadata.version({"dask": "distributed"}.get(args.peer, args.peer)),
            "python": sys.version.split()[0], "numpy": np.__version__})
    try:
        for line in sys.stdin:
            cmd = json.loads(line)
            if cmd["workload"] == "quit":
                break
            try:
                answer(WORKLOADS[cmd["workload"]](peer, cmd))
            except Exception as e:
                answer({"error": f"{type(e).__name__}: {e}"})
    finally:
        peer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
