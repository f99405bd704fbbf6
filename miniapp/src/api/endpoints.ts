import { download, postExternal, request, upload } from './request';
import type {
  AuthOptions,
  Binding,
  CreateGoodInfoReport,
  CreateObjection,
  CreateRepairApplication,
  EntityEvaluation,
  EvaluationHistory,
  EvidenceFileView,
  FaceVerificationStart,
  GoodInfoReportView,
  IdentityElements,
  LoginResult,
  Me,
  MyXinyiPlus,
  ObjectionView,
  PersonalDataExport,
  PrivacyConsent,
  RepairApplicationView,
  RepairEligibility,
  Resubmit,
  ResubmitRepair,
  SubscribeTemplates,
  UnbindEnterpriseResult,
  UserMessage,
  UserMessageList,
  WithdrawPrivacyConsentResult,
} from './types';

/** One function per API operation; the name is the operationId in docs/api/openapi.json. */

const id = (n: number) => encodeURIComponent(String(n));

// ---- auth ----------------------------------------------------------------------------------------

export function getAuthOptions(): Promise<AuthOptions> {
  return request<AuthOptions>('/auth/options', { auth: false });
}

/** Demo mode only: a one-time login code from the fake WeChat, for the H5 build. */
export function getDemoLoginCode(url: string, openid: string): Promise<{ code: string }> {
  return postExternal<{ code: string }>(url, { openid });
}

export function loginWithWechat(code: string): Promise<LoginResult> {
  return request<LoginResult>('/auth/wechat/login', { method: 'POST', data: { code }, auth: false });
}

export function logout(): Promise<{ loggedOut: true }> {
  return request<{ loggedOut: true }>('/auth/logout', { method: 'POST' });
}

// ---- identity ------------------------------------------------------------------------------------

export function recordPrivacyConsentOnServer(version: string): Promise<PrivacyConsent> {
  return request<PrivacyConsent>('/me/privacy-consent', { method: 'POST', data: { version } });
}

export function startFaceVerification(elements: IdentityElements): Promise<FaceVerificationStart> {
  return request<FaceVerificationStart>('/identity/face-verifications', { method: 'POST', data: { ...elements } });
}

export function verifyIdentity(elements: IdentityElements & { verifyToken?: string }): Promise<Binding> {
  return request<Binding>('/identity/verifications', { method: 'POST', data: { ...elements } });
}

/** Everything the platform holds about the signed-in user, masked; the read is audited (PIPL Art. 45). */
export function getMe(): Promise<Me> {
  return request<Me>('/me');
}

/** A copy of my personal data to keep (the export is audited). */
export function exportMyPersonalData(): Promise<PersonalDataExport> {
  return request<PersonalDataExport>('/me/personal-data');
}

export function withdrawPrivacyConsent(): Promise<WithdrawPrivacyConsentResult> {
  return request<WithdrawPrivacyConsentResult>('/me/privacy-consent/withdraw', { method: 'POST', data: {} });
}

export function unbindEnterprise(entityId: number): Promise<UnbindEnterpriseResult> {
  return request<UnbindEnterpriseResult>(`/me/enterprises/${id(entityId)}`, { method: 'DELETE' });
}

// ---- messages ------------------------------------------------------------------------------------

export function listMyMessages(query: { unread?: boolean; before?: number } = {}): Promise<UserMessageList> {
  const q = [...(query.unread ? ['unread=true'] : []), ...(query.before ? [`before=${id(query.before)}`] : [])].join(
    '&',
  );
  return request<UserMessageList>(`/me/messages${q ? `?${q}` : ''}`);
}

export function markMessageRead(messageId: number): Promise<UserMessage> {
  return request<UserMessage>(`/me/messages/${id(messageId)}/read`, { method: 'POST', data: {} });
}

export function markAllMessagesRead(): Promise<{ marked: number }> {
  return request<{ marked: number }>('/me/messages/read-all', { method: 'POST', data: {} });
}

/** The 信易+ measures for me as the legal representative of this enterprise, or why none apply. */
export function getMyXinyiPlus(entityId: number): Promise<MyXinyiPlus> {
  return request<MyXinyiPlus>(`/results/entities/${id(entityId)}/xinyi-plus`);
}

export function listMyEnterprises(): Promise<{ items: Binding[] }> {
  return request<{ items: Binding[] }>('/me/enterprises');
}

// ---- evaluations ---------------------------------------------------------------------------------

export function getEntityEvaluation(entityId: number): Promise<EntityEvaluation> {
  return request<EntityEvaluation>(`/entities/${id(entityId)}/evaluation`);
}

/** A published model's indicators and points (public): lets the phone estimate under any version. */
export function getPublishedModel(version: number): Promise<{ version: number; definition: unknown }> {
  return request<{ version: number; definition: unknown }>(`/models/${id(version)}/definition`);
}

export function listEvaluationHistory(entityId: number): Promise<EvaluationHistory> {
  return request<EvaluationHistory>(`/entities/${id(entityId)}/evaluations`);
}

// ---- rights --------------------------------------------------------------------------------------

export function uploadEvidence(
  entityId: number,
  file: { filePath: string; fileName?: string },
  onProgress?: (percent: number) => void,
): Promise<EvidenceFileView> {
  return upload<EvidenceFileView>(`/entities/${id(entityId)}/evidence`, { ...file, onProgress });
}

export function createObjection(body: CreateObjection): Promise<ObjectionView> {
  return request<ObjectionView>('/objections', { method: 'POST', data: { ...body } });
}

export function listMyObjections(entityId: number): Promise<{ items: ObjectionView[] }> {
  return request<{ items: ObjectionView[] }>(`/objections?entityId=${id(entityId)}`);
}

export function getObjection(applicationId: number): Promise<ObjectionView> {
  return request<ObjectionView>(`/objections/${id(applicationId)}`);
}

/** Answers a return for material (退回补正): new files, a note, and optionally the statement rewritten. */
export function resubmitObjection(applicationId: number, body: Resubmit): Promise<ObjectionView> {
  return request<ObjectionView>(`/objections/${id(applicationId)}/resubmission`, { method: 'POST', data: { ...body } });
}

export function createGoodInfoReport(body: CreateGoodInfoReport): Promise<GoodInfoReportView> {
  return request<GoodInfoReportView>('/good-info-reports', { method: 'POST', data: { ...body } });
}

export function listMyGoodInfoReports(entityId: number): Promise<{ items: GoodInfoReportView[] }> {
  return request<{ items: GoodInfoReportView[] }>(`/good-info-reports?entityId=${id(entityId)}`);
}

export function getGoodInfoReport(applicationId: number): Promise<GoodInfoReportView> {
  return request<GoodInfoReportView>(`/good-info-reports/${id(applicationId)}`);
}

export function resubmitGoodInfoReport(applicationId: number, body: Resubmit): Promise<GoodInfoReportView> {
  return request<GoodInfoReportView>(`/good-info-reports/${id(applicationId)}/resubmission`, {
    method: 'POST',
    data: { ...body },
  });
}

export function getRepairEligibility(entityId: number, recordId: number): Promise<RepairEligibility> {
  return request<RepairEligibility>(`/entities/${id(entityId)}/records/${id(recordId)}/repair-eligibility`);
}

export function createRepairApplication(body: CreateRepairApplication): Promise<RepairApplicationView> {
  return request<RepairApplicationView>('/repair-applications', { method: 'POST', data: { ...body } });
}

export function listMyRepairApplications(entityId: number): Promise<{ items: RepairApplicationView[] }> {
  return request<{ items: RepairApplicationView[] }>(`/repair-applications?entityId=${id(entityId)}`);
}

export function getRepairApplication(applicationId: number): Promise<RepairApplicationView> {
  return request<RepairApplicationView>(`/repair-applications/${id(applicationId)}`);
}

export function resubmitRepairApplication(applicationId: number, body: ResubmitRepair): Promise<RepairApplicationView> {
  return request<RepairApplicationView>(`/repair-applications/${id(applicationId)}/resubmission`, {
    method: 'POST',
    data: { ...body },
  });
}

/** One's own uploaded file, downloaded to a temporary path (weapp) or blob URL (H5) to open. */
export function downloadEvidence(fileId: string): Promise<string> {
  return download(`/evidence/${encodeURIComponent(fileId)}/content`);
}

// ---- notifications -------------------------------------------------------------------------------

export function getSubscribeTemplates(): Promise<SubscribeTemplates> {
  return request<SubscribeTemplates>('/notify/templates');
}

export function recordSubscribeConsent(templateIds: string[]): Promise<{ recorded: number }> {
  return request<{ recorded: number }>('/notify/consents', { method: 'POST', data: { templateIds } });
}
