import { statfs } from "node:fs/promises";
import { setImmediate as turn } from "node:timers/promises";
import { asyncCalls, type ReadCalls, syncCalls } from "./raw-fs.js";

/** Longest stretch of synchronous reads before the event loop gets a turn. */
const SLICE_MS = 2;
/** A call slower than this was slow: a cold disk, a network file system, or a pause of the process's own. */
const SLOW_MS = 20;
/**
 * Slow calls among the last WINDOW that mark a store no read should wait on synchronously: a
 * garbage-collection pause makes a call slow now and then, a slow disk makes many slow.
 */
const SLOW_CALLS = 3;
const WINDOW = 100;

/**
 * File systems on local block devices or in memory (statfs magic numbers): ext2/3/4, xfs,
 * btrfs, zfs, f2fs, tmpfs, overlay, ramfs. Anything else (NFS, SMB, FUSE, 9p, ...) may hang a
 * call for as long as its server likes, which a synchronous call must never do.
 */
const LOCAL_FILE_SYSTEMS = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x2fc12fc1, 0xf2f52010, 0x01021994, 0x794c7630, 0x858458f6,
]);

async function isLocal(folder: string): Promise<boolean> {
  try {
    return LOCAL_FILE_SYSTEMS.has((await statfs(folder)).type);
  } catch {
    return false;
  }
}

/** How long a store whose calls turned slow is read through the thread pool before it is tried again. */
const RETRY_MS = 10_000;

export interface ReadPacerOptions {
  /** Milliseconds in the thread pool before synchronous calls are tried again (default RETRY_MS). */
  retryMs?: number;
  /** The clock, in milliseconds (default performance.now). */
  now?: () => number;
  /** The synchronous calls to time (default the file system's). */
  sync?: ReadCalls;
}

/**
 * Chooses how the file store reads metadata. A small document on a local disk is in the page
 * cache: a synchronous read costs a few microseconds, the thread pool's round trip about eight
 * times more, and a walk makes hundreds of thousands of them. So reads run synchronously, in
 * slices of at most SLICE_MS between which other requests and timers (the deadline) run, where
 * the folder is on a local file system and for as long as its calls stay fast; a network file
 * system, or a disk whose calls turn slow, is read through the thread pool. A local disk is
 * slow for a while (its cache was reclaimed, another process is writing): after RETRY_MS its
 * calls are timed again, since reading through the thread pool costs a walk twice the time for
 * as long as it lasts, and a disk still slow sends them back after three calls.
 */
export class ReadPacer {
  /** Until the folder's file system is known to be local: the thread pool. */
  private local = false;
  private fast = false;
  private slowSince = 0;
  private sliceStarted = 0;
  private callsSeen = 0;
  private slow = 0;
  private readonly timed: ReadCalls;
  private readonly retryMs: number;
  private readonly now: () => number;

  constructor(folder: string, options: ReadPacerOptions = {}) {
    this.retryMs = options.retryMs ?? RETRY_MS;
    this.now = options.now ?? (() => performance.now());
    isLocal(folder).then((local) => {
      this.local = local;
      this.fast = local;
    });
    const timed = {} as Record<keyof ReadCalls, (...args: never[]) => unknown>;
    const sync = options.sync ?? syncCalls;
    for (const [name, call] of Object.entries(sync) as [keyof ReadCalls, (...args: never[]) => unknown][]) {
      timed[name] = (...args) => {
        const started = performance.now();
        try {
          return call(...args);
        } finally {
          this.observe(performance.now() - started);
        }
      };
    }
    this.timed = timed as unknown as ReadCalls;
  }

  private observe(ms: number): void {
    if (++this.callsSeen >= WINDOW) {
      this.callsSeen = 0;
      this.slow = 0;
    }
    if (ms > SLOW_MS && ++this.slow >= SLOW_CALLS && this.fast) {
      this.fast = false;
      this.slowSince = this.now();
    }
  }

  /** The calls to use now; waits for the event loop's turn when the current slice is spent. */
  async calls(): Promise<ReadCalls> {
    if (!this.fast) {
      if (!this.local || this.now() - this.slowSince < this.retryMs) return asyncCalls;
      this.fast = true;
      this.callsSeen = 0;
      this.slow = 0;
    }
    if (performance.now() - this.sliceStarted > SLICE_MS) {
      await turn();
      this.sliceStarted = performance.now();
    }
    return this.timed;
  }
}
