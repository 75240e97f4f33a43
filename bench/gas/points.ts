/**
 * Points rewarded to fresh members: ours beside an OpenZeppelin ERC20 minting in a plain loop and a
 * Disperse/Gaslite-style drop of a balance minted beforehand, one reward and batches of 1, 10, 100 and 1,000.
 */
import hre from "hardhat";
import { stringToHex, type Address } from "viem";
import { MAX_REWARD_BATCH, pointsAbi } from "@punchcard/sdk";
import { ERC20_TRANSFER_LOG, SELECTOR, concatBytes, floorOf, minimalBytes, type Floor } from "../lib/floor";
import { addressBytes, deployPeer, fresh, gasOf, profileOf, sentBy, type Send } from "../lib/gasRun";
import type { GasBench } from "./program";

const AMOUNT = 100n;

export async function benchPoints({ chain, cast, program, add, log }: GasBench): Promise<void> {
  log("deploying the peers' points: OpenZeppelin ERC20, a Disperse/Gaslite-style drop");
  const ozPoints = await deployPeer("OzPoints", [], cast.minter);
  // The drop hands out a balance minted beforehand to the brand, as Disperse and Gaslite do.
  const dropToken = await deployPeer("OzPoints", [], cast.minter);
  const drop = await deployPeer("BatchDrop", [], cast.brand);
  const brand = await hre.ethers.getSigner(cast.brand);
  await dropToken.mint(cast.brand, 10n ** 12n);
  await dropToken.connect(brand).approve(await drop.getAddress(), 2n ** 256n - 1n);
  const reason = stringToHex("bench", { size: 32 });
  const minter = chain.wallet(cast.minter);
  const reward = (to: Address) =>
    minter.writeContract({ address: program.points, abi: pointsAbi, functionName: "reward", args: [to, AMOUNT, reason] });
  const rewardBatch = (to: Address[]) =>
    minter.writeContract({
      address: program.points,
      abi: pointsAbi,
      functionName: "rewardBatch",
      args: [to, to.map(() => AMOUNT), reason],
    });
  await gasOf(chain, () => reward(cast.alice));
  await ozPoints.mint(cast.alice, AMOUNT);
  await drop.connect(brand).drop(await dropToken.getAddress(), [cast.alice], [AMOUNT], AMOUNT);

  const pointsFloor = (members: string[], txs: number): Floor =>
    floorOf({
      transactions: txs,
      calldata: concatBytes(
        ...Array.from({ length: txs }, () => SELECTOR),
        addressBytes(members),
        ...members.map(() => minimalBytes(AMOUNT)),
      ),
      newSlots: members.length, // a new balance slot per fresh member
      changedColdSlots: txs, // the supply (or the sender's balance), once per transaction, then warm
      warmWrites: members.length - txs,
      logGas: ERC20_TRANSFER_LOG * members.length,
    });

  /** Gas estimation stops at EIP-7825's cap; a 1000-member peer batch is sent with a limit above it, to be measured. */
  const bigBatch = (to: string[]) => (to.length > 500 ? { gasLimit: 50_000_000n } : {});
  /** Ours: at most MAX_REWARD_BATCH per transaction, so 1000 members take two. */
  const ourBatch = (to: Address[]): Send[] => {
    const sends: Send[] = [];
    for (let i = 0; i < to.length; i += MAX_REWARD_BATCH) {
      const chunk = to.slice(i, i + MAX_REWARD_BATCH);
      sends.push(() => rewardBatch(chunk));
    }
    return sends;
  };
  const peers: Array<{ subject: string; one: (to: Address) => Send; batch: (to: Address[]) => Send[] }> = [
    { subject: "Punchcard Points", one: (to) => () => reward(to), batch: ourBatch },
    {
      subject: "OpenZeppelin ERC20 (plain loop)",
      one: (to) => sentBy(() => ozPoints.mint(to, AMOUNT)),
      batch: (to) => [
        sentBy(() =>
          ozPoints.mintBatch(
            to,
            to.map(() => AMOUNT),
            bigBatch(to),
          ),
        ),
      ],
    },
    {
      subject: "Disperse/Gaslite-style drop",
      one: (to) => sentBy(() => dropToken.connect(brand).transfer(to, AMOUNT)),
      batch: (to) => [
        sentBy(async () =>
          drop.connect(brand).drop(
            await dropToken.getAddress(),
            to,
            to.map(() => AMOUNT),
            AMOUNT * BigInt(to.length),
            bigBatch(to),
          ),
        ),
      ],
    },
  ];
  for (const peer of peers) {
    const [member] = fresh(1) as [Address];
    const g = await gasOf(chain, peer.one(member));
    add({
      group: "points",
      operation: "reward, fresh member",
      subject: peer.subject,
      gas: g.total,
      transactions: 1,
      maxTxGas: g.max,
      floor: pointsFloor([member], 1).gas,
      profile: await profileOf(chain, g.hash, g.total),
      note: peer.subject.startsWith("Disperse") ? "a plain ERC-20 transfer from the brand's minted balance" : undefined,
    });
    for (const n of [1, 10, 100, 1000]) {
      const to = fresh(n);
      const b = await gasOf(chain, ...peer.batch(to));
      add({
        group: "points",
        operation: `batch of ${n}, per member`,
        subject: peer.subject,
        gas: Math.round(b.total / n),
        transactions: b.count,
        maxTxGas: b.max,
        floor: Math.round(pointsFloor(to, b.count).gas / n),
        profile: n === 100 ? await profileOf(chain, b.hash, b.total) : undefined,
        note:
          b.count > 1
            ? `${b.count} transactions of ${n / b.count} (MAX_REWARD_BATCH = ${MAX_REWARD_BATCH} keeps each under EIP-7825's cap)`
            : peer.subject.startsWith("Disperse") && n === 1
              ? "the drop first pulls the batch's total into itself (Disperse's pattern), which a batch of one pays alone"
              : undefined,
      });
    }
  }
}
