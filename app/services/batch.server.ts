/**
 * Gathers the calls made in one turn of the event loop and answers them with one call of `run`,
 * which gets every item and returns one result per item, in order. A call made alone waits for
 * nothing: its batch runs as soon as the current turn's I/O callbacks are done (setImmediate).
 * In a ticket rush, many checkouts reach the same step in one turn, and one query serves them
 * all instead of one query each. If `run` fails, every call in its batch fails with its error.
 */
export function batched<T, R>(run: (items: T[]) => Promise<R[]>): (item: T) => Promise<R> {
  let waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  async function flush() {
    const batch = waiting;
    waiting = [];
    try {
      const results = await run(batch.map((call) => call.item));
      batch.forEach((call, i) => call.resolve(results[i]!));
    } catch (error) {
      for (const call of batch) call.reject(error);
    }
  }
  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ item, resolve, reject });
    });
}
