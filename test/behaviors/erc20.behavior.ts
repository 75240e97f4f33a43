import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Points } from "../../typechain-types";

/** What the suite needs of a points token: the token, deployed with no supply, and who may mint it. */
export interface ERC20Subject {
  token: Points;
  /** Holds MINTER_ROLE: funds the holders with `reward` (earned points, spendable at once under every term set). */
  minter: HardhatEthersSigner;
  /** Three accounts holding nothing: the holder, the recipient and the spender of the suite. */
  accounts: [HardhatEthersSigner, HardhatEthersSigner, HardhatEthersSigner];
}

export interface ERC20Metadata {
  name: string;
  symbol: string;
  decimals: bigint;
}

const ZERO = ethers.ZeroAddress;
const REASON = ethers.encodeBytes32String("erc20-suite");
/** What the suite rewards its holder and its recipient before each test. */
const HELD = 1000n;
const RECEIVED = 200n;

/**
 * Reads every balance back from the token's Transfer events since genesis (the token starts with no supply) and checks
 * that each equals `balanceOf` and that they sum to `totalSupply`: no balance changes without its event.
 */
export async function expectBalancesFromTransfers(token: Points): Promise<void> {
  const ledger = new Map<string, bigint>();
  for (const { args } of await token.queryFilter(token.filters.Transfer, 0)) {
    ledger.set(args.from, (ledger.get(args.from) ?? 0n) - args.value);
    ledger.set(args.to, (ledger.get(args.to) ?? 0n) + args.value);
  }
  ledger.delete(ZERO);
  let sum = 0n;
  for (const [holder, balance] of ledger) {
    expect(await token.balanceOf(holder), `balanceOf(${holder}) against its Transfer events`).to.equal(balance);
    sum += balance;
  }
  expect(await token.totalSupply()).to.equal(sum);
}

/**
 * EIP-20 over spendable points: metadata, transfer, approve and transferFrom with OZ's IERC6093 errors, and every
 * balance change a Transfer event. Runs under any lifecycle terms: the holders' points are earned, so all spendable.
 */
export function shouldBehaveLikeERC20(subject: () => Promise<ERC20Subject>, metadata: ERC20Metadata): void {
  describe("ERC-20 (EIP-20)", () => {
    // loadFixture keys snapshots by function, and refuses anonymous ones: one named function per suite.
    const fixture = async function erc20Subject() {
      const { token, minter, accounts } = await subject();
      const [holder, recipient, spender] = accounts;
      await token.connect(minter).reward(holder.address, HELD, REASON);
      await token.connect(minter).reward(recipient.address, RECEIVED, REASON);
      return { token, minter, holder, recipient, spender };
    };

    it("names itself, and totalSupply is the sum of the balances", async () => {
      const { token, holder, recipient, spender } = await loadFixture(fixture);
      expect(await token.name()).to.equal(metadata.name);
      expect(await token.symbol()).to.equal(metadata.symbol);
      expect(await token.decimals()).to.equal(metadata.decimals);
      expect(await token.balanceOf(holder.address)).to.equal(HELD);
      expect(await token.balanceOf(recipient.address)).to.equal(RECEIVED);
      expect(await token.balanceOf(spender.address)).to.equal(0n);
      expect(await token.totalSupply()).to.equal(HELD + RECEIVED);
    });

    describe("transfer", () => {
      it("moves exactly the value, emits Transfer and returns true", async () => {
        const { token, holder, recipient } = await loadFixture(fixture);
        expect(await token.connect(holder).transfer.staticCall(recipient.address, 300n)).to.equal(true);
        const tx = token.connect(holder).transfer(recipient.address, 300n);
        await expect(tx).to.emit(token, "Transfer").withArgs(holder.address, recipient.address, 300n);
        await expect(tx).to.changeTokenBalances(token, [holder, recipient], [-300n, 300n]);
      });

      it("reverts above the balance and to the zero address, moving nothing", async () => {
        const { token, holder, recipient } = await loadFixture(fixture);
        await expect(token.connect(holder).transfer(recipient.address, HELD + 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(holder.address, HELD, HELD + 1n);
        await expect(token.connect(holder).transfer(ZERO, 1n))
          .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
          .withArgs(ZERO);
        expect(await token.balanceOf(holder.address)).to.equal(HELD);
        expect(await token.balanceOf(recipient.address)).to.equal(RECEIVED);
      });

      it("treats a zero value and a transfer to oneself as normal transfers, each with its event", async () => {
        const { token, holder, recipient } = await loadFixture(fixture);
        const zero = token.connect(holder).transfer(recipient.address, 0n);
        await expect(zero).to.emit(token, "Transfer").withArgs(holder.address, recipient.address, 0n);
        await expect(zero).to.changeTokenBalances(token, [holder, recipient], [0n, 0n]);
        const self = token.connect(holder).transfer(holder.address, 300n);
        await expect(self).to.emit(token, "Transfer").withArgs(holder.address, holder.address, 300n);
        await expect(self).to.changeTokenBalance(token, holder, 0n);
      });
    });

    it("approve sets and overwrites the allowance, emits Approval, returns true, and refuses the zero spender", async () => {
      const { token, holder, spender } = await loadFixture(fixture);
      expect(await token.connect(holder).approve.staticCall(spender.address, 300n)).to.equal(true);
      await expect(token.connect(holder).approve(spender.address, 300n))
        .to.emit(token, "Approval")
        .withArgs(holder.address, spender.address, 300n);
      expect(await token.allowance(holder.address, spender.address)).to.equal(300n);
      await expect(token.connect(holder).approve(spender.address, 50n))
        .to.emit(token, "Approval")
        .withArgs(holder.address, spender.address, 50n);
      expect(await token.allowance(holder.address, spender.address)).to.equal(50n);
      await expect(token.connect(holder).approve(ZERO, 1n))
        .to.be.revertedWithCustomError(token, "ERC20InvalidSpender")
        .withArgs(ZERO);
    });

    describe("transferFrom", () => {
      it("spends exactly the value from the allowance, emits Transfer and returns true", async () => {
        const { token, holder, recipient, spender } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, 300n);
        const from = token.connect(spender);
        expect(await from.transferFrom.staticCall(holder.address, recipient.address, 200n)).to.equal(true);
        const tx = from.transferFrom(holder.address, recipient.address, 200n);
        await expect(tx).to.emit(token, "Transfer").withArgs(holder.address, recipient.address, 200n);
        await expect(tx).to.changeTokenBalances(token, [holder, recipient, spender], [-200n, 200n, 0n]);
        expect(await token.allowance(holder.address, spender.address)).to.equal(100n);
      });

      it("moves zero with no allowance at all, as a normal transfer, and leaves the allowance at zero", async () => {
        const { token, holder, recipient, spender } = await loadFixture(fixture);
        const zero = token.connect(spender).transferFrom(holder.address, recipient.address, 0n);
        await expect(zero).to.emit(token, "Transfer").withArgs(holder.address, recipient.address, 0n);
        await expect(zero).to.changeTokenBalances(token, [holder, recipient], [0n, 0n]);
        expect(await token.allowance(holder.address, spender.address)).to.equal(0n);
      });

      it("never decreases an infinite allowance", async () => {
        const { token, holder, recipient, spender } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, ethers.MaxUint256);
        await expect(token.connect(spender).transferFrom(holder.address, recipient.address, HELD))
          .to.emit(token, "Transfer")
          .withArgs(holder.address, recipient.address, HELD);
        expect(await token.allowance(holder.address, spender.address)).to.equal(ethers.MaxUint256);
      });

      it("reverts above the allowance, or above the balance within it, changing neither", async () => {
        const { token, holder, recipient, spender } = await loadFixture(fixture);
        await token.connect(holder).approve(spender.address, 100n);
        await expect(token.connect(spender).transferFrom(holder.address, recipient.address, 101n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
          .withArgs(spender.address, 100n, 101n);
        await token.connect(holder).approve(spender.address, HELD + 1n);
        await expect(token.connect(spender).transferFrom(holder.address, recipient.address, HELD + 1n))
          .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
          .withArgs(holder.address, HELD, HELD + 1n);
        expect(await token.allowance(holder.address, spender.address)).to.equal(HELD + 1n);
        expect(await token.balanceOf(holder.address)).to.equal(HELD);
        expect(await token.balanceOf(recipient.address)).to.equal(RECEIVED);
      });
    });

    it("records every balance change as a Transfer event, totalSupply the sum of balances after each step", async () => {
      const { token, minter, holder, recipient, spender } = await loadFixture(fixture);
      const steps = [
        () => token.connect(minter).reward(spender.address, 40n, REASON),
        () => token.connect(holder).transfer(recipient.address, 250n),
        () => token.connect(holder).transfer(holder.address, 10n),
        () => token.connect(recipient).transfer(spender.address, 0n),
        () => token.connect(holder).approve(spender.address, 100n),
        () => token.connect(spender).transferFrom(holder.address, spender.address, 100n),
        () => token.connect(recipient).transfer(spender.address, 30n),
      ];
      for (const step of steps) {
        await step();
        await expectBalancesFromTransfers(token);
      }
      expect(await token.balanceOf(holder.address)).to.equal(HELD - 350n);
      expect(await token.balanceOf(recipient.address)).to.equal(RECEIVED + 220n);
      expect(await token.balanceOf(spender.address)).to.equal(170n);
    });
  });
}
