import type { PropsWithChildren } from 'react';
import Taro from '@tarojs/taro';
import { onSessionExpired } from '@/api/request';
import { ROUTES } from '@/routes';
import './app.css';

onSessionExpired(() => {
  void Taro.reLaunch({ url: ROUTES.login });
});

function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
