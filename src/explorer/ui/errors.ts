import type { GqlError } from "../api/client.js";
import { html } from "./html.js";

function describe(error: GqlError): string {
  const code = error.extensions?.code;
  return code ? `${code}: ${error.message}` : error.message;
}

/** Errors the API gave for the part of the page they belong to, shown there. */
export function ErrorBox({ errors, title }: { errors: GqlError[]; title?: string }) {
  if (errors.length === 0) return null;
  return html`<div class="error" role="alert">
    ${title ? html`<strong>${title}</strong>` : null}
    <ul>
      ${errors.map((e) => html`<li>${describe(e)}${e.path && e.path.length > 0 ? html` <span class="muted">(at ${e.path.join(".")})</span>` : null}</li>`)}
    </ul>
  </div>`;
}

/** One line, for a tree row. */
export function errorLine(errors: GqlError[]): string {
  return errors.map(describe).join("; ");
}
