import { formatAmount, getBalances, getMemberStamps, getProgramInfo, perksOf, tierOf } from "@punchcard/sdk";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { usePublicClient } from "wagmi";
import { QueryError } from "../components/QueryError.js";
import { StampImage } from "../components/StampImage.js";
import { useAppConfig } from "../context.js";

/** The member's stamps (image, series, "#n of N", soulbound), points, tier and the perks they unlocked. */
export function Collection({ member }: { member: Address }) {
  const app = useAppConfig();
  const client = usePublicClient();
  const { program, units } = app;
  const query = useQuery({
    queryKey: ["collection", program.stamps, member],
    enabled: Boolean(client),
    queryFn: async () => {
      const perkIds = app.perks.map((p) => p.id);
      const [info, stamps, balances, tier, perks] = await Promise.all([
        getProgramInfo(client!, { program }),
        getMemberStamps(client!, { program, member }),
        getBalances(client!, { program, member }),
        tierOf(client!, { program, member }),
        perkIds.length ? perksOf(client!, { program, member, perkIds }) : Promise.resolve([]),
      ]);
      return { info, stamps, balances, tier, perks };
    },
  });

  if (query.isPending) return <p role="status">Reading your collection from the chain…</p>;
  if (query.isError) return <QueryError what="your collection" error={query.error} retry={() => void query.refetch()} />;
  const { info, stamps, balances, tier, perks } = query.data;
  const seriesOf = new Map(info.series.map((s) => [s.seriesId, s]));
  const tierName = tier.tier === 0 ? "no tier yet" : (app.tiers[tier.tier - 1]?.name ?? `tier ${tier.tier}`);
  const next = tier.thresholds[tier.tier];
  const unlocked = app.perks.filter((_, i) => perks[i]?.unlocked);

  return (
    <>
      <h1>Your collection</h1>
      <section aria-labelledby="summary-title" className="summary">
        <h2 id="summary-title" className="visually-hidden">
          Points and tier
        </h2>
        <div className="card">
          <p className="label">Points</p>
          <p className="figure" data-testid="points">
            {formatAmount(balances.points, units.pointsDecimals, units.pointsSymbol)}
          </p>
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
                <strong>{perk.id}</strong>: {perk.description}
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
