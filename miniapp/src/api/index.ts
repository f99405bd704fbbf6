export * from './endpoints';
export * from './types';
export { ApiError, isRetryable, userMessage } from './errors';
export type { ApiErrorCode, ClientErrorCode } from './errors';
export { signInWithWechat, signOut } from './auth';
export {
  getSelectedEntityId,
  getUser,
  forgetPrivacyConsent,
  hasPrivacyConsent,
  isSignedIn,
  recordPrivacyConsent,
  saveEnterprises,
  selectEntity,
} from './session';
