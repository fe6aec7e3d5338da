import { useEffect, useState } from "preact/hooks";
import { type GqlError, type Operation, run } from "./client.js";

export interface OperationState<T> {
  op: Operation | null;
  loading: boolean;
  data: T | null;
  errors: GqlError[];
}

const IDLE = { op: null, loading: false, data: null, errors: [] };

/**
 * Runs `op` (null: nothing to run) and re-runs it when its text or variables change; a request
 * still in flight for the previous one is cancelled. With `keep`, the previous answer stays on
 * screen while the next loads (a slider does not blank its image at every step).
 */
export function useOperation<T>(op: Operation | null, keep = false): OperationState<T> {
  const key = op ? `${op.query}\n${JSON.stringify(op.variables)}` : "";
  const [state, setState] = useState<OperationState<T>>(IDLE);
  useEffect(() => {
    if (!op) {
      setState(IDLE);
      return;
    }
    const controller = new AbortController();
    setState((s) => (keep ? { ...s, op, loading: true } : { op, loading: true, data: null, errors: [] }));
    run<T>(op, controller.signal).then(
      (answer) => setState({ op, loading: false, data: answer.data, errors: answer.errors }),
      () => {}, // aborted: a newer operation owns the state
    );
    return () => controller.abort();
  }, [key]);
  return state;
}
