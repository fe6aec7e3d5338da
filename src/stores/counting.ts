import type { IoCounter } from "./io-counter.js";
import type { CallOptions, ListTreeOptions, Store, StoreEntry } from "./store.js";
import { type Operation, StoreWrapper } from "./wrapper.js";

const KIND: Record<Operation, "gets" | "lists" | "writes"> = {
  get: "gets",
  getRange: "gets",
  list: "lists",
  listTree: "lists",
  set: "writes",
  delete: "writes",
  deletePrefix: "writes",
};

/**
 * Forwards every call to `inner` and records it in `counter`: every GET (404s included), every
 * list (one per page where the store says), every write, and bytes read.
 */
export class CountingStore extends StoreWrapper {
  constructor(
    inner: Store,
    readonly counter: IoCounter,
  ) {
    super(inner);
  }

  protected async around<T, O extends CallOptions | undefined>(
    operation: Operation,
    _key: string,
    options: O,
    call: (options: O) => Promise<T>,
  ): Promise<T> {
    let pages = 0;
    if (operation === "listTree") {
      const given = options as ListTreeOptions;
      options = {
        ...given,
        onPage: () => {
          pages++;
          given.onPage?.();
        },
      } as unknown as O;
    }
    const end = this.counter.begin(KIND[operation]);
    try {
      const result = await call(options);
      if ((operation === "get" || operation === "getRange") && result)
        this.counter.addBytes((result as unknown as StoreEntry).data.byteLength);
      return result;
    } finally {
      end();
      // The first page was counted when the call began; stores that do not page report none.
      if (pages > 1) this.counter.addListPages(pages - 1);
    }
  }
}
