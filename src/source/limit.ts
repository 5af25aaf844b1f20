// A tiny concurrency limiter, so a scan of a large folder keeps a bounded number of file handles busy.

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `max` tasks at once, in the order they were handed in. Tasks must not use the limiter. */
export function createLimiter(max: number): Limiter {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    running--;
    const next = waiting.shift();
    if (next) next();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        running++;
        let promise: Promise<T>;
        try {
          promise = task();
        } catch (error) {
          promise = Promise.reject(error);
        }
        promise.then(resolve, reject).finally(release);
      };
      if (running < max) start();
      else waiting.push(start);
    });
}

/** A slot held across several steps: `take()` waits for one of `max` and resolves its release. */
export type Slots = { take(): Promise<() => void> };

/** Like createLimiter, for work that is not one task: releasing twice frees the slot once. */
export function createSlots(max: number): Slots {
  const limit = createLimiter(max);
  return {
    take: () =>
      new Promise<() => void>((resolveTake) => {
        void limit(
          () =>
            new Promise<void>((done) => {
              let released = false;
              resolveTake(() => {
                if (released) return;
                released = true;
                done();
              });
            }),
        );
      }),
  };
}
