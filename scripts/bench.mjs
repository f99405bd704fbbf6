#!/usr/bin/env node
// npm run bench -- <ingest | cycle | cycle-profile | pdf-attack | api | invest> [options]: runs one of the benchmarks in
// cloud/src/bench (each also has its own script: npm run bench:ingest, bench:cycle, …). Each prints
// its figures next to a baseline measured in the same run (docs/benchmarks.md).
import { spawnSync } from 'node:child_process';

const BENCHES = ['ingest', 'cycle', 'cycle-profile', 'pdf-attack', 'api', 'invest', 'queue', 'scale'];
const [name, ...options] = process.argv.slice(2);
if (!BENCHES.includes(name)) {
  console.error(`Usage: npm run bench -- <${BENCHES.join(' | ')}> [options]
  ingest          --records N    (default 1000000)
  cycle           --entities N   (default 1000000) [--rescores N]
  cycle-profile   --entities N   (default 200000) [--runs N]
  pdf-attack      --seconds N    (default 10) [--parallel N] [--streams N]
  api             --seconds N    (default 10) [--connections N (50)] [--rounds N (3)] [--entities N (2000)]
  invest          --entities N   (default 200000) [--targets N (200)]
  scale           --records N    (default 500000): CPU-s per 1M rows and 1k entities, bytes per row (docs/scale.md)
  queue           --cases N      (default 10000) [--entities N (5000)] [--reads N (1000)]`);
  process.exit(2);
}
const r = spawnSync('npm', ['run', `bench:${name}`, '-w', 'cloud', '--', ...options], { stdio: 'inherit' });
process.exit(r.status ?? 1);
