/** A refusal the server answers with a 4xx: `code` for programs, `message` for people. */
export class BookRefusal extends Error {
  override name = "BookRefusal";
  constructor(
    readonly status: 400 | 404 | 409 | 422 | 429,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
