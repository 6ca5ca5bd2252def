/**
 * Fault hooks for reliability tests: the server consults them on every
 * authenticated request, and `dropWatches` ends the open watch streams.
 */
export class KubeFaults {
  private failures: { remaining: number; code: number } = {
    remaining: 0,
    code: 503,
  };
  private latency = 0;
  private readonly watches = new Set<() => void>();

  /** The next `count` requests answer `code` (5xx) with a Status body. */
  failNext(count: number, code = 503): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new Error(
        `failNext: count must be a non-negative integer, got ${count}`,
      );
    }
    if (code < 500 || code > 599) {
      throw new Error(`failNext: code must be a 5xx status, got ${code}`);
    }
    this.failures = { remaining: count, code };
  }

  /** Adds `ms` of latency before every request is handled (0 turns it off). */
  setLatency(ms: number): void {
    if (!(ms >= 0)) {
      throw new Error(`setLatency: ms must be >= 0, got ${ms}`);
    }
    this.latency = ms;
  }

  /** Ends every open watch stream now, as an apiserver restart would; returns how many. */
  dropWatches(): number {
    const enders = [...this.watches];
    this.watches.clear();
    for (const end of enders) end();
    return enders.length;
  }

  /** Clears pending failures and latency. */
  reset(): void {
    this.failures = { remaining: 0, code: 503 };
    this.latency = 0;
  }

  /** Number of open watch streams. */
  openWatches(): number {
    return this.watches.size;
  }

  /** @internal */
  latencyMs(): number {
    return this.latency;
  }

  /** @internal Consumes one pending failure, returning its status code. */
  takeFailure(): number | undefined {
    if (this.failures.remaining <= 0) return undefined;
    this.failures.remaining--;
    return this.failures.code;
  }

  /** @internal */
  registerWatch(end: () => void): () => void {
    this.watches.add(end);
    return () => {
      this.watches.delete(end);
    };
  }
}
