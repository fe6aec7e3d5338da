import { fileURLToPath } from "node:url";
import type { Storage } from "@google-cloud/storage";
import { FileStore } from "./file.js";
import { GcsStore } from "./gcs.js";
import { HttpStore, redactUrl } from "./http.js";
import { MemoryStore } from "./memory.js";
import type { Store } from "./store.js";

export interface OpenStoreOptions {
  /** Deadline of one call to a remote store, its retries included. */
  timeoutMs?: number;
  /** Retries of transient failures of remote stores. */
  retries?: number;
  /** Extra headers for HTTP stores (e.g. Authorization). */
  headers?: Record<string, string>;
  /** A configured GCS client for gs:// URLs (default: one with standard credentials). */
  storage?: Storage;
}

type Kind = "file" | "memory" | "http" | "gcs";

/** Which store a URL names; a string without a scheme (or a Windows drive path) is a path. */
function kindOf(url: string): Kind {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || /^[a-zA-Z]:[\\/]/.test(url)) return "file";
  switch (scheme) {
    case "file":
      return "file";
    case "memory":
      return "memory";
    case "http":
    case "https":
      return "http";
    case "gs":
      return "gcs";
    default:
      throw new Error(
        `unsupported store URL scheme "${scheme}:" (use a path, file://, memory://, http(s):// or gs://bucket/prefix)`,
      );
  }
}

/** `gs://bucket/some/prefix` -> bucket and prefix (without surrounding slashes). */
function parseGs(url: string): { bucket: string; prefix: string } {
  const match = /^gs:\/\/([^/?#]+)\/?([^?#]*)$/i.exec(url);
  if (!match) throw new Error(`invalid GCS URL ${JSON.stringify(redactForError(url))}: expected gs://bucket/prefix`);
  return { bucket: match[1], prefix: match[2].replace(/^\/+|\/+$/g, "") };
}

function redactForError(url: string): string {
  try {
    return redactUrl(url);
  } catch {
    return url.replace(/[?#].*$/, "");
  }
}

/** Opens the store a URL names: a path or file://..., memory://, http(s)://..., gs://bucket/prefix. */
export function openStore(url: string, options: OpenStoreOptions = {}): Store {
  switch (kindOf(url)) {
    case "file":
      return new FileStore(url.toLowerCase().startsWith("file:") ? fileURLToPath(url) : url);
    case "memory":
      return new MemoryStore(url);
    case "http":
      return new HttpStore(url, { timeoutMs: options.timeoutMs, retries: options.retries, headers: options.headers });
    case "gcs": {
      const { bucket, prefix } = parseGs(url);
      return new GcsStore({
        bucket,
        prefix,
        storage: options.storage,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
      });
    }
  }
}

/**
 * The URL a client can read the hierarchy from itself: gs:// and http(s):// URLs (without
 * credentials, query string or fragment); null for local stores (paths, file://, memory://).
 */
export function publicUrl(url: string): string | null {
  switch (kindOf(url)) {
    case "file":
    case "memory":
      return null;
    case "http":
      return redactUrl(url);
    case "gcs": {
      const { bucket, prefix } = parseGs(url);
      return `gs://${bucket}${prefix ? `/${prefix}` : ""}`;
    }
  }
}
