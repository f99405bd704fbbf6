import { useCallback, useEffect, useRef, useState } from 'react';
import { userMessage } from '@/api/errors';

export type Remote<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/**
 * Loads `load()` when `key` changes and on `reload()`. A slower, older answer never overwrites
 * a newer one. `key` null means "nothing to load yet" and stays in loading.
 */
export function useRemote<T>(key: string | null, load: () => Promise<T>): [Remote<T>, () => void] {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) return;
    const ticket = ++latest.current;
    setState({ status: 'loading' });
    loadRef.current().then(
      (data) => {
        if (ticket === latest.current) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (ticket === latest.current) setState({ status: 'error', message: userMessage(error) });
      },
    );
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return [state, reload];
}
