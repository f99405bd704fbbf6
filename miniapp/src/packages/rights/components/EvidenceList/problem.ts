import { zh } from '@/i18n/zh';
import type { EvidenceUploads } from './useEvidenceUploads';

/** Why the evidence cannot be submitted yet, or null. */
export function uploadsProblem(uploads: Pick<EvidenceUploads, 'busy' | 'failed'>): string | null {
  if (uploads.busy) return zh.evidence.waitUploads;
  if (uploads.failed) return zh.evidence.fixUploads;
  return null;
}
