/** Milliseconds left until `deadline` (a `Date.now()` value), at least 1. */
export function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

/** `promise`, or the error from `timeout()` once `deadline` (a `Date.now()` value) has passed. */
export async function within<T>(promise: Promise<T>, deadline: number, timeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout()), remaining(deadline));
  });
  try {
    return await Promise.race([promise, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
