// Helpers for the write-API tests: a writable app, authorised mutations, store snapshots.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import type { Catalog } from "../../src/hierarchy/catalog.js";
import type { App } from "../../src/server/app.js";
import type { Store } from "../../src/stores/store.js";
import { createApp, type GqlResult, gql } from "./app.js";

export const TOKEN = "test-token-0123456789abcdef";
export const AUTH = { authorization: `Bearer ${TOKEN}` };

export interface WritableApp {
  app: App;
  /** Every pino line the app logged, parsed. */
  logs: Record<string, any>[];
}

export function writableApp(catalogs: Catalog[], options: { maxObjects?: number } = {}): WritableApp {
  const logs: Record<string, any>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const app = createApp({
    catalogs,
    logger: pino({ level: "info" }, sink),
    write: { token: TOKEN, ...(options.maxObjects ? { maxObjects: options.maxObjects } : {}) },
  });
  return { app, logs };
}

/** Runs a mutation (or query) with the write token. */
export function mutate(app: App, query: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  return gql(app, query, variables, AUTH);
}

/** Every object of a store, key -> bytes as hex, for "nothing changed" comparisons. */
export async function snapshot(store: Store, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    const listing = await store.list(dir);
    for (const name of listing.keys) {
      const key = dir ? `${dir}/${name}` : name;
      out[key] = Buffer.from((await store.get(key))!.data).toString("hex");
    }
    for (const name of listing.prefixes) await walk(dir ? `${dir}/${name}` : name);
  };
  await walk(prefix);
  return out;
}

/** Every file and folder below `dir` on disk, as relative path -> content (hex) or "dir". */
export async function diskSnapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    out[rel] = entry.isDirectory() ? "dir" : (await readFile(full)).toString("hex");
  }
  return out;
}

export async function tempDir(prefix = "zarr-graphql-writes-"): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

/** The first error's code, for one-line assertions. */
export function codeOf(result: GqlResult): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}
