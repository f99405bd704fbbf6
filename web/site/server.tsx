import { renderToStaticMarkup } from 'react-dom/server';
import type { SiteContext, SiteView } from '@heihe/shared';
import { CasePage, CasesPage, EntityPage, ErrorPage, HomePage, RedListPage, SearchPage, VerifyPage } from './pages';

/**
 * The site's server renderer: the cloud loads this bundle (web/dist/site/server/render.cjs) and
 * calls `render` with the page's data. Static markup: the pages need no hydration (forms are plain
 * HTML; site.ts only adds small touches), so search engines and link previews see everything.
 */
export function render(view: SiteView, ctx: SiteContext): string {
  const page = (() => {
    switch (view.page) {
      case 'home':
        return <HomePage ctx={ctx} view={view} />;
      case 'search':
        return <SearchPage ctx={ctx} view={view} />;
      case 'entity':
        return <EntityPage ctx={ctx} view={view} />;
      case 'red-list':
        return <RedListPage ctx={ctx} view={view} />;
      case 'cases':
        return <CasesPage ctx={ctx} view={view} />;
      case 'case':
        return <CasePage ctx={ctx} view={view} />;
      case 'verify':
        return <VerifyPage ctx={ctx} view={view} />;
      case 'error':
        return <ErrorPage ctx={ctx} view={view} />;
    }
  })();
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}
