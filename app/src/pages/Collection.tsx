import {
  formatAmount,
  getMemberStamps,
  getPointsLifecycle,
  getProgramInfo,
  perksOf,
  tierOf,
  type GetPointsLifecycleReturnType,
  type PointsTermsInfo,
  type ProgramLifecycleInfo,
} from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { QueryError } from "../components/QueryError.js";
import { StampImage } from "../components/StampImage.js";
import { useAppConfig } from "../context.js";

/** A perk's id in words ("free-refill" reads "Free refill"), for a config that gives the perk no name. */
const perkWords = (id: string) => {
  const spaced = id.replace(/[-_.]+/g, " ").trim();
  return `${spaced.charAt(0).toUpperCase()}${spaced.slice(1)}`;
};

/** How far ahead the collection warns of expiring points, in days. */
const WARN_DAYS = 30;

/**
 * The member's stamps (image, series, "#n of N", soulbound), points (with those pending, expired or expiring within
 * 30 days), tier and the perks they unlocked.
 */
export function Collection({ member }: { member: Address }) {
  const app = useAppConfig();
  const client = usePublicClient();
  const { program, units } = app;
  const query = useQuery({
    queryKey: ["collection", program.stamps, member],
    enabled: Boolean(client),
    queryFn: async () => {
      const perkIds = app.perks.map((p) => p.id);
      const [info, stamps, points, tier, perks] = await Promise.all([
        getProgramInfo(client!, { program }),
        getMemberStamps(client!, { program, member }),
        getPointsLifecycle(client!, { program, member, withinDays: WARN_DAYS }),
        tierOf(client!, { program, member }),
        perkIds.length ? perksOf(client!, { program, member, perkIds }) : Promise.resolve([]),
      ]);
      return { info, stamps, points, tier, perks };
    },
  });

  if (query.isPending) return <p role="status">Reading your collection from the chain…</p>;
  if (query.isError) return <QueryError what="your collection" error={query.error} retry={() => void query.refetch()} />;
  const { info, stamps, points, tier, perks } = query.data;
  const formatPoints = (amount: bigint) => formatAmount(amount, units.pointsDecimals, units.pointsSymbol);
  const seriesOf = new Map(info.series.map((s) => [s.seriesId, s]));
  const tierName = tier.tier === 0 ? "no tier yet" : (app.tiers[tier.tier - 1]?.name ?? `tier ${tier.tier}`);
  const next = tier.thresholds[tier.tier];
  const unlocked = app.perks.filter((_, i) => perks[i]?.unlocked);

  return (
    <>
      <h1>Your collection</h1>
      <ProgramEndNotice lifecycle={info.lifecycle} />
      <section aria-labelledby="summary-title" className="summary">
        <h2 id="summary-title" className="visually-hidden">
          Points and tier
        </h2>
        <div className="card">
          <p className="label">Points</p>
          <p className="figure" data-testid="points">
            {formatPoints(points.balance)}
          </p>
          {/* After the end balances are frozen: nothing is pending, spent or expired any more. */}
          {info.lifecycle.status !== "ended" && <PointsNotes points={points} terms={info.points} format={formatPoints} />}
        </div>
        <div className="card">
          <p className="label">Tier</p>
          <p className="figure" data-testid="tier">
            {tierName}
          </p>
          <p>
            {tier.status.toString()} status points
            {next !== undefined && `; ${(next - tier.status).toString()} more for the next tier`}
          </p>
        </div>
      </section>
      <section aria-labelledby="perks-title">
        <h2 id="perks-title">Unlocked perks</h2>
        {unlocked.length === 0 ? (
          <p>No perk unlocked yet.</p>
        ) : (
          <ul className="perks">
            {unlocked.map((perk) => (
              <li key={perk.id}>
                <strong>{perk.name ?? perkWords(perk.id)}</strong>: {perk.description}
                {perks[app.perks.indexOf(perk)]?.claimed && " (claimed this period)"}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="stamps-title">
        <h2 id="stamps-title">Stamps ({stamps.length})</h2>
        {stamps.length === 0 ? (
          <p>You hold no stamps yet.</p>
        ) : (
          <ul className="stamps">
            {stamps.map((stamp) => {
              const series = seriesOf.get(stamp.seriesId);
              const name = series?.name ?? `Series ${stamp.seriesId}`;
              return (
                <li key={stamp.tokenId.toString()} className="stamp card" data-testid="stamp">
                  <StampImage uri={stamp.metadata?.image ?? series?.imageURI} name={name} edition={stamp.edition} />
                  <h3>{name}</h3>
                  <p>
                    #{stamp.edition.toLocaleString("en-US")} of {series?.maxSupply.toLocaleString("en-US") ?? "?"}
                  </p>
                  {series?.soulbound && (
                    <p className="badge" title="Soulbound: this stamp stays with you and cannot be traded">
                      Soulbound
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}

/**
 * A time of the chain's clock (Unix seconds) in UTC, to the minute, as the contract counts it: the day and the time,
 * since an expiry or an end falls at a given second, not at the end of a local day.
 */
function ChainTime({ seconds }: { seconds: bigint }) {
  const date = new Date(Number(seconds) * 1000);
  const day = date.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  const time = date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return <time dateTime={date.toISOString()}>{`${day} at ${time} UTC`}</time>;
}

/** The program's announced end, when there is one: what members can still do, and what they keep. */
function ProgramEndNotice({ lifecycle }: { lifecycle: ProgramLifecycleInfo }) {
  if (lifecycle.status === "active" || lifecycle.endsAt === null) return null;
  return (
    <p className="message pending" data-testid="program-end">
      {lifecycle.status === "ending" ? (
        <>
          This program ends on <ChainTime seconds={lifecycle.endsAt} />. Until then you can spend your points and trade your
          stamps, but no points are sold. Afterwards your stamps stay yours and your points balance is frozen.
        </>
      ) : (
        <>
          This program ended on <ChainTime seconds={lifecycle.endsAt} />. Your stamps stay yours and your points balance is
          frozen.
        </>
      )}
    </p>
  );
}

/**
 * What the points figure does not say on its own: how much of it the member can spend now, what is pending, what
 * expired, and what expires within {@link WARN_DAYS} days (with what keeps it under the program's expiry model).
 */
function PointsNotes({
  points,
  terms,
  format,
}: {
  points: GetPointsLifecycleReturnType;
  terms: PointsTermsInfo;
  format: (amount: bigint) => string;
}) {
  const { balance, spendable, pending, expired, expiring, expiresAt } = points;
  const upcoming = expiring - expired;
  return (
    <>
      {spendable !== balance && <p data-testid="points-spendable">{format(spendable)} spendable now</p>}
      {pending > 0n && (
        <p className="message pending" data-testid="points-pending">
          {format(pending)} pending: a purchase becomes spendable at 00:00 UTC once {terms.pendingDays} full days have passed.
        </p>
      )}
      {expired > 0n && (
        <p className="message failed" data-testid="points-expired">
          {format(expired)} expired and can no longer be spent; they count in your balance until they are removed on-chain.
        </p>
      )}
      {upcoming > 0n && (
        <p className="message pending" role="status" data-testid="points-expiring">
          {terms.expiry.model === "inactivity" && expiresAt !== null ? (
            <>
              {format(upcoming)} expire on <ChainTime seconds={expiresAt} />. Earning or spending points before then keeps them
              for another {terms.expiry.days} days.
            </>
          ) : (
            <>
              {format(upcoming)} {expired > 0n ? "more " : ""}expire within {WARN_DAYS} days
              {expired === 0n && expiresAt !== null && (
                <>
                  , the first on <ChainTime seconds={expiresAt} />
                </>
              )}
              . Spend them before then: spending uses your oldest points first.
            </>
          )}
        </p>
      )}
    </>
  );
}
