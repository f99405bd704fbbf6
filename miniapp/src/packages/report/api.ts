import type { CreatedCreditReport, CreditReport, CreditReportList } from '@heihe/shared';
import { download, request } from '@/api/request';

/** The credit report operations (operationIds createCreditReport, listCreditReports, downloadCreditReport). */

export type { CreatedCreditReport, CreditReport };

export function createCreditReport(entityId: number, purpose: string): Promise<CreatedCreditReport> {
  return request<CreatedCreditReport>('/credit-reports', { method: 'POST', data: { entityId, purpose } });
}

export function listCreditReports(entityId: number): Promise<CreditReportList> {
  return request<CreditReportList>(`/credit-reports?entityId=${encodeURIComponent(String(entityId))}&limit=50`);
}

/** The PDF, to a temporary file (weapp) or a blob URL (H5). */
export function downloadCreditReport(reportId: number): Promise<string> {
  return download(`/credit-reports/${encodeURIComponent(String(reportId))}/file`);
}
