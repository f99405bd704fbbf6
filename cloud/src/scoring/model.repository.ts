import {
  AppError,
  DEFAULT_MODEL_V1,
  ErrorCodes,
  compileModel,
  parseModel,
  type CompiledModel,
  type ModelDefinition,
} from '@heihe/shared';
import type { Sql } from '../db/database';

export interface StoredModel {
  version: number;
  status: 'draft' | 'published';
  name: string;
  definition: ModelDefinition;
  effectiveFrom: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
}

const COLUMNS = `version, status, name, definition, effective_from::text AS "effectiveFrom",
  published_at AS "publishedAt", published_by AS "publishedBy"`;

type Row = Omit<StoredModel, 'definition' | 'publishedAt'> & { definition: unknown; publishedAt: unknown };

function row(r: Row): StoredModel {
  const definition = typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition;
  const publishedAt = r.publishedAt instanceof Date ? r.publishedAt.toISOString() : (r.publishedAt as string | null);
  return { ...r, definition: definition as ModelDefinition, publishedAt };
}

/** Published versions never change, so their compiled form is shared by the whole thread. */
const compiledPublished = new Map<number, CompiledModel>();

/** Drafts are compiled fresh; published versions once per thread (the cycle's scoring thread too). */
export function compileStored(model: Pick<StoredModel, 'version' | 'status' | 'definition'>): CompiledModel {
  if (model.status !== 'published') return compileModel(model.definition);
  let c = compiledPublished.get(model.version);
  if (!c) {
    c = compileModel(model.definition);
    compiledPublished.set(model.version, c);
  }
  return c;
}

/** Model versions as data: drafts are editable, published versions immutable. */
export class ModelRepository {
  constructor(private readonly sql: Sql) {}

  /** Default model v1 ships as the first published version. */
  async ensureDefaultModel(): Promise<void> {
    await this.sql.query(
      `INSERT INTO scoring_model (version, status, name, definition, effective_from, published_at, published_by)
       VALUES ($1, 'published', $2, $3::jsonb, '2023-05-30', now(), 'system')
       ON CONFLICT (version) DO NOTHING`,
      [DEFAULT_MODEL_V1.version, DEFAULT_MODEL_V1.name, JSON.stringify(DEFAULT_MODEL_V1)],
    );
  }

  async list(): Promise<StoredModel[]> {
    return (await this.sql.query<Row>(`SELECT ${COLUMNS} FROM scoring_model ORDER BY version`)).map(row);
  }

  async get(version: number): Promise<StoredModel> {
    const [r] = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM scoring_model WHERE version = $1`, [version]);
    if (!r) throw new AppError(ErrorCodes.NOT_FOUND, `评价模型版本 ${version} 不存在`);
    return row(r);
  }

  /** The published model in force on `date`: the latest effective date on or before it wins. */
  async effectiveOn(date: string): Promise<StoredModel> {
    const [r] = await this.sql.query<Row>(
      `SELECT ${COLUMNS} FROM scoring_model
       WHERE status = 'published' AND effective_from <= $1::date
       ORDER BY effective_from DESC, version DESC LIMIT 1`,
      [date],
    );
    if (!r) throw new AppError(ErrorCodes.NOT_FOUND, `${date} 没有生效的评价模型`);
    return row(r);
  }

  compile(model: StoredModel): CompiledModel {
    return compileStored(model);
  }

  async createDraft(definition: unknown, name: string): Promise<StoredModel> {
    const [next] = await this.sql.query<{ v: number }>(
      `SELECT coalesce(max(version), 0)::int + 1 AS v FROM scoring_model`,
    );
    const def = { ...(definition as object), version: next!.v };
    await this.sql.query(
      `INSERT INTO scoring_model (version, status, name, definition) VALUES ($1, 'draft', $2, $3::jsonb)`,
      [next!.v, name, JSON.stringify(def)],
    );
    return this.get(next!.v);
  }

  async updateDraft(version: number, definition: unknown, name: string): Promise<StoredModel> {
    const current = await this.get(version);
    if (current.status !== 'draft')
      throw new AppError(ErrorCodes.MODEL_IMMUTABLE, `模型版本 ${version} 已发布，不可修改；请新建草稿`);
    await this.sql.query(
      `UPDATE scoring_model SET definition = $2::jsonb, name = $3 WHERE version = $1 AND status = 'draft'`,
      [version, JSON.stringify({ ...(definition as object), version }), name],
    );
    return this.get(version);
  }

  /** Validates (parseModel throws MODEL_INVALID with details) and freezes the draft. */
  async publish(version: number, effectiveFrom: string, by: string): Promise<StoredModel> {
    const current = await this.get(version);
    if (current.status !== 'draft') throw new AppError(ErrorCodes.MODEL_IMMUTABLE, `模型版本 ${version} 已发布`);
    parseModel(current.definition);
    await this.sql.query(
      `UPDATE scoring_model SET status = 'published', effective_from = $2::date, published_at = now(), published_by = $3
       WHERE version = $1 AND status = 'draft'`,
      [version, effectiveFrom, by],
    );
    return this.get(version);
  }
}
