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
  INVALID_USCC: 'INVALID_USCC',
  INVALID_ID_NUMBER: 'INVALID_ID_NUMBER',
  CALENDAR_YEAR_NOT_LOADED: 'CALENDAR_YEAR_NOT_LOADED',
  MODEL_INVALID: 'MODEL_INVALID',
  MODEL_IMMUTABLE: 'MODEL_IMMUTABLE',
  CYCLE_RUNNING: 'CYCLE_RUNNING',
  WECHAT_INVALID_CODE: 'WECHAT_INVALID_CODE',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_RISKY_USER: 'WECHAT_RISKY_USER',
  WECHAT_BUSY: 'WECHAT_BUSY',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',
  FACE_VERIFY_FAILED: 'FACE_VERIFY_FAILED',
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
