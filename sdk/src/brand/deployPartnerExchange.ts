import type { Address, Hash } from "viem";
import { deployContract, waitForTransactionReceipt } from "viem/actions";
import { partnerExchangeAbi } from "../generated/abis.js";
import { partnerExchangeBytecode } from "../generated/bytecode.js";
import { PunchcardError, toPunchcardError } from "../errors.js";
import type { WriteClient } from "../program.js";

export type DeployPartnerExchangeParameters = Record<string, never>;

export interface DeployPartnerExchangeReturnType {
  /** The PartnerExchange contract: any number of agreements between any programs live in it. */
  exchange: Address;
  hash: Hash;
}

/**
 * Deploys a PartnerExchange, where programs' admins agree exchanges of points. It has no owner: each agreement is
 * governed by the admins of its two programs. One per chain is enough; deploy yours or use a partner's.
 *
 * @example
 * const { exchange } = await deployPartnerExchange(brand, {});
 */
export async function deployPartnerExchange(
  client: WriteClient,
  _parameters: DeployPartnerExchangeParameters = {},
): Promise<DeployPartnerExchangeReturnType> {
  try {
    const hash = await deployContract(client, {
      abi: partnerExchangeAbi,
      bytecode: partnerExchangeBytecode,
      account: client.account,
      chain: client.chain,
    });
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success" || !receipt.contractAddress) {
      throw new PunchcardError(`Deploying PartnerExchange failed in transaction ${hash}.`);
    }
    return { exchange: receipt.contractAddress, hash };
  } catch (error) {
    throw toPunchcardError(error);
  }
}
