export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * `load(item)` for every item, at most `ahead` running at once, outcomes handed out in item order
 * (`next` past the last item: undefined). Model reads overlap with the work on the ones already
 * read, and a failure is met at its turn, so the first failure in order is the one reported.
 */
export function inOrder<T, R>(items: readonly T[], load: (item: T) => Promise<R>, ahead: number): { next(): Promise<Settled<R> | undefined> } {
  const pending: Promise<Settled<R>>[] = [];
  let started = 0;
  return {
    async next() {
      while (started < items.length && pending.length < ahead) {
        pending.push(load(items[started++]).then((value): Settled<R> => ({ ok: true, value }), (error: unknown): Settled<R> => ({ ok: false, error })));
      }
      return pending.shift();
    },
  };
}
