import { pointsErrorCatalog } from "../errors/points.js";
import { erc20Abi, parseSignature, type Address } from "viem";
import { readContract } from "viem/actions";
import { pointsAbi } from "../generated/abis.js";
import { PunchcardError } from "../errors.js";
import type { PointsPermit, SignedIntent } from "../types/intents.js";
import type { WriteClient } from "../program.js";
import { execute, type ExecuteResult } from "./execute.js";

/**
 * Submits `permit` only if `owner`'s allowance of `token` to `spender` is short of `needed`: a member who already
 * allowed enough spends no nonce. Throws, sending nothing, when the allowance is short and the permit is missing
 * or does not cover the need.
 */
export async function permitIfShort(
  client: WriteClient,
  {
    token,
    owner,
    spender,
    needed,
    permit,
  }: { token: Address; owner: Address; spender: Address; needed: bigint; permit?: SignedIntent<PointsPermit> },
): Promise<ExecuteResult | undefined> {
  if (needed === 0n) return undefined;
  const allowance = await readContract(client, {
    address: token,
    abi: erc20Abi,
    functionName: "allowance",
    args: [owner, spender],
  });
  if (allowance >= needed) return undefined;
  const m = permit?.message;
  if (
    !permit ||
    !m ||
    m.token.toLowerCase() !== token.toLowerCase() ||
    m.owner.toLowerCase() !== owner.toLowerCase() ||
    m.spender.toLowerCase() !== spender.toLowerCase() ||
    m.value < needed
  ) {
    throw new PunchcardError(
      `${owner} has allowed the Market ${allowance} of ${token}, short of the ${needed} this trade needs.`,
      {
        hint: "Have the member sign a permit for the trade's amount (signPointsPermit) and pass it as `permit`.",
      },
    );
  }
  const { v, r, s, yParity } = parseSignature(permit.signature);
  return execute(
    client,
    {
      address: token,
      abi: pointsAbi,
      functionName: "permit",
      args: [m.owner, m.spender, m.value, m.deadline, Number(v ?? BigInt(yParity + 27)), r, s],
    },
    [pointsErrorCatalog],
  );
}
