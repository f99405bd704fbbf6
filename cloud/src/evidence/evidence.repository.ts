import {
  AppError,
  ErrorCodes,
  type ApplicationKind,
  type EvidenceFileView,
  type RepairMaterialType,
} from '@heihe/shared';
import type { Sql } from '../db/database';
import type { EvidenceFile } from '../generated/prisma/client';

export type { EvidenceFile };

export function evidenceView(r: EvidenceFile, materialType: RepairMaterialType | null = null): EvidenceFileView {
  return {
    id: r.id,
    entityId: r.entityId,
    mime: r.mime as EvidenceFileView['mime'],
    size: r.size,
    sha256: r.sha256,
    displayName: r.displayName,
    checkStatus: r.checkStatus as EvidenceFileView['checkStatus'],
    applicationKind: r.applicationKind as ApplicationKind | null,
    applicationId: r.applicationId,
    materialType,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Repair materials are typed (承诺书, 履行证明, …): the types travel as one internal
 * application_event row per submission ('materials'), never shown in the timeline.
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
  const n = await sql.prisma.evidenceFile.count({
    where: { applicationKind: r.kind, applicationId: r.applicationId },
  });
  if (n + ids.length > r.maxFiles)
    throw new AppError(ErrorCodes.EVIDENCE_TOO_MANY, `每件申请最多 ${r.maxFiles} 份材料，当前已有 ${n} 份`);
  if (!ids.length) return;
  // Raw SQL: row locks on the files, so two applications cannot take the same one (no FOR UPDATE in Prisma Client).
  await sql.query(`SELECT 1 FROM evidence_file WHERE id = ANY($1::text[]) FOR UPDATE`, [ids]);
  const rows = await sql.prisma.evidenceFile.findMany({
    where: { id: { in: ids } },
    select: { id: true, entityId: true, applicationId: true, checkStatus: true },
  });
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
  await sql.prisma.evidenceFile.updateMany({
    where: { id: { in: ids } },
    data: { applicationKind: r.kind, applicationId: r.applicationId },
  });
  if (r.materials?.length)
    await sql.prisma.applicationEvent.create({
      data: {
        applicationKind: r.kind,
        applicationId: r.applicationId,
        at: r.at,
        status: MATERIALS_EVENT,
        actor: 'system',
        note: JSON.stringify(r.materials),
      },
    });
}

/** The evidence of each application, with repair material types where recorded. */
export async function evidenceOf(
  sql: Sql,
  kind: ApplicationKind,
  ids: number[],
): Promise<Map<number, EvidenceFileView[]>> {
  const out = new Map<number, EvidenceFileView[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await sql.prisma.evidenceFile.findMany({
    where: { applicationKind: kind, applicationId: { in: ids } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
  const types = new Map<string, RepairMaterialType>();
  if (kind === 'repair') {
    const notes = await sql.prisma.applicationEvent.findMany({
      where: { applicationKind: 'repair', applicationId: { in: ids }, status: MATERIALS_EVENT },
      select: { note: true },
    });
    for (const n of notes)
      for (const m of JSON.parse(n.note ?? '[]') as { evidenceId: string; type: RepairMaterialType }[])
        types.set(m.evidenceId, m.type);
  }
  for (const r of rows) out.get(r.applicationId!)?.push(evidenceView(r, types.get(r.id) ?? null));
  return out;
}
