import { CREDIT_PACKAGE, MAIN_PAGES } from './routes';

export default defineAppConfig({
  // The first page is the launch page.
  pages: [MAIN_PAGES.index, MAIN_PAGES.login],
  subPackages: [
    {
      root: CREDIT_PACKAGE.root,
      pages: Object.values(CREDIT_PACKAGE.pages),
    },
  ],
  preloadRule: {
    [MAIN_PAGES.index]: { network: 'all', packages: [CREDIT_PACKAGE.root] },
  },
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#1d4ed8',
    navigationBarTitleText: '信用黑河',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f4f6',
  },
  lazyCodeLoading: 'requiredComponents',
});
