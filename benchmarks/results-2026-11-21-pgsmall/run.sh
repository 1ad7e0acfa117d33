#!/bin/bash
source /tmp/pgsmall-pg/postgres.env
cd /tmp
for round in 1 2; do
  for db in postgresql sqlite; do
    ops=2000; [ $db = sqlite ] && ops=1000
    for jar in before-newharness after2; do
      echo "### $jar $db round $round $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
      java -cp /tmp/pgsmall-$jar.jar io.xcomhybrid.benchmarks.EndToEnd --parts small --runs 3 --small-ops $ops --databases $db --threads 1,8,32 2>&1 | grep -E '^(\||#)'
    done
  done
done
echo "### end $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
