// SDK size benchmark, our side: a member's typical browser session with the Punchcard SDK. Bundled by
// bench/size.ts (esbuild, minified, gzip); never run. Compare with ./viem.ts, which does the same job.
import { createWalletClient, custom, type Address, type EIP1193Provider } from "viem";
import { approveMarket, buyStamp, getMemberStamps, listStamp, type Program } from "@punchcard/sdk";

/** Connects the member's wallet, reads their stamps, lists the first one, and buys a stamp listed by someone. */
export async function memberSession(
  ethereum: EIP1193Provider,
  program: Program,
  listed: Parameters<typeof buyStamp>[1]["listing"],
) {
  const [account] = (await ethereum.request({ method: "eth_requestAccounts" })) as Address[];
  const client = createWalletClient({ account: account!, transport: custom(ethereum) });

  const stamps = await getMemberStamps(client, { program, member: client.account.address });
  await approveMarket(client, { program });
  const listing = await listStamp(client, { program, tokenId: stamps[0]!.tokenId, price: 10n ** 16n });
  const { sale } = await buyStamp(client, { program, listing: listed });
  return { stamps, listing, sale };
}
