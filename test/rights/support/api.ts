import crypto from 'node:crypto';
import type { Harness, HttpResult } from '../../support/harness';
import { Ingestor } from '../../../cloud/src/ingest/ingestor';
import { chinaDate } from '../../../cloud/src/common/china-time';
import { Scorer } from '../../../cloud/src/scoring/scorer';

export interface Part {
  name: string;
  filename?: string;
  /** RFC 5987 `filename*=UTF-8''…`, percent-encoded as given. */
  filenameStar?: string;
  contentType?: string;
  data: Buffer;
}

/** A multipart/form-data body built byte by byte, as wx.uploadFile sends it (field `file`). */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----heihe${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? '' : `; filename="${p.filename}"`}${p.filenameStar === undefined ? '' : `; filename*=UTF-8''${p.filenameStar}`}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${p.contentType ? `Content-Type: ${p.contentType}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head, 'utf8'), p.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs a multipart upload through the harness's recorder (its responses are leak-scanned). */
export async function upload(
  h: Harness,
  path: string,
  parts: Part[],
  auth: { accessToken: string } | null,
): Promise<HttpResult<Record<string, unknown>>> {
  const { body, contentType } = multipart(parts);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (auth) headers.authorization = `Bearer ${auth.accessToken}`;
  const res = await fetch(`${h.baseUrl}${path}`, { method: 'POST', headers, body: new Uint8Array(body) });
  const text = await res.text();
  h.responses.push({ request: `POST ${path} (multipart)`, status: res.status, text });
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed as Record<string, unknown>, text };
}

export const daysAgo = (n: number, from = new Date()) => chinaDate(new Date(from.getTime() - n * 86_400_000));

/** Delivers penalties for an entity through the ordinary ingestion path, then re-scores it. */
export async function deliverPenalties(
  h: Harness,
  uscc: string,
  entityId: number,
  rows: Array<{
    key: string;
    occurredOn: string;
    severity: 'minor' | 'general' | 'serious';
    summary: string;
    /** What 信用中国 shows beside the summary; the document number defaults to the summary. */
    documentNo?: string;
    content?: string;
    legalBasis?: string;
  }>,
) {
  const ingestor = new Ingestor(h.db, h.vault);
  const batch = await ingestor.startBatch('rights-e2e');
  const res = await ingestor.applyChunk(
    batch,
    rows.map((r, i) => ({
      line: i + 1,
      raw: {
        type: 'record',
        sourceSystem: 'rights-e2e',
        sourceId: `${uscc}-${r.key}`,
        uscc,
        kind: 'penalty',
        severity: r.severity,
        occurredOn: r.occurredOn,
        summary: r.summary,
        documentNo: r.documentNo ?? r.summary,
        authority: '黑河市市场监督管理局',
        ...(r.content ? { content: r.content } : {}),
        ...(r.legalBasis ? { legalBasis: r.legalBasis } : {}),
      },
    })),
  );
  await ingestor.finishBatch(batch, 'done');
  if (res.rejected) throw new Error(JSON.stringify(res.errors));
  await new Scorer(h.db).rescore([entityId], 'rights-e2e.delivery');
  const ids = await h.db.query<{ source_id: string; id: number }>(
    `SELECT source_id, id FROM credit_record WHERE source_system = 'rights-e2e' AND entity_id = $1`,
    [entityId],
  );
  return Object.fromEntries(ids.map((r) => [r.source_id.slice(uscc.length + 1), Number(r.id)])) as Record<
    string,
    number
  >;
}
