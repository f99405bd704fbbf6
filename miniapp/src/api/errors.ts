import { zh } from '@/i18n/zh';
import type { ApiErrorCode, ClientErrorCode } from './codes';

export type { ApiErrorCode, ClientErrorCode } from './codes';

const KNOWN_CODES = new Set<string>(Object.keys(zh.errors));

function isKnownCode(code: string): code is ApiErrorCode {
  return KNOWN_CODES.has(code);
}

const HAN = /[\u4e00-\u9fff]/;

/**
 * An error whose `message` is Chinese and safe to show to the user as is. `code` is the API's
 * code when it is one this build knows, else 'UNKNOWN' with the raw code kept in `serverCode`.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode;

  constructor(
    code: string,
    message: string,
    readonly status: number | null = null,
    readonly serverCode: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = isKnownCode(code) ? code : 'UNKNOWN';
  }

  static client(code: ClientErrorCode, status: number | null = null): ApiError {
    return new ApiError(code, zh.errors[code], status);
  }

  /**
   * Our own table wins, so the user reads one consistent voice; a Chinese server message is the
   * fallback for codes this build does not know yet.
   */
  static fromServer(status: number, code: string, serverMessage: string): ApiError {
    if (isKnownCode(code)) {
      return new ApiError(code, zh.errors[code], status, code);
    }
    const message = HAN.test(serverMessage) ? serverMessage : zh.errors.UNKNOWN;
    return new ApiError('UNKNOWN', message, status, code);
  }
}

/** The message to show for anything a page caught. */
export function userMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : zh.errors.UNKNOWN;
}

/** Failures that may pass on a second try: the network, a busy or failing server. */
const TRANSIENT = new Set<string>([
  'NETWORK_TIMEOUT',
  'NETWORK_OFFLINE',
  'SERVER_UNAVAILABLE',
  'BAD_RESPONSE',
  'INTERNAL',
  'RATE_LIMITED',
  'WECHAT_BUSY',
  'WECHAT_UNAVAILABLE',
  'UNKNOWN',
]);

/** Whether "重试" can help: never for a refusal of the file or the request itself. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError ? TRANSIENT.has(error.code) : true;
}
