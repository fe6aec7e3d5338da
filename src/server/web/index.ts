export { type CorsSetting, corsPlugin, ORIGIN } from "./cors.js";
export { bundledGraphiQL } from "./graphiql.js";
export { httpCachePlugin } from "./http-cache.js";
export {
  automaticPersistedQueriesPlugin,
  EXTRA_PARAMS,
  loadTrustedDocuments,
  trustedDocumentsPlugin,
} from "./persisted.js";
