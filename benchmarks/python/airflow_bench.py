"""Times Airflow 2's own XComObjectStorageBackend.serialize_value / deserialize_value on local files.

Run with the Airflow 2 venv's python (XCOM_TEST_AIRFLOW2_PYTHON, made by compat/setup-venvs.sh):

    python benchmarks/python/airflow_bench.py --runs 3 --codecs gzip,zstd,lz4 value-1.json value-64.json

Each VALUE file holds the JSON text the JVM benchmark uses (written by io.xcomhybrid.benchmarks.WriteValue); it is
loaded with json.load into the Python value that is pushed. The threshold is 64 KiB, so every value goes to an
object, as in EndToEnd. serialize_value = json.dumps + compress + write the file; deserialize_value = read +
decompress + json.loads. No metadata database is touched (the backend's storage contract is these two calls).
Airflow cannot use snappy (fsspec registers it without a suffix), so it is not measured here.
Prints a Markdown table: MB/s (10^6 bytes of JSON text per second) min / median / max over --runs runs after one
warm-up run, and the process's peak RSS (ru_maxrss, process-wide, monotonic).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import types


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--codecs", default="gzip,zstd,lz4")
    parser.add_argument("values", nargs="+")
    args = parser.parse_args()

    home = tempfile.mkdtemp(prefix="airflow-bench-home")
    objects = tempfile.mkdtemp(prefix="airflow-bench-objects")
    os.environ.update({
        "AIRFLOW_HOME": home,
        "AIRFLOW__CORE__XCOM_BACKEND": "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH": "file://" + objects,
        "AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD": "65536",
    })
    import json

    import airflow
    from airflow.models.xcom import XCom
    from airflow.providers.common.io.xcom import backend as backend_module

    if XCom is not backend_module.XComObjectStorageBackend:
        raise RuntimeError(f"[core] xcom_backend resolved to {XCom!r}")

    print(f"# Airflow {airflow.__version__}, Python {sys.version.split()[0]}, runs={args.runs}")
    print("| size | codec | operation | MB/s min / median / max | compressed bytes | peak RSS MiB (process) |")
    print("|---|---|---|---|---|---|")
    for path in args.values:
        with open(path, "rb") as f:
            text = f.read()
        value = json.loads(text)
        if json.dumps(value).encode() != text:
            raise RuntimeError(f"{path}: json.dumps of the loaded value differs from the file")
        size = len(text)
        label = f"{round(size / (1 << 20))} MiB"
        for codec in args.codecs.split(","):
            os.environ["AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION"] = codec
            for fn in ("_get_base_path", "_get_compression", "_get_threshold"):
                getattr(backend_module, fn).cache_clear()
            push, pull = [], []
            compressed = 0
            for run in range(args.runs + 1):
                start = time.perf_counter()
                stored = XCom.serialize_value(value, key="return_value", task_id="task", dag_id="bench_dag",
                                              run_id=f"large_{codec}_{run}", map_index=-1)
                pushed = time.perf_counter() - start
                reference = json.loads(stored)
                if not isinstance(reference, str) or not reference.startswith("file://"):
                    raise RuntimeError(f"not stored as an object: {stored[:200]!r}")
                object_path = XCom._get_full_path(reference)
                compressed = object_path.stat().st_size
                start = time.perf_counter()
                got = XCom.deserialize_value(types.SimpleNamespace(value=stored))
                pulled = time.perf_counter() - start
                if run == 0 and got != value:
                    raise RuntimeError("deserialize_value returned a different value")
                object_path.unlink()
                if run > 0:
                    push.append(size / 1e6 / pushed)
                    pull.append(size / 1e6 / pulled)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            for name, figures in (("serialize_value (push)", push), ("deserialize_value (pull -> value)", pull)):
                print(f"| {label} | {codec} | {name} | {min(figures):.1f} / {statistics.median(figures):.1f} / "
                      f"{max(figures):.1f} | {compressed} | {rss} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
