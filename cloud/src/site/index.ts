/** What other parts use of the public site: its module (app.module), the renderer's build folder and the demo (main.ts). */
export { SiteModule } from './site.module';
export { SITE_BUILD_DIR } from './renderer';
export { ensureSiteDemo } from './demo';
