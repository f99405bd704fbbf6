import { parentPort } from 'node:worker_threads';
import { renderReportPdf, warmUp, type ReportDocument } from './pdf';

export type RenderReply = { id: number; data: Uint8Array; pages: number } | { id: number; error: string };

/** The report rendering thread: lays out and subsets the font off the event loop, one report at a time. */
parentPort!.on('message', ({ id, doc }: { id: number; doc: ReportDocument | null }) => {
  if (doc === null) {
    warmUp().then(
      () => parentPort!.postMessage({ id, data: new Uint8Array(0), pages: 0 } satisfies RenderReply),
      (e: unknown) =>
        parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies RenderReply),
    );
    return;
  }
  renderReportPdf({ ...doc, generatedAtInstant: new Date(doc.generatedAtInstant) }).then(
    ({ data, pages }) => parentPort!.postMessage({ id, data, pages } satisfies RenderReply),
    (e: unknown) =>
      parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) } satisfies RenderReply),
  );
});
