import { useApi } from '@backstage/core-plugin-api';
import { VmState, VmStatusDocument } from '@sankofa/plugin-sankofa-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { sankofaApiRef } from '../api/SankofaApi';

/** States that change without anyone acting: keep polling while the VM is in one of them. */
const SETTLED: VmState[] = ['Ready', 'Failed'];

export const POLL_INTERVAL_MS = 5000;

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
 * is stale) and left alone once it settled (Ready or Failed). The last document stays on screen
 * while a poll is in flight or failed.
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
        setState(prev => ({
          loading: false,
          error,
          status: prev.status,
          polling: false,
        }));
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
