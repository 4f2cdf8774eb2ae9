import { useCallback, useEffect, useRef, useState } from 'react';
import { toAppError, type AppError } from '../logic/errors';

export interface RequestState<T> {
  data: T | null;
  error: AppError | null;
  /** True while a request is in flight (the previous data stays shown meanwhile). */
  loading: boolean;
  reload(): void;
}

/**
 * Runs `load` whenever `deps` change (or on reload) and keeps the newest answer: an older request
 * that answers late is ignored, and nothing is set after unmount.
 */
export function useRequest<T>(load: () => Promise<T>, deps: readonly unknown[]): RequestState<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const call = ++latest.current;
    setLoading(true);
    loadRef.current().then(
      (value) => {
        if (call !== latest.current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (call !== latest.current) return;
        setError(toAppError(e));
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  useEffect(() => () => void (latest.current = -1), []);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
