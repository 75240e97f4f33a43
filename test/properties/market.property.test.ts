import { expect } from "chai";
import { ethers } from "hardhat";
import fc from "fast-check";
import { loadFixture, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { deployMarketFixture, stampId } from "../fixtures/market";
import { buildListing, expectedFill, expectedSplit, marketDomain, NATIVE, signListing } from "../helpers/marketOrders";

const MAX_UINT = 2n ** 256n - 1n;
const ONE_ETHER = 10n ** 18n;

/** Prices that matter: nothing, the smallest unit, everyday amounts, and amounts far beyond any real balance. */
const priceArb = fc.oneof(
  fc.constantFrom(0n, 1n, 9_999n, 10_000n, 10_001n),
  fc.bigInt({ min: 0n, max: 1_000n * ONE_ETHER }),
  fc.bigInt({ min: 1_000n * ONE_ETHER, max: 2n ** 200n }),
);

describe("Market properties", function () {
  describe("RoyaltySplit (library, in isolation)", function () {
    async function harnessFixture() {
      return ethers.deployContract("RoyaltySplitHarness");
    }

    it("seller + royalty + fee == price for any price, any quoted royalty and any fee rate", async function () {
      const harness = await loadFixture(harnessFixture);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom(0n, 1n, MAX_UINT), fc.bigInt({ min: 0n, max: MAX_UINT })),
          fc.oneof(fc.constantFrom(0n, 1n, MAX_UINT), fc.bigInt({ min: 0n, max: MAX_UINT })),
          fc.integer({ min: 0, max: 10_000 }).map(BigInt),
          async (price, royaltyQuoted, feeBps) => {
            const [sellerAmount, royaltyAmount, fee] = await harness.split(price, royaltyQuoted, feeBps);
            expect(sellerAmount + royaltyAmount + fee).to.equal(price);
            expect(fee).to.equal((price * feeBps) / 10_000n); // rounds down, exact even near 2**256
            const afterFee = price - fee;
            expect(royaltyAmount).to.equal(royaltyQuoted > afterFee ? afterFee : royaltyQuoted);
          },
        ),
        { numRuns: 150 },
      );
    });

    it("refuses a fee rate above 100 %", async function () {
      const harness = await loadFixture(harnessFixture);
      await expect(harness.split(1n, 0n, 10_001n))
        .to.be.revertedWithCustomError(harness, "RoyaltySplitFeeTooHigh")
        .withArgs(10_001n);
    });
  });

  describe("fills", function () {
    /** The brand's rules: gifts on or off (off: the royalty is unskippable), a floor, a ceiling, a minimum royalty. */
    const rulesArb = fc.record({
      giftsAllowed: fc.boolean(),
      floor: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10n * ONE_ETHER })),
      ceiling: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2n ** 128n - 1n })),
      minRoyalty: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: ONE_ETHER })),
    });

    it("pay every party exactly to the wei under any rules, or refuse with the rule's error", async function () {
      await fc.assert(
        fc.asyncProperty(
          priceArb,
          fc.integer({ min: 0, max: 1_000 }).map(BigInt),
          fc.integer({ min: 0, max: 500 }).map(BigInt),
          fc.boolean(),
          rulesArb,
          async (price, royaltyBps, feeBps, inNative, rules) => {
            const { market, stamps, usd, admin, alice, bob, treasury, feeRecipient, series, tokens } =
              await loadFixture(deployMarketFixture);
            await stamps.connect(admin).setRoyalty(treasury.address, royaltyBps);
            await market.connect(admin).setFee(feeRecipient.address, feeBps);
            await stamps.connect(admin).setGiftsAllowed(rules.giftsAllowed);
            const currency = inNative ? NATIVE : await usd.getAddress();
            const ceiling = rules.ceiling !== 0n && rules.ceiling < rules.floor ? rules.floor : rules.ceiling;
            await market.connect(admin).setPriceBounds(series.coffeeClub, currency, rules.floor, ceiling);
            await market.connect(admin).setMinRoyalty(currency, rules.minRoyalty);
            if (inNative) await setBalance(bob.address, price + 10n * ONE_ETHER);
            else await usd.mint(bob.address, price);

            const listing = await buildListing(market, stamps, alice.address, tokens.aliceCoffee, { price, currency });
            const signature = await signListing(alice, await marketDomain(market), listing);
            const expected = expectedFill(price, royaltyBps, feeBps, {
              unskippable: !rules.giftsAllowed,
              floor: rules.floor,
              ceiling,
              minRoyalty: rules.minRoyalty,
            });
            const fill = () => market.connect(bob).buy(listing, signature, ethers.ZeroAddress, { value: inNative ? price : 0n });
            if ("error" in expected) {
              await expect(fill()).to.be.revertedWithCustomError(market, expected.error);
              return;
            }

            const parties = [bob.address, alice.address, treasury.address, feeRecipient.address, await market.getAddress()];
            const balanceOf = (account: string) => (inNative ? ethers.provider.getBalance(account) : usd.balanceOf(account));
            const before = await Promise.all(parties.map(balanceOf));
            const receipt = await (await fill()).wait();
            const gasPaid = inNative ? (receipt?.fee ?? 0n) : 0n;
            const after = await Promise.all(parties.map(balanceOf));

            const { sellerAmount, royaltyAmount, fee } = expected;
            expect(sellerAmount + royaltyAmount + fee).to.equal(price);
            if (!rules.giftsAllowed) expect(royaltyAmount >= rules.minRoyalty).to.equal(true);
            expect(after.map((b, i) => b - (before[i] ?? 0n))).to.deep.equal([
              -price - gasPaid,
              sellerAmount,
              royaltyAmount,
              fee,
              0n,
            ]);
            expect(await stamps.ownerOf(tokens.aliceCoffee)).to.equal(bob.address);
          },
        ),
        { numRuns: 40 },
      );
    });
  });

  describe("pull payments", function () {
    /**
     * Everyone a payment can go to: a contract-wallet seller that may reject coin, and two rejecting payees. Gifts
     * are on, so that any price fills (the royalty rules have their own property above; this one is about credit).
     */
    async function payeesFixture() {
      const f = await deployMarketFixture();
      await f.stamps.connect(f.admin).setGiftsAllowed(true);
      const wallet = await ethers.deployContract("MockERC1271Wallet", [f.alice.address]);
      const royaltyRejecter = await ethers.deployContract("MockNativeRejecter");
      const feeRejecter = await ethers.deployContract("MockNativeRejecter");
      await wallet
        .connect(f.alice)
        .execute(
          await f.stamps.getAddress(),
          0n,
          f.stamps.interface.encodeFunctionData("setApprovalForAll", [await f.market.getAddress(), true]),
        );
      return { ...f, wallet, royaltyRejecter, feeRejecter };
    }

    type Step =
      | {
          kind: "trade";
          price: bigint;
          royaltyBps: bigint;
          feeBps: bigint;
          sellerRejects: boolean;
          royaltyRejects: boolean;
          feeRejects: boolean;
        }
      | { kind: "withdraw"; who: "seller" | "royalty" | "fee" }
      | { kind: "force"; amount: bigint }
      | { kind: "sweep" };

    const stepArb: fc.Arbitrary<Step> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant("trade" as const),
          price: fc.oneof(fc.constantFrom(0n, 1n), fc.bigInt({ min: 0n, max: 50n * ONE_ETHER })),
          royaltyBps: fc.integer({ min: 0, max: 1_000 }).map(BigInt),
          feeBps: fc.integer({ min: 0, max: 500 }).map(BigInt),
          sellerRejects: fc.boolean(),
          royaltyRejects: fc.boolean(),
          feeRejects: fc.boolean(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant("withdraw" as const),
          who: fc.constantFrom("seller" as const, "royalty" as const, "fee" as const),
        }),
      },
      // Coin forced in without a call (a self-destruct's beneficiary), and the admin sweeping it out.
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("force" as const), amount: fc.bigInt({ min: 1n, max: ONE_ETHER }) }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("sweep" as const) }) },
    );

    it("after any sequence of trades, withdrawals, forced coin and sweeps, the Market's balance is at least what it owes, and the excess is exactly what was forced in and not swept", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 6 }), async (steps) => {
          const {
            market,
            stamps,
            admin,
            minter,
            alice,
            bob,
            carol,
            treasury,
            feeRecipient,
            wallet,
            royaltyRejecter,
            feeRejecter,
            series,
          } = await loadFixture(payeesFixture);
          const marketAddress = await market.getAddress();
          const domain = await marketDomain(market);
          const seller = await wallet.getAddress();
          const payees = [
            seller,
            await royaltyRejecter.getAddress(),
            await feeRejecter.getAddress(),
            treasury.address,
            feeRecipient.address,
          ];
          const expectedOwed = new Map<string, bigint>(payees.map((p) => [p, 0n]));
          await setBalance(bob.address, 1_000n * ONE_ETHER);
          let edition = 5n; // Coffee Club #1-#4 belong to the fixture's members
          let forced = 0n; // coin forced in and not yet swept

          for (const step of steps) {
            if (step.kind === "trade") {
              const royaltyTo = step.royaltyRejects ? await royaltyRejecter.getAddress() : treasury.address;
              const feeTo = step.feeRejects ? await feeRejecter.getAddress() : feeRecipient.address;
              await stamps.connect(admin).setRoyalty(royaltyTo, step.royaltyBps);
              await market.connect(admin).setFee(feeTo, step.feeBps);
              await wallet.setAcceptsNative(!step.sellerRejects);
              await stamps.connect(minter).mint(seller, series.coffeeClub);
              const tokenId = stampId(series.coffeeClub, edition++);

              const listing = await buildListing(market, stamps, seller, tokenId, { price: step.price });
              await market.connect(bob).buy(listing, await signListing(alice, domain, listing), ethers.ZeroAddress, {
                value: step.price,
              });
              const { sellerAmount, royaltyAmount, fee } = expectedSplit(step.price, step.royaltyBps, step.feeBps);
              if (step.sellerRejects) expectedOwed.set(seller, (expectedOwed.get(seller) ?? 0n) + sellerAmount);
              if (step.royaltyRejects) expectedOwed.set(royaltyTo, (expectedOwed.get(royaltyTo) ?? 0n) + royaltyAmount);
              if (step.feeRejects) expectedOwed.set(feeTo, (expectedOwed.get(feeTo) ?? 0n) + fee);
            } else if (step.kind === "force") {
              await ethers.deployContract("MockForceSender", [marketAddress], { value: step.amount });
              forced += step.amount;
            } else if (step.kind === "sweep") {
              if (forced === 0n) {
                await expect(market.connect(admin).sweep(carol.address)).to.be.revertedWithCustomError(
                  market,
                  "MarketNothingToSweep",
                );
                continue;
              }
              await expect(market.connect(admin).sweep(carol.address)).to.emit(market, "Swept").withArgs(carol.address, forced);
              forced = 0n;
            } else {
              const account = { seller, royalty: payees[1], fee: payees[2] }[step.who] ?? seller;
              if ((expectedOwed.get(account) ?? 0n) === 0n) continue;
              // Each payee sends its credit to an account that takes coin.
              if (step.who === "seller") {
                await wallet
                  .connect(alice)
                  .execute(marketAddress, 0n, market.interface.encodeFunctionData("withdrawTo", [carol.address]));
              } else {
                await (step.who === "royalty" ? royaltyRejecter : feeRejecter).withdrawTo(marketAddress, carol.address);
              }
              expectedOwed.set(account, 0n);
            }

            const owed = await Promise.all(payees.map((p) => market.owed(p)));
            const sumOwed = owed.reduce((a, b) => a + b, 0n);
            expect(owed).to.deep.equal(payees.map((p) => expectedOwed.get(p)));
            expect(await market.totalOwed()).to.equal(sumOwed);
            const balance = await ethers.provider.getBalance(marketAddress);
            expect(balance >= sumOwed).to.equal(true);
            expect(balance - sumOwed).to.equal(forced);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
});
