import type { Capabilities } from "../api/capabilities.js";
import { errorsAt, type GqlError } from "../api/client.js";
import { nodeOperation } from "../api/queries.js";
import { useOperation } from "../api/use-operation.js";
import { nodeRoute } from "../route.js";
import { ErrorBox } from "../ui/errors.js";
import { formatNumber } from "../ui/format.js";
import { html } from "../ui/html.js";
import { Link } from "../ui/link.js";
import { QueryPanel } from "../ui/query-panel.js";
import { ArrayFacts, type ArrayFields } from "./array-facts.js";
import { Coordinates } from "./coordinates.js";
import { Attributes } from "./json-table.js";
import { Preview } from "./preview.js";

interface NodeFields extends Partial<ArrayFields> {
  __typename: "ZarrGroup" | "ZarrArray";
  id: string;
  path: string;
  name: string;
  zarrFormat: number;
  version: string | null;
  attributes: Record<string, unknown> | null;
  metadata: unknown;
  parent: { path: string; consolidated: boolean } | null;
  consolidated?: boolean;
  nmembers?: number;
}

interface NodeData {
  catalog: { name: string; description: string | null; url: string | null; node: NodeFields | null } | null;
}

/** catalog / a / b, each a link. */
function Breadcrumbs({ catalog, path }: { catalog: string; path: string }) {
  const segments = path === "" ? [] : path.split("/");
  const crumbs = [
    { label: catalog, path: "" },
    ...segments.map((s, i) => ({ label: s, path: segments.slice(0, i + 1).join("/") })),
  ];
  return html`<nav aria-label="Breadcrumb" class="breadcrumbs">
    <ol>
      ${crumbs.map(
        (c, i) =>
          html`<li>${
            i === crumbs.length - 1
              ? html`<span aria-current="page">${c.label}</span>`
              : html`<${Link} route=${nodeRoute(catalog, c.path)}>${c.label}<//>`
          }</li>`,
      )}
    </ol>
  </nav>`;
}

/** Its own documents or a consolidated copy: the parent says whether its members come from consolidated metadata. */
function Source({ node }: { node: NodeFields }) {
  const fromConsolidated = node.parent?.consolidated ?? false;
  return html`<tr>
    <th scope="row">Metadata read from</th>
    <td data-field="source">${fromConsolidated ? "consolidated metadata" : "its own document"}${
      node.__typename === "ZarrGroup"
        ? html`; members from ${node.consolidated ? "consolidated metadata" : "the store's listing"}`
        : null
    }</td>
  </tr>`;
}

/** The document `metadata` holds: zarr.json in format 3, .zgroup or .zarray in format 2. */
function documentName(node: NodeFields): string {
  if (node.zarrFormat === 3) return "zarr.json";
  return node.__typename === "ZarrArray" ? ".zarray" : ".zgroup";
}

/** Fields the API could not answer, other than the node itself (which has its own box). */
function fieldErrors(errors: GqlError[]): GqlError[] {
  const node = ["catalog", "node"];
  return errorsAt(errors, node).filter((e) => e.path!.length > node.length);
}

/** One node: what it is, its array metadata, coordinates and preview, attributes, raw document. */
export function NodeView({
  catalog,
  path,
  capabilities,
}: {
  catalog: string;
  path: string;
  capabilities: Capabilities;
}) {
  const state = useOperation<NodeData>(nodeOperation(catalog, path));
  const node = state.data?.catalog?.node ?? null;
  const isArray = node?.__typename === "ZarrArray";
  const title = path === "" ? catalog : path.slice(path.lastIndexOf("/") + 1);
  const array = isArray ? (node as NodeFields & ArrayFields) : null;
  return html`<article class="node" data-catalog=${catalog} data-path=${path}>
    <${Breadcrumbs} catalog=${catalog} path=${path} />
    <h1>${title} ${node ? html`<span class="badge">${isArray ? "array" : "group"}</span>` : null}</h1>
    ${path === "" && state.data?.catalog?.description ? html`<p class="lead">${state.data.catalog.description}</p>` : null}
    ${state.loading ? html`<p class="muted" role="status">Loading…</p>` : null}
    ${!state.loading && !node ? html`<${ErrorBox} errors=${state.errors} title="This node could not be read" />` : null}
    ${
      node
        ? html`
      <${ErrorBox} errors=${fieldErrors(state.errors)} title="Some fields could not be read" />
      <table class="facts" data-section="node">
        <tbody>
          <tr><th scope="row">Path</th><td><code>${node.name}</code></td></tr>
          <tr><th scope="row">Zarr format</th><td>${node.zarrFormat}</td></tr>
          <tr><th scope="row">Version</th><td><code>${node.version ?? "–"}</code></td></tr>
          <${Source} node=${node} />
          ${node.nmembers !== undefined ? html`<tr><th scope="row">Members</th><td>${formatNumber(node.nmembers)}</td></tr>` : null}
          ${state.data?.catalog?.url && path === "" ? html`<tr><th scope="row">Store</th><td><code>${state.data.catalog.url}</code></td></tr>` : null}
        </tbody>
      </table>
      ${
        array
          ? html`<section aria-labelledby="array-h"><h2 id="array-h">Array</h2><${ArrayFacts} array=${array} /></section>`
          : null
      }
      ${
        capabilities.dimensions && capabilities.extent
          ? html`<${Coordinates} catalog=${catalog} path=${path} kind=${isArray ? "array" : "group"}
              dimensions=${array ? array.shape.map((size, i) => ({ name: array.dimensionNames?.[i] ?? null, size })) : null} />`
          : null
      }
      ${
        array && capabilities.preview && array.ndim >= 2
          ? html`<${Preview} key=${`${catalog}\u0000${path}`} catalog=${catalog} path=${path} shape=${array.shape} dimensionNames=${array.dimensionNames} capabilities=${capabilities} />`
          : null
      }
      <section aria-labelledby="attributes-h" data-section="attributes">
        <h2 id="attributes-h">Attributes</h2>
        ${node.attributes ? html`<${Attributes} attributes=${node.attributes} />` : null}
      </section>
      <section aria-labelledby="document-h">
        <h2 id="document-h">Metadata document</h2>
        <details class="document">
          <summary><code>${documentName(node)}</code> as stored</summary>
          <pre tabindex="0" aria-label="Metadata document">${JSON.stringify(node.metadata, null, 2)}</pre>
        </details>
      </section>`
        : null
    }
    <${QueryPanel} op=${state.op} label="this node" />
  </article>`;
}
