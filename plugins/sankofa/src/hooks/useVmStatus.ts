import { useApi } from '@backstage/core-plugin-api';
import { VmState, VmStatusDocument } from '@sankofa/plugin-sankofa-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { sankofaApiRef } from '../api/SankofaApi';

/** States that change without anyone acting: keep polling while the VM is in one of them. */
const SETTLED: VmState[] = ['Ready', 'Failed'];

export const POLL_INTERVAL_MS = 5000;
/** After a failed poll, wait this many intervals before the next one. */
const RETRY_FACTOR = 3;

/**
 * Answers that will not change by asking again: a bad reference, no permission, no claim named.
 * Anything else (a 5xx, a dropped connection) is worth another try.
 */
function isFinal(error: unknown): boolean {
  const status =
    (error as { response?: { status?: number } })?.response?.status ??
    (error as { statusCode?: number })?.statusCode;
  return status !== undefined && status >= 400 && status < 500;
}

export interface VmStatusState {
  loading: boolean;
  error?: Error;
  status?: VmStatusDocument;
  /** True while the next poll is scheduled. */
  polling: boolean;
  refresh: () => void;
}

/**
 * The VM's status document, polled every few seconds while it is provisioning (or its cluster
 * is stale) and left alone once it settled (Ready or Failed). A failed poll is retried, more
 * slowly, unless the answer is final (4xx). The last document stays on screen meanwhile.
 */
export function useVmStatus(
  entityRef: string,
  intervalMs = POLL_INTERVAL_MS,
): VmStatusState {
  const api = useApi(sankofaApiRef);
  const [state, setState] = useState<Omit<VmStatusState, 'refresh'>>({
    loading: true,
    polling: false,
  });
  const [tick, setTick] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => {
    let cancelled = false;
    api.getVmStatus(entityRef).then(
      status => {
        if (cancelled) return;
        const poll =
          !SETTLED.includes(status.rollup.state) || status.freshness.stale;
        setState({ loading: false, status, polling: poll });
        if (poll) {
          timer.current = setTimeout(() => setTick(t => t + 1), intervalMs);
        }
      },
      error => {
        if (cancelled) return;
        const retry = !isFinal(error);
        setState(prev => ({
          loading: false,
          error,
          status: prev.status,
          polling: retry,
        }));
        if (retry) {
          timer.current = setTimeout(
            () => setTick(t => t + 1),
            intervalMs * RETRY_FACTOR,
          );
        }
      },
    );
    return () => {
      cancelled = true;
      clearTimeout(timer.current);
    };
  }, [api, entityRef, intervalMs, tick]);

  const refresh = useCallback(() => setTick(t => t + 1), []);
  return { ...state, refresh };
}
