import { formatNumber, formatShape, formatValue, gridShape, product } from "../ui/format.js";
import { html } from "../ui/html.js";

export interface ArrayFields {
  shape: number[];
  ndim: number;
  size: number;
  nchunks: number | null;
  dataType: unknown;
  chunks: number[] | null;
  shards: number[] | null;
  fillValue: unknown;
  order: string | null;
  codecs: { name: string; configuration: unknown }[];
  chunkKeyEncoding: unknown;
  dimensionNames: (string | null)[] | null;
}

function Shape({ shape, names }: { shape: number[]; names: (string | null)[] | null }) {
  if (!names?.some((n) => n)) return html`${formatShape(shape)}`;
  return html`${formatShape(shape)} <span class="muted">(${names.map((n) => n ?? "–").join(", ")})</span>`;
}

/** Chunks, and shards with the chunks each holds, with the grid each makes over the shape. */
function Grid({ array }: { array: ArrayFields }) {
  const { shape, chunks } = array;
  if (!chunks) return html`<td>irregular grid <span class="muted">(see the metadata document)</span></td>`;
  const chunkGrid = gridShape(shape, chunks);
  return html`<td>
    ${formatShape(chunks)}
    <span class="muted">${` — grid ${formatShape(chunkGrid)} = ${formatNumber(product(chunkGrid))} chunks`}</span>
  </td>`;
}

function Shards({ array }: { array: ArrayFields }) {
  const { shape, chunks, shards } = array;
  if (!shards) return html`<td class="muted">none</td>`;
  const shardGrid = gridShape(shape, shards);
  const perShard = chunks ? gridShape(shards, chunks) : null;
  return html`<td>
    ${formatShape(shards)}
    <span class="muted">${` — grid ${formatShape(shardGrid)} = ${formatNumber(product(shardGrid))} shards`}${perShard ? `, ${formatShape(perShard)} chunks each` : ""}</span>
  </td>`;
}

type Codec = { name: string; configuration?: unknown };

const isCodecList = (v: unknown): v is Codec[] =>
  Array.isArray(v) && v.length > 0 && v.every((c) => c && typeof c === "object" && typeof c.name === "string");

/** A codec pipeline: each codec's settings inline, nested pipelines (sharding's) as nested lists. */
function Codecs({ codecs }: { codecs: Codec[] }) {
  if (codecs.length === 0) return html`<span class="muted">none</span>`;
  return html`<ol class="codecs">
    ${codecs.map((c) => {
      const settings = Object.entries((c.configuration as Record<string, unknown> | null) ?? {});
      const plain = settings.filter(([, v]) => !isCodecList(v));
      const nested = settings.filter(([, v]) => isCodecList(v)) as [string, Codec[]][];
      return html`<li>
        <code>${c.name}</code>
        ${plain.length ? html` <span class="muted">${plain.map(([k, v]) => `${k}=${formatValue(v)}`).join(", ")}</span>` : null}
        ${nested.map(([k, list]) => html`<div class="nested-codecs"><span class="muted">${k}:</span><${Codecs} codecs=${list} /></div>`)}
      </li>`;
    })}
  </ol>`;
}

/** What zarr-python's `info` says about an array, as a table. */
export function ArrayFacts({ array }: { array: ArrayFields }) {
  return html`<table class="facts" data-section="array">
    <tbody>
      <tr><th scope="row">Shape</th><td data-field="shape"><${Shape} shape=${array.shape} names=${array.dimensionNames} /></td></tr>
      <tr><th scope="row">Data type</th><td data-field="dataType"><code>${formatValue(array.dataType)}</code></td></tr>
      <tr><th scope="row">Chunks</th><${Grid} array=${array} /></tr>
      <tr><th scope="row">Shards</th><${Shards} array=${array} /></tr>
      <tr><th scope="row">Fill value</th><td><code>${JSON.stringify(array.fillValue)}</code></td></tr>
      <tr><th scope="row">Elements</th><td>${formatNumber(array.size)}</td></tr>
      ${array.order ? html`<tr><th scope="row">Order</th><td>${array.order}</td></tr>` : null}
      <tr>
        <th scope="row">Codecs</th>
        <td>
          <${Codecs} codecs=${array.codecs} />
        </td>
      </tr>
      <tr><th scope="row">Dimension names</th><td>${array.dimensionNames ? array.dimensionNames.map((n) => n ?? "null").join(", ") : html`<span class="muted">none</span>`}</td></tr>
      <tr><th scope="row">Chunk key encoding</th><td><code>${JSON.stringify(array.chunkKeyEncoding)}</code></td></tr>
    </tbody>
  </table>`;
}
