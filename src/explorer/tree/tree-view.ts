import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { navigate, nodeRoute } from "../route.js";
import { ErrorBox } from "../ui/errors.js";
import { html } from "../ui/html.js";
import { QueryPanel } from "../ui/query-panel.js";
import type { Row, TreeModel } from "./model.js";
import { useChanges } from "./use-changes.js";

const ICONS = { catalog: "▣", group: "▸", array: "▦", broken: "⚠" } as const;

function rowElement(tree: HTMLElement | null, key: string): HTMLElement | null {
  return tree?.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`) ?? null;
}

/**
 * The catalogs and their members as an ARIA tree: one tab stop (the focused row), arrows move
 * and expand or collapse, Enter opens a node (and expands a group), Home and End jump.
 */
export function Tree({ model, selected }: { model: TreeModel; selected: string | null }) {
  useChanges(model);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const treeRef = useRef<HTMLUListElement>(null);
  const moveFocus = useRef(false);
  const rows = model.rows();
  const active =
    rows.find((r) => r.key === focusKey)?.key ?? rows.find((r) => r.key === selected)?.key ?? rows[0]?.key ?? null;

  // DOM focus follows the keyboard only: a tree that loads must not steal focus from the page.
  useLayoutEffect(() => {
    if (moveFocus.current && active) rowElement(treeRef.current, active)?.focus();
    moveFocus.current = false;
  });
  // A deep link's node scrolled into view once the tree has revealed it.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!selected || scrolledTo.current === selected) return;
    const element = rowElement(treeRef.current, selected);
    if (element) {
      element.scrollIntoView({ block: "nearest" });
      scrolledTo.current = selected;
    }
  });

  const focusRow = (key: string) => {
    moveFocus.current = true;
    setFocusKey(key);
  };

  const activate = (row: Row) => {
    setFocusKey(row.key);
    if (row.type === "more") void model.more(row.parent);
    else if (row.type === "item") {
      if (row.expandable && !row.expanded) void model.expand(row.item);
      navigate(nodeRoute(row.item.catalog, row.item.path));
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const index = rows.findIndex((r) => r.key === active);
    if (index < 0) return;
    const row = rows[index];
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
        if (index + 1 < rows.length) focusRow(rows[index + 1].key);
        break;
      case "ArrowUp":
        if (index > 0) focusRow(rows[index - 1].key);
        break;
      case "Home":
        focusRow(rows[0].key);
        break;
      case "End":
        focusRow(rows[rows.length - 1].key);
        break;
      case "ArrowRight":
        if (row.type === "item" && row.expandable && !row.expanded) void model.expand(row.item);
        else if (row.type === "item" && row.expanded && rows[index + 1]?.parentKey === row.key)
          focusRow(rows[index + 1].key);
        break;
      case "ArrowLeft":
        if (row.type === "item" && row.expanded) model.collapse(row.key);
        else if (row.parentKey) focusRow(row.parentKey);
        break;
      case "Enter":
      case " ":
        activate(row);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  // One listener for the whole tree (a thousand rows need no thousand closures).
  const rowOf = (event: Event) => {
    const key = (event.target as Element).closest<HTMLElement>("[role=treeitem]")?.dataset.key;
    return rows.find((r) => r.key === key);
  };
  const onClick = (event: MouseEvent) => {
    const row = rowOf(event);
    if (!row) return;
    if (row.type === "item" && (event.target as Element).classList.contains("twisty")) {
      setFocusKey(row.key);
      model.toggle(row.item);
    } else activate(row);
  };
  const onFocusIn = (event: FocusEvent) => {
    const row = rowOf(event);
    if (row) setFocusKey(row.key);
  };

  const renderRow = (row: Row) => {
    const common = {
      role: "treeitem",
      "data-key": row.key,
      "aria-level": row.level,
      tabindex: row.key === active ? 0 : -1,
      style: { paddingLeft: `${(row.level - 1) * 1.1 + 0.3}rem` },
    };
    if (row.type === "status") {
      return html`<li ...${common} class=${`tree-row tree-status${row.error ? " tree-error" : ""}`}>${row.error ? "⚠ " : ""}${row.text}</li>`;
    }
    if (row.type === "more") {
      return html`<li ...${common} class="tree-row tree-more">${row.loading ? "Loading…" : `more… (${row.remaining.toLocaleString("en-US")} more)`}</li>`;
    }
    const { item } = row;
    const twisty = row.expandable
      ? html`<span class="twisty" aria-hidden="true">${row.expanded ? "▾" : "▸"}</span>`
      : html`<span class="twisty" aria-hidden="true"></span>`;
    return html`<li
      ...${common}
      class=${`tree-row tree-${item.kind}${row.key === selected ? " selected" : ""}`}
      aria-expanded=${row.expandable ? String(row.expanded) : undefined}
      aria-selected=${row.key === selected ? "true" : "false"}
      aria-setsize=${row.setSize}
      aria-posinset=${row.position}
      data-catalog=${item.catalog}
      data-path=${item.path}
      title=${item.error?.message ?? item.detail ?? item.path}
    >${twisty}<span class="icon" aria-hidden="true">${item.kind === "group" ? "" : ICONS[item.kind]}</span><span class="label">${item.label}</span>${item.detail && item.kind === "array" ? html` <span class="detail">${item.detail}</span>` : null}${item.error ? html` <span class="tree-error">${item.error.code}</span>` : null}</li>`;
  };

  return html`<div class="tree-pane">
    <${ErrorBox} errors=${model.catalogErrors} title="Catalogs could not be listed" />
    ${model.catalogs === null ? html`<p class="muted" role="status">Loading catalogs…</p>` : null}
    ${model.catalogs?.length === 0 && model.catalogErrors.length === 0 ? html`<p class="muted">No catalogs.</p>` : null}
    <ul role="tree" aria-label="Catalogs" class="tree" ref=${treeRef} onKeyDown=${onKeyDown} onClick=${onClick} onFocusIn=${onFocusIn}>
      ${rows.map(renderRow)}
    </ul>
    <${QueryPanel} op=${model.catalogsOp} label="catalogs" />
    <${QueryPanel} op=${model.lastOp} label="last members page" />
  </div>`;
}
