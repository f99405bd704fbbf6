import type {
  CreateLoanApplication,
  DataAuthorization,
  DataAuthorizationList,
  LoanApplication,
  LoanApplicationList,
  LoanProductList,
} from '@heihe/shared';
import { request } from '@/api/request';

/** 信易贷 operations for the enterprise; each function is named after its operationId. */

const q = (entityId: number) => `entityId=${encodeURIComponent(String(entityId))}`;

export function listLoanProducts(entityId: number): Promise<LoanProductList> {
  return request<LoanProductList>(`/loans/products?${q(entityId)}`);
}

export function createLoanApplication(body: CreateLoanApplication): Promise<LoanApplication> {
  return request<LoanApplication>('/loans/applications', { method: 'POST', data: { ...body } });
}

export function listMyLoanApplications(entityId: number): Promise<LoanApplicationList> {
  return request<LoanApplicationList>(`/loans/applications/mine?${q(entityId)}`);
}

export function listMyAuthorizations(entityId: number): Promise<DataAuthorizationList> {
  return request<DataAuthorizationList>(`/loans/authorizations?${q(entityId)}`);
}

export function revokeDataAuthorization(id: number): Promise<DataAuthorization> {
  return request<DataAuthorization>(`/loans/authorizations/${encodeURIComponent(String(id))}/revoke`, {
    method: 'POST',
    data: {},
  });
}
