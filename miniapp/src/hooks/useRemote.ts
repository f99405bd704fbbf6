import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, isRetryable, userMessage } from '@/api/errors';

export type Remote<T> =
  | { status: 'loading' }
  /** `notFound`: the thing asked for does not exist (or is not ours); `retryable`: a retry may help. */
  | { status: 'error'; message: string; notFound: boolean; retryable: boolean }
  | { status: 'ready'; data: T };

/**
 * Loads `load()` when `key` changes and on `reload()`. A slower, older answer never overwrites
 * a newer one. `key` null means "nothing to load yet" and stays in loading.
 *
 * `reload({ quiet: true })` keeps what is shown while the new answer comes (pull to refresh);
 * `refreshing` is true meanwhile. A quiet reload that fails still shows the error.
 */
export function useRemote<T>(
  key: string | null,
  load: () => Promise<T>,
): [Remote<T>, (options?: { quiet?: boolean }) => void, boolean] {
  const [state, setState] = useState<Remote<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const quiet = useRef(false);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (key === null) return;
    const ticket = ++latest.current;
    const keep = quiet.current;
    quiet.current = false;
    if (keep) setRefreshing(true);
    else setState({ status: 'loading' });
    loadRef.current().then(
      (data) => {
        if (ticket !== latest.current) return;
        setState({ status: 'ready', data });
        setRefreshing(false);
      },
      (error: unknown) => {
        if (ticket !== latest.current) return;
        setState({
          status: 'error',
          message: userMessage(error),
          notFound: error instanceof ApiError && error.code === 'NOT_FOUND',
          retryable: isRetryable(error),
        });
        setRefreshing(false);
      },
    );
  }, [key, attempt]);

  const reload = useCallback((options?: { quiet?: boolean }) => {
    quiet.current = options?.quiet ?? false;
    setAttempt((n) => n + 1);
  }, []);
  return [state, reload, refreshing];
}
