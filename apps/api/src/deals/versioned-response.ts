/**
 * A response body with the deal revision it reflects; DealResponseInterceptor turns the
 * revision into the `ETag` header (and a replay into `Idempotent-Replayed: true`).
 */
export class VersionedResponse<T> {
  constructor(
    readonly body: T,
    readonly revision: number,
    readonly replayed = false,
  ) {}
}
