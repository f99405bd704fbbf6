import http from 'node:http';
import fc from 'fast-check';
import { registeredEndpoints, type Caller } from '../../cloud/src/common/endpoint';
import { buildOpenApi } from '../../cloud/src/common/openapi';
import { testBackends } from '../../cloud/src/testing/test-db';
import { Harness, type Auth } from '../support/harness';

/**
 * No 5xx for any input. Every operation of the OpenAPI document gets malformed requests derived
 * from its own schemas (wrong types, missing fields, huge strings, NUL, lone surrogates, emoji,
 * integers beyond int4, impossible dates, odd path ids, invalid JSON, a wrong content type, an
 * oversized body), sent as each caller the endpoint declares and as one it refuses. Every answer
 * must come within 5 s, below 500, and every error must be `{ error: { code, message } }` with a
 * Chinese message that echoes neither the request nor a parser's or the database's text.
 */

// Per operation: a few hundred requests, some of them megabytes.
jest.setTimeout(60_000);

const SEED = 20261201;
const MARK = 'ZQXFUZZ';
const SLOW_MS = 5_000;
/** Cases sent as the other callers (besides the first declared one, which gets them all). */
const CASES_PER_OTHER_ROLE = 4;

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  default?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

interface Operation {
  operationId: string;
  method: string;
  /** Without the /api prefix, with `{name}` placeholders. */
  path: string;
  callers: Caller[];
  params: Parameter[];
  body: JsonSchema | null;
}

function operations(): Operation[] {
  const doc = buildOpenApi('api') as {
    paths: Record<
      string,
      Record<
        string,
        {
          operationId: string;
          'x-callers': Caller[];
          parameters: Parameter[];
          requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
        }
      >
    >;
  };
  const ops: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(byMethod))
      ops.push({
        operationId: op.operationId,
        method: method.toUpperCase(),
        path: path.replace(/^\/api/, ''),
        callers: op['x-callers'],
        params: op.parameters,
        body: op.requestBody?.content['application/json'].schema ?? null,
      });
  // Logout ends the sessions it is sent with: last, with sessions of its own.
  return ops.sort((a, b) => Number(a.operationId === 'logout') - Number(b.operationId === 'logout'));
}

// ---- What to send ------------------------------------------------------------------------------

/** The known-good values a baseline request is built from. */
interface Known {
  entityId: number;
  recordId: number;
  uscc: string;
  legalRepName: string;
  idNumber: string;
  privacyVersion: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const TEXT = '模糊测试用的说明文字内容，足够长以通过最短长度';

function sampleString(s: JsonSchema, name: string, k: Known): string {
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  if (s.format === 'uri' || name === 'webhookUrl') return 'https://example.com/hook';
  const p = s.pattern ?? '';
  if (p.includes('\\d{4}-\\d{2}-\\d{2}') || /Date|On$|From$|dueBy/.test(name)) return '2026-03-02';
  if (p.includes('[A-T]')) return 'C';
  if (p.includes('[0-9a-f]{64}')) return 'a'.repeat(64);
  if (p.includes('\\d{6}')) return '231102';
  if (p.includes('\\d{2,6}')) return '2311';
  if (p.includes('[1-9]') || p.includes('\\d{1,18}')) return '1';
  if (name === 'version') return k.privacyVersion;
  if (name === 'uscc') return k.uscc;
  if (name === 'idNumber') return k.idNumber;
  if (name === 'name' && s.maxLength === 64) return k.legalRepName;
  if (name === 'username') return 'fuzz-nobody';
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? TEXT.length;
  return TEXT.slice(0, Math.max(min, Math.min(12, max)));
}

function sample(s: JsonSchema, name: string, k: Known): Json {
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0]!, name, k);
  if (s.allOf) return sample(Object.assign({}, ...s.allOf) as JsonSchema, name, k);
  if (s.enum) return s.enum[0] as Json;
  switch (s.type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([p, ps]) => [p, sample(ps, p, k)]));
    case 'array':
      return Array.from({ length: Math.max(s.minItems ?? 0, 1) }, () => sample(s.items ?? {}, name, k));
    case 'integer':
    case 'number':
      if (name === 'entityId') return k.entityId;
      if (name === 'recordId') return k.recordId;
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'string':
      return s.default !== undefined ? (s.default as Json) : sampleString(s, name, k);
    default:
      return s.default !== undefined ? (s.default as Json) : 'x';
  }
}

/** Operations whose generic baseline would not reach their validation. */
function baselineBody(op: Operation, k: Known): Json | undefined {
  if (op.operationId === 'ingestRecords')
    return {
      rows: [
        {
          type: 'record',
          sourceSystem: 'fuzz',
          sourceId: 'fz-1',
          uscc: k.uscc,
          kind: 'penalty',
          severity: 'minor',
          category: 'fuzz',
          amount: 100,
          occurredOn: '2026-03-02',
          validFrom: '2026-03-02',
          documentNo: '黑模糊〔2026〕1号',
          authority: '模糊测试局',
          summary: '模糊测试摘要',
        },
      ],
    };
  return op.body ? sample(op.body, 'body', k) : undefined;
}

function pathParamBaseline(p: Parameter, k: Known): string {
  if (p.name === 'entityId') return String(k.entityId);
  if (p.name === 'recordId') return String(k.recordId);
  if (p.name === 'year') return '2030';
  return String(sample(p.schema, p.name, k));
}

interface Leaf {
  path: (string | number)[];
  value: string | number | boolean | null;
}

function leaves(v: Json, path: (string | number)[] = [], depth = 0): Leaf[] {
  if (v === null || typeof v !== 'object') return path.length ? [{ path, value: v }] : [];
  if (depth >= 4) return [];
  const entries: [string | number, Json][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  return entries.flatMap(([key, x]) => leaves(x, [...path, key], depth + 1));
}

const clone = <T>(v: T): T => structuredClone(v);

/** The schema of a body's field (through arrays and the first non-null alternative). */
function schemaAt(s: JsonSchema | null | undefined, path: (string | number)[]): JsonSchema | undefined {
  let at = s ?? undefined;
  for (const key of path) {
    const alt = at?.anyOf ?? at?.oneOf;
    if (alt) at = alt.find((a) => a.type !== 'null') ?? alt[0];
    at = typeof key === 'number' ? at?.items : at?.properties?.[key];
  }
  const alt = at?.anyOf ?? at?.oneOf;
  return alt ? (alt.find((a) => a.type !== 'null') ?? alt[0]) : at;
}

function setAt(root: Json, path: (string | number)[], value: Json | undefined): Json {
  const copy = clone(root);
  let at = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(at)) at.splice(last as number, 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

type Expect =
  /** Anything below 500. */
  | 'no-5xx'
  /** 400 from the allowed callers (the auth check may answer first for the others). */
  | '400'
  /** Always 413 with PAYLOAD_TOO_LARGE: the size check comes before authentication. */
  | '413'
  | '400-or-415'
  /** 400, or for an ingest row a 200 report that rejects the row. */
  | 'rejected';

interface Case {
  category: string;
  label: string;
  method: string;
  path: string;
  query?: string;
  contentType?: string;
  /** Raw body text; undefined sends none. */
  body?: string | Buffer;
  expect: Expect;
}

const LONG = `${MARK}${'长'.repeat(8)}${'a'.repeat(1_000_000)}`;
const STRING_PAYLOADS: Array<[string, string, boolean]> = [
  // label, value, must the allowed callers get 400 (or a rejected ingest row)?
  ['NUL', `${MARK}\u0000nul`, true],
  ['lone high surrogate', `${MARK}\uD800x`, true],
  ['lone low surrogate', `${MARK}\uDC00`, true],
  ['1 MB string', LONG, false],
  ['emoji', `${MARK}😀👨‍👩‍👧‍👦🇨🇳`, false],
  ['control and bidi characters', `${MARK}\u0001\u001b[31m\u202e\uFEFF`, false],
];
const NUMBER_PAYLOADS: Array<[string, Json]> = [
  ['2^31', 2 ** 31],
  ['negative', -1],
  ['2^53 + 2', 2 ** 53 + 2],
  ['1e20', 1e20],
  ['fraction', 1.5],
  ['zero', 0],
];
const DATE_PAYLOADS = ['2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '0000-01-01'];
/** Non-canonical or out-of-range numeric path ids: each must be 400 for the allowed callers. */
const BAD_IDS = ['0x1', '1e0', '+1', '1.0', '%201', '01', '-1', '0', '2147483648', '99999999999999999999', '1%00'];
/** Path ids that may also route elsewhere: anything below 500. */
const ODD_IDS = ['../', '..%2F', '%2e%2e', '%F0%9F%98%80', '%ED%A0%80', 'null', '%20'];
const QUERY_VALUES = [
  '2147483648',
  '-1',
  'abc',
  '%00',
  '1e3',
  '0x10',
  '2026-02-30',
  '%ED%A0%80',
  `${MARK}${'a'.repeat(5000)}`,
];

/** A date field: named like one (occurredOn, effectiveFrom, validTo, dueBy, holidays[i]) and holding a date. */
function isDateLeaf(l: Leaf): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}$/.test(String(l.value)) &&
    l.path.some((p) => typeof p === 'string' && /On$|From$|To$|^dueBy$|^holidays$|^makeupWorkdays$/.test(p))
  );
}

function wrongTypeFor(v: Leaf['value']): Json[] {
  if (typeof v === 'string') return [12345, { [MARK]: 1 }];
  if (typeof v === 'number') return ['12345abc', [1]];
  if (typeof v === 'boolean') return ['true'];
  return [[MARK]];
}

/** The operation's path with `values` in it; what a client cannot put in a path unescaped (spaces, CJK, controls) is percent-encoded, the ASCII oddities are sent as they are. */
function fillPath(op: Operation, values: Record<string, string>): string {
  const escape = (c: string) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '%EF%BF%BD'; // a lone surrogate: U+FFFD, as a browser sends it
    }
  };
  return op.path.replace(/\{(\w+)\}/g, (_, n: string) => values[n]!.replace(/[^\x21-\x7e]/gu, escape));
}

/** Up to `n` items, spread evenly over `xs`. */
function spread<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

function casesFor(op: Operation, k: Known): Case[] {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const goodPath = Object.fromEntries(pathParams.map((p) => [p.name, pathParamBaseline(p, k)]));
  const goodQuery = queryParams
    .filter((p) => p.required)
    .map((p) => `${p.name}=${encodeURIComponent(sampleString(p.schema, p.name, k))}`);
  const base = clone(baselineBody(op, k));
  const isIngest = op.operationId === 'ingestRecords';
  const hasBody = op.method !== 'GET';
  const json = (label: string, category: string, body: Json | undefined, expect: Expect = 'no-5xx'): Case => ({
    category,
    label,
    method: op.method,
    path: fillPath(op, goodPath),
    query: goodQuery.join('&'),
    contentType: 'application/json',
    body: body === undefined ? (hasBody ? '{}' : undefined) : JSON.stringify(body),
    expect,
  });
  const cases: Case[] = [json('baseline', 'baseline', base)];

  if (base !== undefined) {
    const ls = leaves(base);
    // Wrong types, the body itself and each field; missing fields.
    for (const wrong of [[], 'text', 42, null] as Json[])
      cases.push(json(`body ${JSON.stringify(wrong)}`, 'type', wrong));
    for (const l of spread(ls, 8))
      for (const w of wrongTypeFor(l.value))
        cases.push(json(`${l.path.join('.')} ← ${JSON.stringify(w)}`, 'type', setAt(base, l.path, w)));
    for (const l of spread(ls, 6))
      cases.push(json(`${l.path.join('.')} missing`, 'missing', setAt(base, l.path, undefined)));
    if (typeof base === 'object' && base !== null && !Array.isArray(base)) cases.push(json('{}', 'missing', {}));

    // Strings: NUL and lone surrogates in every string field, the rest spread over them.
    const strings = ls.filter((l) => typeof l.value === 'string');
    for (const [label, value, strict] of STRING_PAYLOADS)
      for (const l of strict ? strings : spread(strings, 2))
        cases.push(
          json(`${l.path.join('.')} ← ${label}`, 'string', setAt(base, l.path, value), strict ? 'rejected' : 'no-5xx'),
        );

    // Numbers: every id one past its declared maximum (int4's unless the schema says more: record
    // ids are BIGINT, ADR 0023); the rest spread over the numeric fields.
    const numbers = ls.filter((l) => typeof l.value === 'number');
    for (const l of numbers.filter((x) => /id$/i.test(String(x.path[x.path.length - 1])))) {
      const max = schemaAt(op.body, l.path)?.maximum ?? 2 ** 31 - 1;
      const past = max + 1;
      cases.push(
        json(
          `${l.path.join('.')} ← ${past === 2 ** 31 ? '2^31' : past === 2 ** 53 ? '2^53' : past}`,
          'integer',
          setAt(base, l.path, past),
          isIngest ? 'no-5xx' : '400',
        ),
      );
    }
    for (const [label, value] of NUMBER_PAYLOADS)
      for (const l of spread(numbers, 2))
        cases.push(json(`${l.path.join('.')} ← ${label}`, 'integer', setAt(base, l.path, value)));

    // Impossible dates in every date field.
    for (const l of strings.filter(isDateLeaf))
      for (const d of DATE_PAYLOADS)
        cases.push(json(`${l.path.join('.')} ← ${d}`, 'date', setAt(base, l.path, d), 'rejected'));

    // Random strings and JSON values from fast-check, into a string field and as the body.
    const target = strings[0];
    if (target)
      for (const s of fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { seed: SEED, numRuns: 3 }))
        cases.push(json(`${target.path.join('.')} ← fc string`, 'random', setAt(base, target.path, `${MARK}${s}`)));
    for (const v of fc.sample(fc.jsonValue({ maxDepth: 2 }), { seed: SEED, numRuns: 3 }))
      cases.push(json('fc json body', 'random', v as Json));
  }

  // Path ids.
  for (const p of pathParams) {
    for (const id of BAD_IDS) {
      const outboxBig = p.name === 'id' && op.path.startsWith('/outbox') && /^\d+$/.test(id);
      cases.push({
        ...json(`${p.name} = ${id}`, 'path id', base),
        path: fillPath(op, { ...goodPath, [p.name]: id }),
        expect: id === '2147483648' || id === '99999999999999999999' || outboxBig ? 'no-5xx' : '400',
      });
    }
    for (const id of ODD_IDS)
      cases.push({ ...json(`${p.name} = ${id}`, 'path id', base), path: fillPath(op, { ...goodPath, [p.name]: id }) });
  }

  // Query parameters.
  for (const p of queryParams)
    for (const v of QUERY_VALUES) {
      const rest = goodQuery.filter((q) => !q.startsWith(`${p.name}=`));
      const isDate = (p.schema.pattern ?? '').includes('\\d{4}-') || p.name === 'dueBy';
      cases.push({
        ...json(`?${p.name}=${v.slice(0, 20)}`, 'query', base),
        query: [...rest, `${p.name}=${v}`].join('&'),
        expect: isDate && v === '2026-02-30' ? '400' : 'no-5xx',
      });
    }
  for (const p of queryParams.slice(0, 2)) {
    cases.push({
      ...json(`?${p.name} twice`, 'query', base),
      query: [...goodQuery, `${p.name}=1`, `${p.name}=2`].join('&'),
    });
    cases.push({ ...json(`?${p.name}[x]=1`, 'query', base), query: [...goodQuery, `${p.name}[x]=1`].join('&') });
  }

  // Raw bodies: invalid JSON, a wrong content type, an oversized body.
  if (hasBody) {
    const raw = (label: string, body: string | Buffer, contentType: string, expect: Expect): Case => ({
      ...json(label, 'raw body', base),
      body,
      contentType,
      expect,
    });
    cases.push(raw('invalid JSON', `{"${MARK}": tru`, 'application/json', '400'));
    cases.push(raw('trailing comma', `{"a":1,}`, 'application/json', '400'));
    cases.push(raw('NUL in JSON text', `{"a":"\u0000${MARK}"\u0000}`, 'application/json', '400'));
    cases.push(raw('JSON with BOM and garbage', `\uFEFF${MARK}`, 'application/json', '400'));
    if (op.body && op.operationId !== 'uploadEvidence')
      cases.push(raw('wrong content type', JSON.stringify(base ?? {}), 'text/plain', '400-or-415'));
    cases.push(
      raw(
        'truncated multipart',
        `--${MARK}\r\nContent-Disposition: form-data; name="file"; filename="${MARK}.png"\r\n\r\n\u0089PNG`,
        `multipart/form-data; boundary=${MARK}`,
        'no-5xx',
      ),
    );
    cases.push(
      raw('form content type', `${MARK}=1`, 'application/x-www-form-urlencoded', op.body ? '400-or-415' : 'no-5xx'),
    );
    // Operations with a body limit of their own (bodyLimit, or multipart) take 2 MB.
    if (!['ingestRecords', 'uploadEvidence', 'publishTypicalCase'].includes(op.operationId))
      cases.push(raw('2 MB body', JSON.stringify({ a: `${MARK}${'b'.repeat(2_000_000)}` }), 'application/json', '413'));
  }
  return cases;
}

// ---- How to send -------------------------------------------------------------------------------

interface Answer {
  status: number;
  text: string;
  ms: number;
}

function send(h: Harness, c: Case, auth: Auth): Promise<Answer> {
  const url = new URL(h.baseUrl);
  const headers: Record<string, string> = {};
  if (c.contentType && c.body !== undefined) headers['content-type'] = c.contentType;
  if (auth && 'accessToken' in auth) headers.authorization = `Bearer ${auth.accessToken}`;
  if (auth && 'apiKey' in auth) headers['x-api-key'] = auth.apiKey;
  const body = typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body;
  if (body) headers['content-length'] = String(body.length);
  const started = performance.now();
  return new Promise((resolve) => {
    let answered = false;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: `/api${c.path}${c.query ? `?${c.query}` : ''}`,
        headers,
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    // The server may answer (413, 401) and close before a large body is written: keep its answer.
    req.on('error', (e) => {
      if (!answered) resolve({ status: 0, text: `connection error: ${e.message}`, ms: performance.now() - started });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const CJK = /[\u4e00-\u9fff]/;
/** Text an error must never carry: the request's own strings, parser and database wording. */
const ECHOES = [
  MARK,
  '\u0000',
  '\\u0000',
  '\\ud800',
  '\\udc00',
  'Unexpected token',
  'Unexpected end',
  'in JSON at position',
  'SyntaxError',
  'is not valid JSON',
  'duplicate key',
  'violates',
  'invalid input syntax',
  'out of range',
  'SQLSTATE',
  'node_modules',
  '    at ',
];

function problems(c: Case, a: Answer, allowed: boolean, isIngest: boolean): string[] {
  const out: string[] = [];
  if (a.status === 0 || a.status >= 500) out.push(`status ${a.status}`);
  if (a.ms > SLOW_MS) out.push(`took ${Math.round(a.ms)} ms`);
  if (a.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(a.text);
    } catch {
      body = undefined;
    }
    const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    if (
      !body ||
      Object.keys(body as object).join() !== 'error' ||
      typeof err?.code !== 'string' ||
      typeof err.message !== 'string'
    )
      out.push(`error body not { error: { code, message } }: ${a.text.slice(0, 120)}`);
    else if (!CJK.test(err.message)) out.push(`message not Chinese: ${err.message.slice(0, 120)}`);
    for (const e of ECHOES) if (a.text.includes(e)) out.push(`error echoes ${JSON.stringify(e)}`);
  }
  const code = (() => {
    try {
      return (JSON.parse(a.text) as { error?: { code?: string } }).error?.code;
    } catch {
      return undefined;
    }
  })();
  switch (c.expect) {
    case '413':
      if (a.status !== 413 || code !== 'PAYLOAD_TOO_LARGE' || !a.text.includes('请求体过大'))
        out.push(`expected 413 PAYLOAD_TOO_LARGE 请求体过大, got ${a.status} ${code}`);
      break;
    case '400':
      if (allowed && a.status !== 400) out.push(`expected 400, got ${a.status}`);
      break;
    case '400-or-415':
      if (allowed && a.status !== 400 && a.status !== 415) out.push(`expected 400 or 415, got ${a.status}`);
      break;
    case 'rejected':
      if (!allowed) break;
      if (isIngest) {
        const rejected = (() => {
          try {
            return (JSON.parse(a.text) as { rejected?: number }).rejected;
          } catch {
            return undefined;
          }
        })();
        if (a.status !== 400 && !(a.status === 200 && rejected === 1))
          out.push(`expected the row rejected, got ${a.status} ${a.text.slice(0, 120)}`);
      } else if (a.status !== 400) out.push(`expected 400, got ${a.status}`);
      break;
    default:
  }
  return out;
}

// ---- The suite ---------------------------------------------------------------------------------

const OPS = operations();

describe.each(testBackends())('fuzzing every operation on %s', (backend) => {
  let h: Harness;
  let known: Known;
  /** Principals by caller kind; `logout` gets sessions of its own. */
  let as: Record<Exclude<Caller, 'public'>, Auth>;
  let asForLogout: Record<Exclude<Caller, 'public'>, Auth>;
  let noScope: Auth;
  const statusCounts = new Map<number, number>();
  let requests = 0;
  let started = 0;

  beforeAll(async () => {
    started = performance.now();
    h = await Harness.start(backend);
    const scopes = [...new Set(registeredEndpoints().flatMap((e) => (e.spec.scope ? [e.spec.scope] : [])))];
    // The fuzzed paths name id 1 (lockStaffAccount, resetStaffTotp, disableApiClient, rotateApiClientKey…).
    // A spare staff account and API client take id 1 first, so the fuzzing never locks or disables a
    // principal it goes on to use; the principals are then made one after another (made at once,
    // whichever finished its password hash first took id 1, and under load that was sometimes the
    // admin, whose later requests all answered 401).
    const spareStaff = await h.signInAsStaff('reviewer');
    const spareClient = await h.apiClient([]);
    const user = await h.signInAsEnterpriseUser({ enterprise: 0 });
    const reviewer = await h.signInAsStaff('reviewer');
    const admin = await h.signInAsStaff('admin');
    const officer = await h.signInAsStaff('investment_officer');
    const client = await h.apiClient(scopes);
    const bare = await h.apiClient([]);
    const user2 = await h.signInAsEnterpriseUser({ enterprise: 0 });
    const reviewer2 = await h.signInAsStaff('reviewer');
    const admin2 = await h.signInAsStaff('admin');
    const officer2 = await h.signInAsStaff('investment_officer');
    const staffIds = [reviewer, admin, officer, reviewer2, admin2, officer2].map((s) => s.staffId);
    if (spareStaff.staffId !== 1 || spareClient.id !== 1 || staffIds.includes(1) || [client.id, bare.id].includes(1))
      throw new Error(
        `the fuzz's principals must not have id 1: staff ${staffIds.join()}, clients ${client.id}, ${bare.id}`,
      );
    as = {
      enterprise: user.auth,
      reviewer: reviewer.auth,
      admin: admin.auth,
      investment_officer: officer.auth,
      api_client: client.auth,
    };
    asForLogout = {
      enterprise: user2.auth,
      reviewer: reviewer2.auth,
      admin: admin2.auth,
      investment_officer: officer2.auth,
      api_client: client.auth,
    };
    noScope = bare.auth;
    const entity = h.enterprises[0];
    const [record] = await h.db.query<{ id: number }>(
      'SELECT id FROM credit_record WHERE entity_id = $1 ORDER BY id LIMIT 1',
      [entity.entityId],
    );
    known = {
      entityId: entity.entityId,
      recordId: Number(record?.id ?? 1),
      uscc: entity.uscc,
      legalRepName: entity.legalRep.name,
      idNumber: entity.legalRep.idNumber,
      privacyVersion: h.config.PRIVACY_POLICY_VERSION,
    };
  }, 120_000);

  afterAll(async () => {
    const byStatus = [...statusCounts.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`);
    // The closing note quotes this line: request count by status.
    console.warn(
      `fuzz on ${backend}: ${requests} requests in ${Math.round((performance.now() - started) / 1000)} s; by status ${byStatus.join(', ')}`,
    );
    await h?.close();
  });

  it('covers every operation of the OpenAPI document', () => {
    const documented = new Set(registeredEndpoints().map((e) => e.spec.operationId));

    expect(OPS.map((o) => o.operationId).sort()).toEqual([...documented].sort());
  });

  it.each(OPS.map((o) => [o.operationId, o] as const))(
    '%s answers malformed input below 500, in one shape',
    async (_id, op) => {
      const principals = op.operationId === 'logout' ? asForLogout : as;
      const allowed: Array<[string, Auth]> = op.callers.includes('public')
        ? [['public', null]]
        : op.callers.map((c) => [c, principals[c as Exclude<Caller, 'public'>]]);
      const refusedKind = (['enterprise', 'investment_officer', 'api_client', 'reviewer', 'admin'] as const).find(
        (c) => !op.callers.includes(c),
      );
      const refused: Array<[string, Auth]> = op.callers.includes('public')
        ? []
        : [
            refusedKind ? [refusedKind, principals[refusedKind]] : ['api client without scope', noScope],
            ['nobody', null],
          ];
      const cases = casesFor(op, known);
      const pick = (n: number, salt: number) =>
        fc.sample(
          fc.shuffledSubarray(cases, { minLength: Math.min(n, cases.length), maxLength: Math.min(n, cases.length) }),
          {
            seed: SEED + salt,
            numRuns: 1,
          },
        )[0]!;
      const plan: Array<[string, Auth, boolean, Case[]]> = [
        [allowed[0]![0], allowed[0]![1], true, cases],
        ...allowed
          .slice(1)
          .map(([who, auth], i): [string, Auth, boolean, Case[]] => [
            who,
            auth,
            true,
            pick(CASES_PER_OTHER_ROLE, i + 1),
          ]),
        ...refused.map(([who, auth], i): [string, Auth, boolean, Case[]] => [
          who,
          auth,
          false,
          pick(CASES_PER_OTHER_ROLE, 100 + i),
        ]),
      ];
      const found: string[] = [];
      for (const [who, auth, mayCall, list] of plan)
        for (const c of list) {
          const a = await send(h, c, auth);
          requests++;
          statusCounts.set(a.status, (statusCounts.get(a.status) ?? 0) + 1);
          h.responses.push({ request: `${c.method} ${c.path}`, status: a.status, text: a.text });
          for (const p of problems(c, a, mayCall, op.operationId === 'ingestRecords'))
            found.push(`${who} · ${c.category} · ${c.label.slice(0, 80)} → ${p}`);
        }

      expect(found).toEqual([]);
    },
  );

  it('refuses a 25 MB body before authentication, and lets only ingestRecords take it after its key', async () => {
    const big = JSON.stringify({ rows: [{ summary: `${MARK}${'c'.repeat(25 * 1024 * 1024)}` }] });
    const base: Case = {
      category: 'raw body',
      label: '25 MB',
      method: 'POST',
      path: '/auth/staff/login',
      contentType: 'application/json',
      body: big,
      expect: '413',
    };

    const login = await send(h, base, null);
    const objection = await send(h, { ...base, path: '/objections' }, null);
    const ingestNoKey = await send(h, { ...base, path: '/ingest/records', expect: 'no-5xx' }, null);
    const ingestWrongScope = await send(h, { ...base, path: '/ingest/records', expect: 'no-5xx' }, noScope);
    // A key of its own: the fuzzing before may have rotated or disabled the shared one (administrators' operations).
    const ingester = await h.apiClient(['ingest']);
    const ingest = await send(h, { ...base, path: '/ingest/records' }, ingester.auth);

    expect([login.status, objection.status, ingestNoKey.status, ingestWrongScope.status, ingest.status]).toEqual([
      413, 413, 401, 403, 413,
    ]);
    for (const [c, a] of [
      [base, login],
      [base, ingest],
    ] as const)
      expect(problems(c, a, true, false)).toEqual([]);
  });
});
