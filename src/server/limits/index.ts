import type { Plugin } from "graphql-yoga";
import { batchLimitPlugin } from "./batch.js";
import { bodySizePlugin } from "./body-size.js";
import type { Limits } from "./config.js";
import { costLimitPlugin, estimateCost } from "./cost.js";
import { memoizedEstimate } from "./cost-memo.js";
import { deadlinePlugin } from "./deadline.js";
import { documentLimitsPlugin, tokenLimitPlugin } from "./document.js";
import { rateLimitPlugin } from "./rate.js";

export { DEFAULT_LIMITS, DEFAULT_QUERY_LIMITS, type Limits, type QueryLimits } from "./config.js";
export { deadlineSignal } from "./deadline.js";

/** Every limit as yoga plugins, in the order a request meets them. */
export function limitPlugins(limits: Limits): Plugin[] {
  return [
    // Batch size first: a batch over it is refused before its operations count against the rate.
    batchLimitPlugin(limits.batch),
    ...(limits.rate ? [rateLimitPlugin(limits.rate)] : []),
    bodySizePlugin(limits.bodyBytes, limits.deadlineMs),
    tokenLimitPlugin(limits.tokens),
    documentLimitsPlugin(limits),
    costLimitPlugin(limits.cost, limits.nodeBudget, memoizedEstimate(estimateCost)),
    deadlinePlugin(),
  ];
}
