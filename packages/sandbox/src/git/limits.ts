/** Per-credential request budget, so tests can exercise clients' 429 handling. */
export interface RateLimitOptions {
  /** Requests allowed per window and per token (anonymous callers share one budget per address). */
  limit: number;
  /** Window length; the budget refills completely when it ends. Default 60. */
  windowSeconds?: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the budget refills. */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private options: RateLimitOptions | undefined;
  private readonly buckets = new Map<
    string,
    { used: number; resetAt: number }
  >();

  constructor(
    options?: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.configure(options);
  }

  /** Replaces the budget (undefined disables limiting) and forgets usage. */
  configure(options: RateLimitOptions | undefined) {
    if (options && (!Number.isInteger(options.limit) || options.limit < 0)) {
      throw new Error('rateLimit.limit must be a non-negative integer');
    }
    this.options = options;
    this.buckets.clear();
  }

  reset() {
    this.buckets.clear();
  }

  take(key: string): RateDecision | undefined {
    if (!this.options) {
      return undefined;
    }
    const windowMs = (this.options.windowSeconds ?? 60) * 1000;
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { used: 0, resetAt: now + windowMs };
      this.buckets.set(key, bucket);
    }
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((bucket.resetAt - now) / 1000),
    );
    if (bucket.used >= this.options.limit) {
      return {
        allowed: false,
        limit: this.options.limit,
        remaining: 0,
        retryAfterSeconds,
      };
    }
    bucket.used += 1;
    return {
      allowed: true,
      limit: this.options.limit,
      remaining: this.options.limit - bucket.used,
      retryAfterSeconds,
    };
  }
}

export interface FailureOptions {
  /** HTTP status to answer with; default 503. */
  status?: number;
  message?: string;
  /** Only requests whose path starts with this fail (e.g. `/api/v1/repos`). */
  pathPrefix?: string;
  /** Only requests with this method fail. */
  method?: string;
}

interface PendingFailure
  extends Required<Pick<FailureOptions, 'status' | 'message'>> {
  remaining: number;
  pathPrefix?: string;
  method?: string;
}

/** Test hook: make the next requests fail or slow down, like a flaky host. */
export class FaultInjector {
  private failures: PendingFailure[] = [];
  private latencyMs = 0;

  /** The next `count` matching requests are answered with a 5xx. */
  failNext(count: number, options: FailureOptions = {}) {
    this.failures.push({
      remaining: count,
      status: options.status ?? 503,
      message: options.message ?? 'injected fault: service unavailable',
      pathPrefix: options.pathPrefix,
      method: options.method?.toUpperCase(),
    });
  }

  /** Every request waits this long before being handled. */
  setLatency(ms: number) {
    this.latencyMs = Math.max(0, ms);
  }

  get latency() {
    return this.latencyMs;
  }

  clear() {
    this.failures = [];
    this.latencyMs = 0;
  }

  /** Consumes one matching failure, if any. */
  takeFailure(method: string, path: string) {
    const failure = this.failures.find(
      f =>
        f.remaining > 0 &&
        (!f.pathPrefix || path.startsWith(f.pathPrefix)) &&
        (!f.method || f.method === method.toUpperCase()),
    );
    if (!failure) {
      return undefined;
    }
    failure.remaining -= 1;
    this.failures = this.failures.filter(f => f.remaining > 0);
    return { status: failure.status, message: failure.message };
  }
}
