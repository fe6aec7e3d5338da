/** Totals of store calls, reported in `extensions.io`; one counter may span several stores. */
export interface IoCounts {
  gets: number;
  lists: number;
  writes: number;
  bytes: number;
  waves: number;
}

/**
 * Counts calls and "waves": a wave begins whenever a call starts while no other call is in
 * flight, so waves × round-trip time approximates the latency a request paid. `maxInFlight`
 * shows how much of the work overlapped.
 */
export class IoCounter {
  readonly counts: IoCounts = { gets: 0, lists: 0, writes: 0, bytes: 0, waves: 0 };
  maxInFlight = 0;
  private inFlight = 0;

  begin(kind: "gets" | "lists" | "writes"): () => void {
    if (this.inFlight === 0) this.counts.waves++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.counts[kind]++;
    let ended = false;
    return () => {
      if (!ended) {
        ended = true;
        this.inFlight--;
      }
    };
  }

  addBytes(n: number): void {
    this.counts.bytes += n;
  }

  /** Extra list pages of one logical listing (paginated listings count one list per page). */
  addListPages(n: number): void {
    this.counts.lists += n;
  }

  snapshot(): IoCounts {
    return { ...this.counts };
  }
}
