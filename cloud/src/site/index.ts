/** What other parts use of the public site: its module (app.module), the renderer's build folder, the demo (main.ts) and its relay handlers (relay.ts). */
export { SiteModule } from './site.module';
export { SITE_BUILD_DIR } from './renderer';
export { ensureSiteDemo } from './demo';
export { siteOutbox } from './site.outbox';
