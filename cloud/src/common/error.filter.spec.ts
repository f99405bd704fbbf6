import {
  ArgumentsHost,
  BadRequestException,
  Logger,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { AppError, ErrorCodes } from '@heihe/shared';
import { ErrorFilter } from './error.filter';

function respond(e: unknown): { status: number; body: { error: { code: string; message: string } } } {
  const out = { status: 0, body: undefined as unknown };
  const res = {
    headersSent: false,
    status(s: number) {
      out.status = s;
      return this;
    },
    json(b: unknown) {
      out.body = b;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(e, host);
  return out as { status: number; body: { error: { code: string; message: string } } };
}

/** What node-postgres and PGlite throw: the SQLSTATE in `code`, the server's text in `message`. */
function dbError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

const CJK = /[\u4e00-\u9fff]/;

describe('ErrorFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it.each([
    ['23505', 'duplicate key value violates unique constraint "regulator_subscription_name_key"', 409, 'CONFLICT'],
    ['23503', 'insert or update on table "objection" violates foreign key constraint', 409, 'CONFLICT'],
    ['23514', 'new row for relation "x" violates check constraint', 400, 'VALIDATION_FAILED'],
    ['22003', 'value "2147483648" is out of range for type integer', 400, 'VALIDATION_FAILED'],
    ['22P02', 'invalid input syntax for type integer: "0x1"', 400, 'VALIDATION_FAILED'],
    ['22021', 'invalid byte sequence for encoding "UTF8": 0x00', 400, 'VALIDATION_FAILED'],
    ['22008', 'date/time field value out of range: "2026-02-30"', 400, 'VALIDATION_FAILED'],
    ['40001', 'could not serialize access due to concurrent update', 409, 'CONFLICT'],
  ])('maps SQLSTATE %s to a Chinese %s that never quotes the database', (sqlstate, text, status, code) => {
    const sut = respond(dbError(sqlstate, text));

    expect(sut.status).toBe(status);
    expect(sut.body.error.code).toBe(code);
    expect(sut.body.error.message).toMatch(CJK);
    expect(JSON.stringify(sut.body)).not.toContain(text.slice(0, 12));
  });

  it('leaves other database errors a plain 500', () => {
    const sut = respond(dbError('53300', 'too many connections for role "heihe"'));

    expect(sut.status).toBe(500);
    expect(JSON.stringify(sut.body)).not.toContain('connections');
  });

  it('does not take a Node system error for a SQLSTATE', () => {
    expect(respond(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })).status).toBe(500);
  });

  it("answers the body parser's syntax error with 400 in Chinese, without its text", () => {
    const parseError = Object.assign(new SyntaxError('Unexpected token \'Z\', "ZQX" is not valid JSON'), {
      status: 400,
      type: 'entity.parse.failed',
      body: 'ZQX',
    });

    const sut = respond(parseError);

    expect(sut).toEqual({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', message: '请求体不是有效的 JSON' } },
    });
  });

  it('answers an oversized body 413 PAYLOAD_TOO_LARGE 请求体过大', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' });

    expect(respond(tooLarge)).toEqual({
      status: 413,
      body: { error: { code: 'PAYLOAD_TOO_LARGE', message: '请求体过大' } },
    });
    expect(respond(new PayloadTooLargeException()).body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('never shows the message of an HTTP exception', () => {
    const sut = respond(new BadRequestException("Failed to decode param '%ED%A0%80'"));

    expect(sut.status).toBe(400);
    expect(sut.body.error.message).toMatch(CJK);
    expect(JSON.stringify(sut.body)).not.toContain('decode');
  });

  it('keeps the unknown route 接口不存在', () => {
    expect(respond(new NotFoundException('Cannot GET /api/x')).body.error).toEqual({
      code: 'NOT_FOUND',
      message: '接口不存在',
    });
  });

  it('maps domain errors by code', () => {
    expect(respond(new AppError(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, '请以 JSON 提交')).status).toBe(415);
  });
});
