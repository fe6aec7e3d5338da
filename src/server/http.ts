import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "./app.js";

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Serves the app on node:http; resolves once listening, with the GraphQL URL. */
export async function listen(app: App, port: number, host: string): Promise<RunningServer> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    server,
    url: `http://${shownHost}:${address.port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      }),
  };
}
