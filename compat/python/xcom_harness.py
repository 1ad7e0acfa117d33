"""Batch driver for Airflow's own XComObjectStorageBackend, used by the Java conformance suite.

Run with a venv's python: ``python xcom_harness.py serve``. It reads one JSON request per line on stdin and writes
one JSON response per line on stdout (logging goes to stderr), so a single interpreter serves thousands of cases.
The first line written is ``{"ready": true, ...versions...}``.

Airflow is configured only through the environment, as in a real deployment: the parent process sets AIRFLOW_HOME,
AIRFLOW__CORE__XCOM_BACKEND, AIRFLOW__CORE__ALLOWED_DESERIALIZATION_CLASSES and AIRFLOW_CONN_<ID>; the
``configure`` request sets the three ``AIRFLOW__COMMON_IO__XCOM_OBJECTSTORAGE_*`` variables in this process and
clears the backend's ``functools.cache`` entries, which is what a fresh worker process would see. No metadata
database is touched: serialize_value / deserialize_value / purge are the backend's whole storage contract.

Requests (``op`` plus fields; every response has ``ok`` and, on failure, ``error``):
  values                    -> values: [{id, family, name, encoded, serde, size}]   (encoded = json.dumps(v, cls=XComEncoder))
  configure env{}           -> {} (value None unsets)
  serialize id key{}        -> stored (DB form as JSON text: AF2 the bytes, AF3 json.dumps of the serde structure),
                               placement DATABASE|OBJECT, reference, object_b64 (raw object bytes), size
  deserialize id stored     -> equal (Python's read of `stored` equals Python's own write-then-read of value `id`
                               under the same config), got, want (reprs), got_encoded
  load stored               -> type, encoded (what deserialize_value returns for a row, re-encoded with XComEncoder)
  write_file path data_b64  -> {} (test setup: raw bytes at any path)
  purge stored              -> {} (runs the backend's purge as Airflow calls it)
  exists path               -> exists
  mkbucket path             -> {} (creates the bucket of an s3:// path; test setup)
  read path                 -> data_b64 (object bytes decompressed by fsspec, compression inferred from the suffix)
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import decimal
import io
import json
import math
import os
import sys
import traceback
import types


def _log(*args):
    print(*args, file=sys.stderr, flush=True)


def main() -> int:
    real_stdout = sys.stdout
    # Anything Airflow prints must not corrupt the protocol stream.
    sys.stdout = sys.stderr
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

    import importlib.metadata as md

    import fsspec.utils
    from airflow.providers.common.io.version_compat import AIRFLOW_V_3_0_PLUS

    # Resolve the backend the way Airflow does, from [core] xcom_backend (importing the provider module first would
    # be a circular import in Airflow 2).
    if AIRFLOW_V_3_0_PLUS:
        from airflow.sdk.execution_time.xcom import XCom
    else:
        from airflow.models.xcom import XCom
    from airflow.providers.common.io.xcom import backend as backend_module

    XComObjectStorageBackend = XCom
    if XCom is not backend_module.XComObjectStorageBackend:
        raise RuntimeError(f"[core] xcom_backend resolved to {XCom!r}, not XComObjectStorageBackend")
    from airflow.utils.json import XComDecoder, XComEncoder

    import xcom_values

    if AIRFLOW_V_3_0_PLUS:
        from airflow.sdk import ObjectStoragePath
        from airflow.sdk.execution_time.comms import XComResult
        from airflow.sdk.serde import serialize as serde_serialize
    else:
        from airflow.io.path import ObjectStoragePath
        from airflow.models.xcom import BaseXCom
        from airflow.serialization.serde import serialize as serde_serialize

    entries = []  # (family, name, value, encoded bytes, serde structure)
    skipped = []
    for family, name, value in xcom_values.build_values():
        try:
            encoded = json.dumps(value, cls=XComEncoder).encode("utf-8")
            structure = serde_serialize(value)
            json.dumps(structure)
        except Exception as e:  # a value this Airflow cannot encode is reported, not used
            skipped.append({"name": name, "error": f"{type(e).__name__}: {e}"})
            continue
        entries.append((family, name, value, encoded, structure))

    def reset_caches():
        for fn in ("_get_base_path", "_get_compression", "_get_threshold"):
            getattr(backend_module, fn).cache_clear()

    def result_for_read(stored: str):
        """The object Airflow hands to deserialize_value for a DB row holding `stored`."""
        if AIRFLOW_V_3_0_PLUS:
            # The Execution API returns the row's JSON value as-is.
            return XComResult(key="return_value", value=json.loads(stored))
        return types.SimpleNamespace(value=stored.encode("utf-8"))

    def result_for_purge(stored: str):
        if AIRFLOW_V_3_0_PLUS:
            # BaseXCom.delete fetches the raw DB value (GetXCom -> XComResult) and purges with it.
            return XComResult(key="return_value", value=json.loads(stored))
        # BaseXCom.delete/clear loop over ORM rows whose .value was set by orm_deserialize_value().
        return types.SimpleNamespace(value=BaseXCom._deserialize_value(result_for_read(stored), True))

    def serialize(value, key):
        stored = XComObjectStorageBackend.serialize_value(
            value,
            key=key.get("key"),
            task_id=key.get("task_id"),
            dag_id=key.get("dag_id"),
            run_id=key.get("run_id"),
            map_index=key.get("map_index"),
        )
        if AIRFLOW_V_3_0_PLUS:
            return json.dumps(stored)
        if not isinstance(stored, bytes):
            raise TypeError(f"AF2 serialize_value returned {type(stored).__name__}, expected bytes")
        return stored.decode("utf-8")

    def as_reference(stored: str, encoded: bytes):
        """The reference string if `stored` is one (a JSON string other than the value itself), else None."""
        decoded = json.loads(stored)
        if isinstance(decoded, str) and json.dumps(decoded).encode("utf-8") != encoded:
            return decoded
        return None

    def same(a, b) -> bool:
        if type(a) is not type(b):
            return False
        if isinstance(a, float):
            return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
        if isinstance(a, dict):
            return list(a.keys()) == list(b.keys()) and all(same(a[k], b[k]) for k in a)
        if isinstance(a, (list, tuple)):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, dt.datetime):
            return a == b and a.utcoffset() == b.utcoffset() and a.tzname() == b.tzname() and type(a.tzinfo) is type(b.tzinfo)
        if isinstance(a, decimal.Decimal):
            return a == b and str(a) == str(b)
        return a == b

    def op_values(req):
        return {
            "values": [
                {"id": i, "family": f, "name": n, "encoded": e.decode("utf-8"), "serde": json.dumps(s), "size": len(e)}
                for i, (f, n, _, e, s) in enumerate(entries)
            ],
            "skipped": skipped,
        }

    def op_configure(req):
        for k, v in req["env"].items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = str(v)
        reset_caches()
        return {}

    def op_serialize(req):
        _, _, value, encoded, _ = entries[req["id"]]
        stored = serialize(value, req["key"])
        ref = as_reference(stored, encoded)
        out = {"stored": stored, "placement": "OBJECT" if ref else "DATABASE", "size": len(encoded)}
        if ref:
            out["reference"] = ref
            path = XComObjectStorageBackend._get_full_path(ref)
            with path.open("rb") as f:
                out["object_b64"] = base64.b64encode(f.read()).decode("ascii")
        return out

    def read_back(stored):
        return XComObjectStorageBackend.deserialize_value(result_for_read(stored))

    def op_deserialize(req):
        _, _, value, encoded, _ = entries[req["id"]]
        got = read_back(req["stored"])
        # Python's own round trip under the same configuration is the reference behaviour.
        own = serialize(value, req.get("key", {}))
        try:
            want = read_back(own)
        finally:
            XComObjectStorageBackend.purge(result_for_purge(own))
        equal = same(got, want)
        out = {"equal": equal}
        if not equal:
            out["got"] = repr(got)[:2000]
            out["want"] = repr(want)[:2000]
        with contextlib.suppress(Exception):
            out["got_encoded"] = json.dumps(got, cls=XComEncoder)[:100000]
        return out

    def op_load(req):
        value = read_back(req["stored"])
        return {"type": type(value).__name__, "encoded": json.dumps(value, cls=XComEncoder)}

    def op_write_file(req):
        # Test setup only: a raw object at any path (e.g. outside the base), through fsspec.
        path = ObjectStoragePath(req["path"])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as f:
            f.write(base64.b64decode(req["data_b64"]))
        return {}

    def op_purge(req):
        XComObjectStorageBackend.purge(result_for_purge(req["stored"]))
        return {}

    def op_exists(req):
        return {"exists": ObjectStoragePath(req["path"]).exists()}

    def op_read(req):
        with ObjectStoragePath(req["path"]).open("rb", compression="infer") as f:
            return {"data_b64": base64.b64encode(f.read()).decode("ascii")}

    def op_mkbucket(req):
        # Test setup only: the bucket of an s3:// base, created through the base's own connection.
        base = ObjectStoragePath(req["path"])
        bucket = base.path.split("/")[0]
        if not base.fs.exists(bucket):
            base.fs.mkdir(bucket)
        return {}

    ops = {
        "mkbucket": op_mkbucket, "load": op_load, "write_file": op_write_file,
        "values": op_values, "configure": op_configure, "serialize": op_serialize, "deserialize": op_deserialize,
        "purge": op_purge, "exists": op_exists, "read": op_read,
    }

    def emit(obj):
        real_stdout.write(json.dumps(obj) + "\n")
        real_stdout.flush()

    emit({
        "ready": True,
        "python": sys.version.split()[0],
        "airflow": md.version("apache-airflow"),
        "common_io": md.version("apache-airflow-providers-common-io"),
        "amazon": md.version("apache-airflow-providers-amazon"),
        "fsspec": md.version("fsspec"),
        "s3fs": md.version("s3fs"),
        "universal_pathlib": md.version("universal-pathlib"),
        "compressions": sorted(set(fsspec.utils.compressions.values())),
        "values": len(entries),
        "skipped": len(skipped),
    })
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
        print("usage: xcom_harness.py serve", file=sys.stderr)
        sys.exit(2)
    sys.exit(main())
