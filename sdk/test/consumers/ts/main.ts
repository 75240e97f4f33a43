// A brand's backend in TypeScript: every call typed from the package's declarations.
import { createWalletClient, http, publicActions, type Address } from "viem";
import { getAddresses } from "viem/actions";
import { hardhat } from "viem/chains";
import {
  getBalances,
  readLedger,
  rewardPoints,
  type LedgerEntry,
  type Program,
  type RewardPointsParameters,
} from "@punchcard/sdk";
import { deployProgram, type DeployProgramReturnType } from "@punchcard/sdk/deploy";
import { openDatabase, type LedgerTables } from "@punchcard/sdk/node";
import { createProgramServer, type OrderBookTables, type ProgramServerOptions } from "@punchcard/sdk/server";

declare const process: { env: Record<string, string | undefined> };

async function main(): Promise<void> {
  const transport = http(process.env.RPC_URL);
  const [brand, member] = (await getAddresses(createWalletClient({ transport }))) as [Address, Address];
  const client = createWalletClient({ account: brand, chain: hardhat, transport, pollingInterval: 50 }).extend(publicActions);
  const deployed: DeployProgramReturnType = await deployProgram(client, {
    config: {
      brand: "TS Coffee",
      stamps: { name: "TS Stamps", symbol: "TSS" },
      points: { name: "TS Beans", symbol: "TSB" },
      treasury: brand,
      roles: { adminDelaySeconds: 0 },
    },
  });
  const program: Program = deployed.program;
  const reward: RewardPointsParameters = { program, reason: "welcome", rewards: [{ member, amount: 42n }] };
  await rewardPoints(client, reward);
  // @ts-expect-error amounts are bigints: a number must not type-check (the declarations are real, not `any`)
  const wrong: RewardPointsParameters = { program, reason: "welcome", rewards: [{ member, amount: 42 }] };
  void wrong;
  const entries: LedgerEntry[] = await readLedger(client, { program });
  const balance: bigint = (await getBalances(client, { program, member })).points;
  const db = openDatabase<LedgerTables>(":memory:");
  await db.destroy();
  // The server entry's types resolve: options are checked, the app is a Hono app.
  const options: ProgramServerOptions = { program, client, db: openDatabase<OrderBookTables>(":memory:") };
  const { app, book } = createProgramServer(options);
  await book.init();
  if ((await app.request("/health")).status !== 200) throw new Error("server entry did not answer");
  await options.db.destroy();
  console.log(JSON.stringify({ balance: String(balance), entries: entries.length }));
}

main().catch((error: unknown) => {
  console.error(error);
  throw error;
});
