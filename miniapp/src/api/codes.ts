import type { ErrorCode } from '@heihe/shared';

/** Failures that happen on the phone, before or instead of an API error body. */
export type ClientErrorCode =
  'NETWORK_TIMEOUT' | 'NETWORK_OFFLINE' | 'SERVER_UNAVAILABLE' | 'BAD_RESPONSE' | 'LOGIN_UNAVAILABLE' | 'UNKNOWN';

/** Every code the mini program names a message for: the API's, then its own (see i18n/zh.ts). */
export type ApiErrorCode = ErrorCode | ClientErrorCode;
