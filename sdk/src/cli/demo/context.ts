/**
 * What every chapter of the demo shares: the cast (the chain's unlocked accounts and who each plays), the logger
 * (numbered steps and their lines) and, once the `deploy` chapter has run, the program and its config.
 */
import type { Program, ProgramConfig } from "../../index.js";
import type { CliClient } from "../clients.js";

/** An account of the demo: signs, sends and reads. */
export type DemoClient = CliClient;

/** The accounts the demo needs: the brand's three, five members, a guardian, a referred member and a partner brand. */
export const DEMO_ACCOUNTS = 11;

/** The people of the demo, each an unlocked account of the chain. */
export interface DemoCast {
  /** The brand's admin: deploys the program, sets the royalty, announces the end. */
  brand: DemoClient;
  /** The brand's backend: the minter, the voucher signer and the relayer. */
  backend: DemoClient;
  treasury: DemoClient;
  /** The five members rewarded together, in order: Ada, Ben, Cleo, Dev, Eli. */
  members: DemoClient[];
  ada: DemoClient;
  ben: DemoClient;
  /** A minor, linked with her guardian's approval. */
  cleo: DemoClient;
  dev: DemoClient;
  eli: DemoClient;
  /** Cleo's parent. */
  guardian: DemoClient;
  /** A new member Ada refers. */
  fay: DemoClient;
  /** The partner brand, Skyline Air. */
  skyline: DemoClient;
  /**
   * Who each account plays, by lower-case address: "brand", "Ada", "Cleo's parent"… Chapters add the accounts
   * they create (Gia, the partner exchange), so the ledger names them.
   */
  names: Map<string, string>;
}

/** Where the demo prints: a numbered, timed step title, and the lines under it. */
export interface DemoLog {
  step(title: string): void;
  say(line: string): void;
}

/** The cast and the logger: what the first chapter (deploy) starts from. */
export interface DemoSetup extends DemoCast, DemoLog {}

/** The stamp series the example program deploys, as the chapters use them. */
export interface DemoSeries {
  /** The tradable coffee cup series (series 1): one edition per member. */
  cup: { seriesId: bigint; name: string };
  /** The soulbound series a journey's voucher pays in (series 2). */
  journey: { seriesId: bigint; name: string };
}

/** What every chapter after `deploy` reads: the setup, plus the program deployed and its config. */
export interface DemoContext extends DemoSetup {
  program: Program;
  /** The config deployed: the example program with the demo's treasury and minter. */
  config: ProgramConfig;
  series: DemoSeries;
}

/**
 * Casts the chain's first 11 unlocked accounts, in a fixed order (brand, backend, treasury, Ada, Ben, Cleo, Dev,
 * Eli, Cleo's parent, Fay, Skyline Air), and names each.
 *
 * @example
 * const cast = castOf(await accountsOf(rpc));
 */
export function castOf(accounts: DemoClient[]): DemoCast {
  if (accounts.length < DEMO_ACCOUNTS)
    throw new Error(`the demo needs ${DEMO_ACCOUNTS} unlocked accounts; the chain has ${accounts.length}`);
  const [brand, backend, treasury, ...rest] = accounts as [DemoClient, DemoClient, DemoClient, ...DemoClient[]];
  const members = rest.slice(0, 5);
  const [ada, ben, cleo, dev, eli] = members as [DemoClient, DemoClient, DemoClient, DemoClient, DemoClient];
  const [guardian, fay, skyline] = rest.slice(5) as [DemoClient, DemoClient, DemoClient];
  const names = new Map<string, string>([
    [brand.account.address.toLowerCase(), "brand"],
    [backend.account.address.toLowerCase(), "backend"],
    [treasury.account.address.toLowerCase(), "treasury"],
  ]);
  const memberNames = ["Ada", "Ben", "Cleo", "Dev", "Eli"];
  for (const [i, m] of members.entries()) names.set(m.account.address.toLowerCase(), memberNames[i]!);
  names.set(guardian.account.address.toLowerCase(), "Cleo's parent");
  names.set(fay.account.address.toLowerCase(), "Fay");
  names.set(skyline.account.address.toLowerCase(), "Skyline Air");
  return { brand, backend, treasury, members, ada, ben, cleo, dev, eli, guardian, fay, skyline, names };
}

/** A logger that numbers the steps across chapters and times them from its creation. */
export interface DemoLogger extends DemoLog {
  /** The number of the last step begun (0 before the first). */
  stepNumber(): number;
}

/**
 * Numbers and times the demo's steps: `[1.2 s] step 3: title`, each line under it indented.
 *
 * @example
 * const logger = demoLogger((line) => console.log(line));
 * logger.step("deploy"); // [0.0 s] step 1: deploy
 */
export function demoLogger(log: (line: string) => void): DemoLogger {
  const started = Date.now();
  let stepNumber = 0;
  return {
    step(title) {
      stepNumber++;
      log(`\n[${((Date.now() - started) / 1000).toFixed(1)} s] step ${stepNumber}: ${title}`);
    },
    say: (line) => log(`  ${line}`),
    stepNumber: () => stepNumber,
  };
}
