import { errorsAt, type GqlError, type Operation, run } from "../api/client.js";
import { catalogsOperation, membersOperation } from "../api/queries.js";
import { errorLine } from "../ui/errors.js";
import { formatShape, formatValue } from "../ui/format.js";

export type ItemKind = "catalog" | "group" | "array" | "broken";

/** A node in the tree: a catalog (its root), a group, an array, or one the API could not read. */
export interface TreeItem {
  key: string;
  catalog: string;
  path: string;
  label: string;
  kind: ItemKind;
  /** Arrays: shape and data type; catalogs: the description. */
  detail?: string;
  /** Why the node could not be read (broken items): the error code, and the whole message. */
  error?: { code: string; message: string };
}

/** The members of one expanded item, page by page. */
interface Children {
  items: TreeItem[];
  total: number;
  endCursor: string | null;
  hasNext: boolean;
  loading: boolean;
  errors: GqlError[];
  /** The catalog's root turned out to be an array: nothing below it. */
  leaf: boolean;
}

export type Row =
  | {
      type: "item";
      key: string;
      item: TreeItem;
      level: number;
      expandable: boolean;
      expanded: boolean;
      position: number;
      setSize: number;
      parentKey: string | null;
    }
  | { type: "status"; key: string; level: number; text: string; error: boolean; parentKey: string }
  | {
      type: "more";
      key: string;
      level: number;
      parent: TreeItem;
      remaining: number;
      loading: boolean;
      parentKey: string;
    };

/** Unique per node, and plain text (it is a DOM attribute the tree looks rows up by). */
export function itemKey(catalog: string, path: string): string {
  return JSON.stringify([catalog, path]);
}

interface MembersData {
  catalog: {
    node: {
      __typename: string;
      members?: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: ({
          node: { __typename: string; path: string; basename: string; shape?: number[]; dataType?: unknown } | null;
        } | null)[];
      };
    } | null;
  } | null;
}

const EDGES = ["catalog", "node", "members", "edges"];

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * What the tree knows and shows: the catalogs, which items are expanded, and the members read
 * so far. Members are read when an item is first expanded, a page at a time.
 */
export class TreeModel {
  catalogs: TreeItem[] | null = null;
  catalogErrors: GqlError[] = [];
  readonly catalogsOp = catalogsOperation();
  /** The last members page asked for: the tree's "GraphQL" panel shows it. */
  lastOp: Operation | null = null;
  private readonly children = new Map<string, Children>();
  private readonly expanded = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private catalogsLoaded: Promise<void> | null = null;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  loadCatalogs(): Promise<void> {
    this.catalogsLoaded ??= run<{ catalogs: { name: string; description: string | null }[] }>(this.catalogsOp).then(
      ({ data, errors }) => {
        this.catalogs = (data?.catalogs ?? []).map((c) => ({
          key: itemKey(c.name, ""),
          catalog: c.name,
          path: "",
          label: c.name,
          kind: "catalog",
          detail: c.description ?? undefined,
        }));
        this.catalogErrors = errors;
        this.changed();
      },
    );
    return this.catalogsLoaded;
  }

  isExpanded(key: string): boolean {
    return this.expanded.has(key);
  }

  expandable(item: TreeItem): boolean {
    return (item.kind === "catalog" || item.kind === "group") && !this.children.get(item.key)?.leaf;
  }

  expand(item: TreeItem): Promise<void> {
    if (!this.expandable(item)) return Promise.resolve();
    this.expanded.add(item.key);
    const loaded = this.children.has(item.key) ? Promise.resolve() : this.loadPage(item, null);
    this.changed();
    return loaded;
  }

  collapse(key: string): void {
    if (this.expanded.delete(key)) this.changed();
  }

  toggle(item: TreeItem): void {
    if (this.expanded.has(item.key)) this.collapse(item.key);
    else void this.expand(item);
  }

  /** The next page of an expanded item's members. */
  more(item: TreeItem): Promise<void> {
    const children = this.children.get(item.key);
    if (!children || children.loading || !children.hasNext) return Promise.resolve();
    return this.loadPage(item, children.endCursor);
  }

  /**
   * Expands the catalog and every group above `path`, reading what is not read yet, all at
   * once; then the node itself when it is a group (as opening one from the tree does).
   */
  async reveal(catalog: string, path: string): Promise<void> {
    await this.loadCatalogs();
    const root = this.catalogs?.find((c) => c.catalog === catalog);
    if (!root) return;
    const segments = path === "" ? [] : path.split("/");
    const ancestors: TreeItem[] = [root];
    for (let i = 1; i < segments.length; i++) {
      const p = segments.slice(0, i).join("/");
      ancestors.push({ key: itemKey(catalog, p), catalog, path: p, label: segments[i - 1], kind: "group" });
    }
    await Promise.all(ancestors.map((a) => this.expand(a)));
    const parent = this.children.get(ancestors[ancestors.length - 1].key);
    const target = parent?.items.find((item) => item.path === path);
    if (target?.kind === "group") await this.expand(target);
  }

  private async loadPage(item: TreeItem, after: string | null): Promise<void> {
    const previous = this.children.get(item.key);
    const children: Children = previous ?? {
      items: [],
      total: 0,
      endCursor: null,
      hasNext: false,
      loading: true,
      errors: [],
      leaf: false,
    };
    children.loading = true;
    this.children.set(item.key, children);
    const op = membersOperation(item.catalog, item.path, after);
    this.lastOp = op;
    const { data, errors } = await run<MembersData>(op);
    children.loading = false;
    const node = data?.catalog?.node;
    const members = node?.members;
    if (node && node.__typename !== "ZarrGroup") {
      children.leaf = true;
    } else if (!members) {
      children.errors = errors;
    } else {
      children.errors = [];
      members.edges.forEach((edge, i) => {
        const member = edge?.node;
        if (member) {
          const kind = member.__typename === "ZarrArray" ? "array" : "group";
          children.items.push({
            key: itemKey(item.catalog, member.path),
            catalog: item.catalog,
            path: member.path,
            label: member.basename,
            kind,
            detail: kind === "array" ? `${formatShape(member.shape ?? [])} ${formatValue(member.dataType)}` : undefined,
          });
          return;
        }
        // A member whose documents cannot be read: shown in its place, with the API's error.
        const own = errorsAt(errors, [...EDGES, i]);
        const path = typeof own[0]?.extensions?.path === "string" ? own[0].extensions.path : null;
        children.items.push({
          key: path === null ? `${item.key}#broken${children.items.length}` : itemKey(item.catalog, path),
          catalog: item.catalog,
          path: path ?? "",
          label: path === null ? "(unreadable member)" : lastSegment(path),
          kind: "broken",
          error: {
            code: String((own[0] ?? errors[0])?.extensions?.code ?? "ERROR"),
            message: errorLine(own.length ? own : errors),
          },
        });
      });
      children.total = members.totalCount;
      children.hasNext = members.pageInfo.hasNextPage;
      children.endCursor = members.pageInfo.endCursor;
    }
    this.changed();
  }

  /** The rows on screen, in order: expanded items' members below them, then a status or "more…" row. */
  rows(): Row[] {
    const rows: Row[] = [];
    const add = (items: TreeItem[], level: number, parentKey: string | null, setSize: number) => {
      items.forEach((item, i) => {
        const expandable = this.expandable(item);
        const expanded = expandable && this.expanded.has(item.key);
        rows.push({
          type: "item",
          key: item.key,
          item,
          level,
          expandable,
          expanded,
          position: i + 1,
          setSize,
          parentKey,
        });
        if (!expanded) return;
        const children = this.children.get(item.key);
        if (!children) return;
        add(children.items, level + 1, item.key, Math.max(children.total, children.items.length));
        const status = (text: string, error: boolean) =>
          rows.push({
            type: "status",
            key: `${item.key}#status`,
            level: level + 1,
            text,
            error,
            parentKey: item.key,
          });
        if (children.errors.length) status(errorLine(children.errors), true);
        else if (children.loading && children.items.length === 0) status("Loading…", false);
        else if (!children.loading && children.items.length === 0) status("(no members)", false);
        if (children.hasNext) {
          rows.push({
            type: "more",
            key: `${item.key}#more`,
            level: level + 1,
            parent: item,
            remaining: children.total - children.items.length,
            loading: children.loading,
            parentKey: item.key,
          });
        }
      });
    };
    add(this.catalogs ?? [], 1, null, this.catalogs?.length ?? 0);
    return rows;
  }
}
