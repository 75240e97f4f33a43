import { zeroAddress, type Address, type Hex } from "viem";
import { QUIET_DAYS } from "./kpisFixture.js";
import { codeOf, type SyntheticEvent } from "./ledgerFixture.js";

/** The points' address of the acts fixture's program (a sale priced in points, a swap's royalty). */
export const ACTS_POINTS: Address = `0x${"6b".repeat(20)}`;

/** An event at a second of the year (from its start), before it is placed among the others. */
export type TimedEvent = SyntheticEvent & { at: number };

/**
 * A year of tiers, consent, journeys, referrals, perks, stamps of series 2 and 3 and their trades, to lay over
 * `kpisYear` with {@link withActs}: two `tiers.set` (the second lowers the thresholds mid-year), members 1 to 18 giving
 * analytics on day 1 and two of them withdrawing it on day 120 (one comes back on day 250), and in the quiet weeks
 * only members 1 to 4 acting, as in `kpisYear`. Deterministic for a seed.
 *
 * @example
 * const rows = syntheticRows(program, withActs(kpisYear(), kpisActs()), KPIS_YEAR_START);
 */
export function kpisActs({ members = 24, seed = 11 } = {}): TimedEvent[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const wallets = Array.from({ length: members }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as Address);
  const events: TimedEvent[] = [];
  const on = (day: number, slot: number, event: SyntheticEvent) =>
    events.push({ ...event, at: day * 86_400 + 20_000 + slot * 60 });
  const owners = new Map<bigint, Address>();
  let token = 5_000_000n;
  on(0, 0, { kind: "tiers.set", actor: null, args: JSON.stringify({ thresholds: ["15000", "40000"] }) });
  on(180, 0, { kind: "tiers.set", actor: null, args: JSON.stringify({ thresholds: ["12000", "35000"] }) });
  wallets.slice(0, 18).forEach((w, i) => on(1, i, { kind: "consent.granted", actor: w, amount: 3n }));
  on(120, 1, { kind: "consent.changed", actor: wallets[1]!, amount: 1n, args: JSON.stringify({ oldPurposes: "3" }) });
  on(120, 2, { kind: "consent.changed", actor: wallets[6]!, amount: 1n, args: JSON.stringify({ oldPurposes: "3" }) });
  on(250, 1, { kind: "consent.granted", actor: wallets[6]!, amount: 3n, args: JSON.stringify({ oldPurposes: "1" }) });
  for (let day = 2; day < 365; day++) {
    const quiet = day >= QUIET_DAYS.from && day < QUIET_DAYS.to;
    const pool = quiet ? wallets.slice(0, 4) : wallets;
    const pick = () => pool[Math.floor(random() * pool.length)]!;
    let slot = 0;
    for (let n = 0; n < 3; n++) {
      const roll = random();
      const member = pick();
      if (roll < 0.25) {
        const referee = random() < 0.35 ? pick() : null;
        on(day, slot++, {
          kind: "journey.completed",
          actor: member,
          counterparty: referee === member ? null : referee,
          amount: 100n,
          code: codeOf("five-visits"),
          args: JSON.stringify({ voucherId: `0x${"00".repeat(32)}`, stamps: "0" }),
        });
      } else if (roll < 0.45) {
        on(day, slot++, { kind: "perk.claimed", actor: member, amount: 200n, code: codeOf("free-coffee") });
      } else if (roll < 0.65) {
        const seriesId = random() < 0.5 ? 2n : 3n;
        token += 1n;
        owners.set(token, member);
        on(day, slot++, { kind: "stamp.minted", actor: member, tokenId: token, seriesId });
      } else if ([...owners.values()].some((o) => pool.includes(o))) {
        // Only stamps the day's members hold change hands: in the quiet weeks, four wallets trade among themselves.
        const held = [...owners].filter(([, o]) => pool.includes(o)).map(([id]) => id);
        const id = held[Math.floor(random() * held.length)]!;
        const owner = owners.get(id)!;
        const seriesId = id % 2n === 0n ? 2n : 3n;
        const other = pick();
        if (roll < 0.72) {
          owners.delete(id);
          on(day, slot++, { kind: "stamp.burned", actor: owner, tokenId: id, seriesId });
        } else if (other !== owner && roll < 0.95) {
          const inPoints = random() < 0.3;
          const price = BigInt(1 + Math.floor(random() * 50)) * (inPoints ? 100n : 10n ** 15n);
          const sale: Hex = `0x${(Number(token) * 1000 + day).toString(16).padStart(64, "0")}`;
          on(day, slot, {
            kind: roll < 0.85 ? "order.filled" : "offer.accepted",
            actor: other,
            counterparty: owner,
            tokenId: id,
            seriesId,
            amount: price,
            currency: inPoints ? ACTS_POINTS : zeroAddress,
            royalty: price / 20n,
            fee: price / 100n,
            code: sale,
          });
          events.push({
            kind: "stamp.transferred",
            actor: other,
            counterparty: owner,
            tokenId: id,
            seriesId,
            at: events.at(-1)!.at,
            blocks: 0,
          });
          slot++;
          owners.set(id, other);
        } else if (other !== owner) {
          on(day, slot++, {
            kind: "swap",
            actor: other,
            counterparty: owner,
            tokenId: id,
            seriesId,
            royalty: 50n,
            fee: 10n,
            code: codeOf("swap"),
          });
        }
      }
    }
  }
  return events;
}

/**
 * Lays timed events over a year of events (relative `seconds`, as `kpisYear` gives them): both placed by their time
 * from the year's start, each keeping its place among events of the same second, and given back relative again.
 *
 * @example
 * const rows = syntheticRows(program, withActs(kpisYear(), kpisActs()), KPIS_YEAR_START);
 */
export function withActs(year: readonly SyntheticEvent[], acts: readonly TimedEvent[]): SyntheticEvent[] {
  let t = 0;
  const timed: TimedEvent[] = year.map((event) => {
    t += event.seconds ?? (event.blocks ?? 1) * 12;
    return { ...event, at: t };
  });
  const merged = [...timed, ...acts].map((event, i) => ({ event, i })).sort((a, b) => a.event.at - b.event.at || a.i - b.i);
  let previous = 0;
  return merged.map(({ event }) => {
    const { at, ...rest } = event;
    const placed = { ...rest, seconds: at - previous };
    previous = at;
    return placed;
  });
}
