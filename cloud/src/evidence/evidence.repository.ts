import {
  AppError,
  ErrorCodes,
  type ApplicationKind,
  type EvidenceFileView,
  type RepairMaterialType,
} from '@heihe/shared';
import type { Sql } from '../db/database';

export interface EvidenceRow {
  id: string;
  entityId: number;
  uploadedByUser: number | null;
  storageKey: string;
  mime: EvidenceFileView['mime'];
  size: number;
  sha256: string;
  displayName: string;
  checkStatus: EvidenceFileView['checkStatus'];
  checkTraceId: string | null;
  applicationKind: ApplicationKind | null;
  applicationId: number | null;
  createdAt: Date | string;
}

export const EVIDENCE_COLUMNS = `id, entity_id AS "entityId", uploaded_by_user AS "uploadedByUser", storage_key AS "storageKey", mime, size,
  sha256, display_name AS "displayName", check_status AS "checkStatus", check_trace_id AS "checkTraceId",
  application_kind AS "applicationKind", application_id AS "applicationId", created_at AS "createdAt"`;

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

export function evidenceView(r: EvidenceRow, materialType: RepairMaterialType | null = null): EvidenceFileView {
  return {
    id: r.id,
    entityId: r.entityId,
    mime: r.mime,
    size: r.size,
    sha256: r.sha256,
    displayName: r.displayName,
    checkStatus: r.checkStatus,
    applicationKind: r.applicationKind,
    applicationId: r.applicationId,
    materialType,
    createdAt: iso(r.createdAt),
  };
}

/**
 * Repair materials are typed (承诺书, 履行证明, …) but evidence_file has no column for it yet: the
 * types travel as one internal application_event row per submission ('materials'), never shown
 * in the timeline. See the report for the proposed `evidence_file.material_type` column.
 */
export const MATERIALS_EVENT = 'materials';

export interface AttachRequest {
  entityId: number;
  kind: ApplicationKind;
  applicationId: number;
  ids: string[];
  maxFiles: number;
  at: Date;
  materials?: { evidenceId: string; type: RepairMaterialType }[];
}

/**
 * Attaches uploaded files to an application, in the caller's transaction. Each must belong to the
 * same enterprise and be attached to nothing yet; a file of another enterprise answers like a
 * missing one. The application's total stays within the configured count.
 */
export async function attachEvidence(sql: Sql, r: AttachRequest): Promise<void> {
  const ids = [...new Set(r.ids)];
  const [{ n } = { n: 0 }] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM evidence_file WHERE application_kind = $1 AND application_id = $2`,
    [r.kind, r.applicationId],
  );
  if (n + ids.length > r.maxFiles)
    throw new AppError(ErrorCodes.EVIDENCE_TOO_MANY, `每件申请最多 ${r.maxFiles} 份材料，当前已有 ${n} 份`);
  if (!ids.length) return;
  const rows = await sql.query<{ id: string; entityId: number; applicationId: number | null; checkStatus: string }>(
    `SELECT id, entity_id AS "entityId", application_id AS "applicationId", check_status AS "checkStatus"
     FROM evidence_file WHERE id = ANY($1::text[]) FOR UPDATE`,
    [ids],
  );
  const byId = new Map(rows.map((x) => [x.id, x]));
  for (const id of ids) {
    const f = byId.get(id);
    if (!f || f.entityId !== r.entityId)
      throw new AppError(ErrorCodes.NOT_FOUND, '证明材料不存在或不属于该企业，请重新上传', [
        { path: 'evidenceIds', message: id },
      ]);
    if (f.applicationId !== null)
      throw new AppError(ErrorCodes.CONFLICT, '该材料已用于其他申请，请重新上传', [
        { path: 'evidenceIds', message: id },
      ]);
    if (f.checkStatus === 'risky')
      throw new AppError(ErrorCodes.EVIDENCE_REJECTED, '材料未通过内容安全检查，请更换后重新上传', [
        { path: 'evidenceIds', message: id },
      ]);
  }
  await sql.query(`UPDATE evidence_file SET application_kind = $2, application_id = $3 WHERE id = ANY($1::text[])`, [
    ids,
    r.kind,
    r.applicationId,
  ]);
  if (r.materials?.length)
    await sql.query(
      `INSERT INTO application_event (application_kind, application_id, at, status, actor, note) VALUES ($1, $2, $3, $4, 'system', $5)`,
      [r.kind, r.applicationId, r.at.toISOString(), MATERIALS_EVENT, JSON.stringify(r.materials)],
    );
}

/** The evidence of each application, with repair material types where recorded. */
export async function evidenceOf(
  sql: Sql,
  kind: ApplicationKind,
  ids: number[],
): Promise<Map<number, EvidenceFileView[]>> {
  const out = new Map<number, EvidenceFileView[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await sql.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM evidence_file WHERE application_kind = $1 AND application_id = ANY($2::int[]) ORDER BY created_at, id`,
    [kind, ids],
  );
  const types = new Map<string, RepairMaterialType>();
  if (kind === 'repair') {
    const notes = await sql.query<{ note: string }>(
      `SELECT note FROM application_event WHERE application_kind = 'repair' AND application_id = ANY($1::int[]) AND status = $2`,
      [ids, MATERIALS_EVENT],
    );
    for (const n of notes)
      for (const m of JSON.parse(n.note) as { evidenceId: string; type: RepairMaterialType }[])
        types.set(m.evidenceId, m.type);
  }
  for (const r of rows) out.get(r.applicationId!)?.push(evidenceView(r, types.get(r.id) ?? null));
  return out;
}
