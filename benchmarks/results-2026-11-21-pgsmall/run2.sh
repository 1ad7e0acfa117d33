#!/bin/bash
source /tmp/pgsmall-pg/postgres.env
cd /tmp
for spec in "postgresql 2000" "sqlite 1000" "postgresql 2000"; do
  set -- $spec
  for jar in before-newharness after3; do
    echo "### $jar $1 $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
    java -cp /tmp/pgsmall-$jar.jar io.xcomhybrid.benchmarks.EndToEnd --parts small --runs 3 --small-ops $2 --databases $1 --threads 1,8,32 2>&1 | grep -E '^(\||#)' | grep -v '^# EndToEnd\|not selected'
  done
done
echo "### end $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
