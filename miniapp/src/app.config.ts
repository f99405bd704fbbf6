import { MAIN_PAGES, SUBPACKAGES } from './routes';

export default defineAppConfig({
  // The first page is the launch page.
  pages: [MAIN_PAGES.index, MAIN_PAGES.login],
  subPackages: SUBPACKAGES.map((p) => ({ root: p.root, pages: Object.values(p.pages) })),
  // Home preloads what its buttons open; login preloads the verification form.
  preloadRule: {
    [MAIN_PAGES.index]: { network: 'all', packages: ['packages/credit', 'packages/rights'] },
    [MAIN_PAGES.login]: { network: 'all', packages: ['packages/account'] },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1d4ed8',
    navigationBarTitleText: '信用黑河',
    navigationBarTextStyle: 'white',
    // The mini program's default; spelled out because Taro's H5 router shows its title bar (with a
    // back button) only when it is set.
    navigationStyle: 'default',
    backgroundColor: '#f3f4f6',
  },
  lazyCodeLoading: 'requiredComponents',
});
