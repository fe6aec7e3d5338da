import { compareCodePoints, joinPath, relativePath } from "./paths.js";
import type { MemberResult } from "./session.js";

/** A group's direct members as a walk sees them: sorted names, each read only when needed. */
export interface ChildList {
  /** Sorted by code point. */
  readonly names: readonly string[];
  /** The member, null when the name is no node (a folder without metadata), an error slot when unreadable. */
  read(name: string): Promise<MemberResult | null>;
}

export interface WalkSource {
  /** The direct members of the group at `path`. */
  children(path: string): Promise<ChildList>;
}

export interface WalkRequest {
  /** The group whose members are walked. */
  group: string;
  /** 0: children; n: n more levels; null: everything. */
  maxDepth: number | null;
  /** Only members strictly after / before these paths (cursors). */
  after?: string | null;
  before?: string | null;
  /** How many accepted members are wanted (Infinity: all), from the start or, for "backward", the end. */
  limit: number;
  direction: "forward" | "backward";
  /** Which members count: the others are walked through but not returned. */
  accept(member: MemberResult): boolean;
  /** Charged once for every node the walk reads. */
  visit(nodes: number): void;
}

export interface WalkResult {
  /** In path order (code points). */
  members: MemberResult[];
  /** Accepted members exist beyond `limit` in the walk's direction. */
  more: boolean;
}

type Member = { kind: "member"; key: string; member: MemberResult };
/** A child not read yet: its node and/or its subtree may belong to the answer. */
type Slot = {
  kind: "slot";
  key: string;
  path: string;
  name: string;
  list: ChildList;
  depth: number;
  node: boolean;
  subtree: boolean;
};
/** A group whose members are not listed yet (the walk's own group: `start`). */
type Subtree = { kind: "subtree"; key: string; path: string; depth: number; start?: boolean };
/** Consecutive children of one group, all of whose nodes are within bounds, none read yet. */
type Range = { kind: "range"; key: string; group: string; list: ChildList; lo: number; hi: number; depth: number };
type Item = Member | Slot | Subtree | Range;

const byKey = (a: Item, b: Item) => compareCodePoints(a.key, b.key);

/**
 * What the walk has learnt of the hierarchy's shape, by depth, to guess how many members an
 * unlisted group holds: how many children the groups listed at a depth had, and which share of
 * the nodes read at a depth were groups. A depth not seen yet is a guess of "very many", so the
 * walk goes down the first unlisted group before it spreads sideways.
 */
class Shape {
  /** By depth of the children: groups listed, children they had, nodes read, of which groups. */
  private readonly listed: number[] = [];
  private readonly children: number[] = [];
  private readonly nodes: number[] = [];
  private readonly groups: number[] = [];

  constructor(private readonly maxDepth: number | null) {}

  /** A group at `depth` was listed with `count` children. */
  sawChildren(depth: number, count: number): void {
    this.listed[depth + 1] = (this.listed[depth + 1] ?? 0) + 1;
    this.children[depth + 1] = (this.children[depth + 1] ?? 0) + count;
  }

  /** A node at `depth` was read. */
  sawNode(depth: number, group: boolean): void {
    this.nodes[depth] = (this.nodes[depth] ?? 0) + 1;
    if (group) this.groups[depth] = (this.groups[depth] ?? 0) + 1;
  }

  /** Expected members an unread child at `depth` brings: itself, and its subtree if it is a group. */
  slot(depth: number, subtree: boolean): number {
    const nodes = this.nodes[depth];
    if (!subtree || !nodes) return 1;
    const share = (this.groups[depth] ?? 0) / nodes;
    return share === 0 ? 1 : 1 + share * this.expected(depth);
  }

  /** Expected members below a group at `depth` (-1: the walk's own group). */
  expected(depth: number): number {
    const below = depth + 1;
    if (this.maxDepth !== null && below > this.maxDepth) return 0;
    const listed = this.listed[below];
    if (!listed) return Number.POSITIVE_INFINITY;
    const children = this.children[below]! / listed;
    if (children === 0 || (this.maxDepth !== null && below === this.maxDepth)) return children;
    const nodes = this.nodes[below];
    if (!nodes) return Number.POSITIVE_INFINITY;
    const share = (this.groups[below] ?? 0) / nodes;
    return share === 0 ? children : children * (1 + share * this.expected(below));
  }
}

/**
 * The unread items worth reading now, going forwards: those before the point where the members
 * already read and those expected from unread items reach `need`. Every element of an item comes
 * at or after its key, so if the guesses hold nothing later can come before them; where they
 * fall short, the next step reads further.
 */
function enough(sorted: readonly Item[], need: number, shape: Shape): Exclude<Item, Member>[] {
  const out: Exclude<Item, Member>[] = [];
  let reached = 0;
  for (const item of sorted) {
    if (reached >= need) break;
    if (item.kind === "member") {
      reached++;
      continue;
    }
    out.push(item);
    if (item.kind === "slot") reached += shape.slot(item.depth, item.subtree) - (item.node ? 0 : 1);
    else if (item.kind === "range") reached += item.hi - item.lo;
    else reached += item.start ? Number.POSITIVE_INFINITY : shape.expected(item.depth);
  }
  return out;
}

/** Every path below `path` comes before `t` (is smaller). */
function subtreeBefore(path: string, t: string): boolean {
  const prefix = `${path}/`;
  return compareCodePoints(prefix, t) < 0 && !t.startsWith(prefix);
}

/** Every path below `path` comes after `t`. */
function subtreeAfter(path: string, t: string): boolean {
  return compareCodePoints(`${path}/`, t) > 0;
}

/** Children expanded per step, at least; a page asks for more at once when it needs them. */
const MIN_CHUNK = 64;

/**
 * Members of a group in path order (code points, as Python sorts), walking only what the answer
 * needs: a page starting after a cursor skips every subtree wholly before it without reading it,
 * and stops once it has one member more than it returns. Each step expands, together, every
 * unread part of the hierarchy that could still hold members of the answer: one wave of
 * listings and reads per level, however many groups the page spans.
 */
export async function walkMembers(source: WalkSource, request: WalkRequest): Promise<WalkResult> {
  const { after = null, before = null, maxDepth, direction } = request;
  const need = request.limit === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : request.limit + 1;
  const forward = direction === "forward";
  const chunk = Number.isFinite(need) ? Math.max(MIN_CHUNK, need) : Number.POSITIVE_INFINITY;
  const deeper = (depth: number) => maxDepth === null || depth < maxDepth;
  const shape = new Shape(maxDepth);

  let items: Item[] = [{ kind: "subtree", key: "", path: request.group, depth: -1, start: true }];

  /** Whether an unread item may hold members on the answer's side of `t`. */
  const mayHold = (item: Exclude<Item, Member>, t: string | null): boolean => {
    if (t === null || (item.kind === "subtree" && item.start)) return true;
    if (forward) return compareCodePoints(item.key, t) < 0;
    switch (item.kind) {
      case "slot":
        return (item.node && compareCodePoints(item.path, t) > 0) || (item.subtree && !subtreeBefore(item.path, t));
      case "subtree":
        return !subtreeBefore(item.path, t);
      case "range": {
        const last = joinPath(item.group, item.list.names[item.hi - 1]);
        return compareCodePoints(last, t) > 0 || !subtreeBefore(last, t);
      }
    }
  };

  const slot = (group: string, list: ChildList, i: number, depth: number, node: boolean): Slot => {
    const path = joinPath(group, list.names[i]);
    const subtree = deeper(depth) && (before === null || !subtreeAfter(path, before));
    return { kind: "slot", key: node ? path : `${path}/`, path, name: list.names[i], list, depth, node, subtree };
  };

  const expandRange = (range: Range): Item[] => {
    const { group, list, lo, hi, depth } = range;
    const slots = (from: number, to: number) => {
      const out: Item[] = [];
      for (let i = from; i < to; i++) out.push(slot(group, list, i, depth, true));
      return out;
    };
    if (hi - lo <= chunk) return slots(lo, hi);
    if (forward) {
      const rest = lo + chunk;
      return [...slots(lo, rest), { ...range, key: joinPath(group, list.names[rest]), lo: rest }];
    }
    return [{ ...range, hi: hi - chunk }, ...slots(hi - chunk, hi)];
  };

  const expandSubtree = async (subtree: Subtree): Promise<Item[]> => {
    const list = await source.children(subtree.path);
    const { names } = list;
    shape.sawChildren(subtree.depth, names.length);
    const depth = subtree.depth + 1;
    const pathAt = (i: number) => joinPath(subtree.path, names[i]);
    // Children whose node is within bounds are one run [lo, hi) of the sorted names.
    const firstAfter = (bound: string, strict: boolean) => {
      let low = 0;
      let high = names.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const c = compareCodePoints(pathAt(mid), bound);
        if (c < 0 || (strict && c === 0)) low = mid + 1;
        else high = mid;
      }
      return low;
    };
    const lo = after === null ? 0 : firstAfter(after, true);
    const hi = before === null ? names.length : firstAfter(before, false);
    const out: Item[] = [];
    // Before the run: children whose node is at or before the cursor but whose subtree reaches
    // past it. Such a child's path is a prefix of the cursor's segment at this level.
    const rel = after === null ? null : relativePath(subtree.path, after);
    if (rel !== null && rel !== "" && deeper(depth)) {
      const segment = rel.split("/")[0];
      for (let n = 1; n <= segment.length; n++) {
        const i = firstAfter(joinPath(subtree.path, segment.slice(0, n)), false);
        if (i < lo && names[i] === segment.slice(0, n) && !subtreeBefore(pathAt(i), after!)) {
          out.push(slot(subtree.path, list, i, depth, false));
        }
      }
    }
    if (lo < hi) out.push(...expandRange({ kind: "range", key: pathAt(lo), group: subtree.path, list, lo, hi, depth }));
    return out;
  };

  const readSlot = async (s: Slot): Promise<Item[]> => {
    const member = await s.list.read(s.name);
    if (!member) return [];
    if (member.node) {
      request.visit(1);
      shape.sawNode(s.depth, member.node.meta.nodeType === "group");
    }
    const out: Item[] = [];
    if (s.node && request.accept(member)) out.push({ kind: "member", key: s.path, member });
    if (s.subtree && member.node?.meta.nodeType === "group") {
      out.push({ kind: "subtree", key: `${s.path}/`, path: s.path, depth: s.depth });
    }
    return out;
  };

  const expand = (item: Exclude<Item, Member>): Item[] | Promise<Item[]> => {
    switch (item.kind) {
      case "range":
        return expandRange(item);
      case "subtree":
        return expandSubtree(item);
      case "slot":
        return readSlot(item);
    }
  };

  if (!Number.isFinite(need)) {
    // Everything is wanted: expand level by level, sort once at the end.
    for (;;) {
      const pending = items.filter((item): item is Exclude<Item, Member> => item.kind !== "member");
      if (pending.length === 0) break;
      const expanded = await Promise.all(pending.map(expand));
      items = [...items.filter((item) => item.kind === "member"), ...expanded.flat()];
    }
    items.sort(byKey);
    return { members: (items as Member[]).map((item) => item.member), more: false };
  }

  for (;;) {
    items.sort(byKey);
    // The need-th member from the answer's end: nothing beyond it can matter.
    let threshold: string | null = null;
    let count = 0;
    for (let k = 0; k < items.length; k++) {
      const item = items[forward ? k : items.length - 1 - k];
      if (item.kind === "member" && ++count === need) {
        threshold = item.key;
        break;
      }
    }
    if (threshold !== null) {
      const t = threshold;
      items = items.filter((item) =>
        item.kind === "member"
          ? forward
            ? compareCodePoints(item.key, t) <= 0
            : compareCodePoints(item.key, t) >= 0
          : mayHold(item, t),
      );
    }
    const pending = forward
      ? enough(items, need, shape)
      : items.filter((i): i is Exclude<Item, Member> => i.kind !== "member");
    if (pending.length === 0) break;
    const expanded = await Promise.all(pending.map(expand));
    const done = new Set<Item>(pending);
    items = [...items.filter((item) => !done.has(item)), ...expanded.flat()];
  }

  const members = (items as Member[]).map((item) => item.member);
  const more = members.length > request.limit;
  if (more) {
    if (forward) members.length = request.limit;
    else members.splice(0, members.length - request.limit);
  }
  return { members, more };
}
