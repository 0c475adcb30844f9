#!/usr/bin/env bash
# The streaming replica of docker-compose.cluster.yml. On first start its data directory is a
# base backup of the primary taken through the replication slot `replica_1` (created here),
# written as a hot standby (-R: standby.signal and primary_conninfo); later starts reuse it.
set -euo pipefail
export PGPASSWORD="$REPLICATION_PASSWORD"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -U replicator; do sleep 2; done
  pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -X stream -R -C -S replica_1
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
