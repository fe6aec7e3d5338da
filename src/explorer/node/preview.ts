import { useState } from "preact/hooks";
import type { Capabilities } from "../api/capabilities.js";
import { previewOperation } from "../api/queries.js";
import { useOperation } from "../api/use-operation.js";
import { ErrorBox } from "../ui/errors.js";
import { formatNumber } from "../ui/format.js";
import { html } from "../ui/html.js";
import { QueryPanel } from "../ui/query-panel.js";

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
          <input type="range" aria-label=${name(i)} min="0" max=${shape[i] - 1} value=${value} data-dimension=${i}
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
