export default definePageConfig({ navigationBarTitleText: '我的数据授权', enablePullDownRefresh: true });
