import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Injectable } from '@nestjs/common';
import type { SiteContext, SiteView } from '@heihe/shared';
import { REPO_ROOT } from '../config/config';

/** Where `npm run build:site -w web` writes the site: client/ (assets, manifest) and server/render.cjs. */
export const SITE_BUILD_DIR = path.join(REPO_ROOT, 'web', 'dist', 'site');

interface Built {
  render: (view: SiteView, ctx: SiteContext) => string;
  assets: SiteContext['assets'];
  clientDir: string;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Loads the site's server renderer (web/site/server.tsx, built by Vite in SSR mode) once, with the
 * client assets named by the build's manifest. Without a build, every page says so (503).
 */
@Injectable()
export class SiteRenderer {
  private built: Built | null | undefined;

  constructor(private readonly dir: string = SITE_BUILD_DIR) {}

  private load(): Built | null {
    if (this.built !== undefined) return this.built;
    const server = path.join(this.dir, 'server', 'render.cjs');
    const manifest = path.join(this.dir, 'client', '.vite', 'manifest.json');
    if (!fs.existsSync(server) || !fs.existsSync(manifest)) return (this.built = null);
    const mod = createRequire(__filename)(server) as Pick<Built, 'render'>;
    const entry = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as Record<string, { file: string; css?: string[] }>)[
      'site.ts'
    ];
    this.built = {
      render: mod.render,
      assets: {
        script: entry ? `/site/${entry.file}` : null,
        style: entry?.css?.[0] ? `/site/${entry.css[0]}` : null,
      },
      clientDir: path.join(this.dir, 'client'),
    };
    return this.built;
  }

  /** The built asset folder (client/), or null before a build. */
  clientDir(): string | null {
    return this.load()?.clientDir ?? null;
  }

  render(view: SiteView, ctx: Omit<SiteContext, 'assets'>): string {
    const b = this.load();
    if (!b)
      return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>信用中国（黑河）</title></head><body><p>站点尚未构建：请运行 npm run build:site -w web（npm start 会自动构建）。</p><p>${escape(ctx.path)}</p></body></html>`;
    return b.render(view, { ...ctx, assets: b.assets });
  }

  get ready(): boolean {
    return this.load() !== null;
  }
}
