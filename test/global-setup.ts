// Services the suites need are started here (see test/setup/*). Each returns a teardown.
import { startGcsEmulator } from "./setup/gcs-emulator.js";
import { startPostgres } from "./setup/postgres.js";

type Teardown = () => Promise<void> | void;
const setups: Array<() => Promise<Teardown | undefined>> = [startGcsEmulator, startPostgres];

export async function setup(): Promise<() => Promise<void>> {
  const teardowns: Teardown[] = [];
  for (const start of setups) {
    const teardown = await start();
    if (teardown) teardowns.push(teardown);
  }
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
