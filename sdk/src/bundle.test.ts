// What a browser page that uses the SDK carries: the member session of the size benchmark (bench/size/ours.ts:
// connect, read the collection, approve, list, buy) bundled as `npm run bench:size` bundles it, and the ABIs in it.
import { expect } from "chai";
import path from "node:path";
import { build } from "esbuild";

/** Names only each contract's ABI holds (an event or a function), so finding one in a bundle means its ABI is in. */
const ONLY_IN = {
  stampsAbi: "StampsSeriesCreated",
  marketAbi: "CurrencyAllowedChanged",
  pointsAbi: "PointsOperatorChanged",
  consentRegistryAbi: "ConsentCameOfAge",
  rewardsAbi: "RewardsJourneyCompleted",
  partnerExchangeAbi: "ExchangeProposed",
  memberAccountAbi: "PasskeyAdded",
  memberAccountFactoryAbi: "MemberAccountCreated",
  brandPaymasterAbi: "DepositWithdrawn",
} as const;

async function bundled(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, "..", "..", "bench", "size", entry)],
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0]!.text;
}

describe("sdk: what a page carries", () => {
  it("a member session carries the ABIs of the contracts it calls (Stamps, Market), and not the seven others", async () => {
    const code = await bundled("ours.ts");
    const carried = Object.entries(ONLY_IN)
      .filter(([, name]) => code.includes(`"${name}"`))
      .map(([abi]) => abi);
    // The revert decoder reads the program's error table (generated/errorAbi.ts), not every contract's whole ABI.
    expect(carried).to.deep.equal(["stampsAbi", "marketAbi"]);
  });

  it("the names it looks for are each in their own ABI, so the check above can fail", async () => {
    const abis = await import("./generated/abis.js");
    for (const [abi, name] of Object.entries(ONLY_IN)) {
      const items = abis[abi as keyof typeof ONLY_IN] as ReadonlyArray<{ name?: string }>;
      expect(
        items.some((item) => item.name === name),
        `${name} in ${abi}`,
      ).to.equal(true);
      for (const [other] of Object.entries(ONLY_IN).filter(([o]) => o !== abi)) {
        const others = abis[other as keyof typeof ONLY_IN] as ReadonlyArray<{ name?: string }>;
        expect(
          others.some((item) => item.name === name),
          `${name} also in ${other}`,
        ).to.equal(false);
      }
    }
  });
});
