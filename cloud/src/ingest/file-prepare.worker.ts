import { parentPort, workerData } from 'node:worker_threads';
import { PiiVault } from '../pii';
import { ChunkCutter } from './cut';
import { readDeliveryFile, readRepeatedKeys } from './file-source';
import { prepareChunk, type PreparedChunk, type RawLine } from './prepare';

/** What the worker is started with. */
export interface FilePrepareJob {
  file: string;
  chunkSize: number;
  /** See `IngestRunOptions.bucketGroups`. */
  bucketGroups: number;
  keys: ReturnType<PiiVault['forWorker']>;
  /** Chunks prepared ahead of the one being written: bounds memory when the database is the slower side. */
  ahead: number;
}

/** What the worker posts: a prepared chunk with the bytes read so far, then `done`. */
export type FilePrepareMessage = { chunk: PreparedChunk; bytes: number } | { done: true; bytes: number };

/**
 * Reads, parses, validates, hashes and encodes a delivery file in a worker thread, chunk by chunk,
 * while the main thread writes the previous chunks: the two halves of ingestion run on two cores.
 * The file's keys are read first: a row that a later one replaces is left out of its chunk, whichever
 * chunk the later one is in. Chunks are cut per bucket group (`ChunkCutter`). The main thread posts `ack` for every chunk it has taken into its queue.
 */
async function run(job: FilePrepareJob) {
  const port = parentPort!;
  const superseded = await readRepeatedKeys(job.file);
  const vault = PiiVault.fromWorker(job.keys);
  let credits = job.ahead;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits++;
    wake?.();
  });
  let bytes = 0;
  const cutter = new ChunkCutter(job.chunkSize, job.bucketGroups);
  const post = async (lines: RawLine[]) => {
    port.postMessage({ chunk: prepareChunk(lines, vault, superseded), bytes } satisfies FilePrepareMessage);
    if (--credits <= 0) await new Promise<void>((r) => (wake = r));
    wake = null;
  };
  for await (const line of readDeliveryFile(job.file, (b) => (bytes = b))) {
    const full = cutter.add(line);
    if (full) await post(full);
  }
  for (const rest of cutter.rest()) await post(rest);
  port.postMessage({ done: true, bytes } satisfies FilePrepareMessage);
  port.removeAllListeners('message');
}

void run(workerData as FilePrepareJob);
