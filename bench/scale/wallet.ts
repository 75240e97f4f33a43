/**
 * The member wallet's load time in a program of a given size: one member holds 1,000 ledger entries (given the
 * first time, kept as the program grows), the built wallet (app/, `vite build` into a temporary folder) is served
 * against the scale run's chain with that member as its test account, and Chromium times, in a fresh context each
 * time (an empty cache), how long until the Collection shows the member's stamps and until the History shows every
 * entry's row. The median of 3 loads of each.
 */
import fs from "node:fs";
import type http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { encodeFunctionData, stringToHex } from "viem";
import type { Browser } from "playwright-core";
import { pointsAbi, recordFromProgram, stampsAbi } from "@punchcard/sdk";
import { serveApp } from "../../scripts/appServer";
import { launchChromium } from "../../test/helpers/chromium";
import { buildApp } from "../sizeApp";
import { why } from "./report";
import { BlockSender } from "./sender";
import type { ScaleProgram } from "./grow";

/** The member's own entries: a transaction each (the History shows a row per transaction), stamps and rewards. */
export const WALLET_ENTRIES = { stamps: 200, rewards: 800 } as const;
const LOADS = 3;
/** A load that shows nothing in this long is recorded as not shown, and the next loads are not tried. */
export const TIMEOUT_MS = 60_000;

export interface WalletFigures {
  /** The member's stamps (the Collection's cards) and the History's rows (a row per transaction). */
  stamps: number;
  historyRows: number;
  /** Each load's time, ms (undefined: not shown within the timeout). */
  collectionMs: Array<number | undefined>;
  historyMs: Array<number | undefined>;
  collectionMedianMs: number | undefined;
  historyMedianMs: number | undefined;
}

/**
 * Gives member `index` its entries: a mint of one stamp and a reward each in a transaction of its own, sent by the
 * brand through {@link BlockSender}.
 */
export async function giveWalletEntries(scale: ScaleProgram, index: number): Promise<void> {
  const { program, brand } = scale;
  const member = scale.member(index).address;
  const sender = await BlockSender.open(brand);
  try {
    const mint = encodeFunctionData({ abi: stampsAbi, functionName: "mint", args: [member, 1n] });
    for (let k = 0; k < WALLET_ENTRIES.stamps; k++)
      await sender.send(brand.account, "wallet-mint", { to: program.stamps, data: mint });
    for (let k = 0; k < WALLET_ENTRIES.rewards; k++) {
      const reward = encodeFunctionData({
        abi: pointsAbi,
        functionName: "reward",
        args: [member, BigInt(1 + (k % 9)), stringToHex(`wallet-${k}`, { size: 32 })],
      });
      await sender.send(brand.account, "wallet-reward", { to: program.points, data: reward });
    }
  } finally {
    await sender.close();
  }
}

const median = (values: Array<number | undefined>) => {
  const shown = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  // A load that did not show counts as the slowest: the median is undefined when most did not show.
  if (shown.length * 2 <= values.length) return undefined;
  return shown[Math.floor(values.length / 2)];
};

/** The built wallet, kept across the sizes of a run (built once). */
export interface BuiltWallet {
  dist: string;
  browser: Browser;
  close: () => Promise<void>;
}

export async function buildWallet(): Promise<BuiltWallet> {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-wallet-"));
  buildApp(dist);
  const browser = await launchChromium();
  return {
    dist,
    browser,
    close: async () => {
      await browser.close();
      fs.rmSync(dist, { recursive: true, force: true });
    },
  };
}

/**
 * Serves the wallet against `rpcUrl` with member `index` as its one test account and times 3 loads of its Collection
 * (from opening the page to every stamp shown) and of its History (from opening #/history to every row shown).
 */
export async function measureWallet(options: {
  wallet: BuiltWallet;
  scale: ScaleProgram;
  index: number;
  rpcUrl: string;
  log: (line: string) => void;
}): Promise<WalletFigures> {
  const { wallet, scale, index, rpcUrl, log } = options;
  const member = scale.member(index).address;
  const stamps = Number(
    await scale.brand.readContract({ address: scale.program.stamps, abi: stampsAbi, functionName: "balanceOf", args: [member] }),
  );
  const record = recordFromProgram(scale.program, {
    brand: "Scale Coffee",
    network: "localhost",
    configHash: `0x${"00".repeat(32)}`,
    deployer: scale.brand.account.address,
    units: { pointsSymbol: "SPT", pointsDecimals: 18, nativeSymbol: "ETH", nativeDecimals: 18 },
  });
  const programJson = () =>
    JSON.stringify({
      brand: "Scale Coffee",
      rpcUrl,
      record,
      tiers: [],
      perks: [],
      testAccounts: [{ name: "Scale member", address: member }],
    });
  const server: http.Server = serveApp({ dist: wallet.dist, programJson });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const collectionMs: WalletFigures["collectionMs"] = [];
  const historyMs: WalletFigures["historyMs"] = [];
  let historyRows = 0;
  try {
    for (let load = 0; load < LOADS; load++) {
      const context = await wallet.browser.newContext({ locale: "en-US" });
      const page = await context.newPage();
      try {
        const t0 = performance.now();
        await page.goto(url);
        await page.getByRole("button", { name: /Scale member/ }).click({ timeout: TIMEOUT_MS });
        const shown = await page
          .locator('[data-testid="stamp"]')
          .nth(stamps - 1)
          .waitFor({ timeout: TIMEOUT_MS })
          .then(
            () => true,
            () => false,
          );
        collectionMs.push(shown ? performance.now() - t0 : undefined);
        const t1 = performance.now();
        await page.goto(`${url}#/history`);
        const rows = page.locator('[data-testid="entry"]');
        const listed = await rows
          .first()
          .waitFor({ timeout: TIMEOUT_MS })
          .then(
            () => true,
            () => false,
          );
        historyMs.push(listed ? performance.now() - t1 : undefined);
        if (listed) historyRows = await rows.count();
        const missed = collectionMs.at(-1) === undefined || historyMs.at(-1) === undefined;
        log(
          `wallet: load ${load + 1}: Collection ${collectionMs.at(-1)?.toFixed(0) ?? "not shown"} ms (${stamps} stamps), ` +
            `History ${historyMs.at(-1)?.toFixed(0) ?? "not shown"} ms (${historyRows} rows)`,
        );
        if (missed) break;
      } finally {
        await context.close();
      }
    }
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return {
    stamps,
    historyRows,
    collectionMs,
    historyMs,
    collectionMedianMs: median(collectionMs),
    historyMedianMs: median(historyMs),
  };
}

/** The wallet's loads at each size, each load's time ("not shown in 60 s" for one that timed out), for the report. */
export function walletLines(steps: Array<{ members: number; wallet?: WalletFigures }>): string[] {
  const loads = (values: Array<number | null | undefined>) =>
    values
      .map((v) => (v === null || v === undefined ? `not shown in ${TIMEOUT_MS / 1000} s` : `${(v / 1000).toFixed(1)} s`))
      .join(", ");
  const measured = steps.filter((s) => s.wallet);
  if (measured.length === 0) return [];
  return [
    "## The wallet, member with 1,000 entries",
    "",
    "Each load in a fresh Chromium context; the loads after one that timed out are not tried, and a median is given only when most",
    'loads showed (the table\'s "–").',
    "",
    "| members | stamps | History rows | Collection loads | History loads |",
    "|---:|---:|---:|---|---|",
    ...measured.map(
      (s) =>
        `| ${s.members.toLocaleString("en-US")} | ${s.wallet!.stamps} | ${s.wallet!.historyRows} | ${loads(s.wallet!.collectionMs)} | ${loads(s.wallet!.historyMs)} |`,
    ),
    "",
    `- History: ${why("wallet: History")}`,
    `- Collection: ${why("wallet: Collection")}`,
    "- The member's 1,000 entries are in the ledger from the first size on, so the ledger's totals grow a little slower than the members.",
    "",
  ];
}
