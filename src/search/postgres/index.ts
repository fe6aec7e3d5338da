import pg from "pg";
import { type JsonObject, parseJson } from "../../hierarchy/json.js";
import { matches } from "../evaluate.js";
import { FacetCounter, facetValue } from "../facets.js";
import type { SearchRecord } from "../record.js";
import {
  type FacetCount,
  type IndexChange,
  type IndexPage,
  type IndexQuery,
  perQuery,
  type SearchIndex,
  type SortKey,
} from "../search-index.js";
import { compareCodePoints } from "../strings.js";
import { COLUMNS, recordText, rowOf, storable } from "./row.js";
import { CATALOGS, ensureSchema, NODES, RECORDS } from "./schema.js";
import { compileFilter, Params, subtreeCondition } from "./sql.js";
import { transaction } from "./transaction.js";

/**
 * The index in PostgreSQL, shared by every replica. A query's filter becomes a SQL condition
 * (sql.ts): when that condition is exact, PostgreSQL counts, pages and facets by itself; when it
 * is only a superset (patterns, case-insensitive tests), the candidates' records are read in
 * path order and decided here, exactly as the embedded index decides them.
 */

export interface PostgresIndexOptions {
  /** postgres://user@host:port/database (any libpq-style URL node-postgres takes). */
  url: string;
  /** Connections in the pool. */
  max?: number;
  /** Bound on every statement (ms); the request deadline is the natural value. */
  statementTimeoutMs?: number;
}

/** Rows upserted per statement: 14 columns each, well under PostgreSQL's 65,535 parameters. */
const UPSERT_BATCH = 500;
/** Changes of at least this many rows refresh the planner's statistics. */
const ANALYZE_AFTER = 1_000;
/** Candidate rows read per round trip when the record decides. */
const SCAN_BATCH = 2_000;

interface Plan {
  where: string;
  values: unknown[];
  exact: boolean;
}

/** INSERT … ON CONFLICT (catalog, path) DO UPDATE of `rows`, one statement. */
async function upsert(client: pg.PoolClient, table: string, columns: readonly string[], rows: unknown[][]) {
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const start = values.length;
    values.push(...row);
    return `(${row.map((_, j) => `$${start + j + 1}`).join(", ")})`;
  });
  const updates = columns.filter((c) => c !== "catalog" && c !== "path").map((c) => `${c} = EXCLUDED.${c}`);
  await client.query(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples.join(", ")}
     ON CONFLICT (catalog, path) DO UPDATE SET ${updates.join(", ")}`,
    values,
  );
}

export class PostgresIndex implements SearchIndex {
  readonly kind = "postgres" as const;
  private readonly pool: pg.Pool;
  private ready?: Promise<void>;
  /** Every hit, decided here (inexact plans): the candidates read in (catalog, path) order, a batch per round trip; a page and its facets share one scan. */
  private readonly scan = perQuery((query) => this.scanAll(query));

  constructor(options: PostgresIndexOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
    });
    // An idle client's failure (a restarted server) must not take the process down; the next query reconnects.
    this.pool.on("error", () => undefined);
  }

  private schema(): Promise<void> {
    this.ready ??= ensureSchema(this.pool).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.schema();
    return (await this.pool.query<R>(text, values)).rows;
  }

  async versions(catalog: string): Promise<Map<string, string | null>> {
    const rows = await this.query<{ path: string; version: string | null }>(
      `SELECT path, version FROM ${NODES} WHERE catalog = $1`,
      [catalog],
    );
    return new Map(rows.map((r) => [r.path, r.version]));
  }

  async apply(catalog: string, change: IndexChange, indexedAt?: Date): Promise<void> {
    await this.schema();
    await transaction(this.pool, async (client) => {
      if (change.removeBelow !== undefined) {
        const p = new Params();
        p.add(catalog);
        await client.query(
          `DELETE FROM ${NODES} WHERE catalog = $1 AND ${subtreeCondition(change.removeBelow, p)}`,
          p.values,
        );
      }
      if (change.remove.length > 0) {
        await client.query(`DELETE FROM ${NODES} WHERE catalog = $1 AND path = ANY($2::text[])`, [
          catalog,
          change.remove,
        ]);
      }
      for (let i = 0; i < change.upsert.length; i += UPSERT_BATCH) {
        const batch = change.upsert.slice(i, i + UPSERT_BATCH);
        await upsert(client, NODES, COLUMNS, batch.map(rowOf));
        await upsert(
          client,
          RECORDS,
          ["catalog", "path", "record"],
          batch.map((r) => [r.catalog, r.path, recordText(r)]),
        );
      }
      if (indexedAt) {
        await client.query(
          `INSERT INTO ${CATALOGS} (catalog, indexed_at) VALUES ($1, $2)
           ON CONFLICT (catalog) DO UPDATE SET indexed_at = EXCLUDED.indexed_at`,
          [catalog, indexedAt],
        );
      }
    });
    // The planner picks its indexes from statistics: a large change makes the old ones wrong
    // (a fresh table has none, and would be scanned where a GIN index answers).
    if (change.upsert.length + change.remove.length >= ANALYZE_AFTER) {
      // Statistics only speed queries up: a user who may not vacuum still gets its change in.
      await this.query(`VACUUM (ANALYZE) ${NODES}, ${RECORDS}`).catch(() => undefined);
    }
  }

  async indexedAt(catalog: string): Promise<Date | null> {
    const rows = await this.query<{ indexed_at: Date | null }>(
      `SELECT indexed_at FROM ${CATALOGS} WHERE catalog = $1`,
      [catalog],
    );
    return rows[0]?.indexed_at ?? null;
  }

  /** The query's condition: catalogs, words (exact: both sides tokenized alike) and the filter. */
  private plan(query: IndexQuery): Plan {
    const p = new Params();
    const parts = [`catalog = ANY(${p.add(query.catalogs, "::text[]")})`];
    if (query.words.length > 0) parts.push(`words @> ${p.add(query.words, "::text[]")}`);
    const filter = compileFilter(query.filter, p);
    parts.push(filter.sql);
    return { where: parts.join(" AND "), values: p.values, exact: filter.exact };
  }

  async search(query: IndexQuery, first: number, after: SortKey | null): Promise<IndexPage> {
    if (query.catalogs.length === 0) return { hits: [], totalCount: 0, hasNextPage: false };
    const plan = this.plan(query);
    if (!plan.exact) return this.searchScanned(query, first, after);
    const values = [...plan.values];
    let where = plan.where;
    if (after) {
      values.push(after.catalog, after.path);
      where += ` AND (catalog, path) > ($${values.length - 1}, $${values.length})`;
    }
    values.push(first + 1);
    const [rows, count] = await Promise.all([
      this.query<{ catalog: string; path: string }>(
        `SELECT catalog, path FROM ${NODES} WHERE ${where} ORDER BY catalog, path LIMIT $${values.length}`,
        values,
      ),
      this.query<{ n: string }>(`SELECT count(*) AS n FROM ${NODES} WHERE ${plan.where}`, plan.values),
    ]);
    return {
      hits: rows.slice(0, first).map((r) => ({ catalog: r.catalog, path: r.path })),
      totalCount: Number(count[0].n),
      hasNextPage: rows.length > first,
    };
  }

  private async searchScanned(query: IndexQuery, first: number, after: SortKey | null): Promise<IndexPage> {
    const hits = await this.scan(query);
    const from = after
      ? hits.findIndex(
          (r) => (compareCodePoints(r.catalog, after.catalog) || compareCodePoints(r.path, after.path)) > 0,
        )
      : 0;
    const start = from === -1 ? hits.length : from;
    return {
      hits: hits.slice(start, start + first).map((r) => ({ catalog: r.catalog, path: r.path })),
      totalCount: hits.length,
      hasNextPage: start + first < hits.length,
    };
  }

  private async scanAll(query: IndexQuery): Promise<SearchRecord[]> {
    const plan = this.plan(query);
    const out: SearchRecord[] = [];
    let last: SortKey | null = null;
    for (;;) {
      query.signal?.throwIfAborted();
      const values = [...plan.values];
      let where = plan.where;
      if (last) {
        values.push(last.catalog, last.path);
        where += ` AND (catalog, path) > ($${values.length - 1}, $${values.length})`;
      }
      values.push(SCAN_BATCH);
      const rows = await this.query<{ catalog: string; path: string; record: string }>(
        `SELECT catalog, path, record FROM ${NODES} JOIN ${RECORDS} USING (catalog, path)
         WHERE ${where} ORDER BY catalog, path LIMIT $${values.length}`,
        values,
      );
      for (const row of rows) {
        const record = parseJson(row.record) as unknown as SearchRecord;
        if (matches(query.filter, record)) out.push(record);
      }
      if (rows.length < SCAN_BATCH) return out;
      last = rows[rows.length - 1];
    }
  }

  async facets(query: IndexQuery, key: string, first: number): Promise<FacetCount[]> {
    if (query.catalogs.length === 0 || first === 0) return [];
    const plan = this.plan(query);
    const counter = new FacetCounter();
    if (!plan.exact) {
      for (const record of await this.scan(query)) counter.add(facetValue(record, key));
      return counter.top(first);
    }
    const field = { nodeType: "node_type", dataType: "data_type_canon", catalog: "catalog" }[key];
    if (field) {
      const rows = await this.query<{ v: string | null; n: string }>(
        `SELECT ${field} AS v, count(*) AS n FROM ${NODES} WHERE ${plan.where} AND ${field} IS NOT NULL GROUP BY 1`,
        plan.values,
      );
      for (const row of rows) {
        const value =
          key === "nodeType"
            ? row.v === "group"
              ? '"GROUP"'
              : '"ARRAY"'
            : key === "catalog"
              ? JSON.stringify(row.v)
              : row.v!;
        counter.addCanonical(value, Number(row.n));
      }
      return counter.top(first);
    }
    if (!storable(key)) {
      for (const record of await this.scan(query)) counter.add(facetValue(record, key));
      return counter.top(first);
    }
    const values = [...plan.values, key];
    const k = `$${values.length}`;
    const [groups, leftovers] = await Promise.all([
      this.query<{ v: string; n: string }>(
        `SELECT canon->>${k}::text AS v, count(*) AS n FROM ${NODES} WHERE ${plan.where} AND canon ? ${k}::text GROUP BY 1`,
        values,
      ),
      // Nodes whose value at the key is a list or object too long for `canon`: counted from their records.
      this.query<{ record: string }>(
        `SELECT record FROM ${NODES} JOIN ${RECORDS} USING (catalog, path)
         WHERE ${plan.where} AND keys @> ARRAY[${k}]::text[] AND NOT canon ? ${k}::text`,
        values,
      ),
    ]);
    for (const row of groups) counter.addCanonical(row.v, Number(row.n));
    for (const row of leftovers) {
      counter.add(facetValue(parseJson(row.record) as unknown as SearchRecord & { attributes: JsonObject }, key));
    }
    return counter.top(first);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
