#!/usr/bin/env bash
# One command for a newcomer: installs what is needed, builds Relais, starts a private redis-server
# (AOF on, data in var/redis, loopback only) and Relais with the Brussels demo dataset, and says where
# it listens. Ctrl-C stops both cleanly; the data stays in var/redis for the next start.
#
# Ports (override in the environment): REDIS_PORT=6390 GRPC_PORT=50051 METRICS_PORT=9464
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
REDIS_PORT=${REDIS_PORT:-6390}
GRPC_PORT=${GRPC_PORT:-50051}
METRICS_PORT=${METRICS_PORT:-9464}

bash deploy/install-deps.sh
echo "demo: building (the first build takes a few minutes)"
bash deploy/build.sh relais relais-import

mkdir -p var/redis
redis_pid="" relais_pid=""
stop() {
  trap - INT TERM EXIT
  set +e  # stop everything even if printing fails (output piped to a reader that Ctrl-C ended)
  echo
  echo "demo: stopping"
  [ -n "$relais_pid" ] && kill -TERM "$relais_pid" 2>/dev/null && wait "$relais_pid" 2>/dev/null || true
  [ -n "$redis_pid" ] && redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  [ -n "$redis_pid" ] && wait "$redis_pid" 2>/dev/null || true
  echo "demo: stopped; data kept in var/redis"
}
trap stop INT TERM EXIT
trap '' PIPE  # a closed output pipe must not kill the script before it has stopped Relais and Redis

# Own sessions (setsid), so that Ctrl-C reaches this script only and it stops Relais before Redis.
setsid redis-server "$root/deploy/redis/relais-dev.conf" --port "$REDIS_PORT" --dir "$root/var/redis" \
  >var/redis.log 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
  sleep 0.1
done
redis-cli -p "$REDIS_PORT" ping | grep -q PONG || { echo "demo: redis-server did not start, see var/redis.log"; exit 1; }

setsid build/services/allinone/relais --redis-port "$REDIS_PORT" --listen "127.0.0.1:$GRPC_PORT" \
  --metrics-listen "127.0.0.1:$METRICS_PORT" &
relais_pid=$!
build/services/beds/relais-import --file deploy/demo/brussels.json --target "127.0.0.1:$GRPC_PORT" --only-if-empty

cat <<MSG

Relais is running with the Brussels demo dataset (figures invented for the demo).
  gRPC API (relais.v1, reflection on):  127.0.0.1:$GRPC_PORT
  Prometheus metrics:                   http://127.0.0.1:$METRICS_PORT/metrics
  Redis (private, AOF in var/redis):    127.0.0.1:$REDIS_PORT
Press Ctrl-C to stop.
MSG
wait "$relais_pid"
