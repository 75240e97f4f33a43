// A brand's backend in Node ES modules: deploy a program, reward a member, read and sync the ledger.
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { createWalletClient, http, publicActions } from "viem";
import { getAddresses } from "viem/actions";
import { hardhat } from "viem/chains";
import { createProgramServerClient, getBalances, readLedger, rewardPoints } from "@punchcard/sdk";
import { deployProgram } from "@punchcard/sdk/deploy";
import { ledgerStats, openDatabase, syncLedger } from "@punchcard/sdk/node";
import { startProgramServer } from "@punchcard/sdk/server";

const transport = http(process.env.RPC_URL);
const [brand, member] = await getAddresses(createWalletClient({ transport }));
const client = createWalletClient({ account: brand, chain: hardhat, transport, pollingInterval: 50 }).extend(publicActions);

const { program } = await deployProgram(client, {
  config: {
    brand: "ESM Coffee",
    stamps: { name: "ESM Stamps", symbol: "ESMS" },
    points: { name: "ESM Beans", symbol: "ESMB" },
    treasury: brand,
    roles: { adminDelaySeconds: 0 },
    series: [{ name: "Cup", maxSupply: 10 }],
  },
});
await rewardPoints(client, { program, reason: "welcome", rewards: [{ member, amount: 42n }] });
const entries = await readLedger(client, { program });
const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "consumer-esm-")), "ledger.sqlite");
const db = openDatabase(dbFile);
const synced = await syncLedger(client, { program, db, confirmations: 0n });
const stats = await ledgerStats(db, { program });
await db.destroy();
const { points } = await getBalances(client, { program, member });
// The program server from the ./server entry, answering the typed client of the main entry.
const server = await startProgramServer({ program, client, db: ":memory:", port: 0, pollingInterval: 50 });
const health = await createProgramServerClient(server.url).health();
await server.close();
console.log(
  JSON.stringify({
    module: typeof require === "undefined" ? "esm" : "cjs",
    program: { ...program, deployBlock: String(program.deployBlock) },
    member,
    balance: String(points),
    rewarded: String(stats.points.rewarded),
    entries: entries.length,
    synced: synced.inserted,
    server: { ok: health.ok, chainId: health.chainId },
    kinds: [...new Set(entries.map((e) => e.kind))].sort(),
  }),
);
