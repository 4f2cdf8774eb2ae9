/** A history kept in memory, for hosts that give the app none (it then keeps no URL). */
import type { AppHistory, AppLocation } from './types';

export function memoryHistory(initial = '/'): AppHistory {
  const listeners = new Set<(l: AppLocation) => void>();
  const parse = (path: string): AppLocation => {
    const q = path.indexOf('?');
    return q < 0 ? { pathname: path || '/', search: '' } : { pathname: path.slice(0, q) || '/', search: path.slice(q) };
  };
  const history: AppHistory = {
    location: parse(initial),
    push(path) {
      history.location = parse(path);
      for (const l of listeners) l(history.location);
    },
    listen(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  return history;
}
