/** The one error body of the API's error filter, shared by every operation. */
type ErrorBody = { error: { code: string; message: string; details?: { path: string; message: string }[] } };

export const NETWORK = 'NETWORK';

/** An error as the API gave it ({ error: { code, message, details } }), or NETWORK. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static of(status: number, body: unknown): ApiError {
    const e = (body as Partial<ErrorBody> | undefined)?.error;
    if (e?.code && e.message) return new ApiError(status, e.code, e.message, e.details);
    return new ApiError(status, `HTTP_${status}`, `服务器返回错误（${status}），请稍后重试`);
  }
}

export const networkError = () => new ApiError(0, NETWORK, '无法连接服务器，请检查网络后重试');

export function messageOf(e: unknown): string {
  return e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
}
