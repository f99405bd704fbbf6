import { REPORT_TEXT } from '../../text';

export default definePageConfig({
  navigationBarTitleText: REPORT_TEXT.title,
});
