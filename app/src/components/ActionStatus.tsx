import type { ActionState } from "./useAction.js";
import { TxLink } from "./TxLink.js";

/** Where an action's state is announced (a live region: screen readers hear each change). */
export function ActionStatus({ state }: { state: ActionState }) {
  return (
    <div role="status" aria-live="polite" className="action-status">
      {state.status === "pending" && <p className="message pending">{state.label}: pending, confirm in your wallet…</p>}
      {state.status === "confirmed" && (
        <p className="message confirmed">
          {state.label}: confirmed
          {state.result && (
            <>
              {" "}
              in block {state.result.receipt.blockNumber.toString()} (<TxLink hash={state.result.hash} />)
            </>
          )}
          .
        </p>
      )}
      {state.status === "failed" && (
        <p className="message failed">
          {state.label}: failed. {state.message}
        </p>
      )}
    </div>
  );
}
