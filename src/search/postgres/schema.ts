import type pg from "pg";
import { transaction } from "./transaction.js";

/**
 * The PostgreSQL index's tables. One row per node: the fields filters narrow by, as columns
 * GIN indexes serve (words, attribute keys, attribute values); beside it the record itself, which
 * decides every candidate exactly as the embedded index does.
 */

export const NODES = "zarr_graphql_search_nodes";
export const CATALOGS = "zarr_graphql_search_catalogs";
export const RECORDS = "zarr_graphql_search_records";

const DDL = `
CREATE TABLE IF NOT EXISTS ${NODES} (
  catalog text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  version text,
  node_type text NOT NULL,
  zarr_format int NOT NULL,
  basename text COLLATE "C" NOT NULL,
  ndim int,
  -- dataType as the API prints it, when a string; and as canonical JSON whatever it is (facets)
  data_type text COLLATE "C",
  data_type_canon text,
  dims text[] NOT NULL,
  -- the node's words (search/text.ts), folded
  words text[] NOT NULL,
  -- every dotted attribute path that resolves
  keys text[] NOT NULL,
  -- dotted path -> canonical JSON text of its value (search/values.ts); long lists and objects left out
  canon jsonb NOT NULL,
  -- dotted path -> order-preserving text of its number (postgres/number-order.ts)
  nums jsonb NOT NULL,
  PRIMARY KEY (catalog, path)
);
-- The SearchRecord (lossless JSON), read only when SQL alone cannot decide: kept apart so that the
-- nodes table stays narrow for the scans counts and facets make.
CREATE TABLE IF NOT EXISTS ${RECORDS} (
  catalog text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  record text NOT NULL,
  PRIMARY KEY (catalog, path),
  FOREIGN KEY (catalog, path) REFERENCES ${NODES} ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS ${NODES}_words ON ${NODES} USING gin (words);
CREATE INDEX IF NOT EXISTS ${NODES}_keys ON ${NODES} USING gin (keys);
CREATE INDEX IF NOT EXISTS ${NODES}_canon ON ${NODES} USING gin (canon jsonb_path_ops);
CREATE INDEX IF NOT EXISTS ${NODES}_dims ON ${NODES} USING gin (dims);
CREATE INDEX IF NOT EXISTS ${NODES}_type ON ${NODES} (node_type, data_type);
CREATE TABLE IF NOT EXISTS ${CATALOGS} (
  catalog text COLLATE "C" PRIMARY KEY,
  indexed_at timestamptz
);
`;

/** Creates the tables if missing; an advisory lock keeps replicas starting together from racing. */
export async function ensureSchema(pool: pg.Pool): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('zarr_graphql_search_schema'))");
    await client.query(DDL);
  });
}
