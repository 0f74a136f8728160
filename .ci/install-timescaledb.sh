#!/usr/bin/env bash
# Builds TimescaleDB's full (Community) edition for the machine's PostgreSQL from the
# vendored release tree (../shared/vendor) and preloads it. Idempotent: does nothing when
# that version, with its TSL module (compression, continuous aggregates, policies), is
# already installed and preloaded.
set -euo pipefail

version=2.28.3
here=$(cd "$(dirname "$0")/.." && pwd)
tarball=${TIMESCALEDB_TARBALL:-$here/../shared/vendor/timescaledb-$version.tar.gz}
pg_major=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
pg_config=/usr/lib/postgresql/$pg_major/bin/pg_config
libdir=$("$pg_config" --pkglibdir 2>/dev/null || echo "/usr/lib/postgresql/$pg_major/lib")
conf_dir=/etc/postgresql/$pg_major/main/conf.d

if [ ! -f "$libdir/timescaledb-tsl-$version.so" ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg -s "postgresql-server-dev-$pg_major" >/dev/null 2>&1 || ! command -v cmake >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq "postgresql-server-dev-$pg_major" cmake gcc make libssl-dev >/dev/null
  fi
  [ -f "$tarball" ] || { echo "TimescaleDB source not found at $tarball"; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  tar -xzf "$tarball" -C "$work" --strip-components=1
  (cd "$work" &&
    ./bootstrap -DPG_CONFIG="$pg_config" -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF \
      -DWARNINGS_AS_ERRORS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null &&
    make -C build -j"$(nproc)" install >/dev/null)
fi

if [ -d "$conf_dir" ] && ! grep -qs timescaledb "$conf_dir"/*.conf; then
  echo "shared_preload_libraries = 'timescaledb'" >"$conf_dir/timescaledb.conf"
  # A running server must restart to preload the library; a stopped one loads it on start.
  if pg_lsclusters -h | awk -v v="$pg_major" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    pg_ctlcluster --skip-systemctl-redirect "$pg_major" main restart
  fi
fi
echo "timescaledb $version (Community edition) ready for PostgreSQL $pg_major"
