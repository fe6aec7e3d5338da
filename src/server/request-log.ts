import type { Logger } from "pino";
import type { RequestSink } from "./observe.js";

/**
 * One JSON log line per GraphQL request, under its request id (the client's `x-request-id`
 * when it sent one): what it was, how it ended, how long it took and what store calls it made.
 */
export function requestLog(logger: Logger): RequestSink {
  return (facts, response) => {
    logger.info(
      {
        requestId: facts.requestId,
        operation: facts.operation,
        operationName: facts.operationName,
        status: response.status,
        ms: Math.round(facts.seconds() * 1000 * 10) / 10,
        io: facts.io(),
        errors: facts.errorCodes.length > 0 ? facts.errorCodes : undefined,
      },
      "graphql request",
    );
  };
}
