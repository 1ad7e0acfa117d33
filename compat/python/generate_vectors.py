#!/usr/bin/env python3
"""Writes compat/vectors/xcom-json-vectors.jsonl: the exact bytes real Airflow writes for each test value.

For every value of xcom_values.build_values() (minus the few large ones), and for Airflow 2 and Airflow 3:
  encoded: json.dumps(value, cls=airflow.utils.json.XComEncoder), i.e. the object body and the AF2 DB bytes
  serde:   json.dumps(serde.serialize(value)), the structure AF3 keeps in the DB for small values
The first line is a header naming the exact versions. Java codec tests read the file without Python.

Usage: python3 compat/python/generate_vectors.py [OUTPUT]
Interpreters: XCOM_TEST_AIRFLOW2_PYTHON / XCOM_TEST_AIRFLOW3_PYTHON, or else compat/setup-venvs.sh is run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULE = HERE.parent
LARGE = ("-large",)


def interpreters() -> dict[str, str]:
    found = {v: os.environ.get(f"XCOM_TEST_AIRFLOW{v[-1]}_PYTHON") for v in ("airflow2", "airflow3")}
    if all(found.values()):
        return found
    with tempfile.NamedTemporaryFile("r", suffix=".env") as env_file:
        subprocess.run(["bash", str(MODULE / "setup-venvs.sh"), "--env-file", env_file.name], check=True)
        for line in env_file.read().splitlines():
            name, _, value = line.removeprefix("export ").partition("=")
            found["airflow" + name[len("XCOM_TEST_AIRFLOW")]] = value
    return found


def dump_values(python: str) -> tuple[dict, list[dict]]:
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
        env.update({
            "AIRFLOW_HOME": home,
            "AIRFLOW__CORE__XCOM_BACKEND": "airflow.providers.common.io.xcom.backend.XComObjectStorageBackend",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "TZ": "UTC",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        })
        proc = subprocess.run([python, str(HERE / "xcom_harness.py"), "serve"], input='{"op": "values"}\n',
                              capture_output=True, text=True, env=env, check=True)
    ready, response = (json.loads(line) for line in proc.stdout.splitlines())
    if not response.get("ok"):
        raise SystemExit(f"{python}: {response.get('error')}")
    return ready, response["values"]


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else MODULE / "vectors" / "xcom-json-vectors.jsonl"
    pythons = interpreters()
    header = {"format": "xcom-json-vectors/1", "generator": "compat/python/generate_vectors.py",
              "encoded": "json.dumps(value, cls=XComEncoder) (object body; Airflow 2 DB bytes)",
              "serde": "json.dumps(serde.serialize(value)) (Airflow 3 DB structure for small values)"}
    by_name: dict[str, dict] = {}
    for version, python in pythons.items():
        ready, values = dump_values(python)
        header[version] = {k: ready[k] for k in ("airflow", "common_io", "fsspec", "python")}
        for v in values:
            if any(marker in v["name"] for marker in LARGE):
                continue
            entry = by_name.setdefault(v["name"], {"name": v["name"], "family": v["family"]})
            entry[version] = {"encoded": v["encoded"], "serde": v["serde"]}
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="ascii") as f:
        f.write(json.dumps(header) + "\n")
        for entry in by_name.values():
            f.write(json.dumps(entry) + "\n")
    print(f"wrote {len(by_name)} vectors to {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
