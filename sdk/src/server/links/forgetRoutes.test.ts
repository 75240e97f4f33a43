import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { getAddress, type Address } from "viem";
import { getBlock } from "viem/actions";
import {
  createProgramServerClient,
  getConsentLink,
  ProgramServerError,
  signConsentLink,
  signForgetRequest,
  toWire,
  type SignedForgetRequest,
} from "../../index.js";
import { openDatabase } from "../../node/database.js";
import { LinkStore, WalletNotLinkedError } from "../../node/linkStore/linkStore.js";
import { databaseEngines, freshDatabase } from "../../../../test/helpers/databases.js";
import { sdkProgram } from "../../../../test/helpers/sdkProgram.js";
import { caught } from "../../../../test/helpers/sdkErrors.js";
import type { OrderBookTables } from "../orderBook/schema.js";
import { createProgramServer } from "../app.js";

type Fixture = Awaited<ReturnType<typeof sdkProgram>>;

/** An answer of the server, read loosely. */
interface Answer {
  status: string;
  wallet: string;
  erased: string[];
  erasedRecords: { link: boolean; cardPayments: number };
  unlinkedOnChain: boolean;
  remainsOnChain: string[];
  message: string;
  error: { code: string; message: string };
}

for (const engine of databaseEngines()) {
  describe(`server: POST /links/forget, link store on ${engine}`, () => {
    let f: Fixture;
    let store: LinkStore;
    let server: ReturnType<typeof createProgramServer>;

    beforeEach(async () => {
      f = await loadFixture(sdkProgram);
      // One database for the book and the link store, as `punchcard serve --db X --link-store X` would have it.
      const location = await freshDatabase(engine);
      store = await LinkStore.open(location, { program: f.program, brand: f.backend });
      server = createProgramServer({
        program: f.program,
        client: f.backend,
        db: openDatabase<OrderBookTables>(location),
        linkStore: store,
      });
      await server.book.init();
    });
    afterEach(async () => {
      await server.book.db.destroy();
      await store.close();
    });

    const post = async (body: unknown) => {
      const response = await server.app.request("/links/forget", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(toWire(body)),
      });
      return { status: response.status, json: (await response.json()) as Answer };
    };
    const client = () =>
      createProgramServerClient("http://server.test", {
        fetch: (input, init) => Promise.resolve(server.app.request(String(input), init)),
      });
    async function link(member: Fixture["members"][number], customerId: string) {
      const { commitment } = await store.prepareLink({ customerId, wallet: member.account.address });
      const consent = await signConsentLink(member, { program: f.program, commitment, purposes: ["rewards"] });
      await store.link({ customerId, consent });
    }
    const rows = async (wallet: Address) =>
      store.db.selectFrom("member_links").selectAll().where("wallet", "=", wallet.toLowerCase()).execute();
    const now = async () => (await getBlock(f.backend, { blockTag: "latest" })).timestamp;

    it("erases the wallet's record on its signed request, unlinks it on-chain, and says what stays public", async () => {
      const ada = f.members[0]!;
      await link(ada, "cust-0042");
      const answer = await client().forgetLink(await signForgetRequest(ada, { program: f.program }));
      expect(answer.status).to.equal("forgotten");
      expect(answer.wallet).to.equal(getAddress(ada.account.address));
      expect(answer.unlinkedOnChain).to.equal(true);
      expect(answer.erasedRecords).to.deep.equal({ link: true, cardPayments: 0 });
      expect(answer.erased.join(" "))
        .to.match(/customer id/)
        .and.match(/salt/);
      expect(answer.remainsOnChain.join(" "))
        .to.match(/stays public/)
        .and.match(/blockchain keeps everything/);
      expect(answer.message)
        .to.contain(getAddress(ada.account.address))
        .and.contain("unlinked the wallet in the consent registry");
      expect(await rows(ada.account.address)).to.deep.equal([]);
      expect(await caught(store.exportMemberData({ wallet: ada.account.address }))).to.be.instanceOf(WalletNotLinkedError);
      expect(await getConsentLink(f.backend, { program: f.program, wallet: ada.account.address })).to.equal(null);
    });

    it("answers the same request sent again as already forgotten, and it never erases a link made after it", async () => {
      const ada = f.members[0]!;
      await link(ada, "cust-0042");
      const request = await signForgetRequest(ada, { program: f.program });
      expect((await post(request)).json.status).to.equal("forgotten");
      await link(ada, "cust-0043");
      const again = await post(request);
      expect(again.status).to.equal(200);
      expect(again.json).to.deep.include({ status: "already_forgotten", erased: [], unlinkedOnChain: false });
      expect(again.json.erasedRecords).to.deep.equal({ link: false, cardPayments: 0 });
      expect(again.json.message).to.match(/carried out before/);
      expect((await rows(ada.account.address)).map((r) => [r.customer_id, r.status])).to.deep.equal([["cust-0043", "linked"]]);
      // A new request of the wallet's own does erase the new link.
      expect((await post(await signForgetRequest(ada, { program: f.program }))).json.status).to.equal("forgotten");
      expect(await rows(ada.account.address)).to.deep.equal([]);
    });

    it("refuses a request signed by another key than the wallet's (422 bad_signature), and erases nothing", async () => {
      const [ada, ben] = [f.members[0]!, f.members[1]!];
      await link(ada, "cust-0042");
      const forged = await signForgetRequest(ben, { program: f.program, wallet: ada.account.address });
      const { status, json } = await post(forged);
      expect(status).to.equal(422);
      expect(json.error.code).to.equal("bad_signature");
      expect(json.error.message).to.contain(getAddress(ada.account.address)).and.contain("nothing was erased");
      const garbage = { ...forged, signature: `0x${"11".repeat(65)}` };
      expect((await post(garbage)).json.error.code).to.equal("bad_signature");
      expect(await rows(ada.account.address)).to.have.length(1);
    });

    it("refuses an expired request and one made to last more than a day, by the chain's clock", async () => {
      const ada = f.members[0]!;
      await link(ada, "cust-0042");
      const expired = await post(await signForgetRequest(ada, { program: f.program, deadline: (await now()) - 1n }));
      expect(expired.status).to.equal(422);
      expect(expired.json.error.code).to.equal("expired");
      expect(expired.json.error.message).to.match(/expired at \d{4}-\d\d-\d\dT.*sign a new one/);
      const far = await post(await signForgetRequest(ada, { program: f.program, deadline: (await now()) + 2n * 86_400n }));
      expect(far.status).to.equal(422);
      expect(far.json.error.code).to.equal("deadline_too_far");
      expect(await rows(ada.account.address)).to.have.length(1);
    });

    it("refuses a request signed for another chain: named as such, or as a bad signature when it claims this one", async () => {
      const ada = f.members[0]!;
      await link(ada, "cust-0042");
      const elsewhere: SignedForgetRequest = await signForgetRequest(ada, { program: { ...f.program, chainId: 1 } });
      const named = await post(elsewhere);
      expect(named.status).to.equal(422);
      expect(named.json.error.code).to.equal("wrong_chain");
      expect(named.json.error.message).to.contain("signed for chain 1").and.contain(`on chain ${f.program.chainId}`);
      const claimed = await post({ ...elsewhere, chainId: f.program.chainId });
      expect(claimed.json.error.code).to.equal("bad_signature");
      expect(await rows(ada.account.address)).to.have.length(1);
    });

    it("tells a wallet the store never held that there was nothing to erase (404 not_linked)", async () => {
      const cleo = f.members[2]!;
      const request = await signForgetRequest(cleo, { program: f.program });
      const error = await caught(client().forgetLink(request));
      expect(error).to.be.instanceOf(ProgramServerError);
      expect(error).to.include({ status: 404, code: "not_linked" });
      expect((error as Error).message).to.contain(`no record of wallet ${getAddress(cleo.account.address)}`);
      // Not remembered as carried out: once the wallet is linked, the same request erases.
      await link(cleo, "cust-0044");
      expect((await client().forgetLink(request)).status).to.equal("forgotten");
      expect(await rows(cleo.account.address)).to.deep.equal([]);
    });

    it("of two copies of one request sent at once, one erases and the other is answered already forgotten", async () => {
      const ada = f.members[0]!;
      await link(ada, "cust-0042");
      const request = await signForgetRequest(ada, { program: f.program });
      const answers = await Promise.all([post(request), post(request)]);
      expect(answers.map((a) => a.status)).to.deep.equal([200, 200]);
      expect(answers.map((a) => a.json.status).sort()).to.deep.equal(["already_forgotten", "forgotten"]);
      expect(answers.filter((a) => a.json.unlinkedOnChain)).to.have.length(1);
    });

    it("accepts the request of a contract wallet (ERC-1271) signed by its owner, and refuses a stranger's for it", async () => {
      const [ben, dan] = [f.members[1]!, f.members[3]!];
      const wallet = (await (await ethers.deployContract("MockERC1271Wallet", [ben.account.address])).getAddress()) as Address;
      await store.prepareLink({ customerId: "cust-safe", wallet });
      const stranger = await post(await signForgetRequest(dan, { program: f.program, wallet }));
      expect(stranger.json.error.code).to.equal("bad_signature");
      expect(await rows(wallet)).to.have.length(1);
      const { status, json } = await post(await signForgetRequest(ben, { program: f.program, wallet }));
      expect(status).to.equal(200);
      expect(json).to.deep.include({ status: "forgotten", unlinkedOnChain: false });
      expect(await rows(wallet)).to.deep.equal([]);
    });
  });
}

describe("server: POST /links/forget without a link store", () => {
  it("answers 503 link_store_off, saying where to ask instead", async () => {
    const f = await loadFixture(sdkProgram);
    const server = createProgramServer({ program: f.program, client: f.backend, db: openDatabase<OrderBookTables>(":memory:") });
    await server.book.init();
    const request = await signForgetRequest(f.members[0]!, { program: f.program });
    const response = await server.app.request("/links/forget", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(toWire(request)),
    });
    expect(response.status).to.equal(503);
    expect(((await response.json()) as Answer).error).to.deep.include({ code: "link_store_off" });
    await server.book.db.destroy();
  });
});
