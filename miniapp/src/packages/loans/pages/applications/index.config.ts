export default definePageConfig({ navigationBarTitleText: '我的贷款申请', enablePullDownRefresh: true });
