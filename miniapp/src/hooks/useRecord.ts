import { useCallback } from 'react';
import { getEntityEvaluation } from '@/api';
import type { EntityEvaluation, EvaluationRecord } from '@/api/types';
import { findRecord, pointsOfRecord } from '@/utils/records';
import { useRemote, type Remote } from './useRemote';

export interface LoadedRecord {
  evaluation: EntityEvaluation;
  record: EvaluationRecord | null;
  points: number;
}

/** One record of an entity, read from its current evaluation. */
export function useRecord(
  entityId: number | null,
  recordId: number | null,
): [Remote<LoadedRecord>, (options?: { quiet?: boolean }) => void, boolean] {
  const load = useCallback(async (): Promise<LoadedRecord> => {
    const evaluation = await getEntityEvaluation(entityId as number);
    const rid = recordId as number;
    return { evaluation, record: findRecord(evaluation, rid), points: pointsOfRecord(evaluation, rid) };
  }, [entityId, recordId]);
  return useRemote(entityId === null || recordId === null ? null : `${entityId}:${recordId}`, load);
}
