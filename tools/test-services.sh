#!/usr/bin/env bash
# Makes sure the servers the test suites talk to are up, starting local ones when they are
# installed but stopped. Tests never mock these: PostgreSQL (registry storage) and Redis (jobs).
# Override the addresses with DATABASE_URL and REDIS_URL.
set -uo pipefail

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"

pg_ready() { pg_isready -d "$pg_url" -q 2>/dev/null; }
redis_ready() { redis-cli -u "$redis_url" ping 2>/dev/null | grep -q PONG; }

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

if command -v redis-cli >/dev/null 2>&1 && ! redis_ready && command -v redis-server >/dev/null 2>&1; then
  echo "test-services: starting a local redis-server on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis_ready && break; sleep 0.5; done
fi
if ! command -v redis-cli >/dev/null 2>&1 || ! redis_ready; then
  echo "test-services: Redis is not reachable at $redis_url." >&2
  echo "  Install it (Debian: apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL." >&2
  exit 1
fi
echo "test-services: PostgreSQL and Redis are up"
