#!/usr/bin/env bash
# Restores a backup made by backup.sh into an empty data folder and starts Redis on it with AOF on,
# as production runs. Relais must be stopped (or pointed elsewhere) while this runs.
#
#   deploy/backup/restore.sh <backup.rdb> <empty-data-folder> <port> [redis.conf]
# It checks the backup's SHA-256, loads the snapshot, then turns AOF on, which rewrites the AOF from
# what was loaded, and waits until that rewrite is on disk before saying the restore is done.
set -euo pipefail
backup=${1:?backup file} dir=${2:?data folder} port=${3:?port} conf=${4:-}
[ -f "$backup.sha256" ] && (cd "$(dirname "$backup")" && sha256sum --quiet -c "$(basename "$backup").sha256")
mkdir -p "$dir"
[ -z "$(ls -A "$dir")" ] || { echo "restore: $dir is not empty" >&2; exit 1; }
cp "$backup" "$dir/dump.rdb"

args=()
[ -n "$conf" ] && args+=("$conf")
args+=(--port "$port" --dir "$dir" --dbfilename dump.rdb --appendonly no --daemonize yes
       --logfile "$dir/redis.log" --pidfile "$dir/redis.pid")
redis-server "${args[@]}"
cli=(redis-cli -p "$port")
for _ in $(seq 1 300); do
  [ "$("${cli[@]}" PING 2>/dev/null)" = "PONG" ] && break
  sleep 0.1
done
"${cli[@]}" CONFIG SET appendonly yes >/dev/null
for _ in $(seq 1 600); do
  info=$("${cli[@]}" INFO persistence | tr -d '\r')
  grep -q '^aof_rewrite_in_progress:0' <<<"$info" && grep -q '^aof_rewrite_scheduled:0' <<<"$info" &&
    grep -q '^aof_enabled:1' <<<"$info" && break
  sleep 0.1
done
"${cli[@]}" CONFIG SET appendfsync always >/dev/null
echo "restore: Redis on port $port serves the backup with AOF on ($("${cli[@]}" DBSIZE) keys); pid file $dir/redis.pid"
