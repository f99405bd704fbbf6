import crypto from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppError, ErrorCodes, type EvidenceFileView } from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { Config, type AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import { Clock } from '../common/clock';
import { WechatApi } from '../wechat';
import { inspectFile, type EvidenceMime } from './content';
import { evidenceView, type EvidenceFile } from './evidence.repository';
import { FileStorage, LocalDiskStorage } from './file-storage';
import { PdfInspector, sharedPdfInspector } from './pdf-inspector';

/** What the upload interceptor hands over: multer's memory-storage file, as far as we use it. */
export interface ReceivedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

export type EvidenceLimits = Pick<
  AppConfig,
  | 'EVIDENCE_MAX_BYTES'
  | 'EVIDENCE_MAX_UNATTACHED'
  | 'EVIDENCE_UNATTACHED_TTL_DAYS'
  | 'EVIDENCE_MAX_MEGAPIXELS'
  | 'EVIDENCE_PUBLIC_BASE_URL'
  | 'EVIDENCE_URL_KEY'
>;

const EXTENSION: Record<EvidenceMime, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'application/pdf': '.pdf',
};
/** Links handed to WeChat's content check stay valid this long. */
const CHECK_LINK_TTL_S = 3600;

/**
 * The user's file name is for display only: the last path segment, without control, bidi and NUL
 * characters, at most 100 characters, and ending in the extension of what the file really is.
 */
export function displayNameOf(original: string | undefined, mime: EvidenceMime): string {
  const last = (original ?? '').split(/[\\/]/).pop() ?? '';
  let name = last
    .normalize('NFC')
    // Control (Cc: NUL, newlines, …) and format (Cf: bidi overrides, zero-width) characters.
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 100);
  if (!name) name = '证明材料';
  const ext = EXTENSION[mime];
  if (!name.toLowerCase().endsWith(ext) && !(mime === 'image/jpeg' && name.toLowerCase().endsWith('.jpeg')))
    name += ext;
  return name;
}

/** A staff role of the credit agency; investment officers and API clients see no evidence. */
function isAgencyStaff(p: Principal): boolean {
  return p.kind === 'staff' && (p.role === 'reviewer' || p.role === 'admin');
}

/** Temporary files older than this are what a crash mid-write left behind. */
const STALE_TEMPORARY_MS = 3600_000;
/** How often the app purges expired unattached files (each upload also purges its enterprise's). */
const PURGE_EVERY_MS = 3600_000;
const DAY_MS = 86_400_000;
/**
 * Advisory lock class of an enterprise's unattached files (see identity/auth for 727275–727277):
 * uploads for one enterprise count and insert one at a time, so concurrent uploads cannot all see
 * room under the cap. Raw SQL: Prisma has no advisory locks.
 */
const UNATTACHED_LOCK = 727278;

@Injectable()
export class EvidenceService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Evidence');
  private readonly pdf: PdfInspector;
  private purgeTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database,
    @Inject(Config.token) private readonly config: EvidenceLimits,
    private readonly storage: FileStorage,
    private readonly wechat: WechatApi,
    private readonly clock: Clock,
    @Optional() pdf?: PdfInspector,
  ) {
    this.pdf = pdf ?? sharedPdfInspector();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.storage instanceof LocalDiskStorage) {
      const removed = await this.storage.sweepTemporary(STALE_TEMPORARY_MS, this.clock.now());
      if (removed) this.log.warn(`removed ${removed} temporary evidence file(s) left by an interrupted upload`);
    }
    const purge = () =>
      void this.purgeExpired().catch((e: unknown) =>
        this.log.error(`purging expired evidence: ${e instanceof Error ? e.message : String(e)}`),
      );
    purge();
    this.purgeTimer = setInterval(purge, PURGE_EVERY_MS);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
  }

  /**
   * Deletes unattached files uploaded more than EVIDENCE_UNATTACHED_TTL_DAYS ago (of one
   * enterprise, or of all): their rows, then their bytes, each deletion audited. Returns how many.
   * Rows go first: bytes without a row are invisible, a row without bytes would be a broken link.
   */
  async purgeExpired(entityId?: number): Promise<number> {
    const at = this.clock.now();
    const cutoff = new Date(at.getTime() - this.config.EVIDENCE_UNATTACHED_TTL_DAYS * DAY_MS);
    const gone = await this.db.tx(async (sql) => {
      // Raw SQL: a set-wise DELETE … RETURNING, so only the rows it removed lose their bytes.
      const rows = await sql.query<{ id: string; entityId: number; storageKey: string; sha256: string }>(
        `DELETE FROM evidence_file WHERE application_id IS NULL AND created_at < $1 AND ($2::int IS NULL OR entity_id = $2)
         RETURNING id, entity_id AS "entityId", storage_key AS "storageKey", sha256`,
        [cutoff.toISOString(), entityId ?? null],
      );
      for (const r of rows)
        await appendAudit(
          sql,
          {
            actorKind: 'system',
            actorId: null,
            action: 'evidence.expire',
            objectType: 'evidence_file',
            objectId: r.id,
            entityId: r.entityId,
            detail: { sha256: r.sha256, ttlDays: this.config.EVIDENCE_UNATTACHED_TTL_DAYS },
          },
          { now: at },
        );
      return rows;
    });
    for (const r of gone) await this.storage.delete(r.storageKey);
    return gone.length;
  }

  /**
   * The owner withdraws a file they uploaded and have not attached to anything: row and bytes go,
   * the deletion is audited. Another enterprise's file answers like a missing one; an attached
   * file is part of an application's record and stays.
   */
  async delete(who: Principal, fileId: string): Promise<void> {
    if (who.kind !== 'user') throw new AppError(ErrorCodes.NOT_FOUND, '材料不存在或无权访问');
    const at = this.clock.now();
    const row = await this.db.tx(async (sql) => {
      // Raw SQL: row lock, so the file is not attached while it is deleted (no FOR UPDATE in Prisma Client).
      await sql.query(`SELECT 1 FROM evidence_file WHERE id = $1 FOR UPDATE`, [fileId]);
      const r = await sql.prisma.evidenceFile.findUnique({ where: { id: fileId } });
      if (!r || !who.entityIds.includes(r.entityId)) throw new AppError(ErrorCodes.NOT_FOUND, '材料不存在或无权访问');
      if (r.applicationId !== null) throw new AppError(ErrorCodes.APPLICATION_STATE, '该材料已随申请提交，不能删除');
      await sql.prisma.evidenceFile.delete({ where: { id: fileId } });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'evidence.delete',
          objectType: 'evidence_file',
          objectId: fileId,
          entityId: r.entityId,
          detail: { sha256: r.sha256, size: r.size, mime: r.mime },
        },
        { now: at },
      );
      return r;
    });
    await this.storage.delete(row.storageKey);
  }

  /**
   * Checks, cleans, hashes and stores one file for an enterprise the user is bound to. The bytes
   * go to storage first and the row second; if the row fails, the bytes are removed, so a failed
   * upload leaves nothing behind.
   */
  async upload(who: Principal, entityId: number, file: ReceivedFile | undefined): Promise<EvidenceFileView> {
    if (who.kind !== 'user' || !who.entityIds.includes(entityId))
      throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
    if (!file)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '请选择要上传的文件（表单字段 file）', [
        { path: 'file', message: '缺少文件' },
      ]);
    if (file.size > this.config.EVIDENCE_MAX_BYTES || file.buffer.length > this.config.EVIDENCE_MAX_BYTES)
      throw new AppError(
        ErrorCodes.EVIDENCE_TOO_LARGE,
        `单个文件不能超过 ${Math.floor(this.config.EVIDENCE_MAX_BYTES / 1024 / 1024)} MB`,
      );
    await this.purgeExpired(entityId);
    // A first look without the lock spares the inspection of a file that cannot be kept anyway.
    await this.checkRoom(this.db, entityId);
    const inspected = await inspectFile(file.buffer, { maxMegapixels: this.config.EVIDENCE_MAX_MEGAPIXELS }, this.pdf);
    const at = this.clock.now();
    const id = crypto.randomUUID();
    const key = FileStorage.newKey(at);
    const sha256 = crypto.createHash('sha256').update(inspected.data).digest('hex');
    const isImage = inspected.mime !== 'application/pdf';
    await this.storage.put(key, inspected.data);
    let row: EvidenceFile;
    try {
      row = await this.db.tx(async (sql) => {
        // Raw SQL: an advisory lock (see UNATTACHED_LOCK).
        await sql.query(`SELECT pg_advisory_xact_lock(${UNATTACHED_LOCK}, $1)`, [entityId]);
        await this.checkRoom(sql, entityId);
        const r = await sql.prisma.evidenceFile.create({
          data: {
            id,
            entityId,
            uploadedByUser: who.userId,
            storageKey: key,
            mime: inspected.mime,
            size: inspected.data.length,
            sha256,
            displayName: displayNameOf(file.originalname, inspected.mime),
            checkStatus: isImage ? 'pending' : 'not_applicable',
            createdAt: at,
          },
        });
        await appendAudit(
          sql,
          {
            ...actorOf(who),
            action: 'evidence.upload',
            objectType: 'evidence_file',
            objectId: id,
            entityId,
            detail: { sha256, size: inspected.data.length, mime: inspected.mime },
          },
          { now: at },
        );
        return r;
      });
    } catch (e) {
      await this.storage.delete(key).catch(() => undefined);
      throw e;
    }
    if (isImage) await this.requestContentCheck(row, who.userId);
    return evidenceView(row);
  }

  /** EVIDENCE_TOO_MANY when the enterprise already has the most unattached files it may. */
  private async checkRoom(sql: Sql, entityId: number): Promise<void> {
    const n = await sql.prisma.evidenceFile.count({ where: { entityId, applicationId: null } });
    if (n >= this.config.EVIDENCE_MAX_UNATTACHED)
      throw new AppError(
        ErrorCodes.EVIDENCE_TOO_MANY,
        `已上传但未提交的材料已达 ${this.config.EVIDENCE_MAX_UNATTACHED} 份，请先提交申请`,
      );
  }

  /**
   * WeChat's media_check_async downloads the image from a signed, expiring link and reports its
   * verdict later (matched by trace ID). A failure to ask is logged and leaves the file pending for
   * staff to look at: the check must not block a citizen's filing.
   */
  private async requestContentCheck(row: EvidenceFile, userId: number): Promise<void> {
    try {
      const u = await this.db.prisma.appUser.findUnique({ where: { id: userId }, select: { openid: true } });
      if (!u) return;
      const { traceId } = await this.wechat.mediaCheckAsync({
        mediaUrl: this.checkLink(row.id),
        mediaType: 'image',
        openid: u.openid,
        scene: 'profile',
      });
      await this.db.prisma.evidenceFile.update({ where: { id: row.id }, data: { checkTraceId: traceId } });
      row.checkTraceId = traceId;
    } catch (e) {
      this.log.warn(
        `content check not requested for evidence ${row.id}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private signature(fileId: string, expires: number): string {
    return crypto
      .createHmac('sha256', Buffer.from(this.config.EVIDENCE_URL_KEY, 'hex'))
      .update(`${fileId}.${expires}`)
      .digest('hex');
  }

  checkLink(fileId: string): string {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + CHECK_LINK_TTL_S;
    const base = this.config.EVIDENCE_PUBLIC_BASE_URL.replace(/\/+$/, '');
    return `${base}/api/evidence/check-media/${fileId}?expires=${expires}&sig=${this.signature(fileId, expires)}`;
  }

  /** The image behind a signed link: only for WeChat's checker, only images, only until it expires. */
  async mediaForCheck(fileId: string, expires: number, sig: string): Promise<{ data: Buffer; mime: string }> {
    const good = this.signature(fileId, expires);
    const ok = sig.length === good.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(good));
    if (!ok || expires * 1000 < this.clock.now().getTime())
      throw new AppError(ErrorCodes.NOT_FOUND, '链接无效或已过期');
    const r = await this.db.prisma.evidenceFile.findUnique({ where: { id: fileId } });
    if (!r || r.mime === 'application/pdf') throw new AppError(ErrorCodes.NOT_FOUND, '链接无效或已过期');
    return { data: await this.storage.get(r.storageKey), mime: r.mime };
  }

  /** Records WeChat's verdict for a trace ID ('pass' or 'risky'); 'review' stays pending for staff. */
  async recordContentCheck(traceId: string, suggest: 'pass' | 'risky' | 'review'): Promise<boolean> {
    if (suggest === 'review') return false;
    const { count } = await this.db.prisma.evidenceFile.updateMany({
      where: { checkTraceId: traceId },
      data: { checkStatus: suggest },
    });
    return count > 0;
  }

  /** Metadata of one file: its enterprise's users and agency staff only; others get NOT_FOUND. */
  async get(who: Principal, fileId: string): Promise<EvidenceFile> {
    const r = await this.db.prisma.evidenceFile.findUnique({ where: { id: fileId } });
    const mine = who.kind === 'user' && r !== null && who.entityIds.includes(r.entityId);
    if (!r || !(mine || isAgencyStaff(who))) throw new AppError(ErrorCodes.NOT_FOUND, '材料不存在或无权访问');
    return r;
  }

  async download(who: Principal, fileId: string): Promise<{ row: EvidenceFile; data: Buffer }> {
    const row = await this.get(who, fileId);
    const data = await this.storage.get(row.storageKey);
    if (who.kind === 'staff')
      await appendAudit(this.db, {
        ...actorOf(who),
        action: 'evidence.view',
        objectType: 'evidence_file',
        objectId: fileId,
        entityId: row.entityId,
      });
    return { row, data };
  }
}
