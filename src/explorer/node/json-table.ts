import { useState } from "preact/hooks";
import { html } from "../ui/html.js";

/** Strings longer than this are folded, with a button to show the rest. */
const FOLD_CHARS = 240;
/** Lists longer than this show their first items, with a button for the rest. */
const FOLD_ITEMS = 100;
/** A list of plain values this short on one line stays inline. */
const INLINE_CHARS = 80;

function Folded({ text }: { text: string }) {
  const [open, setOpen] = useState(false);
  if (open || text.length <= FOLD_CHARS) return html`<span class="string">${text}</span>`;
  return html`<span class="string">${text.slice(0, FOLD_CHARS)}…</span>
    <button type="button" class="link-button" onClick=${() => setOpen(true)}>show all ${text.length.toLocaleString("en-US")} characters</button>`;
}

const plain = (v: unknown) => v === null || typeof v !== "object";

function summary(value: object): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 4).join(", ");
  return `${keys.length} ${keys.length === 1 ? "key" : "keys"}: ${shown}${keys.length > 4 ? ", …" : ""}`;
}

/** One value: plain ones as they are, long strings folded, nested lists and objects expandable. */
export function JsonValue({ value }: { value: unknown }) {
  if (typeof value === "string") return html`<${Folded} text=${value} />`;
  if (plain(value)) return html`<code class="literal">${JSON.stringify(value)}</code>`;
  if (Array.isArray(value) && value.every(plain)) {
    const inline = JSON.stringify(value);
    if (inline.length <= INLINE_CHARS) return html`<code class="literal">${inline}</code>`;
  }
  return html`<details class="nested">
    <summary>${summary(value as object)}</summary>
    <${JsonTable} value=${value as object} />
  </details>`;
}

/** An object's keys (or a list's indices) and their values, as rows. */
export function JsonTable({ value, caption }: { value: object; caption?: string }) {
  const [all, setAll] = useState(false);
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const shown = all ? entries : entries.slice(0, FOLD_ITEMS);
  return html`<table class="json">
    ${caption ? html`<caption>${caption}</caption>` : null}
    <tbody>
      ${shown.map(([k, v]) => html`<tr><th scope="row">${k}</th><td><${JsonValue} value=${v} /></td></tr>`)}
    </tbody>
    ${
      shown.length < entries.length
        ? html`<tfoot><tr><td colspan="2"><button type="button" class="link-button" onClick=${() => setAll(true)}>show all ${entries.length.toLocaleString("en-US")}</button></td></tr></tfoot>`
        : null
    }
  </table>`;
}

/** A node's attributes, or a line saying it has none. */
export function Attributes({ attributes }: { attributes: Record<string, unknown> }) {
  if (Object.keys(attributes).length === 0) return html`<p class="muted">No attributes.</p>`;
  return html`<${JsonTable} value=${attributes} />`;
}
