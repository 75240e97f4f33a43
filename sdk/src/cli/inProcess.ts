import hre from "hardhat";
import { custom, type EIP1193RequestFn, type Transport } from "viem";

/**
 * A viem transport over Hardhat's in-process network (the embedded default of tests and the demo).
 *
 * Hardhat's in-process provider throws reverts as JavaScript errors with the revert data but no
 * JSON-RPC code; viem decodes custom errors only from a JSON-RPC "execution reverted" error (code 3,
 * as real nodes and `hardhat node` answer). This adapter gives it that shape, so a revert on the
 * embedded chain reaches the SDK as the same named error it would on any other chain.
 */
export function inProcessTransport(): Transport {
  const provider = hre.network.provider;
  const request = (async (args: { method: string; params?: unknown }) => {
    try {
      return await provider.request(args as Parameters<typeof provider.request>[0]);
    } catch (error) {
      const e = error as { data?: unknown; code?: unknown; message?: string };
      if (e.code === undefined && typeof e.data === "string" && e.data.startsWith("0x")) {
        throw Object.assign(new Error(`execution reverted: ${e.message ?? ""}`), { code: 3, data: e.data });
      }
      throw error;
    }
  }) as EIP1193RequestFn;
  // Nothing on the in-process chain is transient: a failure is final, so no retries.
  return custom({ request }, { retryCount: 0 });
}
