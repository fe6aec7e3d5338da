import { LimitExceededError } from "./errors.js";

/** Shared by every catalog a request touches: bounds how many nodes one request may walk. */
export class NodeBudget {
  used = 0;
  constructor(readonly max: number) {}
  take(n: number): void {
    this.used += n;
    if (this.used > this.max) {
      throw new LimitExceededError(
        "nodes",
        this.max,
        this.used,
        `node budget exceeded: this request would visit ${this.used} nodes, more than the ${this.max} allowed; narrow maxDepth or the selection`,
      );
    }
  }
}

/** A catalog's own node budget, which also draws on the request's. */
export class CatalogBudget extends NodeBudget {
  constructor(
    max: number,
    private readonly request: NodeBudget,
  ) {
    super(max);
  }

  override take(n: number): void {
    super.take(n);
    this.request.take(n);
  }
}
