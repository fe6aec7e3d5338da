/**
 * The file-system calls the file store reads with, in two interchangeable sets: asynchronous
 * (libuv's thread pool) and synchronous. Both work on plain descriptors: the promise API's
 * FileHandle objects cost about twice the CPU per small read. Whoever opens a descriptor closes
 * it. Callers `await` every result, so one code path serves both sets.
 */
import fs, { type Dirent, type Stats } from "node:fs";
import { promisify } from "node:util";

type Maybe<T> = T | Promise<T>;

export interface ReadCalls {
  open(file: string, flags: number): Maybe<number>;
  fstat(fd: number): Maybe<Stats>;
  stat(file: string): Maybe<Stats>;
  /** As stat, but undefined where nothing is there (ENOENT), which costs no error object. */
  statIfAny(file: string): Maybe<Stats | undefined>;
  /** As statIfAny, of the name itself: a link is reported as the link. */
  lstatIfAny(file: string): Maybe<Stats | undefined>;
  readlink(file: string): Maybe<string>;
  realpath(file: string): Maybe<string>;
  readdir(dir: string): Maybe<Dirent[]>;
  /** Reads into `buffer` at `offset` up to `length` bytes from `position`; the count read. */
  read(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): Maybe<number>;
  close(fd: number): Maybe<void>;
}

export const asyncCalls: ReadCalls = {
  open: promisify(fs.open),
  fstat: promisify(fs.fstat),
  stat: promisify(fs.stat),
  statIfAny: (file) =>
    fs.promises.stat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    }),
  lstatIfAny: (file) =>
    fs.promises.lstat(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    }),
  readlink: promisify(fs.readlink),
  realpath: (file) => fs.promises.realpath(file),
  readdir: (dir) => fs.promises.readdir(dir, { withFileTypes: true }),
  read: (fd, buffer, offset, length, position) =>
    new Promise((resolve, reject) =>
      fs.read(fd, buffer, offset, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))),
    ),
  close: promisify(fs.close),
};

/**
 * Runs a synchronous call whose failure is an answer (a probe for a document that is not there
 * fails every time) without capturing a stack for the error: the capture costs more than the
 * call itself. The store wraps any failure it reports in an error of its own, with a stack.
 */
function answering<T>(call: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return call();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export const syncCalls: ReadCalls = {
  open: (file, flags) => answering(() => fs.openSync(file, flags)),
  fstat: (fd) => fs.fstatSync(fd),
  stat: (file) => fs.statSync(file),
  statIfAny: (file) => fs.statSync(file, { throwIfNoEntry: false }),
  lstatIfAny: (file) => fs.lstatSync(file, { throwIfNoEntry: false }),
  readlink: (file) => fs.readlinkSync(file),
  realpath: (file) => answering(() => fs.realpathSync.native(file)),
  readdir: (dir) => fs.readdirSync(dir, { withFileTypes: true }),
  read: (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  close: (fd) => fs.closeSync(fd),
};

/**
 * Fills `data` from `position` on, read after read; fewer bytes when the file ends first (it
 * shrank since it was stat'ed): the part that is there.
 */
export async function readFully(calls: ReadCalls, fd: number, data: Uint8Array, position: number): Promise<Uint8Array> {
  let done = 0;
  while (done < data.byteLength) {
    const bytesRead = await calls.read(fd, data, done, data.byteLength - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === data.byteLength ? data : data.slice(0, done);
}

/** Bodies this large are read through the thread pool even where small ones are read synchronously. */
const LARGE_BODY = 1024 * 1024;

/**
 * How to read a body: a large one (a chunk, a consolidated document) would hold the event loop
 * for milliseconds and count as a slow call against the disk, so it goes to the thread pool.
 */
export function bodyCalls(calls: ReadCalls, into: Uint8Array): ReadCalls {
  return into.byteLength >= LARGE_BODY ? asyncCalls : calls;
}
