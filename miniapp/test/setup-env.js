// Taro's build replaces process.env.TARO_ENV; component tests run as the WeChat build.
process.env.TARO_ENV = 'weapp';
