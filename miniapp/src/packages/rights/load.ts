import {
  getGoodInfoReport,
  getObjection,
  getRepairApplication,
  listMyGoodInfoReports,
  listMyObjections,
  listMyRepairApplications,
} from '@/api';
import type { AnyApplication, ApplicationKind } from '@/api/types';

/** The three kinds of application in one list, newest first. */
export async function loadMyApplications(entityId: number): Promise<AnyApplication[]> {
  const [objections, reports, repairs] = await Promise.all([
    listMyObjections(entityId),
    listMyGoodInfoReports(entityId),
    listMyRepairApplications(entityId),
  ]);
  const all: AnyApplication[] = [
    ...objections.items.map((a) => ({ ...a, kind: 'objection' as const })),
    ...reports.items.map((a) => ({ ...a, kind: 'good_info' as const })),
    ...repairs.items.map((a) => ({ ...a, kind: 'repair' as const })),
  ];
  return all.sort((a, b) => (a.filedAt < b.filedAt ? 1 : a.filedAt > b.filedAt ? -1 : b.id - a.id));
}

export async function loadApplication(kind: ApplicationKind, id: number): Promise<AnyApplication> {
  if (kind === 'objection') return { ...(await getObjection(id)), kind };
  if (kind === 'good_info') return { ...(await getGoodInfoReport(id)), kind };
  return { ...(await getRepairApplication(id)), kind };
}

export function isApplicationKind(value: string | undefined): value is ApplicationKind {
  return value === 'objection' || value === 'good_info' || value === 'repair';
}
