import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { shouldBehaveLikeBoundedPausable } from "./behaviors/boundedPausable.behavior";
import {
  ADMIN_DELAY,
  LIFECYCLE,
  MAX_PAUSE,
  Policy,
  ROYALTY_BPS,
  Scope,
  deployTokens,
  deployTokensWithSeries,
  stampId,
} from "./fixtures/tokens";

const ZERO = ethers.ZeroAddress;

function decodeDataUri(uri: string): Record<string, unknown> {
  const prefix = "data:application/json;base64,";
  expect(uri.startsWith(prefix)).to.equal(true, uri);
  return JSON.parse(Buffer.from(uri.slice(prefix.length), "base64").toString("utf8"));
}

describe("Stamps", () => {
  describe("deployment", () => {
    it("starts with the royalty, policy and collection metadata it was given", async () => {
      const { stamps, treasury, admin } = await loadFixture(deployTokens);
      expect(await stamps.name()).to.equal("Punchcard Stamps");
      expect(await stamps.symbol()).to.equal("STAMP");
      expect(await stamps.defaultAdmin()).to.equal(admin.address);
      expect(await stamps.transferPolicy()).to.equal(Policy.Open);
      expect(await stamps.giftsAllowed()).to.equal(false);
      expect(await stamps.contractURI()).to.equal("ipfs://collection.json");
      expect(await stamps.seriesCount()).to.equal(0n);
      expect(await stamps.royaltyInfo(1n, 10_000n)).to.deep.equal([treasury.address, 500n]);
    });

    it("emits its initial royalty and policy so the ledger sees them", async () => {
      const [admin, treasury] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("Stamps");
      const stamps = await factory.deploy("S", "S", admin!.address, 0, treasury!.address, 250, Policy.MarketOnly, "", LIFECYCLE);
      await expect(stamps.deploymentTransaction())
        .to.emit(stamps, "StampsRoyaltyChanged")
        .withArgs(treasury!.address, 250)
        .and.to.emit(stamps, "StampsTransferPolicyChanged")
        .withArgs(Policy.MarketOnly);
    });

    it("refuses a royalty above 10 % or a zero treasury", async () => {
      const [admin, treasury] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("Stamps");
      await expect(factory.deploy("S", "S", admin!.address, 0, treasury!.address, 1001, 0, "", LIFECYCLE))
        .to.be.revertedWithCustomError(factory, "StampsRoyaltyTooHigh")
        .withArgs(1001, 1000);
      await expect(factory.deploy("S", "S", admin!.address, 0, ZERO, 100, 0, "", LIFECYCLE))
        .to.be.revertedWithCustomError(factory, "StampsInvalidTreasury")
        .withArgs(ZERO);
    });

    it("supports ERC-165, ERC-721, ERC-721 metadata, ERC-2981 and AccessControl", async () => {
      const { stamps } = await loadFixture(deployTokens);
      for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0x2a55205a", "0x7965db0b"]) {
        expect(await stamps.supportsInterface(id)).to.equal(true, id);
      }
      expect(await stamps.supportsInterface("0xdeadbeef")).to.equal(false);
    });

    it("supports ERC-5192, its interface id computed from the interface's function selectors", async () => {
      const { stamps } = await loadFixture(deployTokens);
      const erc5192 = (await ethers.getContractFactory("Stamps")).interface;
      // ERC-165: the XOR of every function selector of the interface (ERC-5192 has one, `locked`).
      const artifact = await import("../artifacts/contracts/interfaces/IERC5192.sol/IERC5192.json");
      const selectors = new ethers.Interface(artifact.abi).fragments
        .filter((fragment): fragment is import("ethers").FunctionFragment => fragment.type === "function")
        .map((fragment) => BigInt(fragment.selector));
      const interfaceId = ethers.toBeHex(
        selectors.reduce((a, b) => a ^ b, 0n),
        4,
      );
      expect(selectors).to.have.length(1);
      expect(BigInt(interfaceId)).to.equal(BigInt(erc5192.getFunction("locked")!.selector));
      expect(await stamps.supportsInterface(interfaceId)).to.equal(true);
    });
  });

  describe("ERC-5192 (soulbound stamps tell wallets)", () => {
    it("emits Locked at the mint of a soulbound stamp, and only then", async () => {
      const { stamps, minter, members, tradableSeries, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      const [a, b] = [members[0]!.address, members[1]!.address];
      await expect(stamps.connect(minter).mint(a, soulboundSeries))
        .to.emit(stamps, "Locked")
        .withArgs(stampId(soulboundSeries, 1n));
      await expect(stamps.connect(minter).mintBatch([a, b], soulboundSeries))
        .to.emit(stamps, "Locked")
        .withArgs(stampId(soulboundSeries, 2n))
        .and.to.emit(stamps, "Locked")
        .withArgs(stampId(soulboundSeries, 3n));
      await expect(stamps.connect(minter).mint(a, tradableSeries)).not.to.emit(stamps, "Locked");
      await expect(stamps.connect(minter).mintBatch([a, b], tradableSeries)).not.to.emit(stamps, "Locked");
    });

    it("says which stamps are locked, and refuses to answer for a stamp nobody holds", async () => {
      const { stamps, minter, members, tradableSeries, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      const holder = members[0]!;
      await stamps.connect(minter).mint(holder.address, soulboundSeries);
      await stamps.connect(minter).mint(holder.address, tradableSeries);
      expect(await stamps.locked(stampId(soulboundSeries, 1n))).to.equal(true);
      expect(await stamps.locked(stampId(tradableSeries, 1n))).to.equal(false);
      await expect(stamps.locked(stampId(tradableSeries, 2n)))
        .to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken")
        .withArgs(stampId(tradableSeries, 2n));
      await stamps.connect(holder).burn(stampId(soulboundSeries, 1n));
      await expect(stamps.locked(stampId(soulboundSeries, 1n))).to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken");
    });
  });

  describe("createSeries", () => {
    it("stores the series and emits StampsSeriesCreated", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      await expect(stamps.connect(admin).createSeries("Autumn Cup", 500, false, "ipfs://a.png", ""))
        .to.emit(stamps, "StampsSeriesCreated")
        .withArgs(1n, "Autumn Cup", 500n, false, "ipfs://a.png", "");
      await expect(stamps.connect(admin).createSeries("Badge", 7, true, "", "https://x.example/badge/"))
        .to.emit(stamps, "StampsSeriesCreated")
        .withArgs(2n, "Badge", 7n, true, "", "https://x.example/badge/");
      expect(await stamps.seriesCount()).to.equal(2n);
      const series = await stamps.series(1n);
      expect(series.name).to.equal("Autumn Cup");
      expect(series.imageURI).to.equal("ipfs://a.png");
      expect(series.baseURI).to.equal("");
      expect(series.maxSupply).to.equal(500n);
      expect(series.minted).to.equal(0n);
      expect(series.soulbound).to.equal(false);
      expect((await stamps.series(2n)).soulbound).to.equal(true);
    });

    it("accepts the largest max supply and refuses zero or more", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      const max = await stamps.MAX_SERIES_SUPPLY();
      expect(max).to.equal(999_999_999n);
      await expect(stamps.connect(admin).createSeries("Big", max, false, "", "")).to.emit(stamps, "StampsSeriesCreated");
      for (const bad of [0n, max + 1n]) {
        await expect(stamps.connect(admin).createSeries("Bad", bad, false, "", ""))
          .to.be.revertedWithCustomError(stamps, "StampsInvalidMaxSupply")
          .withArgs(bad, max);
      }
    });

    it("refuses text that would break the JSON metadata, and an empty name", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      const cases: Array<[string, string, string, string]> = [
        ["", "", "", ""],
        ['Say "hi"', "", "", 'Say "hi"'],
        ["Back\\slash", "", "", "Back\\slash"],
        ["New\nline", "", "", "New\nline"],
        ["Ok", 'ipfs://"x', "", 'ipfs://"x'],
        ["Ok", "", "https://x/\t", "https://x/\t"],
      ];
      for (const [name, image, base, offending] of cases) {
        await expect(stamps.connect(admin).createSeries(name, 1, false, image, base))
          .to.be.revertedWithCustomError(stamps, "StampsInvalidText")
          .withArgs(offending);
      }
      expect(await stamps.seriesCount()).to.equal(0n);
    });

    it("is for the admin only", async () => {
      const { stamps, minter } = await loadFixture(deployTokens);
      await expect(stamps.connect(minter).createSeries("X", 1, false, "", ""))
        .to.be.revertedWithCustomError(stamps, "AccessControlUnauthorizedAccount")
        .withArgs(minter.address, ethers.ZeroHash);
    });
  });

  describe("mint", () => {
    it("mints consecutive editions whose ids encode series and edition", async () => {
      const { stamps, minter, members, tradableSeries } = await loadFixture(deployTokensWithSeries);
      const [a, b] = members;
      const first = stampId(tradableSeries, 1n);
      await expect(stamps.connect(minter).mint(a!.address, tradableSeries))
        .to.emit(stamps, "Transfer")
        .withArgs(ZERO, a!.address, first);
      await expect(stamps.connect(minter).mint(b!.address, tradableSeries))
        .to.emit(stamps, "Transfer")
        .withArgs(ZERO, b!.address, first + 1n);
      expect(await stamps.ownerOf(first)).to.equal(a!.address);
      expect(await stamps.ownerOf(first + 1n)).to.equal(b!.address);
      expect(await stamps.editionOf(first + 1n)).to.deep.equal([tradableSeries, 2n]);
      expect((await stamps.series(tradableSeries)).minted).to.equal(2n);
      expect(await stamps.transferCount(first)).to.equal(0n);
    });

    it("returns the new stamp's id", async () => {
      const { stamps, minter, members, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      expect(await stamps.connect(minter).mint.staticCall(members[0]!.address, soulboundSeries)).to.equal(
        stampId(soulboundSeries, 1n),
      );
    });

    it("refuses an unknown series, a sold-out series and the zero address", async () => {
      const { stamps, minter, members, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      await expect(stamps.connect(minter).mint(members[0]!.address, 9n))
        .to.be.revertedWithCustomError(stamps, "StampsUnknownSeries")
        .withArgs(9n);
      for (let i = 0; i < 3; i++) await stamps.connect(minter).mint(members[i]!.address, soulboundSeries);
      await expect(stamps.connect(minter).mint(members[3]!.address, soulboundSeries))
        .to.be.revertedWithCustomError(stamps, "StampsSeriesSoldOut")
        .withArgs(soulboundSeries, 3n);
      await expect(stamps.connect(minter).mint(ZERO, 1n))
        .to.be.revertedWithCustomError(stamps, "ERC721InvalidReceiver")
        .withArgs(ZERO);
    });

    it("is refused while paused", async () => {
      const { stamps, minter, pauser, members } = await loadFixture(deployTokensWithSeries);
      await stamps.connect(pauser).pause(Scope.Stamps);
      await expect(stamps.connect(minter).mint(members[0]!.address, 1n)).to.be.revertedWithCustomError(stamps, "EnforcedPause");
    });
  });

  describe("mintBatch", () => {
    it("mints one edition to each member in order", async () => {
      const { stamps, minter, members, tradableSeries } = await loadFixture(deployTokensWithSeries);
      await stamps.connect(minter).mint(members[0]!.address, tradableSeries);
      const to = members.slice(0, 4).map((m) => m.address);
      const first = stampId(tradableSeries, 2n);
      expect(await stamps.connect(minter).mintBatch.staticCall(to, tradableSeries)).to.equal(first);
      const tx = stamps.connect(minter).mintBatch(to, tradableSeries);
      for (const [i, address] of to.entries()) {
        await expect(tx)
          .to.emit(stamps, "Transfer")
          .withArgs(ZERO, address, first + BigInt(i));
      }
      for (const [i, address] of to.entries()) expect(await stamps.ownerOf(first + BigInt(i))).to.equal(address);
      expect((await stamps.series(tradableSeries)).minted).to.equal(5n);
    });

    it("refuses an empty batch and one longer than MAX_BATCH", async () => {
      const { stamps, minter, members } = await loadFixture(deployTokensWithSeries);
      const max = await stamps.MAX_BATCH();
      await expect(stamps.connect(minter).mintBatch([], 1n))
        .to.be.revertedWithCustomError(stamps, "StampsInvalidBatchLength")
        .withArgs(0n, max);
      const tooMany = Array.from({ length: Number(max) + 1 }, () => members[0]!.address);
      await expect(stamps.connect(minter).mintBatch(tooMany, 1n))
        .to.be.revertedWithCustomError(stamps, "StampsInvalidBatchLength")
        .withArgs(max + 1n, max);
    });

    it("refuses a batch that would pass the max supply, minting nothing", async () => {
      const { stamps, minter, members, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      await stamps.connect(minter).mint(members[0]!.address, soulboundSeries);
      const three = members.slice(1, 4).map((m) => m.address);
      await expect(stamps.connect(minter).mintBatch(three, soulboundSeries))
        .to.be.revertedWithCustomError(stamps, "StampsSeriesSoldOut")
        .withArgs(soulboundSeries, 3n);
      expect((await stamps.series(soulboundSeries)).minted).to.equal(1n);
      await expect(stamps.connect(minter).mintBatch(three.slice(0, 2), soulboundSeries)).not.to.be.reverted;
    });

    it("refuses an unknown series and is refused while paused", async () => {
      const { stamps, minter, pauser, members } = await loadFixture(deployTokensWithSeries);
      await expect(stamps.connect(minter).mintBatch([members[0]!.address], 5n))
        .to.be.revertedWithCustomError(stamps, "StampsUnknownSeries")
        .withArgs(5n);
      await stamps.connect(pauser).pause(Scope.Stamps);
      await expect(stamps.connect(minter).mintBatch([members[0]!.address], 1n)).to.be.revertedWithCustomError(
        stamps,
        "EnforcedPause",
      );
    });
  });

  describe("burn", () => {
    it("lets the holder burn a tradable or a soulbound stamp, under any policy", async () => {
      const { stamps, admin, minter, members, tradableSeries, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      const holder = members[0]!;
      await stamps.connect(minter).mint(holder.address, tradableSeries);
      await stamps.connect(minter).mint(holder.address, soulboundSeries);
      await stamps.connect(admin).setTransferPolicy(Policy.MarketOnly);
      for (const id of [stampId(tradableSeries, 1n), stampId(soulboundSeries, 1n)]) {
        await expect(stamps.connect(holder).burn(id)).to.emit(stamps, "Transfer").withArgs(holder.address, ZERO, id);
        await expect(stamps.ownerOf(id)).to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken").withArgs(id);
      }
      expect(await stamps.balanceOf(holder.address)).to.equal(0n);
      // A burned edition is never minted again: minted keeps counting up.
      expect((await stamps.series(tradableSeries)).minted).to.equal(1n);
    });

    it("lets the one address the holder approved for this stamp burn it (a perk paid with a stamp), nobody else", async () => {
      const { stamps, minter, members } = await loadFixture(deployTokensWithSeries);
      const [holder, spender, operator] = members;
      await stamps.connect(minter).mint(holder!.address, 1n);
      await stamps.connect(minter).mint(holder!.address, 1n);
      const [id, kept] = [stampId(1n, 1n), stampId(1n, 2n)];
      await stamps.connect(holder!).approve(spender!.address, id);
      await expect(stamps.connect(spender!).burn(kept))
        .to.be.revertedWithCustomError(stamps, "StampsNotHolder")
        .withArgs(spender!.address, kept);
      await expect(stamps.connect(spender!).burn(id)).to.emit(stamps, "Transfer").withArgs(holder!.address, ZERO, id);
      // An operator approved for all may approve a stamp (EIP-721), itself or another: neither may then burn it.
      await stamps.connect(holder!).setApprovalForAll(operator!.address, true);
      for (const approved of [operator!, spender!]) {
        await expect(stamps.connect(operator!).approve(approved.address, kept))
          .to.emit(stamps, "Approval")
          .withArgs(holder!.address, approved.address, kept);
        expect(await stamps.getApproved(kept)).to.equal(approved.address);
        await expect(stamps.connect(approved).burn(kept))
          .to.be.revertedWithCustomError(stamps, "StampsNotHolder")
          .withArgs(approved.address, kept);
      }
      // An operator's approval replaces the holder's: the holder's own act is needed again to burn.
      await stamps.connect(holder!).approve(spender!.address, kept);
      await stamps.connect(operator!).approve(spender!.address, kept);
      await expect(stamps.connect(spender!).burn(kept)).to.be.revertedWithCustomError(stamps, "StampsNotHolder");
      expect(await stamps.ownerOf(kept)).to.equal(holder!.address);
    });

    it("approve follows EIP-721: the holder or an operator approved for all, nobody else (OZ's 'approve when the sender is an operator')", async () => {
      const { stamps, minter, members } = await loadFixture(deployTokensWithSeries);
      const [holder, operator, stranger, receiver] = members;
      await stamps.connect(minter).mint(holder!.address, 1n);
      const id = stampId(1n, 1n);
      await expect(stamps.connect(stranger!).approve(receiver!.address, id))
        .to.be.revertedWithCustomError(stamps, "ERC721InvalidApprover")
        .withArgs(stranger!.address);
      await stamps.connect(holder!).setApprovalForAll(operator!.address, true);
      await expect(stamps.connect(operator!).approve(receiver!.address, id))
        .to.emit(stamps, "Approval")
        .withArgs(holder!.address, receiver!.address, id);
      // The approved address may move the stamp (the standard), and the approval is cleared when it moves.
      await stamps.connect(receiver!).transferFrom(holder!.address, receiver!.address, id);
      expect(await stamps.ownerOf(id)).to.equal(receiver!.address);
      expect(await stamps.getApproved(id)).to.equal(ZERO);
      // A holder's approval does not survive the stamp's moves either: the new holder's stamp cannot be burned by it.
      await stamps.connect(receiver!).approve(stranger!.address, id);
      await stamps.connect(receiver!).transferFrom(receiver!.address, holder!.address, id);
      await expect(stamps.connect(stranger!).burn(id)).to.be.revertedWithCustomError(stamps, "StampsNotHolder");
    });

    it("refuses anyone but the holder, even an approved operator", async () => {
      const { stamps, minter, members } = await loadFixture(deployTokensWithSeries);
      const [holder, other] = members;
      await stamps.connect(minter).mint(holder!.address, 1n);
      const id = stampId(1n, 1n);
      await stamps.connect(holder!).setApprovalForAll(other!.address, true);
      await expect(stamps.connect(other!).burn(id))
        .to.be.revertedWithCustomError(stamps, "StampsNotHolder")
        .withArgs(other!.address, id);
      await expect(stamps.connect(holder!).burn(id + 1n))
        .to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken")
        .withArgs(id + 1n);
    });

    it("works while paused: a holder's own stamp is theirs to burn", async () => {
      const { stamps, minter, pauser, members } = await loadFixture(deployTokensWithSeries);
      await stamps.connect(minter).mint(members[0]!.address, 1n);
      await stamps.connect(pauser).pause(Scope.Stamps);
      await expect(stamps.connect(members[0]!).burn(stampId(1n, 1n))).to.emit(stamps, "Transfer");
    });
  });

  describe("royalty", () => {
    it("changes treasury and rate with an event, rounding the royalty down", async () => {
      const { stamps, admin, stranger } = await loadFixture(deployTokens);
      await expect(stamps.connect(admin).setRoyalty(stranger.address, 1000))
        .to.emit(stamps, "StampsRoyaltyChanged")
        .withArgs(stranger.address, 1000);
      expect(await stamps.royaltyInfo(1n, 12_345n)).to.deep.equal([stranger.address, 1234n]);
      await stamps.connect(admin).setRoyalty(stranger.address, 333);
      // 999 * 333 / 10_000 = 33.2667 -> 33 wei
      expect(await stamps.royaltyInfo(1n, 999n)).to.deep.equal([stranger.address, 33n]);
      // Exact for every price, on both sides of where the product would overflow 256 bits.
      const max = 2n ** 256n - 1n;
      for (const price of [max, max / 10_000n, max / 10_000n - 1n, max / 333n]) {
        expect(await stamps.royaltyInfo(1n, price)).to.deep.equal([stranger.address, (price * 333n) / 10_000n]);
        expect((await stamps.saleTerms(1n, price)).royaltyAmount).to.equal((price * 333n) / 10_000n);
      }
      await stamps.connect(admin).setRoyalty(stranger.address, 0);
      expect(await stamps.royaltyInfo(1n, 10n ** 18n)).to.deep.equal([stranger.address, 0n]);
    });

    it("refuses a rate above the cap and a zero treasury, changing nothing", async () => {
      const { stamps, admin, treasury } = await loadFixture(deployTokens);
      await expect(stamps.connect(admin).setRoyalty(treasury.address, 1001))
        .to.be.revertedWithCustomError(stamps, "StampsRoyaltyTooHigh")
        .withArgs(1001, 1000);
      await expect(stamps.connect(admin).setRoyalty(ZERO, 100))
        .to.be.revertedWithCustomError(stamps, "StampsInvalidTreasury")
        .withArgs(ZERO);
      expect(await stamps.royaltyInfo(1n, 10_000n)).to.deep.equal([treasury.address, ROYALTY_BPS]);
    });
  });

  describe("transfer policy", () => {
    async function mintedFixture() {
      const f = await deployTokensWithSeries();
      const [holder, friend, marketplace] = f.members;
      await f.stamps.connect(f.minter).mint(holder!.address, f.tradableSeries);
      await f.stamps.connect(f.minter).mint(holder!.address, f.soulboundSeries);
      return {
        ...f,
        holder: holder!,
        friend: friend!,
        marketplace: marketplace!,
        tradable: stampId(f.tradableSeries, 1n),
        soulbound: stampId(f.soulboundSeries, 1n),
      };
    }

    describe("moveForSale (the Market's one call per sale)", () => {
      const ANY = 2n ** 256n - 1n;
      const PRICE = 12_345n;
      // [holder, royaltyUnskippable, chargesRoyalty, royaltyReceiver, transferCount, royaltyAmount]
      const terms = (t: readonly unknown[]) => [...t];

      it("answers holder, count, royalty and policy in one view, and moves nothing", async () => {
        const { stamps, admin, treasury, holder, tradable } = await loadFixture(mintedFixture);
        expect(terms(await stamps.saleTerms(tradable, PRICE))).to.deep.equal([
          holder.address,
          false,
          true,
          treasury.address,
          0n,
          (PRICE * ROYALTY_BPS) / 10_000n,
        ]);
        await stamps.connect(admin).setTransferPolicy(Policy.MarketOnly);
        expect((await stamps.saleTerms(tradable, PRICE)).royaltyUnskippable).to.equal(true);
        await stamps.connect(admin).setGiftsAllowed(true);
        expect((await stamps.saleTerms(tradable, PRICE)).royaltyUnskippable).to.equal(false);
        await stamps.connect(admin).setRoyalty(treasury.address, 0);
        expect((await stamps.saleTerms(tradable, PRICE)).chargesRoyalty).to.equal(false);
        expect((await stamps.saleTerms(stampId(1n, 99n), PRICE)).holder).to.equal(ZERO);
      });

      it("moves the stamp as the approved caller's safeTransferFrom would, and returns the terms before the move", async () => {
        const { stamps, admin, treasury, holder, friend, marketplace, tradable } = await loadFixture(mintedFixture);
        await stamps.connect(admin).setOperator(marketplace.address, true);
        await stamps.connect(admin).setTransferPolicy(Policy.MarketOnly);
        await stamps.connect(holder).setApprovalForAll(marketplace.address, true);
        const answered = await stamps
          .connect(marketplace)
          .moveForSale.staticCall(holder.address, friend.address, tradable, 0n, PRICE);
        expect(terms(answered)).to.deep.equal([
          holder.address,
          true,
          true,
          treasury.address,
          0n,
          (PRICE * ROYALTY_BPS) / 10_000n,
        ]);
        await expect(stamps.connect(marketplace).moveForSale(holder.address, friend.address, tradable, 0n, PRICE))
          .to.emit(stamps, "Transfer")
          .withArgs(holder.address, friend.address, tradable);
        expect(await stamps.ownerOf(tradable)).to.equal(friend.address);
        expect(await stamps.transferCount(tradable)).to.equal(1n);
        // ANY_TRANSFER_COUNT accepts whatever the count is.
        expect(await stamps.ANY_TRANSFER_COUNT()).to.equal(ANY);
        await stamps.connect(friend).setApprovalForAll(marketplace.address, true);
        await stamps.connect(marketplace).moveForSale(friend.address, holder.address, tradable, ANY, PRICE);
        expect(await stamps.ownerOf(tradable)).to.equal(holder.address);
      });

      it("moves nothing, without reverting, for another holder or a stale count", async () => {
        const { stamps, holder, friend, marketplace, tradable } = await loadFixture(mintedFixture);
        await stamps.connect(holder).setApprovalForAll(marketplace.address, true);
        const wrongHolder = await stamps
          .connect(marketplace)
          .moveForSale.staticCall(friend.address, marketplace.address, tradable, 0n, PRICE);
        expect(wrongHolder.holder).to.equal(holder.address);
        await expect(
          stamps.connect(marketplace).moveForSale(friend.address, marketplace.address, tradable, 0n, PRICE),
        ).not.to.emit(stamps, "Transfer");
        await expect(stamps.connect(marketplace).moveForSale(holder.address, friend.address, tradable, 7n, PRICE)).not.to.emit(
          stamps,
          "Transfer",
        );
        expect(await stamps.ownerOf(tradable)).to.equal(holder.address);
        expect(await stamps.transferCount(tradable)).to.equal(0n);
      });

      it("keeps every transfer rule: approval, soulbound, market-only and the pause", async () => {
        const { stamps, admin, pauser, holder, friend, marketplace, tradable, soulbound } = await loadFixture(mintedFixture);
        await expect(stamps.connect(marketplace).moveForSale(holder.address, friend.address, tradable, 0n, PRICE))
          .to.be.revertedWithCustomError(stamps, "ERC721InsufficientApproval")
          .withArgs(marketplace.address, tradable);
        await stamps.connect(holder).setApprovalForAll(marketplace.address, true);
        await expect(stamps.connect(marketplace).moveForSale(holder.address, friend.address, soulbound, ANY, PRICE))
          .to.be.revertedWithCustomError(stamps, "StampsSoulbound")
          .withArgs(soulbound);
        await stamps.connect(admin).setTransferPolicy(Policy.MarketOnly);
        await expect(stamps.connect(marketplace).moveForSale(holder.address, friend.address, tradable, 0n, PRICE))
          .to.be.revertedWithCustomError(stamps, "StampsTransferNotAllowed")
          .withArgs(marketplace.address, tradable);
        await stamps.connect(admin).setOperator(marketplace.address, true);
        await stamps.connect(pauser).pause(Scope.Stamps);
        await expect(
          stamps.connect(marketplace).moveForSale(holder.address, friend.address, tradable, 0n, PRICE),
        ).to.be.revertedWithCustomError(stamps, "EnforcedPause");
      });
    });

    it("keeps holder, count and balances in step through mint, transfers and a burn (which keeps the count)", async () => {
      const { stamps, holder, friend, tradable } = await loadFixture(mintedFixture);
      expect(await stamps.balanceOf(holder.address)).to.equal(2n);
      await stamps.connect(holder).transferFrom(holder.address, friend.address, tradable);
      await stamps.connect(friend).transferFrom(friend.address, holder.address, tradable);
      await stamps.connect(holder).transferFrom(holder.address, friend.address, tradable);
      expect(await stamps.transferCount(tradable)).to.equal(3n);
      expect([await stamps.balanceOf(holder.address), await stamps.balanceOf(friend.address)]).to.deep.equal([1n, 1n]);
      await stamps.connect(friend).burn(tradable);
      expect(await stamps.balanceOf(friend.address)).to.equal(0n);
      expect(await stamps.transferCount(tradable)).to.equal(3n);
      await expect(stamps.ownerOf(tradable)).to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken").withArgs(tradable);
      await expect(stamps.balanceOf(ZERO)).to.be.revertedWithCustomError(stamps, "ERC721InvalidOwner").withArgs(ZERO);
    });

    it("Open: holders and approved operators transfer tradable stamps, counting each move", async () => {
      const { stamps, holder, friend, marketplace, tradable } = await loadFixture(mintedFixture);
      await stamps.connect(holder).transferFrom(holder.address, friend.address, tradable);
      expect(await stamps.ownerOf(tradable)).to.equal(friend.address);
      await stamps.connect(friend).setApprovalForAll(marketplace.address, true);
      await stamps.connect(marketplace).transferFrom(friend.address, holder.address, tradable);
      expect(await stamps.ownerOf(tradable)).to.equal(holder.address);
      expect(await stamps.transferCount(tradable)).to.equal(2n);
    });

    it("soulbound stamps never move, whatever the policy or operator", async () => {
      const { stamps, admin, holder, friend, marketplace, soulbound } = await loadFixture(mintedFixture);
      await expect(stamps.connect(holder).transferFrom(holder.address, friend.address, soulbound))
        .to.be.revertedWithCustomError(stamps, "StampsSoulbound")
        .withArgs(soulbound);
      await stamps.connect(admin).setOperator(marketplace.address, true);
      await stamps.connect(admin).setTransferPolicy(Policy.MarketOnly);
      await stamps.connect(admin).setGiftsAllowed(true);
      await stamps.connect(holder).setApprovalForAll(marketplace.address, true);
      await expect(
        stamps.connect(marketplace).transferFrom(holder.address, friend.address, soulbound),
      ).to.be.revertedWithCustomError(stamps, "StampsSoulbound");
      await expect(stamps.connect(holder).transferFrom(holder.address, friend.address, soulbound)).to.be.revertedWithCustomError(
        stamps,
        "StampsSoulbound",
      );
      expect(await stamps.ownerOf(soulbound)).to.equal(holder.address);
    });

    it("MarketOnly: only approved operators move tradable stamps; gifts follow their own switch", async () => {
      const { stamps, admin, holder, friend, marketplace, stranger, tradable } = await loadFixture(mintedFixture);
      await expect(stamps.connect(admin).setTransferPolicy(Policy.MarketOnly))
        .to.emit(stamps, "StampsTransferPolicyChanged")
        .withArgs(Policy.MarketOnly);
      await stamps.connect(holder).setApprovalForAll(marketplace.address, true);
      await stamps.connect(holder).setApprovalForAll(stranger.address, true);

      // A holder's gift and a marketplace that is not approved are both refused.
      await expect(stamps.connect(holder).transferFrom(holder.address, friend.address, tradable))
        .to.be.revertedWithCustomError(stamps, "StampsTransferNotAllowed")
        .withArgs(holder.address, tradable);
      await expect(stamps.connect(stranger).transferFrom(holder.address, friend.address, tradable))
        .to.be.revertedWithCustomError(stamps, "StampsTransferNotAllowed")
        .withArgs(stranger.address, tradable);

      // The approved operator (the Market) moves it.
      await expect(stamps.connect(admin).setOperator(marketplace.address, true))
        .to.emit(stamps, "StampsOperatorChanged")
        .withArgs(marketplace.address, true);
      expect(await stamps.isOperator(marketplace.address)).to.equal(true);
      await stamps.connect(marketplace).transferFrom(holder.address, friend.address, tradable);
      expect(await stamps.ownerOf(tradable)).to.equal(friend.address);

      // Gifts on: the holder may give it, but an unapproved operator still may not move it.
      await expect(stamps.connect(admin).setGiftsAllowed(true)).to.emit(stamps, "StampsGiftsAllowedChanged").withArgs(true);
      await stamps.connect(friend).transferFrom(friend.address, holder.address, tradable);
      await expect(stamps.connect(stranger).transferFrom(holder.address, friend.address, tradable)).to.be.revertedWithCustomError(
        stamps,
        "StampsTransferNotAllowed",
      );

      // Removing the operator takes its right away again.
      await stamps.connect(admin).setOperator(marketplace.address, false);
      await expect(
        stamps.connect(marketplace).transferFrom(holder.address, friend.address, tradable),
      ).to.be.revertedWithCustomError(stamps, "StampsTransferNotAllowed");
      expect(await stamps.transferCount(tradable)).to.equal(2n);
    });

    it("refuses the zero address as operator", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      await expect(stamps.connect(admin).setOperator(ZERO, true))
        .to.be.revertedWithCustomError(stamps, "StampsInvalidOperator")
        .withArgs(ZERO);
    });

    it("pause stops transfers and unpause resumes them", async () => {
      const { stamps, pauser, holder, friend, tradable } = await loadFixture(mintedFixture);
      await expect(stamps.connect(pauser).pause(Scope.Stamps))
        .to.emit(stamps, "Paused")
        .withArgs(pauser.address, Scope.Stamps, anyValue);
      await expect(stamps.connect(holder).transferFrom(holder.address, friend.address, tradable)).to.be.revertedWithCustomError(
        stamps,
        "EnforcedPause",
      );
      await expect(stamps.connect(pauser).unpause()).to.emit(stamps, "Unpaused").withArgs(pauser.address);
      await stamps.connect(holder).transferFrom(holder.address, friend.address, tradable);
      expect(await stamps.ownerOf(tradable)).to.equal(friend.address);
    });
  });

  describe("metadata", () => {
    it("serves wallet-ready JSON with '#n of N', image and attributes", async () => {
      const { stamps, minter, members, tradableSeries, soulboundSeries } = await loadFixture(deployTokensWithSeries);
      await stamps.connect(minter).mintBatch([members[0]!.address, members[1]!.address], tradableSeries);
      await stamps.connect(minter).mint(members[0]!.address, soulboundSeries);

      expect(decodeDataUri(await stamps.tokenURI(stampId(tradableSeries, 2n)))).to.deep.equal({
        name: "Autumn Cup #2 of 100",
        image: "ipfs://autumn.png",
        attributes: [
          { trait_type: "Series", value: "Autumn Cup" },
          { trait_type: "Edition", display_type: "number", value: 2, max_value: 100 },
          { trait_type: "Soulbound", value: "false" },
        ],
      });
      const soulbound = decodeDataUri(await stamps.tokenURI(stampId(soulboundSeries, 1n)));
      expect(soulbound.name).to.equal("First Visit #1 of 3");
      expect(soulbound.attributes).to.deep.include({ trait_type: "Soulbound", value: "true" });
    });

    it("uses the series' base URI followed by the edition when it has one", async () => {
      const { stamps, admin, minter, members } = await loadFixture(deployTokens);
      await stamps.connect(admin).createSeries("Hosted", 10, false, "", "https://cdn.example/hosted/");
      await stamps.connect(minter).mintBatch([members[0]!.address, members[1]!.address], 1n);
      expect(await stamps.tokenURI(stampId(1n, 2n))).to.equal("https://cdn.example/hosted/2");
    });

    it("refuses metadata of a stamp that does not exist", async () => {
      const { stamps } = await loadFixture(deployTokensWithSeries);
      await expect(stamps.tokenURI(stampId(1n, 1n)))
        .to.be.revertedWithCustomError(stamps, "ERC721NonexistentToken")
        .withArgs(stampId(1n, 1n));
    });

    it("refuses to describe an unknown series", async () => {
      const { stamps } = await loadFixture(deployTokens);
      await expect(stamps.series(1n)).to.be.revertedWithCustomError(stamps, "StampsUnknownSeries").withArgs(1n);
    });

    it("updates the ERC-7572 contract URI with ContractURIUpdated", async () => {
      const { stamps, admin } = await loadFixture(deployTokens);
      await expect(stamps.connect(admin).setContractURI("ipfs://v2.json")).to.emit(stamps, "ContractURIUpdated");
      expect(await stamps.contractURI()).to.equal("ipfs://v2.json");
    });
  });

  describe("admin handover", () => {
    it("takes two steps and the configured delay", async () => {
      const { stamps, admin, stranger } = await loadFixture(deployTokens);
      await stamps.connect(admin).beginDefaultAdminTransfer(stranger.address);
      await expect(stamps.connect(stranger).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
        stamps,
        "AccessControlEnforcedDefaultAdminDelay",
      );
      await time.increase(ADMIN_DELAY + 1);
      await stamps.connect(stranger).acceptDefaultAdminTransfer();
      expect(await stamps.defaultAdmin()).to.equal(stranger.address);
      await expect(stamps.connect(admin).setGiftsAllowed(true)).to.be.revertedWithCustomError(
        stamps,
        "AccessControlUnauthorizedAccount",
      );
    });
  });

  shouldBehaveLikeBoundedPausable(async () => {
    const { stamps, minter, pauser, members } = await deployTokensWithSeries();
    const holder = members[0]!;
    await stamps.connect(minter).mintBatch([holder.address, holder.address], 1n);
    return {
      lifecycle: stamps,
      contract: stamps,
      scope: Scope.Stamps,
      independentOf: Scope.Points | Scope.Market,
      pauser,
      stopped: () => stamps.connect(minter).mint(holder.address, 1n),
      unstopped: () => stamps.connect(holder).burn(stampId(1n, 1n)),
    };
  }, BigInt(MAX_PAUSE));
  describe("holders counted per series", () => {
    it("counts each holder's stamps of an opted-in series through mint, transfer and burn", async () => {
      const { stamps, admin, minter, members } = await loadFixture(deployTokensWithSeries);
      const [ada, ben] = [members[0]!, members[1]!];
      await expect(stamps.connect(admin).countHolders(1n)).to.emit(stamps, "StampsHoldersCounted").withArgs(1n);
      expect((await stamps.series(1n)).holdersCounted).to.equal(true);
      await stamps.connect(minter).mintBatch([ada.address, ada.address], 1n);
      expect(await stamps.seriesBalanceOf(ada.address, 1n)).to.equal(2n);
      await stamps.connect(ada).transferFrom(ada.address, ben.address, stampId(1n, 1n));
      expect(await stamps.seriesBalanceOf(ada.address, 1n)).to.equal(1n);
      expect(await stamps.seriesBalanceOf(ben.address, 1n)).to.equal(1n);
      await stamps.connect(ben).burn(stampId(1n, 1n));
      expect(await stamps.seriesBalanceOf(ben.address, 1n)).to.equal(0n);
    });

    it("refuses to count after the first mint, an unknown series, and a caller without the admin role", async () => {
      const { stamps, admin, minter, members, stranger } = await loadFixture(deployTokensWithSeries);
      await stamps.connect(minter).mint(members[0]!.address, 1n);
      await expect(stamps.connect(admin).countHolders(1n))
        .to.be.revertedWithCustomError(stamps, "StampsSeriesAlreadyMinted")
        .withArgs(1n);
      await expect(stamps.connect(admin).countHolders(9n))
        .to.be.revertedWithCustomError(stamps, "StampsUnknownSeries")
        .withArgs(9n);
      await expect(stamps.connect(stranger).countHolders(2n)).to.be.revertedWithCustomError(
        stamps,
        "AccessControlUnauthorizedAccount",
      );
      await expect(stamps.seriesBalanceOf(members[0]!.address, 1n))
        .to.be.revertedWithCustomError(stamps, "StampsHoldersNotCounted")
        .withArgs(1n);
    });
  });
});
