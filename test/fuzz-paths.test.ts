// Property tests over generated paths, ids, cursors and arguments: whatever a client sends, no
// key outside the store's root is asked of the store, and nothing from outside it comes back.
// The store is a real folder with a sibling "secret" folder and links pointing into it.
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { encodeGlobalID } from "@pothos/plugin-relay";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { FileStore } from "../src/stores/file.js";
import { validateKey } from "../src/stores/keys.js";
import { type CallOptions, InvalidKeyError, type StoreEntry, StoreError, type TreeEntry } from "../src/stores/store.js";
import { type Operation, StoreWrapper } from "../src/stores/wrapper.js";
import { catalog, createApp, gql } from "./support/app.js";
import { treeKeys } from "./support/store-suite.js";

const SECRET = "TOPSECRET-8d1f";
const group = (attrs: object) => JSON.stringify({ zarr_format: 3, node_type: "group", attributes: attrs });
const array = JSON.stringify({
  zarr_format: 3,
  node_type: "array",
  shape: [4],
  data_type: "int32",
  chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } },
  chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
  fill_value: 0,
  codecs: [{ name: "bytes" }],
});

let base: string;
let root: string;

function write(file: string, text: string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), "zarr-paths-"));
  root = path.join(base, "root");
  // Inside: a small v3 hierarchy and a v2 one.
  write(path.join(root, "zarr.json"), group({ where: "root" }));
  write(path.join(root, "g0", "zarr.json"), group({}));
  write(path.join(root, "g0", "a0", "zarr.json"), array);
  write(path.join(root, "g0", "a0", "c", "0"), "chunk");
  write(path.join(root, "v2", ".zgroup"), '{"zarr_format": 2}');
  write(
    path.join(root, "v2", "x", ".zarray"),
    '{"zarr_format": 2, "shape": [1], "chunks": [1], "dtype": "<i4", "fill_value": 0}',
  );
  // Outside: the secret, in every format, with a nested node.
  const secret = path.join(base, "secret");
  write(path.join(secret, "zarr.json"), group({ secret: SECRET }));
  write(path.join(secret, ".zgroup"), '{"zarr_format": 2}');
  write(path.join(secret, ".zattrs"), JSON.stringify({ secret: SECRET }));
  write(path.join(secret, "inner", "zarr.json"), group({ secret: SECRET }));
  write(path.join(base, "zarr.json"), group({ secret: SECRET }));
  // Links inside the root that point out of it.
  symlinkSync(secret, path.join(root, "link"));
  symlinkSync(path.join(secret, "zarr.json"), path.join(root, "g0", "linked.json"));
  symlinkSync(path.join(secret, "inner"), path.join(root, "g0", "inner"));
});

/** Records every key asked of the store and every answer it gave. */
class Recorder extends StoreWrapper {
  readonly keys: string[] = [];
  readonly answers: string[] = [];

  protected async around<T, O extends CallOptions | undefined>(
    operation: Operation,
    key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    this.keys.push(key);
    const result = await call(options);
    if (operation === "listTree") this.keys.push(...(result as unknown as TreeEntry[]).map((e) => e.key));
    if (operation === "list") this.answers.push(JSON.stringify(result));
    if (operation === "get" && result)
      this.answers.push(new TextDecoder().decode((result as unknown as StoreEntry).data));
    return result;
  }
}

/** A key names a place inside the root: it passes the key gate and resolves below the root. */
function inside(key: string): boolean {
  try {
    validateKey(key, { allowRoot: true });
  } catch {
    return false;
  }
  const full = path.resolve(root, ...key.split("/").filter(Boolean));
  const rel = path.relative(root, full);
  return rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("g0", "a0", "v2", "x", "c", "0", "zarr.json", ".zgroup", "inner") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "..",
      ".",
      "",
      "%2e%2e",
      "%2E%2e",
      "%252e%252e",
      "..%2f..",
      "%2f",
      "%00",
      "\u0000",
      "..\\secret",
      "\\",
      "secret",
      "link",
      "linked.json",
      "~",
      "C:",
      "c:\\windows",
      "a\u2044b",
      "..%5c..",
      "%c0%ae%c0%ae",
      "\uff0e\uff0e",
      ".. ",
      " ..",
      "...",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const generatedPath = fc
  .tuple(
    fc.constantFrom("", "/", "../", "./", "//", "/../"),
    fc.array(segment, { maxLength: 5 }),
    fc.constantFrom("", "/", "//"),
  )
  .map(([lead, parts, trail]) => `${lead}${parts.join("/")}${trail}`);

describe("generated paths and arguments never reach outside the store root", () => {
  test("through the API: every key asked is inside, nothing of the secret comes back", async () => {
    const recorder = new Recorder(new FileStore(root));
    const app = createApp({ catalogs: [catalog("t", recorder)], responseCacheEntries: 0 });
    const codes = new Map<string, number>();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        generatedPath,
        generatedPath,
        fc.constantFrom("USE", "IGNORE", "REQUIRE"),
        fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 5 })),
        fc.oneof(fc.string({ maxLength: 20 }), fc.constant("")),
        async (p, q, mode, depth, junk) => {
          runs++;
          const ids = [
            encodeGlobalID("ZarrGroup", JSON.stringify(["t", p])),
            encodeGlobalID("ZarrArray", JSON.stringify(["t", q])),
            encodeGlobalID("ZarrGroup", junk),
          ];
          const cursor = Buffer.from(`path:${q}`, "utf8").toString("base64url");
          const result = await gql(
            app,
            `query($p: String!, $q: String!, $ids: [ID!]!, $id: ID!, $depth: Int, $cursor: String, $reps: [_Any!]!) {
              catalog(name: "t", consolidated: ${mode}) {
                node(path: $p) { path attributes ... on ZarrGroup { members(maxDepth: $depth) { nodes { path } } } }
                root { ... on ZarrGroup {
                  member(path: $q) { path attributes parent { path } }
                  members(maxDepth: $depth, after: $cursor) { nodes { path attributes } }
                  tree(maxDepth: $depth) } }
              }
              node(id: $id) { id }
              nodes(ids: $ids) { id }
              _entities(representations: $reps) { ... on ZarrGroup { path attributes } }
            }`,
            {
              p,
              q,
              ids,
              id: ids[0],
              depth,
              cursor,
              reps: [
                { __typename: "ZarrGroup", catalog: "t", path: p },
                { __typename: "ZarrGroup", catalog: "t", path: q },
                { __typename: "ZarrArray", id: ids[1] },
              ],
            },
          );
          const text = JSON.stringify(result);
          expect(text).not.toContain(SECRET);
          for (const error of result.errors ?? []) {
            const code = error.extensions?.code ?? "none";
            codes.set(code, (codes.get(code) ?? 0) + 1);
            expect(["BAD_USER_INPUT", "NOT_FOUND", "STORE_UNAVAILABLE"], text).toContain(code);
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
    expect(runs).toBe(300);
    const outsideKeys = recorder.keys.filter((k) => !inside(k));
    expect(outsideKeys).toEqual([]);
    expect(recorder.answers.join("\n")).not.toContain(SECRET);
    // The generated arguments did reach the store, and were refused before it too.
    expect(recorder.keys.length).toBeGreaterThan(1000);
    expect(codes.get("BAD_USER_INPUT")).toBeGreaterThan(50);
    expect(recorder.keys).toContain("g0/a0/zarr.json");
  });

  test("through the file store itself: gets, listings and tree listings of generated keys", async () => {
    const store = new FileStore(root);
    let refused = 0;
    let found = 0;
    await fc.assert(
      fc.asyncProperty(generatedPath, async (key) => {
        for (const call of [
          () => store.get(key),
          () => store.list(key),
          () => store.listTree(key, { names: ["zarr.json", ".zgroup", ".zattrs"] }),
        ]) {
          let answer: unknown;
          let failure: unknown;
          try {
            answer = await call();
          } catch (error) {
            failure = error;
          }
          if (failure !== undefined) {
            // Refused keys are InvalidKeyError; anything else is a typed store error too.
            expect(failure, String(failure)).toBeInstanceOf(StoreError);
            if (failure instanceof InvalidKeyError) refused++;
            continue;
          }
          if (answer) found++;
          const text = String(
            JSON.stringify(answer, (_k, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v)),
          );
          expect(text).not.toContain(SECRET);
        }
      }),
      { numRuns: 2000, seed: 12 },
    );
    expect(refused).toBeGreaterThan(1000);
    expect(found).toBeGreaterThan(50);
  });

  test("the links themselves are refused and never listed", async () => {
    const store = new FileStore(root);
    await expect(store.get("link/zarr.json")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get("g0/linked.json")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get("g0/inner/zarr.json")).rejects.toBeInstanceOf(InvalidKeyError);
    expect((await store.list("")).prefixes).toEqual(["g0", "v2"]);
    expect((await store.list("g0")).keys).toEqual(["zarr.json"]);
    const tree = await treeKeys(store, "", { names: ["zarr.json", ".zgroup", ".zattrs", ".zarray"] });
    expect(tree).toEqual(["g0/a0/zarr.json", "g0/zarr.json", "v2/.zgroup", "v2/x/.zarray", "zarr.json"]);
  });

  test("a folder swapped for a link out of the root is refused once its check is a second old, for missing names too", async () => {
    const swapped = mkdtempSync(path.join(tmpdir(), "zarr-swap-"));
    const outside = mkdtempSync(path.join(tmpdir(), "zarr-swap-outside-"));
    write(path.join(swapped, "g", "zarr.json"), group({}));
    const store = new FileStore(swapped);
    // Checked once (the folder is inside), then checked again, unchanged, after a second: absent.
    expect(await store.getIfChanged("g/.zarray", "v")).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await store.getIfChanged("g/.zarray", "v")).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Now the folder is moved out and a link to it put in its place.
    renameSync(path.join(swapped, "g"), path.join(outside, "g"));
    symlinkSync(path.join(outside, "g"), path.join(swapped, "g"));
    await expect(store.getIfChanged("g/.zarray", "v")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get("g/.zarray")).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get("g/zarr.json")).rejects.toBeInstanceOf(InvalidKeyError);
  });

  test("links back up the tree are not entries: a walk of everything ends", async () => {
    const loops = mkdtempSync(path.join(tmpdir(), "zarr-loops-"));
    write(path.join(loops, "zarr.json"), group({}));
    for (const name of ["a", "b"]) {
      write(path.join(loops, name, "zarr.json"), group({}));
      // Two links to the root: walked naively, the tree doubles at every level.
      symlinkSync(loops, path.join(loops, name, "up"));
    }
    symlinkSync(path.join(loops, "a"), path.join(loops, "a", "self"));
    const store = new FileStore(loops);
    expect((await store.list("a")).prefixes).toEqual([]);
    expect(await treeKeys(store, "", { names: ["zarr.json"] })).toEqual(["a/zarr.json", "b/zarr.json", "zarr.json"]);
    const app = createApp({ catalogs: [catalog("l", store)] });
    const result = await gql(
      app,
      `{ catalog(name: "l") { root { ... on ZarrGroup { members(maxDepth: null) { totalCount } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.catalog.root.members.totalCount).toBe(2);
  });
});
