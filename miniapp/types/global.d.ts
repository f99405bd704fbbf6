/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn';
    TARO_APP_ID?: string;
    /** API origin without '/api': '' for H5 (same origin), an absolute URL for the mini program. */
    TARO_APP_API?: string;
  }
}

/**
 * The slice of the WeChat global the app calls directly: 人脸核身 for government-registered mini
 * programs (wx.requestFacialVerify), which Taro does not wrap. Absent outside WeChat.
 */
declare const wx:
  | {
      requestFacialVerify?: (option: {
        verifyId: string;
        success?: (res: { errMsg?: string }) => void;
        fail?: (res: { errMsg?: string; errCode?: number }) => void;
      }) => void;
    }
  | undefined;
