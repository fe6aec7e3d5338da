import { createApp } from "../src/server/app.js";
import { MemoryStore } from "../src/stores/memory.js";
import { syntheticTree } from "../test/support/synthetic.js";
const TREE = syntheticTree({ fanout: 7, depth: 4, arraysPerGroup: 3, format: 2 });
const app = createApp({ catalogs: [{ name: "c", store: new MemoryStore("memory://s", TREE.files), consolidated: "use" }] });
const PAGE = `query ($after: String) { catalog(name: "c") { root { ... on ZarrGroup {
  members(maxDepth: null, first: 1000, after: $after) { pageInfo { hasNextPage endCursor } nodes { path attributes ... on ZarrArray { shape } } } } } } }`;
async function pass() {
  let after = null; let n = 0;
  const t = performance.now();
  for (;;) {
    const r = await app.fetch("http://x/graphql", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: PAGE, variables: { after } }) });
    const body: any = await r.json(); n++;
    const m = body.data.catalog.root.members;
    if (!m.pageInfo.hasNextPage) break;
    after = m.pageInfo.endCursor;
  }
  return [n, performance.now() - t];
}
for (let i = 0; i < 4; i++) console.log(await pass());
