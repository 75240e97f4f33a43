import { getAddress, isAddress, zeroAddress, type Address } from "viem";
import { getCode } from "viem/actions";
import type { ReadClient } from "../../program.js";
import type { PaymentsContext } from "./config.js";

/**
 * Why points bought by card may not go to `wallet`, in a sentence, or undefined when they may: no wallet, not an
 * address, the zero address, one of the program's own contracts, or a wallet `knownWallet` refuses. Given `chain`
 * (the checkout, before any money moves), an address with code is refused too unless `knownWallet` accepts it: points
 * sent to a contract nobody controls as a member are lost, while a brand that sells to passkey accounts lists them
 * in `knownWallet`. The webhook calls it without `chain`: money was taken already, and the chain may be down.
 *
 * @example
 * const problem = await walletProblem(context, "0x0000000000000000000000000000000000000000"); // "The zero address is nobody's wallet: …"
 */
export async function walletProblem(
  context: PaymentsContext,
  wallet: string | undefined,
  chain?: ReadClient,
): Promise<string | undefined> {
  if (wallet === undefined) return "No wallet was given to credit the points to.";
  if (!isAddress(wallet, { strict: false })) return `${JSON.stringify(wallet.slice(0, 64))} is not an address.`;
  const address: Address = getAddress(wallet);
  if (address === zeroAddress) return "The zero address is nobody's wallet: points sent there are lost.";
  const { program } = context;
  const own = [program.points, program.stamps, program.market, program.consent, program.rewards];
  if (own.some((contract) => contract.toLowerCase() === address.toLowerCase()))
    return "That is one of the program's own contracts, not a member's wallet.";
  if (context.knownWallet) {
    if (!(await context.knownWallet(address)))
      return "The brand does not know this wallet: link it to your account first, or choose the wallet you linked.";
    return undefined;
  }
  if (chain) {
    const code = await getCode(chain, { address });
    if (code !== undefined && code !== "0x")
      return "That address is a contract, not a member's wallet: points sent there could never be spent.";
  }
  return undefined;
}
