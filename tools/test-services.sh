#!/usr/bin/env bash
# Makes sure the servers the test suites talk to are up, starting local ones when they are
# installed but stopped. Tests never mock them: today that is PostgreSQL (registry and auth
# storage; SQLite needs no server) and Redis (the optimization job queue). Override the
# addresses with DATABASE_URL and REDIS_URL.
set -uo pipefail

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

pg_ready() { pg_isready -d "$pg_url" -q 2>/dev/null; }

if command -v pg_isready >/dev/null 2>&1 && ! pg_ready; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "test-services: starting the local PostgreSQL cluster"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  fi
fi
if ! command -v pg_isready >/dev/null 2>&1 || ! pg_ready; then
  echo "test-services: PostgreSQL is not reachable at $pg_url." >&2
  echo "  Install and start it (Debian: apt-get install -y postgresql; then pg_ctlcluster <version> main start)," >&2
  echo "  or point DATABASE_URL at a server where the tests may create and drop schemas." >&2
  exit 1
fi

echo "test-services: PostgreSQL is up"

# Redis: the optimization job queue (BullMQ). Override the address with REDIS_URL.
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
redis_hostport="${redis_url#redis://}"
redis_hostport="${redis_hostport##*@}"
redis_hostport="${redis_hostport%%/*}"
redis_host="${redis_hostport%%:*}"
redis_port="${redis_hostport##*:}"
[ "$redis_port" = "$redis_host" ] && redis_port=6379

redis_ready() { redis-cli -h "$redis_host" -p "$redis_port" ping 2>/dev/null | grep -q PONG; }

if command -v redis-cli >/dev/null 2>&1 && ! redis_ready; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "test-services: starting a local redis-server on port $redis_port"
    redis-server --port "$redis_port" --daemonize yes --save '' --appendonly no >/dev/null || true
    for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
  fi
fi
if ! command -v redis-cli >/dev/null 2>&1 || ! redis_ready; then
  echo "test-services: Redis is not reachable at $redis_url." >&2
  echo "  Install and start it (Debian: apt-get install -y redis-server; then redis-server --daemonize yes)," >&2
  echo "  or point REDIS_URL at a server where the tests may create and delete queues." >&2
  exit 1
fi

echo "test-services: Redis is up"
