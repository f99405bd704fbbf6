import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { useEffect, useRef } from 'react';

/**
 * Pull to refresh for a page whose config sets enablePullDownRefresh: reloads quietly (what is
 * shown stays) and folds the spinner away when the answer is in.
 */
export function usePullRefresh(reload: (options?: { quiet?: boolean }) => void, busy: boolean): void {
  const pulling = useRef(false);
  usePullDownRefresh(() => {
    pulling.current = true;
    reload({ quiet: true });
  });
  useEffect(() => {
    if (pulling.current && !busy) {
      pulling.current = false;
      void Taro.stopPullDownRefresh();
    }
  }, [busy]);
}
