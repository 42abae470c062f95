#!/usr/bin/env bash
# Takes a consistent backup of a Relais Redis: a point-in-time RDB snapshot, fetched over the network
# the way a replica gets one (no access to the server's disk needed), with its SHA-256 next to it.
# Everything acknowledged before the snapshot began is in it.
#
#   deploy/backup/backup.sh <redis-host> <redis-port> <backup-folder>
# Password: REDISCLI_AUTH in the environment (never on the command line).
# Run it against a replica to keep the primary's disk for the hot path.
set -euo pipefail
host=${1:?redis host} port=${2:?redis port} out=${3:?backup folder}
cli=(redis-cli -h "$host" -p "$port")
mkdir -p "$out"

name="relais-$(date -u +%Y%m%dT%H%M%SZ).rdb"
"${cli[@]}" --rdb "$out/$name.part" >/dev/null
mv "$out/$name.part" "$out/$name"
(cd "$out" && sha256sum "$name" > "$name.sha256")
echo "backup: $out/$name ($(stat -c %s "$out/$name") bytes)"
