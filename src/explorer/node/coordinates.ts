import { coordinatesOperation, extentsOperation, groupChain } from "../api/queries.js";
import { useOperation } from "../api/use-operation.js";
import { nodeRoute } from "../route.js";
import { ErrorBox } from "../ui/errors.js";
import { formatNumber, formatValue } from "../ui/format.js";
import { html } from "../ui/html.js";
import { Link } from "../ui/link.js";
import { QueryPanel } from "../ui/query-panel.js";

/** The part of the API's Extent a row shows: the range, its step and units, how many values. */
interface Extent {
  min: unknown;
  max: unknown;
  step: unknown;
  units: string | null;
  calendar: string | null;
  count: number;
  missing: number;
  monotonic: boolean;
}

interface CoordinatesData {
  catalog: Record<
    string,
    { dimensions?: { name: string; size: number; coordinate: { path: string } | null }[] } | null
  > | null;
}

interface ExtentsData {
  catalog: Record<string, { extent?: Extent | null } | null> | null;
}

// Six decimals are plenty to read a range; the exact value is in the cell's title.
const decimals = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6, useGrouping: false });
const show = (v: unknown) =>
  v === null || v === undefined ? "–" : typeof v === "number" ? decimals.format(v) : formatValue(v);
const exact = (v: unknown) => (typeof v === "number" ? String(v) : undefined);

function ExtentCells({ extent }: { extent: Extent | null | undefined }) {
  if (!extent) return html`<td colspan="5" class="muted">${extent === undefined ? "" : "no values"}</td>`;
  return html`<td title=${exact(extent.min)}>${show(extent.min)}</td><td title=${exact(extent.max)}>${show(extent.max)}</td><td title=${exact(extent.step)}>${show(extent.step)}</td>
    <td>${extent.units ?? ""}${extent.calendar ? html` <span class="muted">(${extent.calendar})</span>` : null}</td>
    <td>${formatNumber(extent.count)}${extent.missing ? html` <span class="muted">(${formatNumber(extent.missing)} missing)</span>` : null}${extent.monotonic ? "" : html` <span class="muted">not monotonic</span>`}</td>`;
}

export interface NamedDimension {
  name: string | null;
  size: number;
}

/**
 * Coordinate extents per dimension. A dimension's coordinate is the one-dimensional array of
 * its name in the node's group or the nearest group above (as xarray's DataTree inherits
 * coordinates): first each group's `dimensions`, then the extents of the coordinates found.
 */
export function Coordinates({
  catalog,
  path,
  kind,
  dimensions,
}: {
  catalog: string;
  path: string;
  kind: "group" | "array";
  /** An array's dimensions (names and sizes); a group's come from the API. */
  dimensions: NamedDimension[] | null;
}) {
  const groups = groupChain(path, kind === "group");
  const lookup = useOperation<CoordinatesData>(coordinatesOperation(catalog, groups));
  const found = new Map<string, string>();
  groups.forEach((_, i) => {
    for (const d of lookup.data?.catalog?.[`g${i}`]?.dimensions ?? []) {
      if (d.coordinate && !found.has(d.name)) found.set(d.name, d.coordinate.path);
    }
  });
  const own = kind === "group" ? lookup.data?.catalog?.g0?.dimensions : undefined;
  const wanted: NamedDimension[] =
    kind === "group" ? (own ?? []).map((d) => ({ name: d.name, size: d.size })) : (dimensions ?? []);
  const rows = wanted.map((d) => ({
    ...d,
    // A one-dimensional array with no coordinate of its name is its own coordinate.
    coordinate:
      (d.name !== null ? found.get(d.name) : undefined) ?? (kind === "array" && wanted.length === 1 ? path : null),
  }));
  const paths = [...new Set(rows.flatMap((r) => (r.coordinate ? [r.coordinate] : [])))];
  const extents = useOperation<ExtentsData>(lookup.data && paths.length ? extentsOperation(catalog, paths) : null);
  const extentOf = (coordinate: string | null) =>
    coordinate === null ? null : extents.data?.catalog?.[`c${paths.indexOf(coordinate)}`]?.extent;
  const loading = lookup.loading || extents.loading;
  return html`<section aria-labelledby="coordinates-h" data-section="coordinates">
    <h2 id="coordinates-h">Coordinates</h2>
    ${loading ? html`<p class="muted" role="status">Reading coordinates…</p>` : null}
    <${ErrorBox} errors=${[...lookup.errors, ...extents.errors]} />
    ${!loading && rows.length === 0 ? html`<p class="muted">No named dimensions.</p>` : null}
    ${
      rows.length
        ? html`<div class="scroll"><table class="extents">
      <thead><tr><th scope="col">Dimension</th><th scope="col">Size</th><th scope="col">Coordinate</th><th scope="col">Min</th><th scope="col">Max</th><th scope="col">Step</th><th scope="col">Units</th><th scope="col">Values</th></tr></thead>
      <tbody>
        ${rows.map(
          (d, i) => html`<tr data-dimension=${d.name ?? i}>
            <th scope="row">${d.name ?? html`<span class="muted">unnamed</span>`}</th>
            <td>${formatNumber(d.size)}</td>
            <td>${d.coordinate ? html`<${Link} route=${nodeRoute(catalog, d.coordinate)}>${d.coordinate}<//>` : html`<span class="muted">none</span>`}</td>
            ${d.coordinate ? html`<${ExtentCells} extent=${extentOf(d.coordinate)} />` : html`<td colspan="5"></td>`}
          </tr>`,
        )}
      </tbody>
    </table></div>`
        : null
    }
    <${QueryPanel} op=${lookup.op} label="coordinates" />
    <${QueryPanel} op=${extents.op} label="extents" />
  </section>`;
}
