/**
 * Stamp mints to fresh members: ours beside OpenZeppelin ERC721, Solady ERC721 and ERC721A, one mint and batches of
 * 1, 10 and 100, each beside its floor.
 */
import type { Address } from "viem";
import { EDITIONS_PER_SERIES, stampsAbi } from "@punchcard/sdk";
import { ERC721_TRANSFER_LOG, SELECTOR, concatBytes, floorOf, minimalBytes, type Floor } from "../lib/floor";
import { addressBytes, deployPeer, fresh, gasOf, profileOf, sentBy, type Send } from "../lib/gasRun";
import type { GasBench } from "./program";

const SERIES = 1n;

export async function benchStamps({ chain, cast, program, add, log }: GasBench): Promise<void> {
  log("deploying the peers' stamps: OpenZeppelin, Solady, ERC721A");
  const oz = await deployPeer("OzStamps", [], cast.minter);
  const solady = await deployPeer("SoladyStamps", [], cast.minter);
  const erc721a = await deployPeer("AStamps", [], cast.minter);
  const minter = chain.wallet(cast.minter);
  const mint = (to: Address) =>
    minter.writeContract({ address: program.stamps, abi: stampsAbi, functionName: "mint", args: [to, SERIES] });
  const mintBatch = (to: Address[]) =>
    minter.writeContract({ address: program.stamps, abi: stampsAbi, functionName: "mintBatch", args: [to, SERIES] });

  // A running program: each collection has minted before, so figures are what a further mint costs.
  await gasOf(chain, () => mint(cast.alice));
  await oz.mint(cast.alice, EDITIONS_PER_SERIES + 1n);
  await solady.mint(cast.alice, EDITIONS_PER_SERIES + 1n);
  await erc721a.mint(cast.alice);
  const nextId = { oz: EDITIONS_PER_SERIES + 2n, solady: EDITIONS_PER_SERIES + 2n };

  const stampFloor = (members: string[], id: bigint): Floor =>
    floorOf({
      transactions: 1,
      // selector, then per member its address; one id (the first; the rest follow from it).
      calldata: concatBytes(SELECTOR, addressBytes(members), minimalBytes(id)),
      newSlots: 2 * members.length, // a new owner slot and a new balance slot per fresh member
      logGas: ERC721_TRANSFER_LOG * members.length,
    });

  const peers: Array<{ subject: string; one: (to: Address) => Send; batch: (to: Address[]) => Send }> = [
    { subject: "Punchcard Stamps", one: (to) => () => mint(to), batch: (to) => () => mintBatch(to) },
    {
      subject: "OpenZeppelin ERC721",
      one: (to) => sentBy(() => oz.mint(to, nextId.oz++)),
      batch: (to) =>
        sentBy(() => {
          const first = nextId.oz;
          nextId.oz += BigInt(to.length);
          return oz.mintBatch(to, first);
        }),
    },
    {
      subject: "Solady ERC721",
      one: (to) => sentBy(() => solady.mint(to, nextId.solady++)),
      batch: (to) =>
        sentBy(() => {
          const first = nextId.solady;
          nextId.solady += BigInt(to.length);
          return solady.mintBatch(to, first);
        }),
    },
    { subject: "ERC721A", one: (to) => sentBy(() => erc721a.mint(to)), batch: (to) => sentBy(() => erc721a.mintBatch(to)) },
  ];
  for (const peer of peers) {
    const [member] = fresh(1) as [Address];
    const g = await gasOf(chain, peer.one(member));
    add({
      group: "stamps",
      operation: "mint, fresh member",
      subject: peer.subject,
      gas: g.total,
      transactions: 1,
      maxTxGas: g.max,
      floor: stampFloor([member], EDITIONS_PER_SERIES + 2n).gas,
      profile: await profileOf(chain, g.hash, g.total),
    });
    for (const n of [1, 10, 100]) {
      const to = fresh(n);
      const b = await gasOf(chain, peer.batch(to));
      add({
        group: "stamps",
        operation: `batch of ${n}, per member`,
        subject: peer.subject,
        gas: Math.round(b.total / n),
        transactions: 1,
        maxTxGas: b.max,
        floor: Math.round(stampFloor(to, EDITIONS_PER_SERIES + 2n).gas / n),
        profile: n === 100 ? await profileOf(chain, b.hash, b.total) : undefined,
      });
    }
  }
}
