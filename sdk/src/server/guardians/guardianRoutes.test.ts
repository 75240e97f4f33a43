import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress } from "viem";
import { getBlock } from "viem/actions";
import {
  changeConsent,
  createProgramServerClient,
  getConsentLink,
  ProgramServerError,
  signConsentChange,
  signConsentLink,
  signGuardianApproval,
  signGuardianRequest,
  signGuardianRequestDecline,
  signGuardianRequestsRead,
  type Purpose,
} from "../../index.js";
import { openDatabase } from "../../node/database.js";
import { LinkStore } from "../../node/linkStore/linkStore.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { sdkProgram } from "../../../../test/helpers/sdkProgram.js";
import { caught } from "../../../../test/helpers/sdkErrors.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { createProgramServer } from "../app.js";
import { defaultRelayPolicy } from "../relay/policy.js";

type Fixture = Awaited<ReturnType<typeof sdkProgram>>;
type Member = Fixture["members"][number];

for (const engine of databaseEngines()) {
  describe(`server: a minor asks their guardian (/guardians/requests) on ${engine}`, () => {
    let f: Fixture;
    let store: LinkStore;
    let server: ReturnType<typeof createProgramServer>;
    // Ada is a minor with Ben as her guardian; Cleo an adult; Dan a stranger who is nobody's guardian here.
    let ada: Member, ben: Member, cleo: Member, dan: Member;

    beforeEach(async () => {
      f = await loadFixture(sdkProgram);
      [ada, ben, cleo, dan] = f.members as [Member, Member, Member, Member];
      const location = await freshDatabase(engine);
      store = await LinkStore.open(location, { program: f.program, brand: f.backend });
      server = createProgramServer({
        program: f.program,
        client: f.backend,
        db: openDatabase<OrderBookTables>(location),
        relayer: f.backend,
        relayPolicy: { ...defaultRelayPolicy, selfPayBalance: 0n },
      });
      await server.book.init();
      const link = async (member: Member, customerId: string, guardian?: Member) => {
        const { commitment } = await store.prepareLink({ customerId, wallet: member.account.address });
        const consent = await signConsentLink(member, { program: f.program, commitment, purposes: ["rewards"] });
        await store.link(
          guardian ? { customerId, consent, minor: true, guardian: guardian.account.address } : { customerId, consent },
        );
      };
      await link(ada, "cust-ada", ben);
      await link(cleo, "cust-cleo");
    });
    afterEach(async () => {
      server.relayer?.stop();
      await server.book.db.destroy();
      await store.close();
    });

    const client = () =>
      createProgramServerClient("http://server.test", {
        fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
      });
    const ask = async (member: Member, purposes: Purpose[] = ["rewards", "marketing"]) =>
      client().askGuardian({ change: await signGuardianRequest(member, { program: f.program, purposes }) });
    const read = async (member: Member) =>
      client().guardianRequests(await signGuardianRequestsRead(member, { program: f.program }));
    const refusal = async (call: Promise<unknown>) => {
      const error = await caught(call);
      expect(error).to.be.instanceOf(ProgramServerError);
      return error as ProgramServerError;
    };

    it("use: Ada asks, Ben sees it and approves it through the relayer; the chain has marketing, Ben sent nothing", async () => {
      const request = await ask(ada);
      expect(request).to.deep.include({ wallet: getAddress(ada.account.address), guardian: getAddress(ben.account.address) });
      expect(request.asked).to.deep.equal(["marketing"]);
      expect(request.status).to.equal("pending");
      const { toAnswer } = await read(ben);
      expect(toAnswer.map((r) => r.id)).to.deep.equal([request.id]);
      expect((await read(ada)).sent.map((r) => [r.id, r.status])).to.deep.equal([[request.id, "pending"]]);

      const sent = await f.backend.getTransactionCount({ address: ben.account.address });
      const guardianSignature = await signGuardianApproval(ben, { program: f.program, message: toAnswer[0]!.change.message });
      const { hash } = await client().relay("consentChange", { change: toAnswer[0]!.change, guardianSignature });
      await f.backend.waitForTransactionReceipt({ hash });
      expect((await getConsentLink(f.backend, { program: f.program, wallet: ada.account.address }))!.purposes).to.deep.equal([
        "rewards",
        "marketing",
      ]);
      expect(await f.backend.getTransactionCount({ address: ben.account.address })).to.equal(sent);
      expect((await read(ben)).toAnswer).to.deep.equal([]);
      expect((await read(ada)).sent.map((r) => r.status)).to.deep.equal(["approved"]);
    });

    it("abuse: a wallet that is not a minor in the program, or a change that needs no guardian, is refused", async () => {
      expect(await refusal(ask(cleo))).to.include({ status: 422, code: "not_a_minor" });
      expect(await refusal(ask(dan))).to.include({ status: 422, code: "not_a_minor" });
      expect(await refusal(ask(ada, ["rewards", "analytics"]))).to.include({ status: 422, code: "no_approval_needed" });
      expect((await read(ben)).toAnswer).to.deep.equal([]);
    });

    it("abuse: a forged signature, a stale nonce and a far deadline are refused, and nothing is kept", async () => {
      const change = await signGuardianRequest(ada, { program: f.program, purposes: ["rewards", "marketing"] });
      // Ben signs Ada's message himself, to approve what Ada never asked.
      const forged = await signConsentChange(ben, { program: f.program, purposes: ["rewards", "marketing"] });
      const error = await refusal(client().askGuardian({ change: { message: change.message, signature: forged.signature } }));
      expect(error).to.include({ status: 422, code: "bad_signature" });
      const now = (await getBlock(f.backend)).timestamp;
      const far = await signGuardianRequest(ada, {
        program: f.program,
        purposes: ["rewards", "marketing"],
        deadline: now + 31n * 24n * 3600n,
      });
      expect(await refusal(client().askGuardian({ change: far }))).to.include({ status: 422, code: "deadline_too_far" });
      // Ada changes her consent herself: the request she signed before carries a used nonce.
      await changeConsent(ada, { program: f.program, purposes: ["rewards", "analytics"] });
      expect(await refusal(client().askGuardian({ change }))).to.include({ status: 422, code: "stale_nonce" });
      expect((await read(ben)).toAnswer).to.deep.equal([]);
      expect((await read(ada)).sent).to.deep.equal([]);
    });

    it("abuse: someone else's guardian can neither read nor answer a request; a read signed for another wallet is refused", async () => {
      const request = await ask(ada);
      expect(await read(dan)).to.deep.equal({ toAnswer: [], sent: [] });
      const forgedRead = await signGuardianRequestsRead(dan, { program: f.program, reader: ben.account.address });
      expect(await refusal(client().guardianRequests(forgedRead))).to.include({ status: 422, code: "bad_signature" });
      const decline = await signGuardianRequestDecline(dan, { program: f.program, request: request.id });
      expect(await refusal(client().declineGuardianRequest(decline))).to.include({ status: 403, code: "not_guardian" });
      // Dan's approval relayed: the registry refuses it (the relayer's simulation), and nothing changes.
      const approval = await signGuardianApproval(dan, { program: f.program, message: request.change.message });
      const relayed = await refusal(client().relay("consentChange", { change: request.change, guardianSignature: approval }));
      expect(relayed.status).to.be.within(400, 499);
      expect((await getConsentLink(f.backend, { program: f.program, wallet: ada.account.address }))!.purposes).to.deep.equal([
        "rewards",
      ]);
      expect((await read(ben)).toAnswer.map((r) => r.status)).to.deep.equal(["pending"]);
    });

    it("replays: the same request is kept once, a second one waits, a decline holds and its replay changes nothing; an expired read is refused", async () => {
      const change = await signGuardianRequest(ada, { program: f.program, purposes: ["rewards", "marketing"] });
      const first = await client().askGuardian({ change });
      expect((await client().askGuardian({ change })).id).to.equal(first.id);
      const other = await signGuardianRequest(ada, { program: f.program, purposes: ["rewards", "partnerSharing"] });
      expect(await refusal(client().askGuardian({ change: other }))).to.include({ status: 409, code: "request_pending" });

      const decline = await signGuardianRequestDecline(ben, { program: f.program, request: first.id });
      expect((await client().declineGuardianRequest(decline)).status).to.equal("declined");
      expect((await client().declineGuardianRequest(decline)).status).to.equal("declined");
      expect((await client().askGuardian({ change })).status, "a declined request sent again stays declined").to.equal(
        "declined",
      );
      expect((await read(ben)).toAnswer).to.deep.equal([]);
      expect((await read(ada)).sent.map((r) => r.status)).to.deep.equal(["declined"]);
      // Declined, the wallet may ask again with a new request.
      expect((await client().askGuardian({ change: other })).status).to.equal("pending");

      const now = (await getBlock(f.backend)).timestamp;
      const old = await signGuardianRequestsRead(ben, { program: f.program, deadline: now });
      expect(await refusal(client().guardianRequests(old))).to.include({ status: 422, code: "expired" });
    });
  });
}
