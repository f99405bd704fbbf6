#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` does not need it. Anything that does (migrate, db push, validate, format,
# --version) must fail loudly rather than "succeed" doing nothing, as /bin/true would.
echo "no-schema-engine: Prisma's native schema engine is not installed (offline machine)." >&2
echo "Use npm run db:migrate / npm run db:diff (cloud/src/db/migrator.ts, @prisma/schema-engine-wasm)." >&2
exit 1
