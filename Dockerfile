# retort's container image.
#
#   docker build -t retort .                            # the lean image (last stage, `runtime`)
#   docker build --target alembic -t retort:alembic .   # plus Debian's Alembic (Alembic projects)
#   docker run --rm -v "$PWD:/workspace" -e DATABASE_URL retort upgrade
#
# dist/ is committed, so nothing is compiled here: the image holds Node.js, dist/cli.js with the
# chunks it loads lazily (pg and mysql2 are bundled in them), package.json and the production
# node_modules (PGlite and the GitHub client, which the CLI loads from there).
# The stages are ordered so that a build without --target gives `runtime`.

# --- production dependencies only (no dev dependencies, no install scripts, no npm cache) ---
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Only node_modules leaves this stage (npm's cache stays behind). Strip what Node.js never
# loads: source maps, TypeScript sources and declarations, Markdown (licence files are kept),
# the packages' own tests and CI folders.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type d \( -name test -o -name tests -o -name __tests__ -o -name .github \) -prune -exec rm -rf {} + \
 && find node_modules -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \
      -o \( -name '*.md' ! -iname 'licen*' \) \) -delete

# --- the application, shared by the targets below ---
FROM node:24-bookworm-slim AS app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules /app/node_modules
COPY package.json /app/package.json
COPY dist/cli.js /app/dist/cli.js
COPY dist/cli-chunks /app/dist/cli-chunks
# `retort` on the PATH, for CI systems that override the entrypoint and run a script
# (GitLab's `entrypoint: [""]`, CircleCI, Bitbucket). The project is mounted at /workspace;
# without a mount the embedded database (.retort/pglite) is created there, so the non-root
# user may write to it.
RUN printf '#!/bin/sh\nexec node /app/dist/cli.js "$@"\n' >/usr/local/bin/retort \
 && chmod 755 /usr/local/bin/retort \
 && mkdir -p /workspace && chown node:node /workspace
WORKDIR /workspace
USER node
# Every option has a RETORT_* variable the CLI reads (README); flags win over them. The
# database comes at run time: `-e DATABASE_URL` (or RETORT_DATABASE_URL).
ENV RETORT_MIGRATIONS=migrations
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["--help"]

# --- `--target alembic`: the runtime plus Debian's Alembic, psycopg2 and PyMySQL ---
FROM app AS alembic
USER root
# `alembic` is the package of the `alembic` command (python3-alembic only recommends it).
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      alembic python3-alembic python3-psycopg2 python3-pymysql \
 && rm -rf /var/lib/apt/lists/*
USER node
# Alembic imports the mounted project's env.py and revisions: no __pycache__ written into it.
ENV RETORT_ALEMBIC_COMMAND=alembic \
    PYTHONDONTWRITEBYTECODE=1

# --- the default target: the lean image (keep this stage last) ---
FROM app AS runtime
LABEL org.opencontainers.image.description="retort: Alembic-compatible database migrations (PostgreSQL, MySQL/MariaDB, PGlite)"
