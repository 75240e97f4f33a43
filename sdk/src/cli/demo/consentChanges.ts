/**
 * Chapter `consentChanges`: consent changed after linking: a guardian withdraws a minor's marketing consent, the
 * minor comes of age and decides alone; a member withdraws one purpose, another revokes everything, a third is
 * forgotten; a member's data is exported. It closes the brand's link store.
 */
import fs from "node:fs";
import {
  getConsentLink,
  hasConsent,
  revokeAllConsent,
  signComingOfAge,
  signConsentChange,
  signGuardianWithdrawal,
} from "../../index.js";
import type { ConsentChapterReturnType } from "./consent.js";
import type { DemoContext } from "./context.js";

/**
 * Relays Cleo's guardian's withdrawal and her coming of age, Ada's and Cleo's purpose changes and Eli's erasure
 * through the link store the `consent` chapter opened, then closes it and removes its folder (unless the caller
 * named the folder: then the store's file stays for it).
 *
 * @example
 * await consentChangesChapter(context, await consentChapter(context));
 */
export async function consentChangesChapter(
  context: DemoContext,
  { store, storeDir, removeStoreDir }: ConsentChapterReturnType,
): Promise<void> {
  const { guardian, ada, cleo, dev, program, step, say } = context;
  step("a guardian withdraws a minor's marketing consent; later the minor comes of age");
  const cleoWallet = cleo.account.address;
  const withdrawal = await signGuardianWithdrawal(guardian, { program, wallet: cleoWallet, purposes: ["marketing"] });
  await store.relayGuardianWithdrawal({ withdrawal });
  say(
    `Cleo's parent withdrew her marketing consent (signed; the brand relayed it): hasConsent(marketing) = ${await hasConsent(cleo, { program, wallet: cleoWallet, purpose: "marketing" })}`,
  );
  await store.comeOfAge({ request: await signComingOfAge(cleo, { program }) });
  const grownUp = await getConsentLink(cleo, { program, wallet: cleoWallet });
  say(
    `Cleo came of age (the brand attested it, she signed): minor = ${grownUp?.minor}, guardian removed, purposes kept: ${grownUp?.purposes.join(", ")}`,
  );
  await store.updatePurposes({ change: await signConsentChange(cleo, { program, purposes: ["rewards", "marketing"] }) });
  say(
    `Cleo granted marketing again on her own signature alone: hasConsent(marketing) = ${await hasConsent(cleo, { program, wallet: cleoWallet, purpose: "marketing" })}`,
  );

  step("a member revokes analytics consent, another is forgotten");
  await store.updatePurposes({ change: await signConsentChange(ada, { program, purposes: ["rewards"] }) });
  say(
    `Ada withdrew analytics (kept rewards): hasConsent(analytics) = ${await hasConsent(ada, { program, wallet: ada.account.address, purpose: "analytics" })}`,
  );
  await revokeAllConsent(dev, { program });
  say("Dev revoked everything himself, in one call from his wallet");
  const forgotten = await store.forget({ customerId: "cust-0005" });
  say(
    `Eli asked to be forgotten: unlinked on-chain (${forgotten.unlinkedOnChain}), customer id and salt erased from the brand's store`,
  );
  const exported = await store.exportMemberData({ customerId: "cust-0002" });
  say(
    `Ben's data export: ${exported.purposesHistory.length} consent change(s), ${exported.ledger.length} ledger entries, purposes now ${exported.onChain?.purposes.join(", ")}`,
  );
  await store.close();
  if (removeStoreDir) fs.rmSync(storeDir, { recursive: true, force: true });
}
