/**
 * Chapter `partnerExchange`: a partner brand (Skyline Air) deploys its own program in the demo; the brand proposes
 * an exchange of its points into Skyline Miles, the partner accepts it, and a member with partner-sharing consent
 * converts (one without it is refused).
 */
import { exampleProgramConfig } from "../../config/exampleProgram.js";
import { deployPartnerExchange, deployProgram } from "../../deploy.js";
import { acceptExchange, ContractRevertError, convertPoints, getBalances, proposeExchange, quoteExchange } from "../../index.js";
import type { DemoContext } from "./context.js";

/**
 * Deploys Skyline Air's program and a partner exchange, agrees the terms on both sides, and converts Eli's points.
 *
 * @example
 * await partnerExchangeChapter(context);
 */
export async function partnerExchangeChapter(context: DemoContext): Promise<void> {
  const { brand, ada, eli, skyline, names, program, config, step, say } = context;
  const example = exampleProgramConfig;
  step("a partner brand: Northwind Beans convert into Skyline Miles");
  const partner = await deployProgram(skyline, {
    config: {
      ...example,
      brand: "Skyline Air",
      stamps: { name: "Skyline Stamps", symbol: "SKYSTAMP", contractURI: "" },
      points: {
        name: "Skyline Miles",
        symbol: "MILES",
        decimals: 0,
        transferable: true,
        pendingDays: 0,
        expiry: { model: "none" },
      },
      treasury: skyline.account.address,
      series: [],
      journeys: [],
      tiers: [],
      perks: [],
    },
  });
  say(`Skyline Air deployed its own program in this demo: Points ${partner.program.points}`);
  const { exchange } = await deployPartnerExchange(brand, {});
  names.set(exchange.toLowerCase(), "exchange");
  const { timestamp: today } = await brand.getBlock();
  const { id: exchangeId } = await proposeExchange(brand, {
    exchange,
    program,
    terms: {
      pointsA: program.points,
      pointsB: partner.program.points,
      rateA: 10n,
      rateB: 3n,
      memberCap: 200n,
      periodCap: 10_000n,
      periodSeconds: 30n * 86_400n,
      endsAt: today + 365n * 86_400n,
      consentA: program.consent,
    },
  });
  const proposed = await quoteExchange(eli, { exchange, id: exchangeId, amount: 100n });
  say(
    `Northwind proposed exchange ${exchangeId}: 10 ${config.points.symbol} for 3 MILES, at most 200 a member and 10,000 in all per 30 days, for a year, partner-sharing consent required; in effect: ${proposed.active}`,
  );
  await acceptExchange(skyline, { exchange, program: partner.program, id: exchangeId });
  const accepted = await quoteExchange(eli, { exchange, id: exchangeId, amount: 100n, member: eli.account.address });
  say(`Skyline Air's admin accepted it on-chain; in effect: ${accepted.active}`);
  try {
    await convertPoints(ada, { exchange, id: exchangeId, amount: 100n });
    throw new Error("a conversion without partner-sharing consent was accepted");
  } catch (error) {
    if (!(error instanceof ContractRevertError) || error.errorName !== "ExchangeConsentRequired") throw error;
    say(`Ada never consented to partner sharing: her conversion is refused (${error.errorName})`);
  }
  const conversion = await convertPoints(eli, { exchange, id: exchangeId, amount: 100n });
  const miles = await getBalances(eli, { program: partner.program, member: eli.account.address });
  say(
    `Eli (partner sharing granted) converted ${conversion.burned} ${config.points.symbol} into ${conversion.credited} MILES in one transaction (quoted ${accepted.credited}); he holds ${miles.points} MILES at Skyline Air`,
  );
}
