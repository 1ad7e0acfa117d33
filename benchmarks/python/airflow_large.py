"""Times Airflow 2's XComObjectStorageBackend.serialize_value / deserialize_value on local files or S3 (MinIO), driven
by the JVM benchmark io.xcomhybrid.benchmarks.LargeValues so that Java and Airflow runs alternate in the same minutes.

Run with the Airflow 2 venv's python (XCOM_TEST_AIRFLOW2_PYTHON): ``python airflow_large.py serve``. Airflow is
configured through the environment, as a worker would be: the parent sets AIRFLOW_HOME, AIRFLOW__CORE__XCOM_BACKEND,
AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_THRESHOLD and, for S3, AIRFLOW_CONN_<ID> (an ``aws`` connection with
``endpoint_url`` in its extra: the amazon provider's s3fs filesystem then talks to MinIO). One JSON request per line
on stdin, one JSON response per line on stdout (Airflow's own output goes to stderr):

  load path                 -> size (json.load of the JVM's value file; checks json.dumps gives the same bytes)
  run path base codec run_id check -> push_s, pull_s, compressed, reference
                               (serialize_value = json.dumps + compress + write through fsspec/s3fs;
                                deserialize_value = read + decompress + json.loads; the object is removed after)
  unload                    -> {}

No metadata database is touched (the backend's storage contract is these two calls).
"""
from __future__ import annotations

import json
import os
import sys
import time
import traceback
import types


def main() -> int:
    real_stdout = sys.stdout
    sys.stdout = sys.stderr

    import importlib.metadata as md

    from airflow.models.xcom import XCom
    from airflow.providers.common.io.xcom import backend as backend_module

    if XCom is not backend_module.XComObjectStorageBackend:
        raise RuntimeError(f"[core] xcom_backend resolved to {XCom!r}")

    values = {}

    def configure(base, codec):
        os.environ["AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_PATH"] = base
        os.environ["AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_COMPRESSION"] = codec
        for fn in ("_get_base_path", "_get_compression", "_get_threshold"):
            getattr(backend_module, fn).cache_clear()

    def op_load(req):
        path = req["path"]
        with open(path, "rb") as f:
            text = f.read()
        value = json.loads(text)
        if json.dumps(value).encode() != text:
            raise RuntimeError(f"{path}: json.dumps of the loaded value differs from the file")
        values[path] = (value, len(text))
        return {"size": len(text)}

    def op_unload(req):
        values.clear()
        return {}

    def op_run(req):
        value, size = values[req["path"]]
        configure(req["base"], req["codec"])
        start = time.perf_counter()
        stored = XCom.serialize_value(value, key="return_value", task_id="task", dag_id="bench_dag",
                                      run_id=req["run_id"], map_index=-1)
        push_s = time.perf_counter() - start
        reference = json.loads(stored)
        scheme = req["base"].split("://", 1)[0]
        if not isinstance(reference, str) or not reference.startswith(scheme + "://"):
            raise RuntimeError(f"not stored as an object: {stored[:200]!r}")
        path = XCom._get_full_path(reference)
        compressed = path.stat().st_size
        start = time.perf_counter()
        got = XCom.deserialize_value(types.SimpleNamespace(value=stored))
        pull_s = time.perf_counter() - start
        if req.get("check") and got != value:
            raise RuntimeError("deserialize_value returned a different value")
        del got
        path.unlink()
        return {"push_s": push_s, "pull_s": pull_s, "compressed": compressed, "reference": reference, "size": size}

    ops = {"load": op_load, "unload": op_unload, "run": op_run}

    def emit(obj):
        real_stdout.write(json.dumps(obj) + "\n")
        real_stdout.flush()

    emit({"ready": True, "python": sys.version.split()[0], "airflow": md.version("apache-airflow"),
          "common_io": md.version("apache-airflow-providers-common-io"), "fsspec": md.version("fsspec"),
          "s3fs": md.version("s3fs")})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            resp = ops[req["op"]](req)
            resp["ok"] = True
        except Exception as e:
            resp = {"ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()[-3000:]}
        emit(resp)
    return 0


if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        print("usage: airflow_large.py serve", file=sys.stderr)
        sys.exit(2)
    sys.exit(main())
