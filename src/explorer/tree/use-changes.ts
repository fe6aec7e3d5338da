import { useEffect, useState } from "preact/hooks";

/** Renders again whenever `source` says it changed. */
export function useChanges(source: { subscribe(listener: () => void): () => void }): void {
  const [, setCount] = useState(0);
  useEffect(() => source.subscribe(() => setCount((n) => n + 1)), [source]);
}
