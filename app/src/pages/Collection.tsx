import {
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
import { useTranslation } from "react-i18next";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { WithTime } from "../components/LocalTime.js";
import { QueryError } from "../components/QueryError.js";
import { StampImage } from "../components/StampImage.js";
import { useHoldingsWatch } from "../components/useHoldingsWatch.js";
import { useAppConfig } from "../context.js";
import { editionText, seriesName } from "../features/market/text.js";
import { formatAmountIn, formatCount } from "../i18n/format.js";
import { activeLanguage } from "../i18n/i18n.js";

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
  const { t } = useTranslation();
  // A reward the brand sends (at sign-up, say) shows as soon as its block is seen, with no reload.
  const watching = useHoldingsWatch(program, member);
  const query = useQuery({
    queryKey: ["collection", program.stamps, member],
    enabled: Boolean(client) && watching,
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

  if (query.isPending) return <p role="status">{t("collection.reading")}</p>;
  if (query.isError) return <QueryError what={t("collection.subject")} error={query.error} retry={() => void query.refetch()} />;
  const { info, stamps, points, tier, perks } = query.data;
  const formatPoints = (amount: bigint) => formatAmountIn(amount, units.pointsDecimals, units.pointsSymbol);
  const seriesOf = new Map(info.series.map((s) => [s.seriesId, s]));
  const tierName =
    tier.tier === 0
      ? t("collection.noTier")
      : (app.tiers[tier.tier - 1]?.name ?? t("collection.tierNumber", { tier: formatCount(tier.tier) }));
  const next = tier.thresholds[tier.tier];
  const unlocked = app.perks.filter((_, i) => perks[i]?.unlocked);

  return (
    <>
      <h1>{t("collection.title")}</h1>
      <ProgramEndNotice lifecycle={info.lifecycle} />
      <section aria-labelledby="summary-title" className="summary">
        <h2 id="summary-title" className="visually-hidden">
          {t("collection.summary")}
        </h2>
        <div className="card">
          <p className="label">{t("collection.points")}</p>
          <p className="figure" data-testid="points">
            {formatPoints(points.balance)}
          </p>
          {/* After the end balances are frozen: nothing is pending, spent or expired any more. */}
          {info.lifecycle.status !== "ended" && <PointsNotes points={points} terms={info.points} format={formatPoints} />}
        </div>
        <div className="card">
          <p className="label">{t("collection.tier")}</p>
          <p className="figure" data-testid="tier">
            {tierName}
          </p>
          <p>
            {next === undefined
              ? t("collection.status", { status: formatCount(tier.status) })
              : t("collection.statusNext", { status: formatCount(tier.status), more: formatCount(next - tier.status) })}
          </p>
        </div>
      </section>
      <section aria-labelledby="perks-title">
        <h2 id="perks-title">{t("collection.perksTitle")}</h2>
        {unlocked.length === 0 ? (
          <p>{t("collection.noPerks")}</p>
        ) : (
          <ul className="perks">
            {unlocked.map((perk) => (
              <li key={perk.id}>
                <strong>{perk.name ?? perkWords(perk.id)}</strong>: {perk.description}
                {perks[app.perks.indexOf(perk)]?.claimed && t("collection.claimed")}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="stamps-title">
        <h2 id="stamps-title">{t("collection.stampsTitle")}</h2>
        {stamps.length === 0 ? (
          <p>{t("collection.noStamps")}</p>
        ) : (
          <p>{t("collection.stampCount", { count: stamps.length, formatted: formatCount(stamps.length) })}</p>
        )}
        {stamps.length > 0 && (
          <ul className="stamps">
            {stamps.map((stamp) => {
              const series = seriesOf.get(stamp.seriesId);
              const name = seriesName(stamp.seriesId, series);
              return (
                <li key={stamp.tokenId.toString()} className="stamp card" data-testid="stamp">
                  <StampImage uri={stamp.metadata?.image ?? series?.imageURI} name={name} edition={stamp.edition} />
                  <h3>{name}</h3>
                  <p>{editionText(stamp.edition, series)}</p>
                  {series?.soulbound && (
                    <p className="badge" title={t("collection.soulboundTitle")}>
                      {t("collection.soulbound")}
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

/** The chain's clock as the contracts count it: UTC, 24 hours, the zone named. */
const UTC = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC", timeZoneName: "short" } as const;

/**
 * A time of the chain's clock (Unix seconds) in UTC, to the minute, as the contract counts it, in the active language:
 * the day and the time, since an expiry or an end falls at a given second, not at the end of a local day.
 */
function ChainTime({ seconds }: { seconds: bigint }) {
  const date = new Date(Number(seconds) * 1000);
  const text = date.toLocaleString(activeLanguage(), { year: "numeric", month: "long", day: "numeric", ...UTC });
  return <time dateTime={date.toISOString()}>{text}</time>;
}

/** A sentence of the catalog with a chain time in it ("ends on {{when}}"). */
function SentenceAt({ seconds, sentence }: { seconds: bigint; sentence: (when: string) => string }) {
  return <WithTime sentence={sentence} time={<ChainTime seconds={seconds} />} />;
}

/** The program's announced end, when there is one: what members can still do, and what they keep. */
function ProgramEndNotice({ lifecycle }: { lifecycle: ProgramLifecycleInfo }) {
  const { t } = useTranslation();
  if (lifecycle.status === "active" || lifecycle.endsAt === null) return null;
  const key = lifecycle.status === "ending" ? "collection.ending" : "collection.ended";
  return (
    <p className="message pending" data-testid="program-end">
      <SentenceAt seconds={lifecycle.endsAt} sentence={(when) => t(key, { when })} />
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
  const { t } = useTranslation();
  const { balance, spendable, pending, expired, expiring, expiresAt } = points;
  const upcoming = expiring - expired;
  const midnight = new Date(0).toLocaleTimeString(activeLanguage(), UTC);
  const within = { points: format(upcoming), days: formatCount(WARN_DAYS) };
  return (
    <>
      {spendable !== balance && <p data-testid="points-spendable">{t("collection.spendable", { points: format(spendable) })}</p>}
      {pending > 0n && (
        <p className="message pending" data-testid="points-pending">
          {t("collection.pending", { points: format(pending), midnight, days: formatCount(terms.pendingDays) })}
        </p>
      )}
      {expired > 0n && (
        <p className="message failed" data-testid="points-expired">
          {t("collection.expired", { points: format(expired) })}
        </p>
      )}
      {upcoming > 0n && (
        <p className="message pending" role="status" data-testid="points-expiring">
          {terms.expiry.model === "inactivity" && expiresAt !== null ? (
            <SentenceAt
              seconds={expiresAt}
              sentence={(when) =>
                t("collection.expiringOn", { points: format(upcoming), when, days: formatCount(terms.expiry.days) })
              }
            />
          ) : expired > 0n ? (
            t("collection.expiringMoreWithin", within)
          ) : expiresAt !== null ? (
            <SentenceAt seconds={expiresAt} sentence={(when) => t("collection.expiringFirst", { ...within, when })} />
          ) : (
            t("collection.expiringWithin", within)
          )}
        </p>
      )}
    </>
  );
}
