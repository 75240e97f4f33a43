// The same brand backend in CommonJS: require() of every entry point.
const os = require("node:os");
const path = require("node:path");
const fs = require("node:fs");
const { createWalletClient, http, publicActions } = require("viem");
const { getAddresses } = require("viem/actions");
const { hardhat } = require("viem/chains");
const { createProgramServerClient, getBalances, readLedger, rewardPoints, ContractRevertError } = require("@punchcard/sdk");
const { deployProgram } = require("@punchcard/sdk/deploy");
const { ledgerStats, openDatabase, syncLedger } = require("@punchcard/sdk/node");
const { startProgramServer } = require("@punchcard/sdk/server");

async function main() {
  const transport = http(process.env.RPC_URL);
  const [brand, member] = await getAddresses(createWalletClient({ transport }));
  const client = createWalletClient({ account: brand, chain: hardhat, transport, pollingInterval: 50 }).extend(publicActions);
  const { program } = await deployProgram(client, {
    config: {
      brand: "CJS Coffee",
      stamps: { name: "CJS Stamps", symbol: "CJSS" },
      points: { name: "CJS Beans", symbol: "CJSB" },
      treasury: brand,
      roles: { adminDelaySeconds: 0 },
    },
  });
  await rewardPoints(client, { program, reason: "welcome", rewards: [{ member, amount: 42n }] });
  // A revert arrives as the SDK's error class, decoded, from the CommonJS build too.
  let refused = "";
  try {
    await rewardPoints(createWalletClient({ account: member, chain: hardhat, transport }).extend(publicActions), {
      program,
      reason: "self-service",
      rewards: [{ member, amount: 1n }],
    });
  } catch (error) {
    if (error instanceof ContractRevertError) refused = error.errorName;
  }
  const entries = await readLedger(client, { program });
  const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "consumer-cjs-")), "ledger.sqlite");
  const db = openDatabase(dbFile);
  const synced = await syncLedger(client, { program, db, confirmations: 0n });
  const stats = await ledgerStats(db, { program });
  await db.destroy();
  const { points } = await getBalances(client, { program, member });
  const server = await startProgramServer({ program, client, db: ":memory:", port: 0, pollingInterval: 50 });
  const health = await createProgramServerClient(server.url).health();
  await server.close();
  console.log(
    JSON.stringify({
      module: typeof require === "undefined" ? "esm" : "cjs",
      balance: String(points),
      rewarded: String(stats.points.rewarded),
      entries: entries.length,
      synced: synced.inserted,
      server: { ok: health.ok, chainId: health.chainId },
      refused,
    }),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
