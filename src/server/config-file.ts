import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { ConfigError, parseConfig, type ServerConfig } from "./config.js";

/** Reads and validates `--config FILE` (.json, .yaml or .yml); ConfigError on any problem. */
export async function loadConfigFile(file: string, env = process.env): Promise<ServerConfig> {
  const ext = path.extname(file).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(ext)) {
    throw new ConfigError(file, [`--config: expected a .json, .yaml or .yml file, got "${path.basename(file)}"`]);
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`--config: cannot read the file (${(error as NodeJS.ErrnoException).code ?? error})`]);
  }
  let data: unknown;
  try {
    data = ext === ".json" ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(file, [`not valid ${ext === ".json" ? "JSON" : "YAML"}: ${(error as Error).message}`]);
  }
  // An empty YAML file parses as null: an empty configuration, as "{}" would be.
  return parseConfig(data ?? {}, { source: file, baseDir: path.dirname(path.resolve(file)), env });
}
