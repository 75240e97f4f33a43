/**
 * The analysts' schema, version 2: the SQL of every view migration `0008_ledger_analytics_views_v2` creates. The same
 * views as version 1, with the same columns, rows and values; only how a row learns its wallets' consent changed.
 *
 * Version 1 asked, for every row and every wallet it names, "what was this wallet's last purposes change at or before
 * this event?": a correlated subquery per row, which a planner runs once per row. Version 2 joins each row to the
 * wallet's analytics periods instead: from a purposes change that includes analytics to the wallet's next purposes
 * change (or open, while it stands). The periods come from one window over the purposes changes (`lead` over the
 * wallet's changes in chain order), which the engine computes once per statement; a wallet's periods never overlap,
 * so a row matches at most one and the join neither drops nor repeats a row it should keep.
 *
 * Frozen like the migration that runs it: a change to a view is a new migration with a new file beside this one. It
 * imports only version 1 (frozen too). The columns of every view stay pinned by `analyticsViews.test.ts`.
 */
import {
  ANALYTICS_BIT,
  POINTS_DECIMALS,
  PURPOSE_BITS,
  PURPOSE_KINDS,
  UNITS_JOIN,
  analyticsViewsV1,
  dialects,
  place,
  pointsColumns,
  seriesJoin,
  unitsSql,
  type ViewDefinition,
  type ViewEngine,
} from "./analyticsViewsV1.js";

/**
 * The periods in which a wallet held the analytics purpose in a program: one row per purposes change that includes
 * analytics, from that change (inclusive) to the wallet's next purposes change (exclusive; NULL while it stands).
 * A change whose purposes lack analytics opens no period, so a wallet is consented at an event exactly when one of
 * its periods holds the event: the same answer as version 1's "last change at or before the event".
 */
export const ANALYTICS_PERIODS = `(SELECT c.program, c.actor AS wallet, c.block_number AS from_block, c.log_index AS from_log,
      c.next_block AS until_block, c.next_log AS until_log
    FROM (SELECT program, actor, block_number, log_index, amount,
        lead(block_number) OVER w AS next_block, lead(log_index) OVER w AS next_log
      FROM ledger_entries
      WHERE kind IN (${PURPOSE_KINDS}) AND actor IS NOT NULL
      WINDOW w AS (PARTITION BY program, actor ORDER BY block_number, log_index)) c
    WHERE COALESCE(CAST(c.amount AS BIGINT) & ${ANALYTICS_BIT}, 0) <> 0)`;

/** True when period `p` holds `e`'s event: it began at or before it and ended (if it did) after it. */
const holds = (p: string, e: string) =>
  `(${p}.from_block < ${e}.block_number OR (${p}.from_block = ${e}.block_number AND ${p}.from_log <= ${e}.log_index))
    AND (${p}.until_block IS NULL OR ${e}.block_number < ${p}.until_block
      OR (${e}.block_number = ${p}.until_block AND ${e}.log_index < ${p}.until_log))`;

/**
 * The join to the analytics period of `wallet` that holds `e`'s event, as `p`: an inner join keeps only rows whose
 * wallet consented then; a left join keeps every row, with `p.wallet` NULL where it did not.
 */
export function consentJoin(p: string, wallet: string, e: string, kind: "JOIN" | "LEFT JOIN" = "JOIN"): string {
  return `${kind} ${ANALYTICS_PERIODS} ${p} ON ${p}.program = ${e}.program AND ${p}.wallet = ${wallet} AND ${holds(p, e)}`;
}

/** `wallet` where its left-joined period `p` found it consented, else NULL. */
const ifJoined = (p: string, wallet: string) => `CASE WHEN ${p}.wallet IS NOT NULL THEN ${wallet} END`;

/**
 * The `CREATE VIEW` statements of version 2, for one engine, in the order they are created (`tiers` names no member
 * and is version 1's).
 *
 * @example
 * for (const view of analyticsViewsV2("postgres")) await sql.raw(view.sql).execute(db);
 */
export function analyticsViewsV2(engine: ViewEngine): ViewDefinition[] {
  const d = dialects[engine];
  const v1 = new Map(analyticsViewsV1(engine).map((view) => [view.name, view.sql]));
  const views: Record<string, string> = {
    analytics_schema_version: `SELECT 2 AS version, '0008_ledger_analytics_views_v2' AS migration`,

    // A member is listed while the analytics purpose stands: their open period.
    members: `SELECT m.program, m.member, m.joined_block, m.joined_time, ${d.utc("m.joined_time")} AS joined_at
      FROM (SELECT program, actor AS member, min(block_number) AS joined_block, min(block_time) AS joined_time
            FROM ledger_entries
            WHERE actor IS NOT NULL AND kind IN ('stamp.minted', 'stamp.transferred', 'points.minted', 'points.transferred',
              'points.rewarded', 'points.credited')
            GROUP BY program, actor) m
      JOIN ${ANALYTICS_PERIODS} p ON p.program = m.program AND p.wallet = m.member AND p.until_block IS NULL`,

    stamps_minted: `SELECT ${place(d)}, e.actor AS member, e.token_id, e.series_id, s.series_name
      FROM ledger_entries e ${consentJoin("pa", "e.actor", "e")} ${seriesJoin(d)}
      WHERE e.kind = 'stamp.minted'`,

    stamp_transfers: `SELECT ${place(d)}, ${ifJoined("pc", "e.counterparty")} AS from_wallet,
        ${ifJoined("pa", "e.actor")} AS to_wallet, e.token_id, e.series_id, s.series_name
      FROM ledger_entries e ${consentJoin("pc", "e.counterparty", "e", "LEFT JOIN")}
        ${consentJoin("pa", "e.actor", "e", "LEFT JOIN")} ${seriesJoin(d)}
      WHERE e.kind = 'stamp.transferred'`,

    trades: (() => {
      const isNative = "e.currency = '0x0000000000000000000000000000000000000000'";
      const currency = `CASE WHEN e.kind = 'swap' THEN u.points_address ELSE e.currency END`;
      const isPoints = `(e.kind = 'swap' OR e.currency = u.points_address)`;
      const decimals = `CASE WHEN ${isPoints} THEN ${POINTS_DECIMALS} WHEN ${isNative} THEN COALESCE(u.native_decimals, 18) ELSE 0 END`;
      const symbol = `CASE WHEN ${isPoints} THEN u.points_symbol WHEN ${isNative} THEN COALESCE(u.native_symbol, 'ETH') END`;
      const kind = `CASE e.kind WHEN 'order.filled' THEN 'listing' WHEN 'offer.accepted' THEN 'offer'
        WHEN 'orders.matched' THEN 'matched' ELSE 'swap' END`;
      return `SELECT ${place(d)}, ${kind} AS kind, e.code AS order_hash, e.token_id, e.series_id, s.series_name,
          ${ifJoined("pc", "e.counterparty")} AS seller, ${ifJoined("pa", "e.actor")} AS buyer,
          ${currency} AS currency, ${symbol} AS currency_symbol,
          ${unitsSql("e.amount", decimals)} AS price, e.amount AS price_raw,
          ${unitsSql("e.royalty", decimals)} AS royalty, e.royalty AS royalty_raw,
          ${unitsSql("e.fee", decimals)} AS fee, e.fee AS fee_raw
        FROM ledger_entries e ${UNITS_JOIN} ${consentJoin("pc", "e.counterparty", "e", "LEFT JOIN")}
          ${consentJoin("pa", "e.actor", "e", "LEFT JOIN")} ${seriesJoin(d)}
        WHERE e.kind IN ('order.filled', 'offer.accepted', 'orders.matched', 'swap')`;
    })(),

    points_flows: (() => {
      const converted = `EXISTS (SELECT 1 FROM ledger_entries x WHERE x.chain_id = e.chain_id AND x.tx_hash = e.tx_hash
        AND x.kind = 'points.redeemed' AND x.program <> e.program)`;
      const flow = `CASE WHEN e.kind = 'points.credited' AND ${converted} THEN 'converted' ELSE CASE e.kind
        WHEN 'points.rewarded' THEN 'earned' WHEN 'points.credited' THEN 'bought'
        WHEN 'points.redeemed' THEN 'redeemed' WHEN 'points.purchase.reversed' THEN 'reversed'
        WHEN 'points.expired' THEN 'expired' ELSE 'transferred' END END`;
      const reason = `CASE WHEN e.kind IN ('points.rewarded', 'points.redeemed') THEN ${d.codeName("e.code")} ELSE e.code END`;
      // Each program's pending days, from its first points.terms (one row per program, joined, not asked per row).
      const terms = `LEFT JOIN (SELECT t.program, CAST(${d.arg("t.args", "pendingDays")} AS BIGINT) AS pending_days
          FROM ledger_entries t
          WHERE t.kind = 'points.terms' AND NOT EXISTS (SELECT 1 FROM ledger_entries t2 WHERE t2.program = t.program
            AND t2.kind = 'points.terms' AND (t2.block_number < t.block_number
              OR (t2.block_number = t.block_number AND t2.log_index < t.log_index)))) pt ON pt.program = e.program`;
      const pendingUntil = `CASE WHEN e.kind = 'points.credited' AND COALESCE(pt.pending_days, 0) > 0
        THEN (CAST(e.block_time AS BIGINT) / 86400 + pt.pending_days + 1) * 86400 END`;
      return `SELECT ${place(d)}, ${flow} AS flow, e.actor AS member, ${ifJoined("pc", "e.counterparty")} AS counterparty,
          ${pointsColumns("e.amount")}, ${reason} AS reason, ${pendingUntil} AS pending_until,
          CASE WHEN e.kind = 'points.purchase.reversed' THEN ${d.arg("e.args", "burned")} END AS reversed_burned_raw,
          CASE WHEN e.kind = 'points.purchase.reversed' THEN ${d.arg("e.args", "shortfall")} END AS reversed_shortfall_raw
        FROM ledger_entries e ${UNITS_JOIN} ${consentJoin("pa", "e.actor", "e")}
          ${consentJoin("pc", "e.counterparty", "e", "LEFT JOIN")} ${terms}
        WHERE e.kind IN ('points.rewarded', 'points.credited', 'points.redeemed', 'points.purchase.reversed',
          'points.expired', 'points.transferred')`;
    })(),

    tiers: v1.get("tiers")!.replace(/^CREATE VIEW tiers AS /, ""),

    perk_claims: `SELECT ${place(d)}, e.actor AS member, e.code AS perk_id, ${d.codeName("e.code")} AS perk_name,
        CAST(${d.arg("e.args", "period")} AS BIGINT) AS period, ${pointsColumns("e.amount", "points_burned")},
        e.token_id AS stamp_burned, e.series_id AS stamp_burned_series_id
      FROM ledger_entries e ${UNITS_JOIN} ${consentJoin("pa", "e.actor", "e")}
      WHERE e.kind = 'perk.claimed'`,

    journey_completions: `SELECT ${place(d)}, e.actor AS member, e.code AS journey_id, ${d.codeName("e.code")} AS journey_name,
        ${d.arg("e.args", "voucherId")} AS voucher_id, CAST(${d.arg("e.args", "stamps")} AS BIGINT) AS stamps,
        ${pointsColumns("e.amount")}, ${ifJoined("pc", "e.counterparty")} AS referee
      FROM ledger_entries e ${UNITS_JOIN} ${consentJoin("pa", "e.actor", "e")}
        ${consentJoin("pc", "e.counterparty", "e", "LEFT JOIN")}
      WHERE e.kind = 'journey.completed'`,

    referrals: `SELECT ${place(d)}, ${ifJoined("pa", "e.actor")} AS referrer, ${ifJoined("pc", "e.counterparty")} AS referee,
        e.code AS journey_id, ${d.codeName("e.code")} AS journey_name, ${pointsColumns("e.amount")}
      FROM ledger_entries e ${UNITS_JOIN} ${consentJoin("pa", "e.actor", "e", "LEFT JOIN")}
        ${consentJoin("pc", "e.counterparty", "e", "LEFT JOIN")}
      WHERE e.kind = 'journey.completed' AND e.counterparty IS NOT NULL`,

    consent_changes: (() => {
      const sibling = (offset: string, kind: string) =>
        `SELECT 1 FROM ledger_entries o WHERE o.program = e.program AND o.tx_hash = e.tx_hash
          AND o.log_index = e.log_index ${offset} AND o.kind = '${kind}'`;
      const byWhom = `CASE
          WHEN EXISTS (${sibling("- 1", "consent.guardian.withdrew")}) OR EXISTS (${sibling("- 1", "consent.guardian.changed")}) THEN 'guardian'
          WHEN EXISTS (${sibling("+ 1", "consent.unlinked")} AND ${d.argIsTrue("o.args", "byBrand")}) THEN 'brand'
          ELSE 'member' END`;
      const purposes = PURPOSE_BITS.map(([bit, name]) => `SELECT ${bit} AS bit, '${name}' AS purpose`).join(" UNION ALL ");
      const before = `CAST(${d.arg("e.args", "oldPurposes")} AS BIGINT)`;
      const after = "CAST(e.amount AS BIGINT)";
      return `SELECT ${place(d)}, e.actor AS member, p.purpose,
          CASE WHEN (${after} & p.bit) <> 0 THEN 'on' ELSE 'off' END AS state, ${byWhom} AS by_whom
        FROM ledger_entries e ${consentJoin("pa", "e.actor", "e")} CROSS JOIN (${purposes}) p
        WHERE e.kind IN (${PURPOSE_KINDS}) AND (${before} & p.bit) <> (${after} & p.bit)`;
    })(),

    exchange_conversions: (() => {
      const nextCredit = `(SELECT min(c2.log_index) FROM ledger_entries c2 WHERE c2.chain_id = r.chain_id AND c2.tx_hash = r.tx_hash
        AND c2.kind = 'points.credited' AND c2.program <> r.program AND c2.log_index > r.log_index)`;
      return `SELECT ${place(d, "r")}, r.code AS agreement_id, r.actor AS exchange, c.program AS to_program,
          ${ifJoined("pc", "c.actor")} AS member,
          ${unitsSql("r.amount", "COALESCE(ua.points_decimals, 0)")} AS points_out, r.amount AS points_out_raw,
          ${unitsSql("c.amount", "COALESCE(ub.points_decimals, 0)")} AS points_in, c.amount AS points_in_raw,
          c.code AS receipt_id
        FROM ledger_entries r
        JOIN ledger_entries c ON c.chain_id = r.chain_id AND c.tx_hash = r.tx_hash AND c.kind = 'points.credited' AND c.log_index = ${nextCredit}
        LEFT JOIN ledger_units ua ON ua.program = r.program
        LEFT JOIN ledger_units ub ON ub.program = c.program
        ${consentJoin("pc", "c.actor", "c", "LEFT JOIN")}
        WHERE r.kind = 'points.redeemed'`;
    })(),
  };
  return Object.entries(views).map(([name, body]) => ({ name, sql: `CREATE VIEW ${name} AS ${body}` }));
}
