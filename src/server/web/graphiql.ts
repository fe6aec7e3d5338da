import type { GraphiQLOptions } from "graphql-yoga";

/**
 * GraphiQL with every asset inside the page (yoga's bundled build: scripts, styles, editor
 * workers), so it works where the server has no internet access; yoga's default loads it from a
 * CDN. The page is about 9 MB: its module is loaded on the first visit (a server nobody opens
 * GraphiQL on never holds it), and each page rendered once per set of options.
 */
export function bundledGraphiQL(): (options?: GraphiQLOptions) => Promise<string> {
  const pages = new Map<string, Promise<string>>();
  return (options) => {
    const key = JSON.stringify(options ?? {});
    let page = pages.get(key);
    if (page === undefined) {
      page = import("@graphql-yoga/render-graphiql").then(({ renderGraphiQL }) => renderGraphiQL(options));
      pages.set(key, page);
    }
    return page;
  };
}
