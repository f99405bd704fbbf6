import { parentPort } from 'node:worker_threads';
import { scoreChunk, type ChunkScoringTask, type ScoringReply } from './chunk-scoring';
import { compileStored } from './model.repository';

/**
 * The size of the last chunk's rows: the next chunk's encoder starts a little above it, so its
 * buffer is allocated once instead of doubled a dozen times (each a large allocation the garbage
 * collector is told about).
 */
let lastBytes = 1 << 16;

/** The cycle's scoring thread: scores each chunk it is sent and sends back its encoded rows. */
parentPort!.on('message', ({ id, task }: { id: number; task: ChunkScoringTask }) => {
  let reply: ScoringReply;
  try {
    reply = { id, result: scoreChunk(task, compileStored(task.model), Math.ceil(lastBytes * 1.25)) };
    lastBytes = Math.max(1 << 16, reply.result.copy.byteLength);
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  const copy = 'result' in reply ? reply.result.copy : null;
  parentPort!.postMessage(reply, copy ? [copy.buffer as ArrayBuffer] : []);
});
