import { RESULT_NOTICE, RESULT_PUSH_SCHEMAS, RESULT_PUSH_TOPICS } from '@heihe/shared';
import { z } from 'zod';
import { registeredEndpoints } from '../common/endpoint';
import './results.controller';

/**
 * Every payload these operations send carries the advisory notice, and so does every result in a
 * list (`items[]`), so that a result passed on alone still says it.
 */
function objectsWithoutNotice(schema: z.ZodType, where: string): string[] {
  const json = z.toJSONSchema(schema, { io: 'output' }) as JsonSchema;
  const lacks = (s: JsonSchema | undefined) => s?.type !== 'object' || s.properties?.notice?.const !== RESULT_NOTICE;
  const items = json.properties?.items;
  return [...(lacks(json) ? [where] : []), ...(items && lacks(items.items) ? [`${where}.items[]`] : [])];
}
interface JsonSchema {
  type?: string;
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

const OPERATIONS = [
  'checkIncentives',
  'listIncentiveMeasures',
  'updateIncentiveMeasures',
  'listRecommendedEnterprises',
  'listResultFeed',
];

describe('results in use: the advisory notice', () => {
  it.each(OPERATIONS)('is in every payload object of %s', (op) => {
    const e = registeredEndpoints().find((r) => r.spec.operationId === op);

    expect(e).toBeDefined();
    expect(objectsWithoutNotice(e!.spec.response, op)).toEqual([]);
  });
});

describe('results in use: every pushed payload', () => {
  it.each(RESULT_PUSH_TOPICS)('%s carries the notice, its model version, as-of and hash', (topic) => {
    const schema = RESULT_PUSH_SCHEMAS[topic];

    expect(objectsWithoutNotice(schema, topic)).toEqual([]);
    const json = z.toJSONSchema(schema, { io: 'output' }) as JsonSchema & { required?: string[] };
    expect(json.required).toEqual(expect.arrayContaining(['modelVersion', 'asOf', 'hash', 'notice']));
  });
});
