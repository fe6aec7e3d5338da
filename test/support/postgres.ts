import { randomUUID } from "node:crypto";
import pg from "pg";

/** The test server's admin URL (started by test/setup/postgres.ts in global setup). */
export function adminUrl(): string {
  const url = process.env.ZARR_GRAPHQL_TEST_PG;
  if (!url) throw new Error("ZARR_GRAPHQL_TEST_PG is not set: the PostgreSQL test server did not start");
  return url;
}

/** A new, empty database on the test server, for one suite; its connection URL. */
export async function freshDatabase(): Promise<string> {
  const name = `t_${randomUUID().replaceAll("-", "")}`;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
