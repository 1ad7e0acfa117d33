"""Drives a real Airflow metadata database (PostgreSQL) for the Java AirflowDatabaseTest.

Run with a venv's python: ``python airflow_db.py serve``. Like xcom_harness.py it reads one JSON request per line on
stdin and writes one JSON response per line on stdout (logging goes to stderr); the first line is
``{"ready": true, "airflow": VERSION}``. The database was migrated beforehand with ``airflow db migrate``; Airflow
is configured only through the environment (AIRFLOW_HOME, AIRFLOW__DATABASE__SQL_ALCHEMY_CONN,
AIRFLOW__CORE__DAGS_FOLDER, AIRFLOW__CORE__XCOM_BACKEND, ...), exactly as a scheduler or worker would be.

XCom identities are ``key{dag_id, run_id, task_id, map_index, key}``. Values travel as JSON text (``value_json``)
and come back as ``json.dumps(value, sort_keys=True)`` of what Airflow returned (``value_json``), so both sides
compare parsed JSON.

Requests (``op`` plus fields; every response has ``ok`` and, on failure, ``error`` and ``trace``):
  create_run dag_id run_id task_ids[] mapped{task_id: count}
                                        -> {} a DAG run and its task instances, created the way Airflow does:
                                          Airflow 2: DAG.bulk_write_to_db + DAG.create_dagrun (mapped tasks
                                          are literal expansions, with task instances 0..count-1);
                                          Airflow 3: the DAG file in the dags folder is parsed and synced (as the
                                          dag processor does), then get_or_create_dagrun (as ``dag.test`` does)
  set key{} value_json                  -> {} Airflow 2: XCom.set(...) through the configured [core] xcom_backend
                                          (serialize_value, then delete + insert); Airflow 3: what the API server
                                          does for POST /execution/xcoms: XComModel.set(..., serialize=False) with
                                          the task SDK's serialized value
  set_repeatedly key{} count            -> done, failures{exception type: count} (Airflow 2: XCom.set of
                                          {"by": "airflow", "i": i}, one session each, failures counted)
  get_one key{}                         -> found, value_json (Airflow 2: XCom.get_one; Airflow 3: XComModel row,
                                          deserialize_value)
  get_many dag_id run_id                -> items [{task_id, key, map_index, value_json}] (XCom.get_many)
  raw key{}                             -> found, text (the value column as PostgreSQL prints it: AF2 bytea as
                                          UTF-8 text, AF3 jsonb::text), timestamp (ISO 8601, UTC)
  count key{}                           -> count (rows with that identity)
"""
from __future__ import annotations

import datetime
import json
import os
import sys
import traceback


def _log(*args):
    print(*args, file=sys.stderr, flush=True)


def main() -> int:
    real_stdout = sys.stdout
    # Anything Airflow prints must not corrupt the protocol stream.
    sys.stdout = sys.stderr

    import importlib.metadata as md

    import pendulum
    from sqlalchemy import func, select, text

    from airflow.utils.session import create_session

    version = md.version("apache-airflow")
    airflow3 = int(version.split(".")[0]) >= 3

    if airflow3:
        from airflow.models.xcom import XComModel as XComRow
    else:
        from airflow.models.xcom import XCom
        XComRow = XCom

    def loads(req):
        return json.loads(req["value_json"])

    def dumps(value):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    def ident(req):
        k = req["key"]
        return dict(key=k["key"], dag_id=k["dag_id"], run_id=k["run_id"], task_id=k["task_id"],
                    map_index=k.get("map_index", -1))

    def where(k):
        return (XComRow.key == k["key"], XComRow.dag_id == k["dag_id"], XComRow.run_id == k["run_id"],
                XComRow.task_id == k["task_id"], XComRow.map_index == k["map_index"])

    def create_run_airflow2(req):
        from airflow.models.dag import DAG
        from airflow.operators.bash import BashOperator
        from airflow.operators.empty import EmptyOperator
        from airflow.utils.state import DagRunState
        from airflow.utils.types import DagRunType

        dag = DAG(req["dag_id"], schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"))
        for task_id in req["task_ids"]:
            EmptyOperator(task_id=task_id, dag=dag)
        for task_id, count in req.get("mapped", {}).items():
            # literal expansion: create_dagrun makes task instances with map_index 0..count-1
            BashOperator.partial(task_id=task_id, dag=dag).expand(bash_command=["true"] * count)
        DAG.bulk_write_to_db([dag])
        now = pendulum.now("UTC")
        with create_session() as session:
            run = dag.create_dagrun(run_id=req["run_id"], state=DagRunState.RUNNING, execution_date=now,
                                    data_interval=(now, now), run_type=DagRunType.MANUAL, session=session)
            return sorted(ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
                          for ti in run.get_task_instances(session=session))

    def create_run_airflow3(req):
        from airflow.dag_processing.bundles.manager import DagBundlesManager
        from airflow.dag_processing.dagbag import BundleDagBag, sync_bag_to_db
        from airflow.models.dagrun import get_or_create_dagrun
        from airflow.models.serialized_dag import SerializedDagModel
        from airflow.utils.state import DagRunState
        from airflow.utils.types import DagRunTriggeredByType

        manager = DagBundlesManager()
        with create_session() as session:
            manager.sync_bundles_to_db(session=session)
        for bundle in manager.get_all_dag_bundles():
            if not bundle.is_initialized:
                bundle.initialize()
            bag = BundleDagBag(dag_folder=bundle.path, bundle_path=bundle.path, bundle_name=bundle.name)
            if bag.import_errors:
                raise RuntimeError(f"DAG files in {bundle.path} do not import: {bag.import_errors}")
            sync_bag_to_db(bag, bundle.name, bundle.version)
        now = pendulum.now("UTC")
        with create_session() as session:
            dag = SerializedDagModel.get_dag(req["dag_id"], session=session)
            if dag is None:
                raise RuntimeError(f"DAG {req['dag_id']!r} was not serialized from the dags folder")
            run = get_or_create_dagrun(dag=dag, run_id=req["run_id"], logical_date=now, data_interval=(now, now),
                                       run_after=now, conf=None, triggered_by=DagRunTriggeredByType.TEST,
                                       triggering_user_name="xcom-hybrid", start_date=now, session=session)
            run.state = DagRunState.RUNNING
            return sorted(ti.task_id for ti in run.get_task_instances(session=session))

    def op_create_run(req):
        if airflow3 and req.get("mapped"):
            raise ValueError("mapped tasks: only Airflow 2 runs are made here (Airflow 3 takes its DAGs from the dags folder)")
        tasks = create_run_airflow3(req) if airflow3 else create_run_airflow2(req)
        want = sorted(req["task_ids"] + [f"{t}[{i}]" for t, n in req.get("mapped", {}).items() for i in range(n)])
        if want != tasks:
            raise RuntimeError(f"the DAG run has task instances {tasks}, not {want}")
        return {"task_ids": tasks}

    def op_set(req):
        k = ident(req)
        value = loads(req)
        with create_session() as session:
            if airflow3:
                # The task SDK serializes on the worker; the API server stores that JSON as it is.
                from airflow.sdk.execution_time.xcom import XCom as SdkXCom

                serialized = SdkXCom.serialize_value(value, key=k["key"], task_id=k["task_id"], dag_id=k["dag_id"],
                                                     run_id=k["run_id"], map_index=k["map_index"])
                XComRow.set(k["key"], serialized, dag_id=k["dag_id"], task_id=k["task_id"], run_id=k["run_id"],
                            map_index=k["map_index"], serialize=False, session=session)
            else:
                XCom.set(k["key"], value, dag_id=k["dag_id"], task_id=k["task_id"], run_id=k["run_id"],
                         map_index=k["map_index"], session=session)
        return {}

    def op_set_repeatedly(req):
        # Airflow 2 workers write without locks (delete, then insert); a concurrent writer of the same key can make
        # Airflow's own insert fail. Counted, not raised: the caller checks the other side.
        k = ident(req)
        done, failures = 0, {}
        for i in range(req["count"]):
            try:
                with create_session() as session:
                    XCom.set(k["key"], {"by": "airflow", "i": i}, dag_id=k["dag_id"], task_id=k["task_id"],
                             run_id=k["run_id"], map_index=k["map_index"], session=session)
                done += 1
            except Exception as e:
                name = type(getattr(e, "orig", None) or e).__name__
                failures[name] = failures.get(name, 0) + 1
        return {"done": done, "failures": failures}

    def op_get_one(req):
        k = ident(req)
        if airflow3:
            with create_session() as session:
                row = session.scalars(select(XComRow).where(*where(k))).first()
                if row is None:
                    return {"found": False}
                return {"found": True, "value_json": dumps(XComRow.deserialize_value(row))}
        # get_one returns None for a missing row; tell it apart from a stored null by counting.
        value = XCom.get_one(key=k["key"], dag_id=k["dag_id"], task_id=k["task_id"], run_id=k["run_id"],
                             map_index=k["map_index"])
        if value is None and op_count(req)["count"] == 0:
            return {"found": False}
        return {"found": True, "value_json": dumps(value)}

    def op_get_many(req):
        with create_session() as session:
            if airflow3:
                query = session.scalars(XComRow.get_many(run_id=req["run_id"], dag_ids=req["dag_id"]))
            else:
                query = XCom.get_many(run_id=req["run_id"], dag_ids=req["dag_id"], session=session)
            # Airflow 2's ORM rows deserialize on load (orm_deserialize_value); Airflow 3 returns the stored JSON.
            items = [{"task_id": row.task_id, "key": row.key, "map_index": row.map_index,
                      "value_json": dumps(XComRow.deserialize_value(row) if airflow3 else row.value)} for row in query]
        return {"items": sorted(items, key=lambda i: (i["task_id"], i["map_index"], i["key"]))}

    def op_raw(req):
        k = ident(req)
        column = "value::text" if airflow3 else "convert_from(value, 'UTF8')"
        with create_session() as session:
            found = session.execute(text(f"SELECT {column}, timestamp FROM xcom WHERE key = :key AND dag_id = :dag_id "
                                         "AND run_id = :run_id AND task_id = :task_id AND map_index = :map_index"), k).first()
        if found is None:
            return {"found": False}
        return {"found": True, "text": found[0], "timestamp": found[1].astimezone(datetime.timezone.utc).isoformat()}

    def op_count(req):
        k = ident(req)
        with create_session() as session:
            return {"count": session.scalar(select(func.count()).select_from(XComRow).where(*where(k)))}

    ops = {name[3:]: fn for name, fn in locals().items() if name.startswith("op_")}

    def emit(obj):
        real_stdout.write(json.dumps(obj) + "\n")
        real_stdout.flush()

    emit({"ready": True, "airflow": version})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            fn = ops.get(req.get("op"))
            if fn is None:
                raise ValueError(f"unknown op {req.get('op')!r}")
            response = fn(req)
            response["ok"] = True
        except Exception as e:  # reported to the Java side, which fails the test with it
            _log(traceback.format_exc())
            response = {"ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
        emit(response)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] != "serve":
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main())
