#!/usr/bin/env bash
# Smoke test of the Docker image (Dockerfile): lints it, builds both targets with buildah and
# runs retort from inside the containers, as the image's non-root user, against the machine's
# PostgreSQL (127.0.0.1:5432) and MariaDB (127.0.0.1:3306).
#
# There is no Docker engine and no registry here: ../shared/tools/container-base.sh (beside the
# project root) builds the `node:24-bookworm-slim` base locally with podman/buildah; the
# Dockerfile builds on it unchanged. The first setup takes 2-3 minutes; after it this script
# takes well under a minute.
#
# Tags: retort:smoke (the default target, `runtime`) and retort:smoke-alembic (`alembic`).
# Any failed check ends the run with exit 1 and a line starting `container-smoke: FAIL:`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

IMAGE=retort:smoke
ALEMBIC_IMAGE=retort:smoke-alembic
LINTER=dockerfile-utils@0.16.3
PG_HEAD=5f2c8e91d0a4 # head of migrations/ (README, "The example project")

log() { echo "== container-smoke: $*"; }
fail() {
  echo "container-smoke: FAIL: $*" >&2
  exit 1
}

# --- preflight --------------------------------------------------------------------------
SHARED="$(cd "$ROOT/.." && pwd)/shared"
BASE_SH="$SHARED/tools/container-base.sh"
[ -f "$BASE_SH" ] || fail "$BASE_SH not found: the shared/ folder must sit beside the project root ($(dirname "$ROOT")/shared)"
base() { bash "$BASE_SH" "$@"; }

for t in node npx psql; do command -v "$t" >/dev/null || fail "'$t' is not installed"; done
MYSQL=$(command -v mariadb || command -v mysql || true)
[ -n "$MYSQL" ] || fail "no MariaDB/MySQL client (mariadb or mysql) is installed"

work=$(mktemp -d)
PG_DBS=()
MY_DBS=()
cleanup() {
  local db
  for db in "${PG_DBS[@]}"; do psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  for db in "${MY_DBS[@]}"; do "$MYSQL" -h 127.0.0.1 -P 3306 -u root -e "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
phase_start=$SECONDS
phase_end() { echo "   ($1: $((SECONDS - phase_start)) s)"; phase_start=$SECONDS; }

# run NAME WANT_RC CMD...: runs CMD with stdout in $OUT and stderr in $ERR; fails on another exit code.
run() {
  local name=$1 want=$2 rc=0
  shift 2
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  OUT=$(cat "$work/out")
  ERR=$(cat "$work/err")
  if [ "$rc" != "$want" ]; then
    echo "--- stdout of: $*" >&2; tail -n 20 "$work/out" >&2
    echo "--- stderr:" >&2; tail -n 20 "$work/err" >&2
    fail "$name: exit code $rc, expected $want"
  fi
}
# expect NAME TEXT NEEDLE: TEXT must contain NEEDLE.
expect() {
  grep -qF -- "$3" <<<"$2" || {
    printf '%s\n' "$2" | tail -n 20 >&2
    fail "$1: the output does not contain '$3'"
  }
}
# current_ids: the revision ids of `current --json` on stdin, comma separated.
current_ids() { node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(j.current.join(","));'; }
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# --- lint -------------------------------------------------------------------------------
log "lint Dockerfile with $LINTER (npm, not a project dependency)"
# Errors make the linter exit 1, warnings do not: both fail here (its JSON lists them all).
lint_json=$(npx --yes "$LINTER" lint --json Dockerfile 2>"$work/lint.err") || true
[ -n "$lint_json" ] || { cat "$work/lint.err" >&2; fail "lint: $LINTER did not run (npx --yes $LINTER)"; }
if [ "$(tr -d '[:space:]' <<<"$lint_json")" != "[]" ]; then
  npx --yes "$LINTER" lint Dockerfile >&2 || true
  fail "lint: $LINTER reported findings in Dockerfile (above)"
fi
echo "   no findings"
phase_end lint

# --- base image and builds --------------------------------------------------------------
log "container base (podman/buildah, local node:24-bookworm-slim)"
base setup || fail "container-base.sh setup failed"
eval "$(base env)"
read -r -a BUILD_FLAGS <<<"$(base build-flags)"
phase_end base

build() { # LOGNAME buildah-args...
  local name=$1
  shift
  buildah build --pull=never --layers "${BUILD_FLAGS[@]}" "$@" . >"$work/build-$name.log" 2>&1 || {
    tail -n 40 "$work/build-$name.log" >&2
    fail "build of $name failed (buildah build $*)"
  }
}
log "build $IMAGE (no --target: must be the lean runtime stage)"
build default -t "$IMAGE"
log "build $ALEMBIC_IMAGE (--target alembic)"
build alembic --target alembic -t "$ALEMBIC_IMAGE"
build runtime --target runtime --iidfile "$work/runtime.iid"
[ "$(podman image inspect --format '{{.Id}}' "$IMAGE")" = "$(sed 's/^sha256://' "$work/runtime.iid")" ] ||
  fail "the default target is not 'runtime': building without --target gave another image than --target runtime"
phase_end build

# --- the images -------------------------------------------------------------------------
log "images run as a non-root user; the default image has no Python"
for img in "$IMAGE" "$ALEMBIC_IMAGE"; do
  run "id -u in $img" 0 podman run --rm --entrypoint id "$img" -u
  [ "$OUT" != 0 ] || fail "$img runs as root (id -u = 0)"
  echo "   $img: uid $OUT"
done
if podman run --rm --entrypoint sh "$IMAGE" -c 'command -v python3 || command -v alembic' >/dev/null 2>&1; then
  fail "$IMAGE (the default target) contains Python/Alembic: it should be the lean runtime image"
fi
# shellcheck disable=SC2016 # expanded inside the container
run "RETORT_ALEMBIC_COMMAND in $ALEMBIC_IMAGE" 0 podman run --rm --entrypoint sh "$ALEMBIC_IMAGE" -c 'echo "$RETORT_ALEMBIC_COMMAND"; command -v "$RETORT_ALEMBIC_COMMAND"'
[ "$(head -n 1 <<<"$OUT")" = alembic ] || fail "RETORT_ALEMBIC_COMMAND in $ALEMBIC_IMAGE is '$(head -n 1 <<<"$OUT")', expected 'alembic'"
echo "   $ALEMBIC_IMAGE: RETORT_ALEMBIC_COMMAND=alembic ($(tail -n 1 <<<"$OUT"))"

RUN=(podman run --rm --network host)
MIGRATIONS=(-v "$ROOT/migrations:/workspace/migrations:ro")
FIXTURES=(-v "$ROOT/tests/fixtures:/workspace/tests/fixtures:ro")

log "--help, the default command, retort on the PATH"
run "--help" 0 "${RUN[@]}" "$IMAGE" --help
expect "--help" "$OUT" "Usage: retort"
run "default command" 0 "${RUN[@]}" "$IMAGE"
expect "default command (CMD --help)" "$OUT" "Usage: retort"
# CI systems that replace the entrypoint with a shell script call `retort` from the PATH.
run "retort on the PATH" 0 "${RUN[@]}" "${MIGRATIONS[@]}" --entrypoint sh "$IMAGE" -c 'cd /workspace && retort heads'
expect "retort on the PATH (sh -c 'retort heads')" "$OUT" "$PG_HEAD"

log "embedded PGlite (no URL: .retort/pglite in the image's /workspace, written by the non-root user)"
run "PGlite upgrade" 0 "${RUN[@]}" "${MIGRATIONS[@]}" --entrypoint sh "$IMAGE" -c 'retort upgrade && retort current --json'
ids=$(sed -n '/^{/,$p' <<<"$OUT" | current_ids) || fail "PGlite current --json: not JSON: $OUT"
[ "$ids" = "$PG_HEAD" ] || fail "PGlite current is '$ids', expected $PG_HEAD"
echo "   current: $ids"
phase_end images

# --- databases --------------------------------------------------------------------------
if ! port_open 5432 || ! port_open 3306; then
  log "starting PostgreSQL/MariaDB (scripts/test-services.sh)"
  bash scripts/test-services.sh || fail "scripts/test-services.sh could not start the database servers"
fi
port_open 5432 || fail "PostgreSQL is not reachable on 127.0.0.1:5432"
port_open 3306 || fail "MariaDB is not reachable on 127.0.0.1:3306"

log "PostgreSQL: upgrade, plan, current (migrations/ mounted read-only)"
pg_db=retort_smoke_pg_$$
psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $pg_db" || fail "psql could not create $pg_db"
PG_DBS+=("$pg_db")
PG=("${RUN[@]}" "${MIGRATIONS[@]}" -e "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$pg_db" "$IMAGE")
run "PostgreSQL upgrade" 0 "${PG[@]}" upgrade
expect "PostgreSQL upgrade" "$OUT" "to $PG_HEAD"
run "PostgreSQL plan" 0 "${PG[@]}" plan
expect "PostgreSQL plan after upgrade" "$OUT" "Nothing to do"
run "PostgreSQL current" 0 "${PG[@]}" current --json
ids=$(current_ids <<<"$OUT") || fail "PostgreSQL current --json: not JSON: $OUT"
[ "$ids" = "$PG_HEAD" ] || fail "PostgreSQL current is '$ids', expected $PG_HEAD"
echo "   current: $ids"

log "MariaDB: upgrade tests/fixtures/mysql-shop, current"
my_db=retort_smoke_my_$$
"$MYSQL" -h 127.0.0.1 -P 3306 -u root -e "CREATE DATABASE $my_db" || fail "$MYSQL could not create $my_db"
MY_DBS+=("$my_db")
MY=("${RUN[@]}" -v "$ROOT/tests/fixtures/mysql-shop:/workspace/mysql-shop:ro"
  -e "DATABASE_URL=mysql://root@127.0.0.1:3306/$my_db" "$IMAGE" --migrations /workspace/mysql-shop)
run "MariaDB heads" 0 "${MY[@]}" heads --json
my_head=$(node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(j.heads.join(","));' <<<"$OUT")
run "MariaDB upgrade" 0 "${MY[@]}" upgrade
run "MariaDB current" 0 "${MY[@]}" current --json
ids=$(current_ids <<<"$OUT") || fail "MariaDB current --json: not JSON: $OUT"
[ "$ids" = "$my_head" ] || fail "MariaDB current is '$ids', expected the fixture's head $my_head"
echo "   current: $ids"

log "--wait 5 against a closed port"
closed=
for p in 9 1 7 19 39; do port_open "$p" || { closed=$p; break; }; done
[ -n "$closed" ] || fail "found no closed port on 127.0.0.1 to test --wait against"
t0=$SECONDS
run "--wait 5 on 127.0.0.1:$closed" 1 "${RUN[@]}" "${MIGRATIONS[@]}" "$IMAGE" current --wait 5 \
  --database-url "postgresql://postgres@127.0.0.1:$closed/retort_smoke"
expect "--wait 5 on a closed port" "$ERR" "connection refused"
[ $((SECONDS - t0)) -ge 4 ] || fail "--wait 5 gave up after $((SECONDS - t0)) s"
echo "   exit 1 after $((SECONDS - t0)) s: $ERR"

log "alembic image: the Alembic tutorial's offline SQL, rendered by Alembic"
run "alembic upgrade head --sql" 0 "${RUN[@]}" "${FIXTURES[@]}" "$ALEMBIC_IMAGE" \
  --migrations /workspace/tests/fixtures/alembic-tutorial upgrade head --sql
expect "alembic upgrade head --sql" "$OUT" "-- Running upgrade"
expect "alembic upgrade head --sql" "$OUT" "INSERT INTO alembic_version"
if grep -q "cannot be rendered offline" <<<"$OUT$ERR"; then
  printf '%s\n' "$ERR" | tail -n 5 >&2
  fail "alembic upgrade head --sql: Alembic did not render the SQL inside $ALEMBIC_IMAGE"
fi

log "alembic image: the Alembic tutorial applied to PostgreSQL (psycopg2)"
al_db=retort_smoke_al_$$
psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $al_db" || fail "psql could not create $al_db"
PG_DBS+=("$al_db")
AL=("${RUN[@]}" "${FIXTURES[@]}" -e "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/$al_db"
  "$ALEMBIC_IMAGE" --migrations /workspace/tests/fixtures/alembic-tutorial)
run "alembic heads" 0 "${AL[@]}" heads --json
al_head=$(node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(j.heads.join(","));' <<<"$OUT")
run "alembic upgrade (online)" 0 "${AL[@]}" upgrade
run "alembic current" 0 "${AL[@]}" current --json
ids=$(current_ids <<<"$OUT") || fail "alembic current --json: not JSON: $OUT"
[ "$ids" = "$al_head" ] || fail "after the Alembic upgrade current is '$ids', expected $al_head"
echo "   current: $ids"
phase_end checks

# --- sizes ------------------------------------------------------------------------------
mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.1f MB", $1 / 1000000 }'; }
log "image sizes"
echo "   $IMAGE (runtime): $(mb "$IMAGE")"
echo "   $ALEMBIC_IMAGE (alembic): $(mb "$ALEMBIC_IMAGE")"
echo "   base node:24-bookworm-slim (local stand-in): $(mb docker.io/library/node:24-bookworm-slim)"
echo "container-smoke: OK in $((SECONDS - started)) s"
