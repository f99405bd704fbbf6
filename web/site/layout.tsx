import type { ReactNode } from 'react';
import type { SiteContext } from '@heihe/shared';

export const SITE_NAME = '信用中国（黑河）';

const NAV = [
  { href: '/site/', label: '首页', match: (p: string) => p === '/site/' || p === '/site' },
  { href: '/site/red-list', label: '诚信主体', match: (p: string) => p.startsWith('/site/red-list') },
  { href: '/site/cases', label: '典型案例', match: (p: string) => p.startsWith('/site/cases') },
  { href: '/site/verify', label: '报告核验', match: (p: string) => p.startsWith('/site/verify') },
];

export interface PageProps {
  ctx: SiteContext;
  title: string;
  description: string;
  children: ReactNode;
  /** The search box in the header (every page but home, which has its own). */
  headerSearch?: boolean;
  /** og:type: 'article' for a case. */
  ogType?: 'website' | 'article';
  ogImage?: string | null;
}

/** The whole document: head with title, description and og: tags, header, content, footer. */
export function Page({
  ctx,
  title,
  description,
  children,
  headerSearch = true,
  ogType = 'website',
  ogImage,
}: PageProps) {
  const fullTitle = title === SITE_NAME ? SITE_NAME : `${title} - ${SITE_NAME}`;
  const url = `${ctx.origin}${ctx.path}`;
  const path = ctx.path.split('?')[0] ?? '';
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <meta name="description" content={description} />
        <meta property="og:site_name" content={SITE_NAME} />
        <meta property="og:title" content={fullTitle} />
        <meta property="og:description" content={description} />
        <meta property="og:type" content={ogType} />
        <meta property="og:url" content={url} />
        <meta property="og:locale" content="zh_CN" />
        {ogImage ? <meta property="og:image" content={`${ctx.origin}${ogImage}`} /> : null}
        <meta name="format-detection" content="telephone=no" />
        {ctx.assets.style ? <link rel="stylesheet" href={ctx.assets.style} /> : null}
      </head>
      <body>
        <header className="top">
          <div className="wrap top-row">
            <a className="brand" href="/site/">
              <span className="brand-mark" aria-hidden="true">
                信
              </span>
              <span className="brand-text">
                <strong>{SITE_NAME}</strong>
                <small>黑河市公共信用信息公示与服务平台</small>
              </span>
            </a>
            {headerSearch ? (
              <form className="top-search" action="/site/search" method="get" role="search">
                <input name="q" type="search" placeholder="企业名称或统一社会信用代码" aria-label="查询市场主体" />
                <button type="submit">查询</button>
              </form>
            ) : null}
          </div>
          <nav className="nav" aria-label="主导航">
            <div className="wrap nav-row">
              {NAV.map((n) => (
                <a key={n.href} href={n.href} className={n.match(path) ? 'active' : undefined}>
                  {n.label}
                </a>
              ))}
            </div>
          </nav>
        </header>
        <main className="wrap main">{children}</main>
        <footer className="foot">
          <div className="wrap">
            <p>主办：黑河市社会信用体系建设领导小组办公室 · 承办：黑河市公共信用信息中心</p>
            <p>
              公示信息依据《失信行为纠正后的信用信息修复管理办法》（国家发展改革委令第36号）发布，已修复或超过公示期的信息不予公示。
              对公示信息有异议的，可通过“黑河信用”小程序提出。
            </p>
          </div>
        </footer>
        {ctx.assets.script ? <script src={ctx.assets.script} defer /> : null}
      </body>
    </html>
  );
}

export function Pager({ base, page, hasMore }: { base: string; page: number; hasMore: boolean }) {
  if (page <= 1 && !hasMore) return null;
  const sep = base.includes('?') ? '&' : '?';
  return (
    <nav className="pager" aria-label="分页">
      {page > 1 ? <a href={`${base}${sep}page=${page - 1}`}>上一页</a> : <span />}
      <span className="pager-at">第 {page} 页</span>
      {hasMore ? <a href={`${base}${sep}page=${page + 1}`}>下一页</a> : <span />}
    </nav>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
