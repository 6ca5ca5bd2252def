/**
 * Retries a Git host call that was rate limited: HTTP 429, or GitHub's 403 for primary
 * (`x-ratelimit-remaining: 0`) and secondary limits. Waits for `Retry-After` or the reset time
 * when the host says so, otherwise backs off exponentially with jitter.
 */
export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: {
    attempt: number;
    delayMs: number;
    status: number;
  }) => void;
}

export interface HttpFailure {
  status: number;
  headers: Record<string, string | undefined>;
  message: string;
}

const defaultSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** Reads status, headers and message from Octokit, Gitbeaker and our fetch errors. */
export function httpFailure(error: unknown): HttpFailure | undefined {
  const e = error as any;
  if (!e || typeof e !== 'object') return undefined;
  const response = e.response ?? e.cause?.response;
  const status = e.status ?? response?.status;
  if (typeof status !== 'number') return undefined;
  const raw = response?.headers ?? e.headers ?? {};
  const headers: Record<string, string | undefined> = {};
  if (typeof raw.forEach === 'function' && typeof raw.get === 'function') {
    raw.forEach((value: string, key: string) => {
      headers[key.toLowerCase()] = value;
    });
  } else {
    for (const [key, value] of Object.entries(raw)) {
      headers[key.toLowerCase()] =
        value === undefined ? undefined : String(value);
    }
  }
  const description = e.cause?.description;
  return {
    status,
    headers,
    message: `${e.message ?? ''} ${
      typeof description === 'string' ? description : ''
    }`,
  };
}

/** Milliseconds to wait before retrying, or undefined when the failure is not a rate limit. */
export function rateLimitDelay(
  failure: HttpFailure,
  attempt: number,
  options: { baseDelayMs: number; maxDelayMs: number },
  now = Date.now(),
): number | undefined {
  const { status, headers, message } = failure;
  const limited =
    status === 429 ||
    (status === 403 &&
      (headers['x-ratelimit-remaining'] === '0' ||
        headers['retry-after'] !== undefined ||
        /secondary rate limit|rate limit exceeded|abuse/i.test(message)));
  if (!limited) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds)
      ? seconds * 1000
      : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms))
      return Math.min(Math.max(ms, 0), options.maxDelayMs);
  }
  const reset = Number(
    headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'],
  );
  if (headers['x-ratelimit-remaining'] === '0' && reset > 1e9) {
    return Math.min(Math.max(reset * 1000 - now, 0), options.maxDelayMs);
  }
  const backoff = options.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(
    backoff + Math.random() * options.baseDelayMs,
    options.maxDelayMs,
  );
}

export async function withRateLimitRetry<T>(
  fn: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 6;
  const delays = {
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
  };
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const failure = httpFailure(error);
      const delayMs =
        failure && attempt < attempts
          ? rateLimitDelay(failure, attempt, delays)
          : undefined;
      if (delayMs === undefined || !failure) throw error;
      options.onRetry?.({ attempt, delayMs, status: failure.status });
      await sleep(delayMs);
    }
  }
}
