import { pointsAbi, stampsAbi, type Program } from "@punchcard/sdk";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Address } from "viem";
import { getBlockNumber, getContractEvents } from "viem/actions";
import { usePublicClient } from "wagmi";

/**
 * Reads the chain again as soon as the member's points or stamps move (the brand's reward at sign-up, a sale of their
 * listing, a stamp from a journey): every `pollingInterval` (the wallet's 500 ms) it asks for the chain's head, and
 * when blocks were added, for the Transfers of the program's Points and Stamps to or from the member in them (one
 * batched request). Only a move re-reads the pages (all of them, as a member's own action does: useAction); a block
 * that does not concern the member costs nothing more.
 *
 * Returns whether it is watching: a page reads once it is, so nothing mined between its first read and the watch's
 * first head is missed. If the chain cannot be reached it says true all the same, so the page reads and tells why.
 */
export function useHoldingsWatch(program: Pick<Program, "points" | "stamps">, member: Address): boolean {
  const client = usePublicClient();
  const queryClient = useQueryClient();
  /** The member whose holdings are watched (a page may show another member next). */
  const [watched, setWatched] = useState<Address>();
  const { points, stamps } = program;

  useEffect(() => {
    if (!client) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    /** The newest block whose Transfers have been looked at (or that the page's first read follows). */
    let seen: bigint | undefined;
    const transfersIn = (fromBlock: bigint, toBlock: bigint) =>
      Promise.all(
        [{ from: member }, { to: member }].flatMap((args) => [
          getContractEvents(client, { address: points, abi: pointsAbi, eventName: "Transfer", args, fromBlock, toBlock }),
          getContractEvents(client, { address: stamps, abi: stampsAbi, eventName: "Transfer", args, fromBlock, toBlock }),
        ]),
      );
    const poll = async () => {
      try {
        const head = await getBlockNumber(client, { cacheTime: 0 });
        if (seen === undefined) seen = head;
        else if (head > seen) {
          const moved = await transfersIn(seen + 1n, head);
          if (stopped) return;
          seen = head;
          if (moved.some((logs) => logs.length > 0)) {
            // A read under way may have begun before the move (a page's first read does not restart when invalidated,
            // it is joined): it is called off first, so every page reads again from now.
            await queryClient.cancelQueries();
            void queryClient.invalidateQueries();
          }
        }
      } catch {
        // The chain did not answer: the page's own reads say so; the watch asks again at the next poll.
      }
      if (stopped) return;
      setWatched(member);
      timer = setTimeout(() => void poll(), client.pollingInterval);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, queryClient, points, stamps, member]);

  return watched === member;
}
