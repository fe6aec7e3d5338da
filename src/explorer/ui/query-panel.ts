import { useState } from "preact/hooks";
import { bearerToken, type Operation } from "../api/client.js";
import { html } from "./html.js";

/** Writes to the clipboard; where the Clipboard API is refused (plain http off localhost), through a selection. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "offscreen";
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

/**
 * "Copy as GraphQL": the operation that produced a view, as the page sent it, with its variables,
 * to paste into GraphiQL (query and variables panes) or code.
 */
export function QueryPanel({ op, label }: { op: Operation | null; label?: string }) {
  const [status, setStatus] = useState("");
  if (!op) return null;
  const variables = JSON.stringify(op.variables, null, 2);
  const copy = async (what: string, text: string) => {
    setStatus((await copyText(text)) ? `${what} copied` : `could not copy the ${what.toLowerCase()}`);
  };
  return html`<details class="gql" data-operation=${op.name}>
    <summary>GraphQL${label ? ` · ${label}` : ""} <span class="muted">(${op.name})</span></summary>
    <div class="gql-actions">
      <button type="button" data-copy="query" onClick=${() => copy("Query", op.query)}>Copy query</button>
      <button type="button" data-copy="variables" onClick=${() => copy("Variables", variables)}>Copy variables</button>
      <span class="muted" role="status">${status}</span>
    </div>
    <pre class="gql-query" tabindex="0" aria-label="GraphQL query"><code>${op.query}</code></pre>
    <pre class="gql-variables" tabindex="0" aria-label="Variables"><code>${variables}</code></pre>
    ${bearerToken() ? html`<p class="muted">Sent with the header <code>Authorization: Bearer …</code> (your token).</p>` : null}
  </details>`;
}
