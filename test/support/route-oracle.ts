// What every route to a node should answer, worked out from the files alone (no project code):
// the rule in the README's "Consolidated metadata" section, written once more, independently.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface NodeView {
  __typename: "ZarrGroup" | "ZarrArray";
  attributes: unknown;
  metadata: unknown;
  consolidated?: boolean;
  members?: string[];
}

interface Entry {
  type: "group" | "array";
  metadata: Record<string, unknown>;
  attributes: unknown;
}

const read = (file: string) => JSON.parse(readFileSync(file, "utf8").replace(/(?<!")\bNaN\b(?!")/g, '"NaN"'));
const join = (a: string, b: string) => (a === "" ? b : `${a}/${b}`);

/** A node's own documents, and the consolidated metadata it carries (relative path -> entry), if any. */
function own(dir: string, at: string, format: 2 | 3): { entry: Entry; carried: Map<string, Entry> | null } | null {
  const folder = path.join(dir, at);
  if (format === 3) {
    if (!existsSync(path.join(folder, "zarr.json"))) return null;
    const doc = read(path.join(folder, "zarr.json"));
    const entry: Entry = { type: doc.node_type, metadata: doc, attributes: doc.attributes ?? {} };
    const block = doc.node_type === "group" ? doc.consolidated_metadata : null;
    if (!block) return { entry, carried: null };
    const carried = new Map<string, Entry>();
    // Flat keys first: they win over what nested blocks say of the same path.
    const flatten = (prefix: string, metadata: Record<string, any>, outer: boolean) => {
      for (const [rel, child] of Object.entries(metadata)) {
        const p = join(prefix, rel);
        if (outer || !carried.has(p)) {
          carried.set(p, { type: child.node_type, metadata: child, attributes: child.attributes ?? {} });
        }
      }
      for (const [rel, child] of Object.entries(metadata)) {
        if (child.consolidated_metadata?.metadata)
          flatten(join(prefix, rel), child.consolidated_metadata.metadata, false);
      }
    };
    flatten("", block.metadata ?? {}, true);
    return { entry, carried };
  }
  const file = (name: string) => path.join(folder, name);
  const attributes = existsSync(file(".zattrs")) ? read(file(".zattrs")) : {};
  if (existsSync(file(".zarray"))) {
    return { entry: { type: "array", metadata: read(file(".zarray")), attributes }, carried: null };
  }
  if (!existsSync(file(".zgroup"))) return null;
  const entry: Entry = { type: "group", metadata: read(file(".zgroup")), attributes };
  if (!existsSync(file(".zmetadata"))) return { entry, carried: null };
  const carried = new Map<string, Entry>();
  const documents = read(file(".zmetadata")).metadata as Record<string, any>;
  for (const [key, doc] of Object.entries(documents)) {
    const slash = key.lastIndexOf("/");
    const rel = slash === -1 ? "" : key.slice(0, slash);
    const name = key.slice(slash + 1);
    if (rel === "" || (name !== ".zarray" && name !== ".zgroup")) continue;
    carried.set(rel, {
      type: name === ".zarray" ? "array" : "group",
      metadata: doc,
      attributes: documents[`${rel}/.zattrs`] ?? {},
    });
  }
  return { entry, carried };
}

/** Every node below (and at) the root, as USE or IGNORE should answer it. */
export function expectedViews(dir: string, mode: "use" | "ignore"): Map<string, NodeView> {
  const views = new Map<string, NodeView>();
  const format: 2 | 3 = existsSync(path.join(dir, "zarr.json")) ? 3 : 2;
  const visit = (at: string, cover: { base: string; entries: Map<string, Entry> } | null) => {
    const rel = cover ? (cover.base === "" ? at : at.slice(cover.base.length + 1)) : null;
    const found = cover ? { entry: cover.entries.get(rel!), carried: null } : own(dir, at, format);
    const entry = found?.entry;
    if (!entry) return;
    const view: NodeView = {
      __typename: entry.type === "group" ? "ZarrGroup" : "ZarrArray",
      attributes: entry.attributes,
      metadata: entry.metadata,
    };
    views.set(at, view);
    if (entry.type !== "group") return;
    const answering = cover ?? (mode === "use" && found?.carried ? { base: at, entries: found.carried } : null);
    let children: string[];
    if (answering) {
      const here = answering.base === at ? "" : at.slice(answering.base === "" ? 0 : answering.base.length + 1);
      children = [...answering.entries.keys()]
        .filter((p) =>
          here === "" ? !p.includes("/") : p.startsWith(`${here}/`) && !p.slice(here.length + 1).includes("/"),
        )
        .map((p) => join(answering.base, p));
    } else {
      const folder = path.join(dir, at);
      children = readdirSync(folder)
        .filter((name) => statSync(path.join(folder, name)).isDirectory())
        .map((name) => join(at, name))
        .filter((child) => own(dir, child, format) !== null);
    }
    children.sort();
    view.consolidated = answering !== null;
    view.members = children;
    for (const child of children) visit(child, answering);
  };
  visit("", null);
  return views;
}
