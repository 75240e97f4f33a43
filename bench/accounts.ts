/**
 * Gas of a member's passkey account (ERC-4337, EntryPoint v0.8, brand-sponsored) beside the same action relayed for
 * an EOA today, with the RIP-7212 P-256 precompile on (Hardhat's default here) or off:
 *
 *   npm run bench:accounts   (runs this twice: `hardhat run bench/accounts.ts`, then with P256_PRECOMPILE=off)
 *
 * The stamp purchase is compared like with like: fresh stamps, the royalty receiver and the fee recipient already
 * holding points, each buyer already holding a Coffee Club stamp; the first purchase (approve + buy) and the steady
 * state (an allowance in place, buy alone) beside the relayed EOA purchase (its allowance in place).
 *
 * Each figure is the gas of the transaction on chain (`handleOps` for a UserOp, from its receipt). The paymaster is
 * charged a little more for a UserOp: the UserOp's `preVerificationGas` (the bundler's overhead, here 60,000) and
 * 10 % of any unused execution gas above 40,000. Writes bench/results/accounts-<date>-precompile-<on|off>.json and
 * prints a table. Not part of `npm test`; it asserts only that each action did what it should.
 */
import fs from "node:fs";
import path from "node:path";
import hre, { ethers } from "hardhat";
import { encodeFunctionData, type Address, type Hex } from "viem";
import { marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "@punchcard/sdk";
import { deployAccountFixture } from "../test/account/fixture";
import { handleOps, sponsoredUserOp } from "../test/account/userOps";
import { TestPasskey } from "../test/account/passkey";
import { buildListing, buildOffer, marketDomain, signListing, signOffer } from "../test/helpers/marketOrders";

/** The anchors (#24), measured on this machine with an OpenZeppelin P-256 account and a SimpleAccount. */
const ANCHORS = { p256Erc20UserOp: 91_583, simpleAccountFirstUserOp: 248_398 };

type Row = { operation: string; gas: number; note?: string };

async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

async function main() {
  const precompile = (hre.network.config as { enableRip7212?: boolean }).enableRip7212 === true;
  const f = await deployAccountFixture();
  const rows: Row[] = [];
  const options = { sponsor: f.sponsorKey, paymaster: f.paymasterAddress };
  const addresses = {
    market: (await f.market.getAddress()) as Address,
    points: (await f.points.getAddress()) as Address,
    rewards: (await f.rewards.getAddress()) as Address,
    stamps: (await f.stamps.getAddress()) as Address,
  };
  const userOp = async (member: typeof f.member, calls: { to: Address; data: Hex }[]) =>
    gasOf(handleOps(f.bundler, [await sponsoredUserOp(member, calls, options)]));

  // Account creation + a first action: the brand rewarded the predicted address at sign-up; the first UserOp deploys
  // the account and redeems 10 points.
  const redeem = encodeFunctionData({
    abi: pointsAbi,
    functionName: "redeem",
    args: [10n, ethers.encodeBytes32String("coffee") as Hex],
  });
  await f.points.connect(f.minter).reward(f.member.address, 500n, ethers.encodeBytes32String("sign-up"));
  rows.push({
    operation: "account creation + first action (redeem points), one UserOp",
    gas: await userOp(f.member, [{ to: addresses.points, data: redeem }]),
    note: "target ≤ 250,000",
  });
  rows.push({
    operation: "redeem points, account deployed (UserOp)",
    gas: await userOp(f.member, [{ to: addresses.points, data: redeem }]),
  });
  rows.push({
    operation: "redeem points, EOA member (direct)",
    gas: await gasOf(f.points.connect(f.alice).redeem(10n, ethers.encodeBytes32String("coffee"))),
  });

  // Creation + the welcome voucher (a stamp and 100 points from Rewards), beside the EOA's voucher relayed.
  const newcomer = await f.memberAccount(new TestPasskey("newcomer"));
  const welcome = await f.welcomeVoucher(newcomer.address);
  const redeemVoucher = (voucher: typeof welcome) =>
    encodeFunctionData({ abi: rewardsAbi, functionName: "redeem", args: [voucher.voucher, voucher.signature as Hex] });
  const approveStamps = encodeFunctionData({ abi: stampsAbi, functionName: "setApprovalForAll", args: [addresses.market, true] });
  rows.push({
    operation: "account creation + welcome voucher (1 stamp, 100 points) + approve the Market, one UserOp",
    gas: await userOp(newcomer, [
      { to: addresses.rewards, data: redeemVoucher(welcome) },
      { to: addresses.stamps, data: approveStamps },
    ]),
  });
  const eoaWelcome = await f.welcomeVoucher(f.dave.address);
  rows.push({
    operation: "welcome voucher for an EOA member, relayed (Rewards.redeem)",
    gas: await gasOf(f.rewards.connect(f.bundler).redeem(eoaWelcome.voucher, eoaWelcome.signature)),
  });

  // A stamp purchase in Points, compared like with like. The program is in its steady state: the royalty receiver
  // and the fee recipient already hold points, and each buyer already holds a Coffee Club stamp (alice does in the
  // fixture; the account gets one here), so no row pays for a balance slot the other does not. The EOA member signs
  // an offer the relayer matches with the listing (matchOrders); their allowance is in place (as after a first
  // permit), so the Market spends it without writing it (an unlimited allowance).
  const price = 60n;
  const domain = await marketDomain(f.market);
  const pointsReason = ethers.encodeBytes32String("steady-state");
  await f.points.connect(f.minter).rewardBatch([f.treasury.address, f.feeRecipient.address], [1n, 1n], pointsReason);
  await f.stamps.connect(f.minter).mint(f.member.address, f.series.coffeeClub);
  const listed = async (seller: typeof f.bob) => {
    const tokenId = await f.stamps.connect(f.minter).mint.staticCall(seller.address, f.series.coffeeClub);
    await f.stamps.connect(f.minter).mint(seller.address, f.series.coffeeClub);
    const listing = await buildListing(f.market, f.stamps, seller.address, tokenId, { price, currency: addresses.points });
    return { tokenId, listing, signature: (await signListing(seller, domain, listing)) as Hex };
  };
  const buyCall = (sale: Awaited<ReturnType<typeof listed>>) => ({
    to: addresses.market,
    data: encodeFunctionData({
      abi: marketAbi,
      functionName: "buy",
      args: [sale.listing as never, sale.signature, f.member.address],
    }),
  });
  const approveCall = (amount: bigint) => ({
    to: addresses.points,
    data: encodeFunctionData({ abi: pointsAbi, functionName: "approve", args: [addresses.market, amount] }),
  });

  const carolSale = await listed(f.carol);
  const offer = await buildOffer(f.market, f.alice.address, {
    seriesId: f.series.coffeeClub,
    tokenId: carolSale.tokenId,
    currency: addresses.points,
    price,
  });
  const relayed = await gasOf(
    f.market
      .connect(f.bundler)
      .matchOrders(carolSale.listing, carolSale.signature, offer, await signOffer(f.alice, domain, offer)),
  );
  if ((await f.stamps.ownerOf(carolSale.tokenId)) !== f.alice.address) throw new Error("the relayed purchase failed");
  rows.push({ operation: "stamp purchase in Points, EOA member relayed (matchOrders), allowance in place", gas: relayed });

  // A member's first purchase: the account approves the Market for the price and buys, in one UserOp (the SDK's
  // buyStampCalls when the allowance is short).
  const firstSale = await listed(f.bob);
  const userOpBuy = await userOp(f.member, [approveCall(price), buyCall(firstSale)]);
  if ((await f.stamps.ownerOf(firstSale.tokenId)) !== f.member.address) throw new Error("the UserOp purchase failed");
  rows.push({
    operation: "stamp purchase in Points, approve + buy in one UserOp (first purchase)",
    gas: userOpBuy,
    note: "target ≤ 1.5 × relayed",
  });
  rows.push({
    operation: "ratio first UserOp purchase / relayed purchase",
    gas: Math.round((userOpBuy / relayed) * 100) / 100,
    note: "× (not gas)",
  });

  // The steady state: the account's allowance is in place as the EOA member's is (approved once, unlimited), so
  // buyStampCalls leaves the approve out and the UserOp is the buy alone.
  await userOp(f.member, [approveCall(ethers.MaxUint256)]);
  const steadySale = await listed(f.bob);
  const userOpSteady = await userOp(f.member, [buyCall(steadySale)]);
  if ((await f.stamps.ownerOf(steadySale.tokenId)) !== f.member.address) throw new Error("the steady purchase failed");
  rows.push({ operation: "stamp purchase in Points, buy in one UserOp, allowance in place (steady state)", gas: userOpSteady });
  rows.push({
    operation: "ratio steady-state UserOp purchase / relayed purchase",
    gas: Math.round((userOpSteady / relayed) * 100) / 100,
    note: "× (not gas)",
  });

  const date = new Date().toISOString().slice(0, 10);
  const result = { date, precompile, anchors: ANCHORS, rows };
  const dir = path.join(__dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `accounts-${date}-precompile-${precompile ? "on" : "off"}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nMember passkey accounts, P-256 precompile ${precompile ? "ON (RIP-7212)" : "OFF (Solidity P-256)"}\n`);
  console.log("| operation | gas | note |\n|---|---:|---|");
  for (const row of rows) console.log(`| ${row.operation} | ${row.gas.toLocaleString("en-US")} | ${row.note ?? ""} |`);
  console.log(
    `\nAnchors (#24): P-256 account ERC-20 UserOp ${ANCHORS.p256Erc20UserOp.toLocaleString("en-US")}, ` +
      `SimpleAccount first UserOp ${ANCHORS.simpleAccountFirstUserOp.toLocaleString("en-US")}.\nWrote ${path.relative(process.cwd(), file)}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
