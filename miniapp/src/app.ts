import type { PropsWithChildren } from 'react';
import Taro, { usePageNotFound } from '@tarojs/taro';
import { zh } from '@/i18n/zh';
import { onSessionExpired } from '@/api/request';
import { ROUTES } from '@/routes';
import './app.css';

onSessionExpired(() => {
  void Taro.reLaunch({ url: ROUTES.login });
});

function App({ children }: PropsWithChildren) {
  // An unknown path (an old link, a typo) lands on home, saying so, instead of staying put.
  usePageNotFound(() => {
    void Taro.reLaunch({ url: ROUTES.index }).then(() => Taro.showToast({ title: zh.notFound.page, icon: 'none' }));
  });
  return children;
}

export default App;
