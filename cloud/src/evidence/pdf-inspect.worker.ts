import { parentPort, workerData } from 'node:worker_threads';
import { checkPdfBytes, type PdfLimits, type PdfVerdict } from './pdf';

export type PdfInspectReply = { id: number; verdict: PdfVerdict } | { id: number; error: string };

const limits = workerData as PdfLimits;

/** One of the PDF inspection threads: checks each file it is sent and answers with the verdict. */
parentPort!.on('message', ({ id, data }: { id: number; data: Uint8Array }) => {
  let reply: PdfInspectReply;
  try {
    reply = { id, verdict: checkPdfBytes(data, limits) };
  } catch (e) {
    reply = { id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
