import type { Address, Hex } from "viem";
import { codeOf, syntheticProgram, type SyntheticEvent } from "./ledgerFixture.js";

/** The KPI fixture's program (synthetic: only chain and Stamps address matter). */
export const kpisProgram = syntheticProgram(31337, `0x${"4f".repeat(20)}`);

/** 2026-01-01 00:00 UTC, a Thursday: the fixture's year starts here. */
export const KPIS_YEAR_START = Date.UTC(2026, 0, 1) / 1000;

/** Days of the year on which only four members act (a small group every figure of that week must hide). */
export const QUIET_DAYS = { from: 200, to: 214 } as const;

/**
 * A year of a program's activity as synthetic events, deterministic for a seed: `members` wallets earning, buying,
 * redeeming, having purchases reversed, points expiring and stamps minted, each points event with its Transfer (mint
 * or burn) as the contracts emit them, and two quiet weeks (QUIET_DAYS) where only four members act.
 *
 * @example
 * const rows = syntheticRows(kpisProgram, kpisYear({ members: 40, eventsPerDay: 8 }), KPIS_YEAR_START);
 */
export function kpisYear({ members = 24, eventsPerDay = 12, seed = 7 } = {}): SyntheticEvent[] {
  let state = seed;
  const random = () => {
    // A small linear congruential generator: the same year for the same seed, on any machine.
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const wallets = Array.from({ length: members }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as Address);
  const balance = new Map<Address, bigint>();
  const credits: Array<{ member: Address; amount: bigint; receipt: Hex }> = [];
  const events: SyntheticEvent[] = [];
  let previous = 0;
  const at = (second: number, event: SyntheticEvent, sameTx = false) => {
    events.push({ ...event, seconds: second - previous, blocks: sameTx ? 0 : 1 });
    previous = second;
  };
  const mint = (member: Address, amount: bigint, second: number) =>
    at(second, { kind: "points.minted", actor: member, amount }, true);
  const burn = (member: Address, amount: bigint, second: number) =>
    at(second, { kind: "points.burned", actor: member, amount }, true);
  for (let day = 0; day < 365; day++) {
    const quiet = day >= QUIET_DAYS.from && day < QUIET_DAYS.to;
    const pool = quiet ? wallets.slice(0, 4) : wallets;
    for (let n = 0; n < eventsPerDay; n++) {
      const second = day * 86_400 + 3_600 + n * 600 + 1;
      const member = pool[Math.floor(random() * pool.length)]!;
      const held = balance.get(member) ?? 0n;
      const roll = random();
      const amount = BigInt(100 + Math.floor(random() * 900));
      if (roll < 0.4 || held === 0n) {
        at(second, { kind: "points.rewarded", actor: member, amount, code: codeOf(roll < 0.2 ? "visit" : "welcome") });
        mint(member, amount, second);
        balance.set(member, held + amount);
      } else if (roll < 0.55) {
        const receipt = `0x${(events.length + 1).toString(16).padStart(64, "0")}` as Hex;
        at(second, { kind: "points.credited", actor: member, amount, code: receipt });
        mint(member, amount, second);
        balance.set(member, held + amount);
        credits.push({ member, amount, receipt });
      } else if (roll < 0.8) {
        const spent = held < amount ? held : amount;
        at(second, { kind: "points.redeemed", actor: member, amount: spent, code: codeOf("coffee") });
        burn(member, spent, second);
        balance.set(member, held - spent);
      } else if (roll < 0.87 && credits.length > 0) {
        const credit = credits.splice(Math.floor(random() * credits.length), 1)[0]!;
        const owner = balance.get(credit.member) ?? 0n;
        const burned = owner < credit.amount ? owner : credit.amount;
        const args = JSON.stringify({ burned: String(burned), shortfall: String(credit.amount - burned) });
        at(second, { kind: "points.purchase.reversed", actor: credit.member, amount: credit.amount, code: credit.receipt, args });
        if (burned > 0n) burn(credit.member, burned, second);
        balance.set(credit.member, owner - burned);
      } else if (roll < 0.93) {
        const lapsed = held / 2n;
        at(second, { kind: "points.expired", actor: member, amount: lapsed });
        if (lapsed > 0n) burn(member, lapsed, second);
        balance.set(member, held - lapsed);
      } else {
        at(second, { kind: "stamp.minted", actor: member, tokenId: BigInt(events.length + 1), seriesId: 1n });
      }
    }
  }
  return events;
}
