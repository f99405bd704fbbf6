import { parentPort } from 'node:worker_threads';
import { compiledModel, scoreChunk, type ChunkScoringTask, type ScoringReply } from './chunk-scoring';

/** The cycle's scoring thread: scores each chunk it is sent and sends back its encoded rows. */
parentPort!.on('message', ({ id, task }: { id: number; task: ChunkScoringTask }) => {
  let reply: ScoringReply;
  try {
    reply = { id, result: scoreChunk(task, compiledModel(task.model)) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  const copy = 'result' in reply ? reply.result.copy : null;
  parentPort!.postMessage(reply, copy ? [copy.buffer as ArrayBuffer] : []);
});
