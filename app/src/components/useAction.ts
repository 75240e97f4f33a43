import type { ExecuteResult } from "@punchcard/sdk";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { errorSentence } from "../errors.js";

export type ActionState =
  | { status: "idle" }
  | { status: "pending"; label: string }
  | { status: "confirmed"; label: string; result: ExecuteResult | undefined }
  | { status: "failed"; label: string; message: string };

/**
 * A member's action with its three visible states: pending (waiting for the wallet and the chain), confirmed
 * (mined; the pages re-read the chain, so they show what it holds, never a guess), failed (the SDK's sentence).
 */
export function useAction<Input>(label: (input: Input) => string, run: (input: Input) => Promise<ExecuteResult | undefined>) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: run,
    // The chain changed (or may have): everything read from it is read again before it is shown.
    onSettled: () => queryClient.invalidateQueries(),
  });
  const state: ActionState =
    mutation.status === "pending"
      ? { status: "pending", label: label(mutation.variables as Input) }
      : mutation.status === "success"
        ? { status: "confirmed", label: label(mutation.variables as Input), result: mutation.data }
        : mutation.status === "error"
          ? { status: "failed", label: label(mutation.variables as Input), message: errorSentence(mutation.error) }
          : { status: "idle" };
  return { state, run: mutation.mutate, busy: mutation.status === "pending", reset: mutation.reset };
}
