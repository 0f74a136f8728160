#!/usr/bin/env bash
# Builds the Apache-licensed TimescaleDB for the machine's PostgreSQL from Debian's
# source package and preloads it. Idempotent: does nothing when the extension is
# already available and preloaded. The machine's own apt configuration is untouched:
# the trixie deb-src entry lives in a private sources list and lists directory.
set -euo pipefail

pg_major=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
sharedir=/usr/share/postgresql/$pg_major
conf_dir=/etc/postgresql/$pg_major/main/conf.d

if [ ! -f "$sharedir/extension/timescaledb.control" ]; then
  export DEBIAN_FRONTEND=noninteractive
  if ! dpkg -s "postgresql-server-dev-$pg_major" >/dev/null 2>&1 || ! command -v cmake >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq "postgresql-server-dev-$pg_major" cmake gcc make libssl-dev dpkg-dev >/dev/null
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial"
  echo "deb-src http://deb.debian.org/debian trixie main" >"$work/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
            -o "Dir::State::Lists=$work/lists" -o "APT::Get::List-Cleanup=0" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only timescaledb >/dev/null)
  tarball=$(ls "$work"/timescaledb_*.orig.tar.* | head -n 1)
  mkdir "$work/src"
  tar -xf "$tarball" -C "$work/src" --strip-components=1
  (cd "$work/src" &&
    ./bootstrap -DPG_CONFIG="/usr/lib/postgresql/$pg_major/bin/pg_config" -DAPACHE_ONLY=1 -DREGRESS_CHECKS=OFF -DTAP_CHECKS=OFF -DWARNINGS_AS_ERRORS=OFF >/dev/null &&
    make -C build -j"$(nproc)" install >/dev/null)
fi

if [ -d "$conf_dir" ] && ! grep -qs timescaledb "$conf_dir"/*.conf; then
  echo "shared_preload_libraries = 'timescaledb'" >"$conf_dir/timescaledb.conf"
  # A running server must restart to preload the library; a stopped one loads it on start.
  if pg_lsclusters -h | awk -v v="$pg_major" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
    pg_ctlcluster --skip-systemctl-redirect "$pg_major" main restart
  fi
fi
echo "timescaledb ready for PostgreSQL $pg_major"
