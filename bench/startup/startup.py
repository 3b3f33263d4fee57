#!/usr/bin/env python3
"""Start-up benchmark, run by hand through run.sh (not a test): for each server command, the time from process start
to its first 200 answer, and its resident set size (VmRSS) once idle, over ROUNDS rounds that alternate the order.

    startup.py ROUNDS NAME=PORT=COMMAND... (COMMAND is split on spaces; the port is where it answers GET /test)

Prints one line per start and, per server, the median start time and median idle RSS, then each server's ratio to the
last one named (the baseline): start time and RSS, lower is better.
"""
import http.client
import os
import signal
import statistics
import subprocess
import sys
import time

TARGET = "/test?b=12&a=Paris"
IDLE_SECONDS = 2.0     # after the first answer, before RSS is read: let start-up work (JIT, GC) settle
START_BOUND = 30.0


def first_answer(port, started):
    last = None
    while time.monotonic() - started < START_BOUND:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", TARGET)
            if connection.getresponse().status == 200:
                return time.monotonic() - started
        except OSError as error:
            last = error
        finally:
            connection.close()
        time.sleep(0.002)
    raise RuntimeError(f"no answer on port {port} within {START_BOUND} s (last: {last!r})")


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(command, port):
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        seconds = first_answer(port, started)
        time.sleep(IDLE_SECONDS)
        return seconds, rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    rounds = int(sys.argv[1])
    servers = []
    for spec in sys.argv[2:]:
        name, port, command = spec.split("=", 2)
        servers.append((name, int(port), command.split()))
    results = {name: [] for name, _, _ in servers}
    for round_index in range(rounds):
        order = servers[round_index % len(servers):] + servers[:round_index % len(servers)]
        for name, port, command in order:
            seconds, rss = measure(command, port)
            results[name].append((seconds, rss))
            print(f"round {round_index + 1}  {name:10} first answer {seconds * 1000:6.0f} ms   idle RSS {rss:6.1f} MB", flush=True)
    print()
    medians = {}
    for name, runs in results.items():
        medians[name] = (statistics.median(s for s, _ in runs), statistics.median(r for _, r in runs))
        times = [s * 1000 for s, _ in runs]
        print(f"{name:10} first answer median {medians[name][0] * 1000:6.0f} ms (range {min(times):.0f}-{max(times):.0f})"
              f"   idle RSS median {medians[name][1]:6.1f} MB")
    baseline = servers[-1][0]
    print()
    for name in results:
        if name == baseline:
            continue
        print(f"{name}/{baseline}: start time {medians[name][0] / medians[baseline][0]:.2f}, "
              f"idle RSS {medians[name][1] / medians[baseline][1]:.2f}  (target: <= 1.00 both)")


if __name__ == "__main__":
    main()
