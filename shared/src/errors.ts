/**
 * Domain errors carry a stable code. HTTP status is a mapping done once, at the API edge
 * (cloud/src/common/error.filter.ts); the domain never knows about HTTP.
 */
export const ErrorCodes = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  /** The request body is larger than the route accepts. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** The request body is not JSON (Content-Type) where the route reads JSON. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  INVALID_USCC: 'INVALID_USCC',
  INVALID_ID_NUMBER: 'INVALID_ID_NUMBER',
  MODEL_INVALID: 'MODEL_INVALID',
  MODEL_IMMUTABLE: 'MODEL_IMMUTABLE',
  CYCLE_RUNNING: 'CYCLE_RUNNING',
  WECHAT_INVALID_CODE: 'WECHAT_INVALID_CODE',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_RISKY_USER: 'WECHAT_RISKY_USER',
  WECHAT_BUSY: 'WECHAT_BUSY',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  FACE_VERIFY_FAILED: 'FACE_VERIFY_FAILED',
  /** The current privacy terms must be accepted before identity verification. */
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  /** Name, ID number and USCC do not match a registered legal representative; never says which. */
  IDENTITY_MISMATCH: 'IDENTITY_MISMATCH',
  EVIDENCE_TYPE_NOT_ALLOWED: 'EVIDENCE_TYPE_NOT_ALLOWED',
  EVIDENCE_TOO_LARGE: 'EVIDENCE_TOO_LARGE',
  EVIDENCE_TOO_MANY: 'EVIDENCE_TOO_MANY',
  EVIDENCE_MALFORMED: 'EVIDENCE_MALFORMED',
  EVIDENCE_IMAGE_TOO_LARGE: 'EVIDENCE_IMAGE_TOO_LARGE',
  EVIDENCE_REJECTED: 'EVIDENCE_REJECTED',
  APPLICATION_STATE: 'APPLICATION_STATE',
  APPLICATION_OPEN: 'APPLICATION_OPEN',
  REPAIR_TOO_EARLY: 'REPAIR_TOO_EARLY',
  REPAIR_NOT_APPLICABLE: 'REPAIR_NOT_APPLICABLE',
  LOAN_TRANSITION: 'LOAN_TRANSITION',
  LOAN_NOT_ELIGIBLE: 'LOAN_NOT_ELIGIBLE',
  /** A staff username already in use. */
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  /** A staff account or API client is not in a state that allows the change (already locked, disabled …). */
  ACCOUNT_STATE: 'ACCOUNT_STATE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}
