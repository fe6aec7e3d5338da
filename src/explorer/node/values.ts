import { useState } from "preact/hooks";
import type { Capabilities } from "../api/capabilities.js";
import { extentsOperation, previewOperation } from "../api/queries.js";
import { useOperation } from "../api/use-operation.js";
import { nodeRoute } from "../route.js";
import { ErrorBox } from "../ui/errors.js";
import { formatNumber, formatValue } from "../ui/format.js";
import { html } from "../ui/html.js";
import { Link } from "../ui/link.js";
import { QueryPanel } from "../ui/query-panel.js";

export interface Extent {
  min: unknown;
  max: unknown;
  first: unknown;
  last: unknown;
  count: number;
  missing: number;
  monotonic: boolean;
  step: unknown;
  units: string | null;
  calendar: string | null;
}

interface Dimension {
  name: string;
  size: number;
  coordinate: { path: string } | null;
  extent: Extent | null;
}

interface ExtentsData {
  catalog: {
    node: {
      dimensions?: Dimension[];
      extent?: Extent | null;
      parent?: { path: string; dimensions?: Dimension[] } | null;
    } | null;
  } | null;
}

const show = (v: unknown) => (v === null || v === undefined ? "–" : formatValue(v));

function ExtentCells({ extent }: { extent: Extent | null }) {
  if (!extent) return html`<td colspan="5" class="muted">no coordinate values</td>`;
  return html`<td>${show(extent.min)}</td><td>${show(extent.max)}</td><td>${show(extent.step)}</td>
    <td>${extent.units ?? ""}${extent.calendar ? html` <span class="muted">(${extent.calendar})</span>` : null}</td>
    <td>${formatNumber(extent.count)}${extent.missing ? html` <span class="muted">(${formatNumber(extent.missing)} missing)</span>` : null}${extent.monotonic ? "" : html` <span class="muted">not monotonic</span>`}</td>`;
}

/**
 * Coordinate extents per dimension: a group's dimensions, or for an array its own extent
 * (1-D) and the extents of its dimensions' coordinates (from its parent group).
 */
export function Extents({
  catalog,
  path,
  kind,
  dimensionNames,
  ndim,
}: {
  catalog: string;
  path: string;
  kind: "group" | "array";
  dimensionNames: (string | null)[] | null;
  ndim: number;
}) {
  const state = useOperation<ExtentsData>(extentsOperation(catalog, path, kind));
  const node = state.data?.catalog?.node;
  const own = kind === "array" && ndim === 1 ? node?.extent : undefined;
  const names = new Set(dimensionNames ?? []);
  const dimensions =
    kind === "group"
      ? (node?.dimensions ?? [])
      : (node?.parent?.dimensions ?? []).filter((d) => names.has(d.name) && d.coordinate?.path !== path);
  const nothing = !state.loading && !own && dimensions.length === 0 && state.errors.length === 0;
  return html`<section aria-labelledby="extents-h" data-section="extents">
    <h2 id="extents-h">Coordinates</h2>
    ${state.loading && !node ? html`<p class="muted" role="status">Reading coordinates…</p>` : null}
    <${ErrorBox} errors=${state.errors} />
    ${nothing ? html`<p class="muted">No coordinate extents for this ${kind}.</p>` : null}
    ${
      own || dimensions.length
        ? html`<table class="extents">
      <thead><tr><th scope="col">Dimension</th><th scope="col">Size</th><th scope="col">Coordinate</th><th scope="col">Min</th><th scope="col">Max</th><th scope="col">Step</th><th scope="col">Units</th><th scope="col">Values</th></tr></thead>
      <tbody>
        ${own ? html`<tr data-dimension="(this array)"><th scope="row">this array</th><td>${formatNumber(own.count)}</td><td>–</td><${ExtentCells} extent=${own} /></tr>` : null}
        ${dimensions.map(
          (d) => html`<tr data-dimension=${d.name}>
            <th scope="row">${d.name}</th>
            <td>${formatNumber(d.size)}</td>
            <td>${d.coordinate ? html`<${Link} route=${nodeRoute(catalog, d.coordinate.path)}>${d.coordinate.path}<//>` : html`<span class="muted">none</span>`}</td>
            <${ExtentCells} extent=${d.extent} />
          </tr>`,
        )}
      </tbody>
    </table>`
        : null
    }
    <${QueryPanel} op=${state.op} label="coordinates" />
  </section>`;
}

interface PreviewData {
  catalog: {
    node: {
      preview?: { mimeType: string; width: number; height: number; dataUrl: string; min: number; max: number } | null;
    } | null;
  } | null;
}

/** A 2-D slice of an array as an image: a slider per leading dimension, a colour map to choose. */
export function Preview({
  catalog,
  path,
  shape,
  dimensionNames,
  capabilities,
}: {
  catalog: string;
  path: string;
  shape: number[];
  dimensionNames: (string | null)[] | null;
  capabilities: Capabilities;
}) {
  const leading = shape.length - 2;
  const [indices, setIndices] = useState<number[]>(() => new Array(Math.max(0, leading)).fill(0));
  const [colormap, setColormap] = useState(capabilities.colormaps[0] ?? "viridis");
  const selection = shape.map((_, i) => (i < leading ? { index: indices[i] ?? 0 } : {}));
  const state = useOperation<PreviewData>(previewOperation(catalog, path, selection, colormap), true);
  const preview = state.data?.catalog?.node?.preview;
  const name = (i: number) => dimensionNames?.[i] ?? `dimension ${i}`;
  return html`<section aria-labelledby="preview-h" data-section="preview">
    <h2 id="preview-h">Preview</h2>
    <div class="preview-controls">
      ${indices.map(
        (value, i) => html`<label class="slider">
          <span>${name(i)}</span>
          <input type="range" min="0" max=${shape[i] - 1} value=${value} data-dimension=${i}
            onInput=${(e: Event) => {
              const next = [...indices];
              next[i] = Number((e.target as HTMLInputElement).value);
              setIndices(next);
            }} />
          <output>${value} / ${shape[i] - 1}</output>
        </label>`,
      )}
      <label>
        <span>Colour map</span>
        <select value=${colormap} onChange=${(e: Event) => setColormap((e.target as HTMLSelectElement).value)}>
          ${capabilities.colormaps.map((c) => html`<option value=${c}>${c}</option>`)}
        </select>
      </label>
    </div>
    <${ErrorBox} errors=${state.errors} />
    ${
      preview
        ? html`<figure class="preview">
          <img src=${preview.dataUrl} width=${preview.width} height=${preview.height}
            alt=${`Preview of ${path}: ${name(shape.length - 2)} by ${name(shape.length - 1)}, ${colormap} from ${preview.min} to ${preview.max}`} />
          <figcaption>${name(shape.length - 2)} × ${name(shape.length - 1)} · ${colormap} · min ${formatNumber(preview.min)} · max ${formatNumber(preview.max)}${state.loading ? " · loading…" : ""}</figcaption>
        </figure>`
        : state.loading
          ? html`<p class="muted" role="status">Reading a preview…</p>`
          : null
    }
    <${QueryPanel} op=${state.op} label="preview" />
  </section>`;
}
