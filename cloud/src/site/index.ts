/** What other parts use of the public site: its module (app.module) and the renderer's build folder. */
export { SiteModule } from './site.module';
export { SITE_BUILD_DIR } from './renderer';
