/**
 * File-system calls on plain descriptors, as promises. The promise API's FileHandle objects cost
 * about twice the CPU per small read (each one an object the garbage collector tracks, with a
 * close of its own); a store that reads thousands of small documents per request feels that.
 * Whoever opens a descriptor here closes it.
 */
import fs from "node:fs";
import { promisify } from "node:util";

export const open: (file: string, flags: number) => Promise<number> = promisify(fs.open);
export const fstat: (fd: number) => Promise<fs.Stats> = promisify(fs.fstat);
export const stat: (file: string) => Promise<fs.Stats> = promisify(fs.stat);
export const readlink: (file: string) => Promise<string> = promisify(fs.readlink);
export const close: (fd: number) => Promise<void> = promisify(fs.close);

/** Reads into `buffer` at `offset` up to `length` bytes from `position`; the count read. */
export function read(
  fd: number,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  return new Promise((resolve, reject) =>
    fs.read(fd, buffer, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
  );
}
