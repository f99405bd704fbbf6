import { zh } from '../../i18n/zh';

export default definePageConfig({
  navigationBarTitleText: zh.home.title,
  enablePullDownRefresh: true,
  backgroundTextStyle: 'dark',
});
