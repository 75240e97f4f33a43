import SwaggerParser from "@apidevtools/swagger-parser";
import { expect } from "chai";
import { relayRoutes } from "../../serverApi/routes.js";
import { openApiDocument } from "./openapi.js";

describe("server: the OpenAPI document", () => {
  it("is a valid OpenAPI 3.0 document whose every $ref resolves, generated from every route", async () => {
    const doc = openApiDocument();
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
    const paths = Object.keys(doc.paths ?? {});
    expect(paths).to.include.members(["/health", "/orders", "/orders/{hash}", "/listings", "/listings/best", "/offers"]);
    expect(paths).to.include.members(["/swaps", "/members/{address}/orders", "/links/forget"]);
    expect(paths).to.include.members(["/guardians/requests", "/guardians/requests/list", "/guardians/requests/decline"]);
    expect(paths).to.include.members(Object.values(relayRoutes).map((route) => route.path));
    // Integers are decimal strings on the wire: the document speaks of the wire, not of the SDK's bigints.
    expect(JSON.stringify(doc.paths?.["/orders"]?.post?.requestBody)).to.contain('"price":{"type":"string"');
    // Every schema stands alone: a validator given one of them needs nothing else of the document.
    expect(JSON.stringify(doc.paths)).not.to.contain("$ref");
  });

  it("the validator refuses a $ref to a schema the document does not have (as the hand-kept document had)", async () => {
    const doc = structuredClone(openApiDocument());
    const post = doc.paths?.["/orders"]?.post;
    const content = post?.requestBody && "content" in post.requestBody ? post.requestBody.content : undefined;
    content!["application/json"]!.schema = { $ref: "#/definitions/PostOrder" };
    const refused = await SwaggerParser.validate(doc as never).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).to.be.instanceOf(Error);
  });
});
