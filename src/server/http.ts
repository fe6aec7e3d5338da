import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { App } from "./app.js";

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Serves the app on node:http; resolves once listening, with the GraphQL URL. */
export function listen(app: App, port: number, host: string): Promise<RunningServer> {
  return listening(createServer(app), port, host, "/graphql");
}

/** Starts `server` on `port` and `host`; resolves once listening, with its URL at `path`. */
export async function listening(server: Server, port: number, host: string, path: string): Promise<RunningServer> {
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
    url: `http://${shownHost}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections?.();
      }),
  };
}
