# A throwaway PostgreSQL cluster, sourced by tests/postgres/run.sh and benches/postgres.sh:
# `pg_start DIR PORT` installs Debian's postgresql when missing, makes a cluster in DIR as
# the unprivileged `postgres` user (PostgreSQL refuses root), starts it on 127.0.0.1:PORT
# and sets PG_BIN and PG_URL (postgres://postgres@127.0.0.1:PORT); `pg_stop DIR` stops it
# and removes DIR; `pg_createdb NAME` makes a database with byte-order (C) collation, as
# SQLite compares text.

pg_start() {
  local dir=$1 port=$2 fsync=${3:-off}
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "== installing PostgreSQL (Debian's postgresql package)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib > /dev/null
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  PG_OWNER=()
  if [ "$(id -u)" = 0 ]; then
    id postgres > /dev/null 2>&1 || useradd --system --home-dir /nonexistent postgres
    PG_OWNER=(runuser -u postgres --)
  fi
  mkdir -p "$dir"
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  "${PG_OWNER[@]}" "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 > "$dir/initdb.log"
  "${PG_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
    "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=300" \
    start > /dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port"
  echo "== a throwaway PostgreSQL cluster ($("$PG_BIN/postgres" --version)) in $dir, port $port"
}

pg_createdb() {
  "$PG_BIN/psql" -q -d "$PG_URL/postgres" \
    -c "CREATE DATABASE $1 TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
}

pg_stop() {
  local dir=$1
  [ -n "${PG_BIN:-}" ] && "${PG_OWNER[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$dir"
}
