import { request } from './request';
import type { EntityEvaluation, EvaluationHistory, LoginResult } from './types';

export function loginWithWechat(code: string): Promise<LoginResult> {
  return request<LoginResult>('/auth/wechat/login', { method: 'POST', data: { code }, auth: false });
}

export function getEntityEvaluation(entityId: number): Promise<EntityEvaluation> {
  return request<EntityEvaluation>(`/entities/${encodeURIComponent(String(entityId))}/evaluation`);
}

export function listEvaluationHistory(entityId: number): Promise<EvaluationHistory> {
  return request<EvaluationHistory>(`/entities/${encodeURIComponent(String(entityId))}/evaluations`);
}
