// htm gives Preact JSX-like templates with no compile step of its own.
export { html } from "htm/preact";
