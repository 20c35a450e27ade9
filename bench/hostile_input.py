#!/usr/bin/env python3
"""Peak memory and wall time of `hpaguard lint` on hostile input.

The unit tests (Tests/ManifestsTests/HostileInputTests.swift) assert what the loader says about each case; this
script measures what it costs, on the built binary, one fresh process per case.

    swift build -c release && bench/hostile_input.py [--binary .build/release/hpaguard] [--max-mib 256] [--max-seconds 10]

Inputs are generated into bench/out/hostile/ (ignored by git); peak RSS comes from GNU time. Exit status 1 when a case crosses a bound, crashes,
or exits with anything but 0 or 1.
"""
import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"  # GNU time (Debian package `time`)
SENTINEL = """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: sentinel}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 5
  maxReplicas: 2
"""


def wrap(hostile: bytes) -> bytes:
    return (SENTINEL + "---\n").encode() + hostile + b"\n---\n" + SENTINEL.encode()


def bomb(levels: int) -> bytes:
    lines = ["apiVersion: v1", "kind: ConfigMap", "metadata: {name: lol}", "data:",
             "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 10) + "]")
    return "\n".join(lines).encode()


def cases(out: Path):
    rng = random.Random(42)
    big_line = b"  k%08d: " + b"v" * 100 + b"\n"
    yield "alias-bomb-9", wrap(bomb(9))
    yield "alias-bomb-10", wrap(bomb(10))
    yield "flow-20000-deep", wrap(b"[" * 20000 + b"1" + b"]" * 20000)
    yield "flow-map-20000-deep", wrap(b"{a: " * 20000 + b"1" + b"}" * 20000)
    yield "block-20000-deep", wrap(b"- " * 20000 + b"x")
    yield "huge-scalar-10MiB", wrap(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {k: '" + b"x" * (10 << 20) + b"'}")
    yield "wide-mapping-15MiB", wrap(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: w}\ndata:\n"
                                     + b"".join(big_line % i for i in range(140_000)))
    yield "file-55MiB", wrap(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n"
                             + b"".join(big_line % i for i in range(520_000)))
    yield "invalid-utf8", wrap(b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"caf\xc3\x28\"}")
    yield "binary-1MiB", bytes(rng.getrandbits(8) for _ in range(1 << 20))
    yield "crlf", wrap(SENTINEL.encode()).replace(b"\n", b"\r\n")
    yield "bom", b"\xef\xbb\xbf" + wrap(SENTINEL.encode())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build/release/hpaguard"))
    parser.add_argument("--max-mib", type=float, default=256)
    parser.add_argument("--max-seconds", type=float, default=10)
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"no binary at {args.binary}: run `swift build -c release` first", file=sys.stderr)
        return 2
    if not os.access(TIME, os.X_OK):
        print(f"{TIME} is missing: apt-get install time", file=sys.stderr)
        return 2
    out = ROOT / "bench/out/hostile"
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    print(f"{'case':<22} {'MiB in':>8} {'seconds':>8} {'peak MiB':>9}  exit  first finding")
    for name, data in cases(out):
        path = out / f"{name}.yaml"
        path.write_bytes(data)
        size = len(data)
        del data
        start = time.monotonic()
        # GNU time forks the binary from its own small process, so the peak it reports is the binary's alone (a child
        # forked straight from this script would inherit the script's high-water mark, input buffers included).
        child = subprocess.run([TIME, "-f", "%M", "-o", str(out / "rss"), args.binary, "lint", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        elapsed = time.monotonic() - start
        stdout, stderr = child.stdout, child.stderr
        peak = int((out / "rss").read_text().split()[-1]) / 1024  # kilobytes
        status = child.returncode
        first = stdout.decode(errors="replace").splitlines()[0][:90] if stdout else stderr.decode(errors="replace")[:90]
        bad = status not in (0, 1) or elapsed > args.max_seconds or peak > args.max_mib
        failed |= bad
        print(f"{name:<22} {size / 2**20:8.1f} {elapsed:8.2f} {peak:9.1f}  {status:>4}  {first}{'  <-- FAIL' if bad else ''}")
        path.unlink()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
