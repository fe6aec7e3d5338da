import { nodeRoute } from "./route.js";
import type { TreeModel } from "./tree/model.js";
import { useChanges } from "./tree/use-changes.js";
import { html } from "./ui/html.js";
import { Link } from "./ui/link.js";

/** What `/` shows before anything is opened: the catalogs, and how to get around. */
export function HomeView({ model, searchable }: { model: TreeModel; searchable: boolean }) {
  useChanges(model);
  return html`<article class="home" aria-labelledby="home-h">
    <h1 id="home-h">Catalogs</h1>
    ${model.catalogs === null ? html`<p class="muted" role="status">Loading…</p>` : null}
    <ul class="catalogs">
      ${(model.catalogs ?? []).map(
        (c) =>
          html`<li><${Link} route=${nodeRoute(c.catalog, "")}>${c.label}<//>${c.detail ? html` <span class="muted">— ${c.detail}</span>` : null}</li>`,
      )}
    </ul>
    <p class="muted">
      Open a catalog to browse its groups and arrays. In the tree, ↑ ↓ move, → expands, ← collapses, Enter opens.
      ${searchable ? " The box at the top searches every catalog's metadata." : ""}
      Every view has a GraphQL panel with the query that produced it.
    </p>
  </article>`;
}
