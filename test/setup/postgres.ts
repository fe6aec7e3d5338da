// Starts one PostgreSQL server (Debian's postgresql package) for the whole test run, in a
// temporary folder: initdb, then pg_ctl on a free loopback port with its unix socket in the same
// folder. Test workers inherit process.env as it is after global setup, so they read the admin
// connection URL from ZARR_GRAPHQL_TEST_PG and make a database of their own (test/support/postgres.ts).
// PostgreSQL refuses to run as root, and CI runs as root: there the server runs as the
// `postgres` user, which owns the folder.
import { execFile } from "node:child_process";
import { existsSync, promises as fs, readdirSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where initdb and pg_ctl are: PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBin(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): apt-get install postgresql, or set PG_BIN",
    );
  }
  return path.join(root, versions[0], "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL program, as the postgres user when this process is root. */
async function asOwner(program: string, args: string[], owner: { uid: number; gid: number } | null): Promise<void> {
  const command = owner
    ? {
        file: "setpriv",
        args: [`--reuid=${owner.uid}`, `--regid=${owner.gid}`, "--clear-groups", "--", program, ...args],
      }
    : { file: program, args };
  try {
    await run(command.file, command.args, { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${path.basename(program)} failed: ${(error as Error).message}\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const { stdout: uid } = await run("id", ["-u", "postgres"]);
  const { stdout: gid } = await run("id", ["-g", "postgres"]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}

export async function startPostgres(): Promise<() => Promise<void>> {
  const bin = postgresBin();
  const owner = await postgresUser();
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "zarr-graphql-pg-"));
  const data = path.join(tmp, "data");
  if (owner) await fs.chown(tmp, owner.uid, owner.gid);
  const port = await freePort();
  const pgCtl = path.join(bin, "pg_ctl");
  const stop = async () => {
    await asOwner(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], owner).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true });
  };
  try {
    await asOwner(
      path.join(bin, "initdb"),
      ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"],
      owner,
    );
    const settings = [
      `-p ${port}`,
      `-k ${tmp}`,
      "-c listen_addresses=127.0.0.1",
      // A throwaway server: durability costs time and buys nothing here.
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
    ].join(" ");
    await asOwner(pgCtl, ["-D", data, "-o", settings, "-l", path.join(tmp, "server.log"), "-w", "start"], owner);
  } catch (error) {
    const log = await fs.readFile(path.join(tmp, "server.log"), "utf8").catch(() => "");
    await stop();
    throw new Error(`${(error as Error).message}\n${log.slice(-4000)}`);
  }
  const previous = process.env.ZARR_GRAPHQL_TEST_PG;
  process.env.ZARR_GRAPHQL_TEST_PG = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return async () => {
    if (previous === undefined) delete process.env.ZARR_GRAPHQL_TEST_PG;
    else process.env.ZARR_GRAPHQL_TEST_PG = previous;
    await stop();
  };
}
