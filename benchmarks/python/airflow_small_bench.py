"""Times Airflow 2's own XCom.set / XCom.get_one of a small value against a real metadata database.

Run with the Airflow 2 venv's python (XCOM_TEST_AIRFLOW2_PYTHON) on a database that `airflow db migrate` made.
Airflow is configured only through the environment, as a worker is (AIRFLOW_HOME,
AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, AIRFLOW__CORE__XCOM_BACKEND, ...). io.xcomhybrid.benchmarks.AirflowSmall
drives it (it creates and migrates the schema, then alternates this script and xcom-hybrid run by run), but each
command also works on its own:

    python airflow_small_bench.py setup  --dag bench_dag --run bench_run --tasks 32
    python airflow_small_bench.py bench  --dag bench_dag --run bench_run --value value.json \\
        --workers 1,8,32 --ops 2000 --runs 3 [--prefix af] [--pool default|null] [--warmup-ops 256]
    python airflow_small_bench.py verify --dag bench_dag --run bench_run --value value.json < keys.json

setup   a DAG run with task instances task_0..task_{N-1}, made as airflow_db.py (compat) makes one:
        DAG.bulk_write_to_db + DAG.create_dagrun (XCom.set looks the DAG run up; the xcom rows reference the task
        instances).
bench   for each worker count W: W worker processes (multiprocessing, fork: threads would share the GIL), each
        with its own SQLAlchemy engine, doing ops/W operations on task_<w>, for push (XCom.set), pull
        (XCom.get_one of the keys just pushed) and push+pull (XCom.set then XCom.get_one of the same key). Each call
        opens and commits its own session (@provide_session), as a task's xcom_push / xcom_pull does.
        Throughput = all operations / (last worker's end - first worker's start); p50/p99 over every
        operation's latency. A warm-up round per worker count is not reported. Prints a Markdown table
        (min / median / max ops/s over --runs; p50/p99 and the worker processes' CPU time per operation of the
        median run) and, last, one JSON line with every run.
        --pool null reconfigures the ORM with NullPool, as `airflow tasks run` does in a task process (a new
        connection per session); default is Airflow's default QueuePool with pre-ping.
verify  reads a JSON list of [task_id, key] from stdin and returns, as one JSON line, how many XCom.get_one found
        and how many equal the value file.

Keys: task_id task_<w>, key <prefix>_<operation>_<i> (operation push or pp), map_index -1, the same names as the
Java side uses.
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import statistics
import sys
import time


def _percentile(sorted_values, p):
    # the same rule as the Java side: the ceil(p * n)-th smallest
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(p * len(sorted_values)) - 1))]


def _load_value(path):
    with open(path, "rb") as f:
        text = f.read()
    value = json.loads(text)
    if json.dumps(value).encode() != text:
        raise RuntimeError(f"{path}: json.dumps of the loaded value differs from the file")
    return value


def cmd_setup(args) -> int:
    import pendulum

    from airflow.models.dag import DAG
    from airflow.operators.empty import EmptyOperator
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunType

    dag = DAG(args.dag, schedule=None, start_date=pendulum.datetime(2024, 1, 1, tz="UTC"))
    for w in range(args.tasks):
        EmptyOperator(task_id=f"task_{w}", dag=dag)
    DAG.bulk_write_to_db([dag])
    now = pendulum.now("UTC")
    with create_session() as session:
        run = dag.create_dagrun(run_id=args.run, state=DagRunState.RUNNING, execution_date=now,
                                data_interval=(now, now), run_type=DagRunType.MANUAL, session=session)
        tasks = len(run.get_task_instances(session=session))
    if tasks != args.tasks:
        raise RuntimeError(f"the DAG run has {tasks} task instances, not {args.tasks}")
    print(json.dumps({"dag_id": args.dag, "run_id": args.run, "task_instances": tasks}))
    return 0


def _worker(index, conn, barrier, dag_id, run_id, value, pool):
    from airflow import settings
    from airflow.models.xcom import XCom

    # Forked from a parent that never connected; still, never reuse an inherited connection.
    settings.engine.dispose(close=False)
    if pool == "null":
        settings.reconfigure_orm(disable_connection_pool=True)
    task_id = f"task_{index}"

    def push(key):
        XCom.set(key, value, task_id=task_id, dag_id=dag_id, run_id=run_id, map_index=-1)

    def pull(key):
        if XCom.get_one(key=key, task_id=task_id, dag_id=dag_id, run_id=run_id, map_index=-1) is None:
            raise RuntimeError(f"XCom.get_one found nothing for {task_id}/{key}")

    while True:
        command = conn.recv()
        if command is None:
            return
        operation, prefix, count = command
        try:
            latencies = []
            barrier.wait()
            cpu = time.process_time()
            start = time.perf_counter()
            for i in range(count):
                begin = time.perf_counter()
                if operation == "push":
                    push(f"{prefix}_push_{i}")
                elif operation == "pull":
                    pull(f"{prefix}_push_{i}")
                else:
                    push(f"{prefix}_pp_{i}")
                    pull(f"{prefix}_pp_{i}")
                latencies.append(time.perf_counter() - begin)
            end = time.perf_counter()
            conn.send(("ok", start, end, latencies, time.process_time() - cpu))
        except BaseException as e:  # reported to the parent, which fails the run with it
            barrier.abort()
            conn.send(("error", f"worker {index}: {type(e).__name__}: {e}", None, None, None))


def _measure(workers, plan, args, value):
    """Runs push, pull, push+pull on the same `workers` processes for each (prefix, ops) of `plan`, in order;
    returns {prefix: [result per operation]}."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers)
    pipes, processes = [], []
    for w in range(workers):
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(w, child, barrier, args.dag, args.run, value, args.pool),
                                  daemon=True)
        process.start()
        pipes.append(parent)
        processes.append(process)
    results = {}
    try:
        for prefix, ops in plan:
            per_worker = max(1, ops // workers)
            results[prefix] = []
            for operation in ("push", "pull", "push+pull"):
                for pipe in pipes:
                    pipe.send((operation, f"{prefix}_w{workers}", per_worker))
                replies = [pipe.recv() for pipe in pipes]
                errors = [r[1] for r in replies if r[0] != "ok"]
                if errors:
                    raise RuntimeError("; ".join(errors))
                elapsed = max(r[2] for r in replies) - min(r[1] for r in replies)
                latencies = sorted(x for r in replies for x in r[3])
                results[prefix].append({
                    "workers": workers, "operation": operation, "ops": len(latencies),
                    "ops_per_second": len(latencies) / elapsed,
                    "p50_us": _percentile(latencies, 0.50) * 1e6, "p99_us": _percentile(latencies, 0.99) * 1e6,
                    # CPU time of the worker processes (not of PostgreSQL) per operation: less load-dependent
                    "cpu_us_per_op": sum(r[4] for r in replies) / len(latencies) * 1e6,
                })
    finally:
        for pipe in pipes:
            try:
                pipe.send(None)
            except OSError:
                pass
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return results


def cmd_bench(args) -> int:
    real_stdout = sys.stdout
    # Anything Airflow prints must not corrupt the tables and the JSON line.
    sys.stdout = sys.stderr
    import airflow
    from airflow.models.dagrun import DagRun  # noqa: F401 imported once here: XCom.set imports it on each call
    from airflow.models.xcom import XCom

    value = _load_value(args.value)
    size = os.path.getsize(args.value)
    workers_list = [int(w) for w in args.workers.split(",")]
    runs = []
    for workers in workers_list:
        # a warm-up round on the same processes first (connections, statement caches); not reported
        warmup = [(f"{args.prefix}_warmup", args.warmup_ops)] if args.warmup_ops > 0 else []
        measured = [(f"{args.prefix}_r{run}", args.ops) for run in range(args.runs)]
        results = _measure(workers, warmup + measured, args, value)
        for prefix, _ in measured:
            runs.extend(dict(result, run=prefix) for result in results[prefix])

    out = real_stdout
    backend = f"{XCom.__module__}.{XCom.__name__}"
    out.write(f"# Airflow {airflow.__version__} XCom.set / XCom.get_one ({backend}), Python {sys.version.split()[0]}, "
              f"{size} bytes of JSON, {args.ops} operations per run, {args.runs} runs, pool {args.pool}, "
              f"worker processes (fork)\n")
    out.write("| workers | operation | ops/s min / median / max | p50 us (median run) | p99 us (median run) "
              "| worker CPU us/op (median run) |\n")
    out.write("|---|---|---|---|---|---|\n")
    for workers in workers_list:
        for operation in ("push", "pull", "push+pull"):
            same = sorted((r for r in runs if r["workers"] == workers and r["operation"] == operation),
                          key=lambda r: r["ops_per_second"])
            median = same[len(same) // 2]
            out.write(f"| {workers} | {operation} | {same[0]['ops_per_second']:.0f} / {median['ops_per_second']:.0f} / "
                      f"{same[-1]['ops_per_second']:.0f} | {median['p50_us']:.0f} | {median['p99_us']:.0f} "
                      f"| {median['cpu_us_per_op']:.0f} |\n")
    out.write(json.dumps({"airflow": airflow.__version__, "backend": backend, "value_bytes": size,
                          "pool": args.pool, "runs": runs}) + "\n")
    out.flush()
    return 0


def cmd_verify(args) -> int:
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    from airflow.models.xcom import XCom

    value = _load_value(args.value)
    keys = json.load(sys.stdin)
    found, equal, problems = 0, 0, []
    for task_id, key in keys:
        got = XCom.get_one(key=key, task_id=task_id, dag_id=args.dag, run_id=args.run, map_index=-1)
        if got is not None:
            found += 1
        if got == value:
            equal += 1
        elif len(problems) < 5:
            problems.append(f"{task_id}/{key}: {str(got)[:200]}")
    real_stdout.write(json.dumps({"checked": len(keys), "found": found, "equal": equal, "problems": problems}) + "\n")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    setup = commands.add_parser("setup")
    bench = commands.add_parser("bench")
    verify = commands.add_parser("verify")
    for p in (setup, bench, verify):
        p.add_argument("--dag", default="bench_dag")
        p.add_argument("--run", default="bench_run")
    setup.add_argument("--tasks", type=int, default=32)
    for p in (bench, verify):
        p.add_argument("--value", required=True, help="JSON text of the value (written by the Java side)")
    bench.add_argument("--workers", default="1,8,32")
    bench.add_argument("--ops", type=int, default=2000, help="operations per run and operation, over all workers")
    bench.add_argument("--runs", type=int, default=3)
    bench.add_argument("--prefix", default="af")
    bench.add_argument("--pool", choices=("default", "null"), default="default")
    bench.add_argument("--warmup-ops", type=int, default=256)
    args = parser.parse_args()
    return {"setup": cmd_setup, "bench": cmd_bench, "verify": cmd_verify}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
