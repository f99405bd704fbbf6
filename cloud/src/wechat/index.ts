/** The WeChat port other features inject, its HTTP client, the fake server for demo and tests, and face-verify helpers. */
export { WechatApi, type SubscribeData } from './wechat.port';
export { HttpWechatApi } from './wechat.http';
export { WechatError } from './wechat.errors';
export { certHash, faceVerifyAdvice } from './face-verify';
export { startFakeWechat, type FakeWechat } from './fake-server';
